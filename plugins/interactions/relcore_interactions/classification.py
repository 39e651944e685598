"""Contact classification fields the interactions plugin provides (§2.11): interaction
quantity, frequency (no./year), average cost and average duration over a period."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

FIELDS = {
    "interaction_quantity": "Number of interactions in the period.",
    "interaction_frequency": "Interactions per year in the period (no./year).",
    "avg_interaction_cost": "Average cost (LCY) of the interactions in the period.",
    "avg_interaction_duration": "Average duration (min.) of the interactions in the period.",
}


def register_fields(register: Any) -> None:
    """Register the four fields with the contacts plugin."""
    from relcore_contacts.api import ClassificationField

    for name, description in FIELDS.items():
        register(ClassificationField(name, description))


def values(
    session: Any, field: str, contact_nos: list[str] | None, starting_date: Any, ending_date: Any
) -> dict[str, decimal.Decimal] | None:
    """Values per contact for a period (None when ``field`` is not ours).

    Not canceled, not postponed entries with Date in the period, with the contact FlowField
    semantics (a company counts its persons' entries). Frequency = count × 365 / days of the
    period (both ends included).
    """
    if field not in FIELDS:
        return None
    from relcore_interactions.statistics import per_contact

    stats = per_contact(session, contact_nos, starting_date, ending_date)
    days = None
    if isinstance(starting_date, dt.date) and isinstance(ending_date, dt.date):
        days = (ending_date - starting_date).days + 1
    out = {}
    for no, s in stats.items():
        n = s["count"]
        if field == "interaction_quantity":
            out[no] = decimal.Decimal(n)
        elif field == "interaction_frequency":
            out[no] = (
                (decimal.Decimal(n) * 365 / days).quantize(decimal.Decimal("0.01"))
                if days and days > 0
                else decimal.Decimal(n)
            )
        elif field == "avg_interaction_cost":
            out[no] = (
                (s["cost"] / n).quantize(decimal.Decimal("0.01")) if n else decimal.Decimal("0.00")
            )
        else:
            out[no] = (
                (s["duration"] / n).quantize(decimal.Decimal("0.01"))
                if n
                else decimal.Decimal("0.00")
            )
    return out
