"""Demo data: a few customer companies and persons, and one sync into an in-process emulator.

No network is used: the connection settings point at a placeholder emulator URL, and the sync
runs against :class:`~.emulator.Emulator` mounted in-process (``httpx`` WSGI transport), seeded
with two accounts, a contact and two salespeople (systemusers). The job counters appear in the
tour (``relcore demo``).
"""

from __future__ import annotations

import time
import weakref
from typing import Any

import sqlalchemy as sa

DEMO_ORG_URL = "https://relcore-demo.emulator.invalid"
BUS_REL = "CUST"
_TIMINGS: weakref.WeakKeyDictionary[Any, float | Exception] = weakref.WeakKeyDictionary()


def seed_emulator(emulator: Any) -> None:
    """A few Dataverse rows: two salespeople, two customer accounts, a contact."""
    ada = emulator.add_user(
        "Ada Byron", internalemailaddress="ada@contoso.example", mobilephone="+44 20 7946 0001"
    )["systemuserid"]
    emulator.add_user("Grace Hopper", internalemailaddress="grace@contoso.example")
    fab = emulator.insert(
        "accounts",
        {
            "name": "Fabrikam Ltd",
            "customertypecode": 3,
            "accountnumber": "C-FAB",
            "address1_city": "Leeds",
            "ownerid@odata.bind": f"/systemusers({ada})",
        },
        as_user=ada,
    )
    emulator.insert(
        "accounts",
        {
            "name": "Northwind Traders",
            "customertypecode": 3,
            "accountnumber": "C-NWT",
            "address1_city": "York",
        },
        as_user=ada,
    )
    emulator.insert(
        "contacts",
        {
            "firstname": "Wendy",
            "lastname": "Kahn",
            "emailaddress1": "wendy@fabrikam.example",
            "parentcustomerid_account@odata.bind": f"/accounts({fab['accountid']})",
        },
        as_user=ada,
    )


def _local_data(app: Any, session: Any) -> None:
    """Two customer companies with a person each, unless the contacts demo made customers."""
    from relcore_contacts import api

    from relcore import entities
    from relcore_d365sales.adapters import CustomerAdapter, _link_customer

    if CustomerAdapter(session).select():
        return

    if not entities.exists(session, "contacts.business_relation", BUS_REL):
        entities.insert(
            session, "contacts.business_relation", [{"code": BUS_REL, "description": "Customer"}]
        )
    if not app.setup.get(session, "contacts.bus_rel_code_for_customers"):
        app.setup.set(session, "contacts.bus_rel_code_for_customers", BUS_REL)
    companies = api.insert_contacts(
        session,
        [
            {
                "type": "company",
                "name": "Adatum Corporation",
                "city": "London",
                "phone_no": "+44 20 7946 0100",
            },
            {"type": "company", "name": "Litware Inc", "city": "Bristol"},
        ],
    )
    for i, company in enumerate(companies):
        _link_customer(session, company["no"], f"D-{i + 1:03d}")
    api.insert_contacts(
        session,
        [
            {
                "type": "person",
                "first_name": "Robin",
                "surname": "Counts",
                "company_no": companies[0]["no"],
                "email": "robin@adatum.example",
            },
            {
                "type": "person",
                "first_name": "Kim",
                "surname": "Abercrombie",
                "company_no": companies[1]["no"],
                "email": "kim@litware.example",
            },
        ],
    )


def load_demo(app: Any, session: Any) -> None:
    """Configure the connection (placeholder URL), add local data, run one full sync against an
    in-process emulator (skipped, and said in the tour, when the emulator is not installed)."""
    from relcore.errors import PluginError
    from relcore_d365sales.auth import StaticTokenProvider
    from relcore_d365sales.emulator_extra import new_emulator
    from relcore_d365sales.engine import synchronize
    from relcore_d365sales.http import DataverseClient

    app.setup.set(session, "d365sales.org_url", DEMO_ORG_URL)
    app.setup.set(session, "d365sales.tenant_id", "demo.onmicrosoft.com")
    app.setup.set(session, "d365sales.client_id", "00000000-0000-0000-0000-00000000de70")
    _local_data(app, session)
    started = time.perf_counter()
    try:
        emulator = new_emulator()
    except PluginError as exc:
        _TIMINGS[app] = exc
        return
    seed_emulator(emulator)
    client = DataverseClient(
        DEMO_ORG_URL,
        StaticTokenProvider(emulator.issue_token),
        transport=emulator.transport(),
        sleep=lambda s: None,
    )
    with client:
        synchronize(app, full=True, client=client, session=session)
    _TIMINGS[app] = time.perf_counter() - started


def tour(app: Any, session: Any) -> list[str]:
    """Tour lines: the demo sync's jobs and the couplings made."""
    from relcore_d365sales import model

    j = model.sync_job
    rows = session.execute(
        sa.select(j)
        .where(j.c.type == "synchronization")
        .order_by(j.c.started_at, j.c.mapping_name, j.c.direction)
    ).all()
    took = _TIMINGS.get(app)
    if isinstance(took, Exception):
        return [f"no demo sync: {took}"]
    lines = [
        f"full sync with an in-process Dataverse emulator ({DEMO_ORG_URL})"
        + (f" in {took:.2f} s:" if took is not None else ":")
    ]
    for r in rows:
        lines.append(
            f"  {r.mapping_name:<12} {r.direction:<17} inserted {r.inserted}, "
            f"modified {r.modified}, unchanged {r.unchanged}, failed {r.failed}"
        )
    n = session.execute(sa.select(sa.func.count()).select_from(model.coupling)).scalar()
    lines.append(f"{n} couplings; try: relcore d365 status, relcore d365 emulator --seed")
    return lines
