"""Reading opportunities with their FlowFields from the active entry (§6.4)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from relcore.db import one_of
from relcore.errors import NotFoundError
from relcore_opportunities.model import entry, opportunity

O = opportunity.c  # noqa: E741
E = entry.c

ENTRY_FIELDS = (
    "entry_no",
    "stage",
    "action_taken",
    "active",
    "date_of_change",
    "days_open",
    "probability_pct",
    "chances_of_success_pct",
    "completed_pct",
    "estimated_value_lcy",
    "calcd_current_value_lcy",
    "estimated_close_date",
    "close_code",
)


def _current_columns() -> list[Any]:
    """The opportunity's FlowFields, read from its active entry (outer join)."""
    return [
        E.sales_cycle_stage.label("current_stage"),
        E.probability_pct,
        E.chances_of_success_pct,
        E.completed_pct,
        E.estimated_value_lcy,
        E.calcd_current_value_lcy,
        E.estimated_close_date,
    ]


def _with_current(stmt: sa.Select) -> sa.Select:
    return stmt.outerjoin(entry, sa.and_(E.opportunity_no == O.no, E.active.is_(True)))


def plain(value: Decimal) -> Decimal:
    """A percentage or computed value without trailing zeros, never in exponent form
    (``Decimal("100.00000")`` → ``100``, ``0.50000`` → ``0.5``)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _flow(row: dict) -> dict:
    zero = Decimal(0)
    row["current_stage"] = row["current_stage"] or None
    row["chances_pct"] = row.pop("chances_of_success_pct")
    for name in ("probability_pct", "chances_pct", "completed_pct", "calcd_current_value_lcy"):
        row[name] = plain(row[name] if row[name] is not None else zero)
    row["estimated_value"] = row.pop("estimated_value_lcy") or zero
    row["calcd_current_value"] = row.pop("calcd_current_value_lcy")
    return row


def no_of_interactions(session: Any, nos: list[str]) -> dict[str, int]:
    """No. of Interactions per opportunity: entries not canceled, not postponed (one query)."""
    from relcore_interactions.api import log_entry_table as ile

    stmt = (
        sa.select(ile.c.opportunity_no, sa.func.count())
        .where(
            one_of(ile.c.opportunity_no, nos, session.dialect.name),
            ile.c.canceled.is_(False),
            ile.c.postponed.is_(False),
        )
        .group_by(ile.c.opportunity_no)
    )
    return dict(session.execute(stmt).all())


def entries_of(session: Any, no: str) -> list[dict]:
    """The opportunity's entries, oldest first (the ledger)."""
    stmt = sa.select(entry).where(E.opportunity_no == no).order_by(E.entry_no)
    out = []
    for r in session.execute(stmt):
        out.append(
            {
                "entry_no": r.entry_no,
                "stage": r.sales_cycle_stage,
                "stage_description": r.sales_cycle_stage_description,
                "action_taken": r.action_taken,
                "active": r.active,
                "date_of_change": r.date_of_change,
                "days_open": plain(r.days_open),
                "estimated_value": r.estimated_value_lcy,
                "chances_pct": plain(r.chances_of_success_pct),
                "completed_pct": plain(r.completed_pct),
                "probability_pct": plain(r.probability_pct),
                "calcd_current_value": plain(r.calcd_current_value_lcy),
                "estimated_close_date": r.estimated_close_date,
                "date_closed": r.date_closed,
                "close_code": r.close_opportunity_code,
            }
        )
    return out


def show(session: Any, no: str) -> dict:
    """An opportunity with its current values, No. of Interactions and entries."""
    no = no.upper()
    stmt = _with_current(sa.select(opportunity, *_current_columns()).where(O.no == no))
    row = session.execute(stmt).first()
    if row is None:
        raise NotFoundError("does not exist", entity="Opportunity", key=no)
    data = _flow(dict(row._mapping))
    for name in ("system_id", "created_at", "modified_at", "version"):
        data.pop(name, None)
    data["no_of_interactions"] = no_of_interactions(session, [no]).get(no, 0)
    data["entries"] = entries_of(session, no)
    return data


def list_opportunities(
    session: Any,
    *,
    status: str | None = None,
    salesperson: str | None = None,
    contact: str | None = None,
    campaign: str | None = None,
) -> list[dict]:
    """Opportunities with their current values, filtered (a company contact includes its
    persons' opportunities)."""
    stmt = _with_current(
        sa.select(
            O.no,
            O.description,
            O.status,
            O.contact_no,
            O.salesperson_code,
            O.campaign_no,
            O.sales_cycle_code,
            *_current_columns(),
        )
    ).order_by(O.no)
    if status:
        stmt = stmt.where(O.status == status)
    if salesperson:
        stmt = stmt.where(O.salesperson_code == salesperson.upper())
    if contact:
        c = contact.upper()
        stmt = stmt.where(sa.or_(O.contact_no == c, O.contact_company_no == c))
    if campaign:
        stmt = stmt.where(O.campaign_no == campaign.upper())
    return [_flow(dict(r._mapping)) for r in session.execute(stmt)]
