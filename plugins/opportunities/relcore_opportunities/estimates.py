"""``UpdateEstimates`` (§6.6): probability, current value and close date of an entry.

Pure functions over plain dicts, so the rule is tested on its vectors (OP1–OP6) without a database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

HUNDRED = Decimal(100)


def probability(calculation: str, chances: Decimal, completed: Decimal) -> Decimal:
    """An entry's Probability % by the cycle's Probability Calculation (§6.6).

    ``multiply``: Chances × Completed / 100; ``add``: (Chances + Completed) / 2; ``chances``:
    Chances; ``completed``: Completed.
    """
    chances, completed = Decimal(chances), Decimal(completed)
    if calculation == "multiply":
        return chances * completed / HUNDRED
    if calculation == "add":
        return (chances + completed) / 2
    if calculation == "chances":
        return chances
    if calculation == "completed":
        return completed
    raise ValueError(f"unknown probability calculation {calculation!r}")


def update_estimates(
    entry: dict,
    *,
    stage: dict | None,
    calculation: str | None,
    action_type: str | None = None,
    quote_value: Decimal | None = None,
) -> dict:
    """BC ``UpdateEstimates`` on an entry (a dict, changed in place and returned) (§6.6).

    1. With a stage: the stage's Chances of Success % replaces the entry's when that is 0 or the
       action is ``jump``/``skip`` (§9.5 item 6); Completed % := the stage's; Probability % by
       ``calculation``; Calcd. Current Value := Estimated Value × Probability / 100 (unrounded);
       a blank Estimated Close Date, or one equal to the Date of Change, becomes
       CalcDate(stage Date Formula, Date of Change).
    2. Won: Calcd. Current Value := the quote's value when there is a quote; 100/100/100.
    3. Lost: Calcd. Current Value 0; Completed 100, Chances 0, Probability 0.

    :param stage: the stage row (``completed_pct``, ``chances_of_success_pct``,
        ``date_formula``), or ``None`` (closing entries have stage 0, §9.5 item 7).
    :param quote_value: the linked sales quote's value, or ``None`` when there is no quote.
    """
    from relcore.dateformula import calc_date

    if stage is not None:
        stage_chances = Decimal(stage["chances_of_success_pct"])
        chances = Decimal(entry.get("chances_of_success_pct") or 0)
        if (chances == 0 or action_type in ("jump", "skip")) and stage_chances != 0:
            entry["chances_of_success_pct"] = stage_chances
        entry["completed_pct"] = Decimal(stage["completed_pct"])
        entry["probability_pct"] = probability(
            calculation or "multiply", entry["chances_of_success_pct"], entry["completed_pct"]
        )
        entry["calcd_current_value_lcy"] = (
            Decimal(entry.get("estimated_value_lcy") or 0) * entry["probability_pct"] / HUNDRED
        )
        close: dt.date | None = entry.get("estimated_close_date")
        if close is None or close == entry["date_of_change"]:
            entry["estimated_close_date"] = calc_date(
                stage.get("date_formula") or "", entry["date_of_change"]
            )
    if entry.get("action_taken") == "won":
        if quote_value is not None:
            entry["calcd_current_value_lcy"] = Decimal(quote_value)
        entry["completed_pct"] = entry["chances_of_success_pct"] = HUNDRED
        entry["probability_pct"] = HUNDRED
    elif entry.get("action_taken") == "lost":
        entry["calcd_current_value_lcy"] = Decimal(0)
        entry["completed_pct"] = HUNDRED
        entry["chances_of_success_pct"] = entry["probability_pct"] = Decimal(0)
    return entry
