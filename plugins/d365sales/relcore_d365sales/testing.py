"""Test kit for the d365sales plugin: an app, an in-process Dataverse emulator, a client on it.

Needs the optional emulator (``pip install 'relcore-d365sales[emulator]'``)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from dataverse_emulator import ClockSleep, Emulator

from relcore_d365sales import model
from relcore_d365sales.auth import StaticTokenProvider
from relcore_d365sales.engine import synchronize
from relcore_d365sales.http import DataverseClient, RetryPolicy

ORG_URL = "https://contoso.crm4.dynamics.com"
BUS_REL = "CUST"


class SyncEnv:
    """An app, an emulator and a client on it."""

    def __init__(
        self,
        app: Any,
        emulator: Emulator | None = None,
        base_url: str = ORG_URL,
        transport: Any = "inprocess",
    ) -> None:
        self.app = app
        self.emulator = emulator or Emulator()
        self.sleeps = ClockSleep(self.emulator)
        self.tokens = StaticTokenProvider(self.emulator.issue_token)
        self.client = DataverseClient(
            base_url,
            self.tokens,
            transport=self.emulator.transport() if transport == "inprocess" else None,
            sleep=self.sleeps,
            retry=RetryPolicy(max_retries=5, max_total_wait=300),
            timeout=10,
        )
        with app.session() as session:
            from relcore import entities

            entities.insert(
                session,
                "contacts.business_relation",
                [{"code": BUS_REL, "description": "Customer"}],
            )
            app.setup.set(session, "contacts.bus_rel_code_for_customers", BUS_REL)
            app.setup.set(session, "d365sales.org_url", base_url)

    # -- local data ----------------------------------------------------------------------
    def companies(self, names: list[str], **values: Any) -> list[str]:
        """Create customer companies (linked to customers C-<name>); returns their numbers."""
        from relcore_contacts import api

        from relcore_d365sales.adapters import _link_customer

        with self.app.session() as session:
            rows = api.insert_contacts(
                session, [{"type": "company", "name": n, **values} for n in names]
            )
            for r in rows:
                _link_customer(session, r["no"], "C-" + r["name"].upper().replace(" ", "")[:10])
        return [r["no"] for r in rows]

    def persons(self, company_no: str, people: list[tuple[str, str]], **values: Any) -> list[str]:
        """Create persons of a company; returns their numbers."""
        from relcore_contacts import api

        with self.app.session() as session:
            rows = api.insert_contacts(
                session,
                [
                    {
                        "type": "person",
                        "first_name": f,
                        "surname": s,
                        "company_no": company_no,
                        **values,
                    }
                    for f, s in people
                ],
            )
        return [r["no"] for r in rows]

    def modify(self, no: str, **values: Any) -> dict:
        """Change a contact through contacts' api."""
        from relcore_contacts import api

        with self.app.session() as session:
            return api.modify_contact(session, no, values)

    def contact(self, no: str) -> dict:
        """A contact row."""
        from relcore_contacts import api

        with self.app.session() as session:
            return api.get_contact(session, no)

    # -- sync ----------------------------------------------------------------------------
    def sync(self, **kw: Any) -> dict[tuple[str, str], Any]:
        """Run a sync; returns the jobs by (mapping, direction)."""
        jobs = synchronize(self.app, client=self.client, **kw)
        return {(j.mapping, j.direction): j for j in jobs}

    def coupling(self, mapping: str, key: str) -> dict | None:
        """The coupling of a local key."""
        c = model.coupling
        with self.app.session() as session:
            row = session.execute(
                sa.select(c).where(c.c.mapping_name == mapping, c.c.local_key == key)
            ).first()
        return None if row is None else dict(row._mapping)

    def couplings(self, mapping: str) -> list[dict]:
        """All couplings of a mapping."""
        c = model.coupling
        with self.app.session() as session:
            return [
                dict(r._mapping)
                for r in session.execute(sa.select(c).where(c.c.mapping_name == mapping))
            ]

    def set_mapping(self, name: str, **values: Any) -> None:
        """Change a mapping's options (``ensure_mappings`` first)."""
        from relcore import entities
        from relcore_d365sales.mappings import ensure_mappings

        with self.app.session() as session:
            ensure_mappings(session)
            entities.update(session, "d365sales.table_mapping", name, values)

    def errors(self) -> list[dict]:
        """Error rows, newest first."""
        from relcore_d365sales import jobs

        with self.app.session() as session:
            return jobs.errors(session)

    def human_edit(self, entity_set: str, dv_id: str, values: dict) -> dict:
        """Edit a Dataverse row as a human user (not the integration user)."""
        if not hasattr(self, "_human"):
            self._human = self.emulator.add_user("Hugh Human")["systemuserid"]
        return self.emulator.update(entity_set, dv_id, values, as_user=self._human)

    def human_insert(self, entity_set: str, values: dict) -> dict:
        """Insert a Dataverse row as a human user."""
        if not hasattr(self, "_human"):
            self._human = self.emulator.add_user("Hugh Human")["systemuserid"]
        return self.emulator.insert(entity_set, values, as_user=self._human)

    def human_action(self, name: str, body: dict) -> Any:
        """Call a Web API action (``WinOpportunity``…) as a human user of Sales; returns the
        httpx response."""
        import httpx

        if not hasattr(self, "_human"):
            self._human = self.emulator.add_user("Hugh Human")["systemuserid"]
        token = self.emulator.issue_token(self._human)
        with httpx.Client(
            transport=self.emulator.transport(),
            base_url=ORG_URL + "/api/data/v9.2/",
            headers={"Authorization": f"Bearer {token}"},
        ) as raw:
            return raw.post(name, json=body)

    def setup_args(self, server: Any) -> list[str]:
        """The ``relcore d365 setup`` options pointing at ``server`` (a loopback emulator)."""
        return [
            "--org-url",
            server.url,
            "--tenant-id",
            self.emulator.tenant_id,
            "--client-id",
            self.emulator.client_id,
            "--authority-host",
            server.url,
        ]

    def api_requests(self) -> list[dict]:
        """The emulator's Web API request log (token requests left out)."""
        return [e for e in self.emulator.request_log if "/api/data/" in e["path"]]
