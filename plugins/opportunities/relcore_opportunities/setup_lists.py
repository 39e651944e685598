"""Sales cycles, stages and close opportunity codes (§6.1–§6.3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import ValidationError
from relcore_opportunities.model import close_code, entry, sales_cycle, stage

E = entry.c


def _pct(value: Any, entity: str, key: Any, field: str) -> Decimal:
    pct = Decimal(str(value if value is not None else 0))
    if not Decimal(0) <= pct <= Decimal(100):
        raise ValidationError("must be between 0 and 100", entity=entity, key=key, field=field)
    return pct


def add_cycle(
    session: Any, code: str, description: str, probability_calculation: str, blocked: bool = False
) -> dict:
    """Create a sales cycle (§6.1)."""
    row = {
        "code": code.strip().upper(),
        "description": description,
        "probability_calculation": probability_calculation,
        "blocked": blocked,
    }
    if not row["code"]:
        raise ValidationError("must have a value", entity="Sales Cycle", field="code")
    if entities.exists(session, "opportunities.sales_cycle", row["code"]):
        raise ValidationError("already exists", entity="Sales Cycle", key=row["code"])
    return entities.insert(session, "opportunities.sales_cycle", [row])[0]


def get_cycle(session: Any, code: str) -> dict:
    """The sales cycle row (NotFoundError naming it)."""
    return entities.get(session, "opportunities.sales_cycle", code.upper())


def set_cycle_blocked(session: Any, code: str, blocked: bool) -> dict:
    """Block or unblock a sales cycle (blocked cycles cannot be put on opportunities)."""
    return entities.update(session, "opportunities.sales_cycle", code.upper(), {"blocked": blocked})


def cycle_stages(session: Any, code: str) -> list[dict]:
    """The stages of a cycle, in stage order."""
    stmt = sa.select(stage).where(stage.c.sales_cycle_code == code).order_by(stage.c.stage)
    return [dict(r._mapping) for r in session.execute(stmt)]


def delete_cycle(session: Any, code: str) -> None:
    """Delete a cycle and its stages; refused while it has open opportunities (§6.1 OnDelete)."""
    code = code.upper()
    get_cycle(session, code)
    open_count = session.execute(
        sa.select(sa.func.count())
        .select_from(entry)
        .where(
            E.sales_cycle_code == code, E.active.is_(True), E.action_taken.not_in(("won", "lost"))
        )
    ).scalar_one()
    if open_count:
        raise ValidationError(
            f"No. of Opportunities must be equal to '0' (it is {open_count})",
            entity="Sales Cycle",
            key=code,
            field="no_of_opportunities",
        )
    session.execute(sa.delete(stage).where(stage.c.sales_cycle_code == code))
    entities.delete(session, "opportunities.sales_cycle", [code])


def add_stage(session: Any, cycle_code: str, number: int, values: dict) -> dict:
    """Add a stage to a cycle (§6.2); percentages 0..100, the date formula checked (BC
    CalcDate syntax), the activity must exist (the tasks' activities, §7.5)."""
    from relcore.dateformula import checked

    cycle_code = cycle_code.upper()
    get_cycle(session, cycle_code)
    key = f"{cycle_code} {number}"
    if number < 1:
        raise ValidationError(
            "must be at least 1", entity="Sales Cycle Stage", key=key, field="stage"
        )
    if entities.exists(session, "opportunities.stage", (cycle_code, number)):
        raise ValidationError("already exists", entity="Sales Cycle Stage", key=key)
    formula = checked(
        values.get("date_formula") or "",
        field="date_formula",
        entity="Sales Cycle Stage",
        key=key,
    )
    activity = (values.get("activity_code") or "").strip().upper() or None
    if activity and not entities.exists(session, "interactions.activity", activity):
        raise ValidationError(
            f"activity {activity} does not exist",
            entity="Sales Cycle Stage",
            key=key,
            field="activity_code",
        )
    row = {
        "sales_cycle_code": cycle_code,
        "stage": number,
        "description": values.get("description") or "",
        "completed_pct": _pct(
            values.get("completed_pct"), "Sales Cycle Stage", key, "completed_pct"
        ),
        "chances_of_success_pct": _pct(
            values.get("chances_of_success_pct"), "Sales Cycle Stage", key, "chances_of_success_pct"
        ),
        "activity_code": activity,
        "quote_required": bool(values.get("quote_required")),
        "allow_skip": bool(values.get("allow_skip")),
        "date_formula": formula,
    }
    return entities.insert(session, "opportunities.stage", [row])[0]


def delete_stage(session: Any, cycle_code: str, number: int) -> None:
    """Delete a stage; refused while active entries are at it (§6.2 OnDelete)."""
    cycle_code = cycle_code.upper()
    entities.get(session, "opportunities.stage", (cycle_code, number))
    active = session.execute(
        sa.select(E.entry_no)
        .where(E.sales_cycle_code == cycle_code, E.sales_cycle_stage == number, E.active.is_(True))
        .limit(1)
    ).first()
    if active is not None:
        raise ValidationError(
            "You cannot delete a stage which has active entries.",
            entity="Sales Cycle Stage",
            key=f"{cycle_code} {number}",
        )
    entities.delete(session, "opportunities.stage", [(cycle_code, number)])


def add_close_code(session: Any, code: str, type_: str, description: str) -> dict:
    """Create a close opportunity code of type won or lost (§6.3)."""
    code = code.strip().upper()
    if entities.exists(session, "opportunities.close_code", code):
        raise ValidationError("already exists", entity="Close Opportunity Code", key=code)
    return entities.insert(
        session,
        "opportunities.close_code",
        [{"code": code, "type": type_, "description": description}],
    )[0]


def close_codes(session: Any, type_: str | None = None) -> list[dict]:
    """Close codes (of one type), with No. of Opportunities (entries using the code) (§6.3)."""
    used = (
        sa.select(sa.func.count())
        .where(E.close_opportunity_code == close_code.c.code)
        .scalar_subquery()
    )
    stmt = sa.select(close_code, used.label("no_of_opportunities")).order_by(close_code.c.code)
    if type_:
        stmt = stmt.where(close_code.c.type == type_)
    return [dict(r._mapping) for r in session.execute(stmt)]


def list_cycles(session: Any) -> list[dict]:
    """Every sales cycle with its stages."""
    cycles = [
        dict(r._mapping)
        for r in session.execute(sa.select(sales_cycle).order_by(sales_cycle.c.code))
    ]
    stages = session.execute(sa.select(stage).order_by(stage.c.sales_cycle_code, stage.c.stage))
    by_cycle: dict[str, list[dict]] = {}
    for r in stages:
        by_cycle.setdefault(r.sales_cycle_code, []).append(dict(r._mapping))
    for c in cycles:
        c["stages"] = by_cycle.get(c["code"], [])
    return cycles
