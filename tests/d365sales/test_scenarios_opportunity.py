"""Acceptance scenario H of reference Part E9 against the engine's state-handler protocol alone:
a mapping registered by another plugin through ``relcore_d365sales_register_mappings`` with a
minimal stand-in table, so the protocol is tested without the opportunities plugin. The real
OPPORTUNITY mapping (the opportunities plugin's bridge) is tested in
``tests/opportunities/test_d365sales_opportunity.py`` and ``..._kill.py``."""

from __future__ import annotations

import types
import uuid

import pytest
import sqlalchemy as sa
from relcore_d365sales.mappings import FieldMap, MappingDef
from relcore_d365sales.testing import SyncEnv

from relcore import hookimpl
from relcore.db import UTCDateTime, utcnow

META = sa.MetaData()  # kept off relcore's metadata: a stand-in table for this test only
OPP = sa.Table(
    "test_d365_opportunity",
    META,
    sa.Column("no", sa.String(20), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("status", sa.String(20), nullable=False, default="in_progress"),
    sa.Column("modified_at", UTCDateTime(), nullable=False),
)


class OpportunityAdapter:
    """Local side of the stand-in OPPORTUNITY mapping."""

    label = "Opportunity"
    key_column = "no"

    def __init__(self, session):
        self.session = session
        self.columns = {"description": OPP.c.description}

    def select(self, *, since=None, keys=None):
        stmt = sa.select(OPP.c.no.label("key"), OPP.c.modified_at, OPP.c.description, OPP.c.status)
        if since is not None:
            stmt = stmt.where(OPP.c.modified_at >= since)
        if keys is not None:
            stmt = stmt.where(OPP.c.no.in_(list(keys)))
        return [dict(r._mapping) for r in self.session.execute(stmt)]

    def existing(self, keys):
        return {
            r[0] for r in self.session.execute(sa.select(OPP.c.no).where(OPP.c.no.in_(list(keys))))
        }

    def insert(self, rows):
        out = []
        for row in rows:
            no, now = f"OP{uuid.uuid4().hex[:6].upper()}", utcnow()
            self.session.execute(
                sa.insert(OPP).values(
                    no=no,
                    description=row.get("description", ""),
                    modified_at=now,
                    status=row.get("status") or "in_progress",
                )
            )
            out.append((no, now))
        return out

    def update(self, key, values):
        now = utcnow()
        self.session.execute(
            sa.update(OPP).where(OPP.c.no == key).values(**values, modified_at=now)
        )
        return now


class OpportunityState:
    """Won/lost through WinOpportunity/LoseOpportunity; Dataverse states read back."""

    local_field = "status"
    dv_columns = ("statecode", "statuscode")

    def local_state(self, row):
        return row["status"] if row["status"] in ("won", "lost") else "open"

    def dv_state(self, row):
        return {1: "won", 2: "lost"}.get(row.get("statecode"), "open")

    def action(self, local_row, dv_id, dv_row):
        state = self.local_state(local_row)
        if state == "open" or dv_row.get("statecode") in (1, 2):
            return None
        name, status = ("WinOpportunity", 3) if state == "won" else ("LoseOpportunity", 4)
        return name, {
            "Status": status,
            "OpportunityClose": {
                "subject": f"{state.title()} in relcore",
                "opportunityid@odata.bind": f"/opportunities({dv_id})",
            },
        }


plugin = types.ModuleType("opportunities_standin")
plugin.requires = ("d365sales",)


@hookimpl
def relcore_d365sales_register_mappings(register):
    register(
        MappingDef(
            "OPPORTUNITY",
            "test.opportunity",
            "opportunities",
            "opportunityid",
            OpportunityAdapter,
            fields=(FieldMap("description", "name"),),
            only_coupled=False,
            dependency_filter="CONTACT",
            state_handler=OpportunityState(),
            priority=50,
        )
    )


plugin.relcore_d365sales_register_mappings = relcore_d365sales_register_mappings


@pytest.fixture
def env(make_app):
    app = make_app("contacts", "d365sales", extra=[("opportunities_standin", plugin)])
    META.create_all(app.engine)
    return SyncEnv(app)


def _opportunity(env, no, status="in_progress"):
    with env.app.session() as session:
        session.execute(
            sa.insert(OPP).values(
                no=no, description=f"Deal {no}", status=status, modified_at=utcnow()
            )
        )


def test_h_won_locally_calls_win_opportunity_once(env):
    _opportunity(env, "OP1")
    jobs = env.sync(mapping="OPPORTUNITY")
    assert jobs["OPPORTUNITY", "to_integration"].inserted == 1
    dv_id = env.coupling("OPPORTUNITY", "OP1")["dv_id"]
    with env.app.session() as session:
        session.execute(sa.update(OPP).values(status="won", modified_at=utcnow()))
    env.sync(mapping="OPPORTUNITY")
    row = env.emulator.get("opportunities", dv_id)
    assert (row["statecode"], row["statuscode"]) == (1, 3)
    wins = [e for e in env.api_requests() if e["path"].endswith("/WinOpportunity")]
    assert len(wins) == 1
    again = env.sync(mapping="OPPORTUNITY")
    assert all(j.modified == j.failed == j.unchanged == 0 for j in again.values())
    assert len([e for e in env.api_requests() if e["path"].endswith("/WinOpportunity")]) == 1


def test_h_won_in_dataverse_becomes_won_locally(env):
    _opportunity(env, "OP2")
    env.sync(mapping="OPPORTUNITY")
    dv_id = env.coupling("OPPORTUNITY", "OP2")["dv_id"]
    response = env.human_action(
        "LoseOpportunity",
        {
            "Status": 5,
            "OpportunityClose": {
                "subject": "Lost",
                "opportunityid@odata.bind": f"/opportunities({dv_id})",
            },
        },
    )
    assert response.status_code == 204
    jobs = env.sync(mapping="OPPORTUNITY")
    assert jobs["OPPORTUNITY", "from_integration"].modified == 1
    with env.app.session() as session:
        assert session.execute(sa.select(OPP.c.status)).scalar() == "lost"
