"""Statistics (§6.11): per sales cycle and stage, per salesperson, contact and campaign.

Every request is one aggregate query over the entries (grouped by cycle and stage), never a
query per row. Open = active entries whose Action Taken is not Won or Lost; the date filter
applies to the Estimated Close Date (BC's Date Filter FlowFilter).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from relcore_opportunities.model import entry, stage

E = entry.c
S = stage.c
ZERO = Decimal(0)


def stage_figures(
    session: Any,
    *,
    cycle: str | None = None,
    salesperson: str | None = None,
    contact: str | None = None,
    campaign: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[dict]:
    """Per (cycle, stage): ``no_of_opportunities``, ``estimated_value``, ``calcd_current_value``
    over open entries, and ``average_days`` (Days Open of inactive entries at the stage).

    One query; stages without entries are included when ``cycle`` is given.
    """
    is_open = sa.and_(E.active.is_(True), E.action_taken.not_in(("won", "lost")))
    if date_from is not None:
        is_open = sa.and_(is_open, E.estimated_close_date >= date_from)
    if date_to is not None:
        is_open = sa.and_(is_open, E.estimated_close_date <= date_to)
    join = sa.and_(E.sales_cycle_code == S.sales_cycle_code, E.sales_cycle_stage == S.stage)
    if salesperson:
        join = sa.and_(join, E.salesperson_code == salesperson.upper())
    if contact:
        c = contact.upper()
        join = sa.and_(join, sa.or_(E.contact_no == c, E.contact_company_no == c))
    if campaign:
        join = sa.and_(join, E.campaign_no == campaign.upper())
    stmt = (
        sa.select(
            S.sales_cycle_code,
            S.stage,
            S.description,
            sa.func.count(sa.case((is_open, 1))).label("no_of_opportunities"),
            sa.func.sum(sa.case((is_open, E.estimated_value_lcy))).label("estimated_value"),
            sa.func.sum(sa.case((is_open, E.calcd_current_value_lcy))).label("calcd"),
            sa.func.avg(sa.case((E.active.is_(False), E.days_open))).label("average_days"),
        )
        .select_from(stage)
        .outerjoin(entry, join)
        .group_by(S.sales_cycle_code, S.stage, S.description)
        .order_by(S.sales_cycle_code, S.stage)
    )
    if cycle:
        stmt = stmt.where(S.sales_cycle_code == cycle.upper())
    out = []
    for r in session.execute(stmt):
        if not cycle and not r.no_of_opportunities:
            continue
        out.append(
            {
                "sales_cycle_code": r.sales_cycle_code,
                "stage": r.stage,
                "description": r.description,
                "no_of_opportunities": r.no_of_opportunities,
                "estimated_value": Decimal(r.estimated_value or 0).quantize(Decimal("0.01")),
                "calcd_current_value": Decimal(r.calcd or 0).quantize(Decimal("0.01")),
                "average_days": (
                    None
                    if r.average_days is None
                    else Decimal(str(r.average_days)).quantize(Decimal("0.01"))
                ),
            }
        )
    return out


def statistics(session: Any, **filters: Any) -> dict:
    """Figures by stage plus totals (no. of opportunities, estimated and current value)."""
    rows = stage_figures(session, **filters)
    return {
        "filters": {k: v for k, v in filters.items() if v is not None},
        "stages": rows,
        "no_of_opportunities": sum(r["no_of_opportunities"] for r in rows),
        "estimated_value": sum((r["estimated_value"] for r in rows), ZERO),
        "calcd_current_value": sum((r["calcd_current_value"] for r in rows), ZERO),
    }


def campaign_figures(
    session: Any, campaign_nos: list[str], date_from: dt.date | None, date_to: dt.date | None
) -> dict[str, dict]:
    """Per campaign: open opportunities and their values (campaign statistics, CA16) — one
    query."""
    cond = [
        E.active.is_(True),
        E.action_taken.not_in(("won", "lost")),
        E.campaign_no.in_(campaign_nos),
    ]
    if date_from is not None:
        cond.append(E.estimated_close_date >= date_from)
    if date_to is not None:
        cond.append(E.estimated_close_date <= date_to)
    stmt = (
        sa.select(
            E.campaign_no,
            sa.func.count(),
            sa.func.sum(E.estimated_value_lcy),
            sa.func.sum(E.calcd_current_value_lcy),
        )
        .where(*cond)
        .group_by(E.campaign_no)
    )
    found = {
        r[0]: {
            "no_of_opportunities": r[1],
            "estimated_value": Decimal(r[2] or 0),
            "calcd_current_value": Decimal(r[3] or 0),
        }
        for r in session.execute(stmt)
    }
    empty = {"no_of_opportunities": 0, "estimated_value": ZERO, "calcd_current_value": ZERO}
    return {no: found.get(no, dict(empty)) for no in campaign_nos}
