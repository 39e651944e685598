"""Updating an opportunity (§6.8 Update Opportunity page, ``UpdateOppFromOpp``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from relcore.app import app_of
from relcore.errors import ValidationError
from relcore_opportunities import references
from relcore_opportunities.entries import (
    active_entries,
    insert_entries,
    lock_opportunity,
    new_entry,
)
from relcore_opportunities.estimates import update_estimates
from relcore_opportunities.setup_lists import cycle_stages, get_cycle
from relcore_opportunities.stage_lists import stage_lists

LABEL = "Opportunity"
ACTION_TAKEN = {
    "first": "",
    "next": "next",
    "previous": "previous",
    "skip": "jumped",
    "update": "updated",
    "jump": "jumped",
}
"""Action Taken of each action type with its default stage (§6.8, §9.5 item 5)."""
QUOTE_MESSAGE = "You cannot go to this stage before you have assigned a sales quote."


def _fail(message: str, key: Any, field: str | None = None) -> None:
    raise ValidationError(message, entity=LABEL, key=key, field=field)


def check_open(opp: dict) -> None:
    """``TestField(Closed, false)``: a won or lost opportunity cannot change any more."""
    if opp["closed"]:
        _fail("Closed must be equal to 'No'", opp["no"], "closed")


def available_stages(session: Any, no: str) -> dict[str, list[int]]:
    """The six stage lists of an open opportunity (§6.8 ``CreateStageList``)."""
    opp = lock_opportunity(session, no)
    check_open(opp)
    active = active_entries(session, [opp["no"]]).get(opp["no"])
    return stage_lists(
        cycle_stages(session, opp["sales_cycle_code"]),
        active["sales_cycle_stage"] if active else None,
    )


def update_opportunity(
    session: Any,
    no: str,
    action: str,
    *,
    stage: int | None = None,
    estimated_value: Decimal | None = None,
    chances_pct: Decimal | None = None,
    date_of_change: dt.date | None = None,
    estimated_close_date: dt.date | None = None,
    cancel_old_tasks: bool = False,
) -> dict:
    """Move an opportunity by an action type (§6.8; OP10–OP18, OP25).

    The stage defaults to the action's (Next: the next stage; Skip: the first of the Skip list;
    Jump: the last of the Jump list); an explicit ``stage`` is "re-validated": the immediate
    next stage gives Action Taken ``next``, the immediate previous one ``previous`` (§9.5
    item 5). Chances default to the target stage's; Estimated Value to the quote's (if a quote
    is linked) or the active entry's; Estimated Close Date to CalcDate(stage formula, Date of
    Change). Entering a stage with an activity creates its tasks unless the action is Update.

    :returns: the new entry.
    """
    opp = lock_opportunity(session, no)
    key = opp["no"]
    check_open(opp)
    work_date = app_of(session).work_date
    active = active_entries(session, [key]).get(key)
    stages = cycle_stages(session, opp["sales_cycle_code"])
    if not stages:
        _fail(f"There are no stages in sales cycle {opp['sales_cycle_code']}.", key)
    lists = stage_lists(stages, active["sales_cycle_stage"] if active else None)
    if action not in ACTION_TAKEN or not lists[action]:
        _fail(f"{action.title()} is not a valid selection.", key, "action_type")
    candidates = lists[action]
    default = candidates[-1] if action == "jump" else candidates[0]
    target = default if stage is None else stage
    if target not in candidates:
        _fail(f"Stage {target} is not a valid selection for {action.title()}.", key, "stage")
    action_taken = ACTION_TAKEN[action]
    if stage is not None and active is not None:
        if action == "skip" and lists["next"] == [target]:
            action_taken = "next"
        elif action == "jump" and lists["previous"] == [target]:
            action_taken = "previous"
    if action in ("first", "update") and cancel_old_tasks:
        _fail(f"Cancel Old Task cannot be used with the action {action}.", key, "cancel_old_tasks")
    target_stage = next(s for s in stages if s["stage"] == target)
    quote = references.quote_value(session, opp)
    if action in ("next", "skip") and target_stage["quote_required"] and quote is None:
        _fail(QUOTE_MESSAGE, key, "sales_document_no")
    row = new_entry(opp, active, work_date)
    if date_of_change is not None:
        row["date_of_change"] = date_of_change
    if active is not None and row["date_of_change"] < active["date_of_change"]:
        _fail("The Date of Change has to be after last Date of change.", key, "date_of_change")
    row.update(
        sales_cycle_stage=target,
        sales_cycle_stage_description=target_stage["description"],
        action_taken=action_taken,
        chances_of_success_pct=(
            target_stage["chances_of_success_pct"] if chances_pct is None else Decimal(chances_pct)
        ),
    )
    if estimated_value is not None:
        row["estimated_value_lcy"] = Decimal(estimated_value)
    elif quote is not None:
        row["estimated_value_lcy"] = quote
    from relcore.dateformula import calc_date

    row["estimated_close_date"] = estimated_close_date or calc_date(
        target_stage["date_formula"] or "", row["date_of_change"]
    )
    if row["estimated_value_lcy"] <= 0:
        _fail("Estimated Value (LCY) must be greater than 0.", key, "estimated_value_lcy")
    if row["chances_of_success_pct"] <= 0:
        _fail("Chances of Success % must be greater than 0.", key, "chances_of_success_pct")
    if row["estimated_close_date"] < row["date_of_change"]:
        _fail(
            "The Estimated closing date has to be later than this change.",
            key,
            "estimated_close_date",
        )
    cycle = get_cycle(session, opp["sales_cycle_code"])
    update_estimates(
        row, stage=target_stage, calculation=cycle["probability_calculation"], action_type=action
    )
    [created] = insert_entries(
        session,
        [row],
        cancel_old_tasks=cancel_old_tasks,
        create_new_tasks=action_taken != "updated",
    )
    return created
