"""UpdateEstimates (§6.6) on the vectors OP1–OP6, and the chance override (§9.5 item 6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from relcore_opportunities.estimates import update_estimates

D = Decimal


@pytest.mark.parametrize(
    ("vector", "calculation", "chances", "completed", "probability", "current"),
    [
        ("OP1", "multiply", 40, 50, "20", "2000"),
        ("OP2", "add", 40, 50, "45", "4500"),
        ("OP3", "chances", 40, 50, "40", "4000"),
        ("OP4", "completed", 40, 50, "50", "5000"),
        ("OP5", "multiply", 25, 2, "0.5", "50"),
        ("OP6", "add", 25, 2, "13.5", "1350"),
    ],
)
def test_probability_vectors(vector, calculation, chances, completed, probability, current):
    day = dt.date(2024, 1, 15)
    entry = {
        "estimated_value_lcy": D(10000),
        "chances_of_success_pct": D(chances),
        "date_of_change": day,
        "estimated_close_date": dt.date(2024, 3, 1),
    }
    stage = {"chances_of_success_pct": D(10), "completed_pct": D(completed), "date_formula": ""}
    update_estimates(entry, stage=stage, calculation=calculation)
    assert entry["probability_pct"] == D(probability), vector
    assert entry["calcd_current_value_lcy"] == D(current), vector
    assert entry["chances_of_success_pct"] == D(chances)  # user's chances kept (non-zero)
    assert entry["estimated_close_date"] == dt.date(2024, 3, 1)


def test_stage_chances_replace_zero_and_jump_skip_only():
    """§9.5 item 6: the stage's chances win only when the entry's are 0 or the action is
    jump/skip; a close date equal to the date of change is recomputed by the formula."""
    day = dt.date(2024, 1, 15)
    stage = {"chances_of_success_pct": D(75), "completed_pct": D(60), "date_formula": "1M"}
    for action, given, expected in [
        ("next", 30, 30),
        ("update", 30, 30),
        ("previous", 30, 30),
        ("skip", 30, 75),
        ("jump", 30, 75),
        ("next", 0, 75),
    ]:
        entry = {
            "estimated_value_lcy": D(1000),
            "chances_of_success_pct": D(given),
            "date_of_change": day,
            "estimated_close_date": day,
        }
        update_estimates(entry, stage=stage, calculation="chances", action_type=action)
        assert entry["chances_of_success_pct"] == D(expected), action
        assert entry["estimated_close_date"] == dt.date(2024, 2, 15)


def test_won_and_lost_overrides():
    won = {"action_taken": "won", "calcd_current_value_lcy": D(500), "chances_of_success_pct": D(1)}
    update_estimates(won, stage=None, calculation=None, quote_value=D(8000))
    assert (won["calcd_current_value_lcy"], won["probability_pct"]) == (D(8000), D(100))
    assert won["completed_pct"] == won["chances_of_success_pct"] == D(100)
    kept = {"action_taken": "won", "calcd_current_value_lcy": D(500)}
    update_estimates(kept, stage=None, calculation=None)
    assert kept["calcd_current_value_lcy"] == D(500)
    lost = {"action_taken": "lost", "calcd_current_value_lcy": D(500)}
    update_estimates(lost, stage=None, calculation=None)
    assert (lost["calcd_current_value_lcy"], lost["completed_pct"]) == (D(0), D(100))
    assert lost["chances_of_success_pct"] == lost["probability_pct"] == D(0)
