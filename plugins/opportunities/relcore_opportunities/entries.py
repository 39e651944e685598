"""The opportunity entry ledger (§6.5, §6.6 ``InsertEntry``): append-only, one active entry.

Every change of an opportunity's stage or status is a new entry; the previous active entry is
deactivated and gets its Days Open. The opportunity row is locked first (``FOR UPDATE`` on
PostgreSQL; SQLite transactions are serial), and the partial unique index
``ux_opportunities_entry_active`` refuses a second active entry whatever happens.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.db import one_of, utcnow
from relcore.errors import NotFoundError
from relcore.ledger import next_entry_nos
from relcore_opportunities.model import entry, opportunity, stage

E = entry.c
O = opportunity.c  # noqa: E741

OPEN_ACTIONS = ("", "next", "previous", "updated", "jumped")


def lock_opportunity(session: Any, no: str) -> dict:
    """The opportunity row, locked for this transaction (PostgreSQL ``FOR UPDATE``)."""
    stmt = sa.select(opportunity).where(O.no == no.upper())
    if session.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = session.execute(stmt).first()
    if row is None:
        raise NotFoundError("does not exist", entity="Opportunity", key=no.upper())
    return dict(row._mapping)


def active_entries(session: Any, nos: list[str]) -> dict[str, dict]:
    """The active entry of each opportunity that has one (one query)."""
    if not nos:
        return {}
    stmt = sa.select(entry).where(
        E.active.is_(True), one_of(E.opportunity_no, nos, session.dialect.name)
    )
    return {r.opportunity_no: dict(r._mapping) for r in session.execute(stmt)}


def new_entry(opp: dict, active: dict | None, work_date: dt.date) -> dict:
    """An entry initialised from the opportunity and its active entry (§6.5 Validate
    "Opportunity No." and ``InitOpportunityEntry``): values copied from the active entry, Date
    of Change = max(its Date of Change, WorkDate)."""
    row = {
        "opportunity_no": opp["no"],
        "sales_cycle_code": opp["sales_cycle_code"],
        "sales_cycle_stage": 0,
        "contact_no": opp.get("contact_no"),
        "contact_company_no": opp.get("contact_company_no"),
        "salesperson_code": opp.get("salesperson_code"),
        "campaign_no": opp.get("campaign_no"),
        "date_of_change": work_date,
        "estimated_value_lcy": Decimal(0),
        "chances_of_success_pct": Decimal(0),
        "estimated_close_date": None,
        "previous_sales_cycle_stage": 0,
        "action_taken": "",
    }
    if active is not None:
        row.update(
            estimated_value_lcy=active["estimated_value_lcy"],
            chances_of_success_pct=active["chances_of_success_pct"],
            estimated_close_date=active["estimated_close_date"],
            previous_sales_cycle_stage=active["sales_cycle_stage"],
            action_taken=active["action_taken"],
            date_of_change=max(active["date_of_change"], work_date),
        )
    return row


def stage_row(session: Any, cycle_code: str | None, number: int) -> dict | None:
    """The stage (cycle, number), or ``None``."""
    if not cycle_code or not number:
        return None
    return entities.find(session, "opportunities.stage", (cycle_code, number))


def insert_entries(
    session: Any,
    new_rows: list[dict],
    *,
    cancel_old_tasks: bool = False,
    create_new_tasks: bool = False,
    first: bool = False,
) -> list[dict]:
    """``InsertEntry`` for a batch (one new entry per opportunity) (§6.6).

    Deactivates each opportunity's active entry (Days Open := new Date of Change − its Date of
    Change), numbers the new entries through :func:`relcore.ledger.next_entry_nos`, inserts
    them as the active ones, applies the status machine of §6.5 OnInsert (In Progress / Won /
    Lost with Closed and Date Closed), cancels open tasks and creates the stage's activity tasks
    through the interactions API.

    :param first: the opportunities have no entries yet (new ones): skip looking for active
        entries.
    :returns: the inserted entries.
    """
    if not new_rows:
        return []
    nos = [r["opportunity_no"] for r in new_rows]
    old = {} if first else active_entries(session, nos)
    if old:
        changes = [
            {
                "b_entry_no": old[r["opportunity_no"]]["entry_no"],
                "b_days": Decimal(
                    (r["date_of_change"] - old[r["opportunity_no"]]["date_of_change"]).days
                ),
            }
            for r in new_rows
            if r["opportunity_no"] in old
        ]
        session.execute(
            sa.update(entry)
            .where(E.entry_no == sa.bindparam("b_entry_no"))
            .values(active=False, days_open=sa.bindparam("b_days")),
            changes,
        )
    numbers = next_entry_nos(session, entry, len(new_rows))
    for row, no in zip(new_rows, numbers, strict=True):
        row["entry_no"] = no
        row["active"] = True
        if row["action_taken"] in ("won", "lost"):
            row["date_closed"] = row["estimated_close_date"] = row["date_of_change"]
    entities.insert(session, "opportunities.entry", new_rows)
    _update_status(session, new_rows)
    _touch(session, nos)
    if cancel_old_tasks:
        _cancel_open_tasks(session, nos)
    if create_new_tasks:
        _create_tasks(session, new_rows)
    return new_rows


def create_tasks(session: Any, nos: list[str]) -> None:
    """The activity tasks of the active entries of these opportunities (§6.6 ``CreateTask``)."""
    _create_tasks(session, list(active_entries(session, nos).values()))


def _cancel_open_tasks(session: Any, nos: list[str]) -> None:
    """``CancelOpenTasks`` through the interactions API (§6.6, TK10)."""
    from relcore_interactions.api import cancel_open_tasks

    cancel_open_tasks(session, nos)


def _touch(session: Any, nos: list[str]) -> None:
    """A new entry changes the opportunity's current values (read from the active entry): its
    ``modified_at`` moves, so synchronisations see the change; pending first-entry values
    (:mod:`relcore_opportunities.pending`) no longer apply."""
    from relcore_opportunities.pending import discard

    session.execute(
        sa.update(opportunity)
        .where(one_of(O.no, nos, session.dialect.name))
        .values(modified_at=utcnow())
    )
    discard(session, nos)


def _update_status(session: Any, rows: list[dict]) -> None:
    open_nos = [r["opportunity_no"] for r in rows if r["action_taken"] in OPEN_ACTIONS]
    if open_nos:
        session.execute(
            sa.update(opportunity)
            .where(one_of(O.no, open_nos, session.dialect.name), O.status != "in_progress")
            .values(status="in_progress")
        )
    for r in rows:
        if r["action_taken"] in ("won", "lost"):
            session.execute(
                sa.update(opportunity)
                .where(O.no == r["opportunity_no"], O.status != r["action_taken"])
                .values(status=r["action_taken"], closed=True, date_closed=r["date_of_change"])
            )


def _create_tasks(session: Any, rows: list[dict]) -> None:
    """Entering a stage with an Activity Code creates its tasks (§6.6 ``CreateTask``, §7.5)."""
    keys = {(r["sales_cycle_code"], r["sales_cycle_stage"]) for r in rows if r["sales_cycle_stage"]}
    if not keys:
        return
    activities = {
        (s.sales_cycle_code, s.stage): s.activity_code
        for s in session.execute(
            sa.select(stage.c.sales_cycle_code, stage.c.stage, stage.c.activity_code).where(
                stage.c.activity_code.is_not(None),
                stage.c.sales_cycle_code.in_({k[0] for k in keys}),
            )
        )
        if s.activity_code
    }
    wanted = [r for r in rows if (r["sales_cycle_code"], r["sales_cycle_stage"]) in activities]
    if not wanted:
        return
    from relcore_interactions.api import assign_activity

    segments = dict(
        session.execute(
            sa.select(O.no, O.segment_no).where(
                one_of(O.no, [r["opportunity_no"] for r in wanted], session.dialect.name)
            )
        ).all()
    )
    for r in wanted:
        assign_activity(
            session,
            activities[(r["sales_cycle_code"], r["sales_cycle_stage"])],
            r["date_of_change"],
            salesperson_code=r["salesperson_code"],
            contact_no=r["contact_no"],
            campaign_no=r["campaign_no"],
            opportunity_no=r["opportunity_no"],
            segment_no=segments.get(r["opportunity_no"]),
        )
