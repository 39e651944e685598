"""The segment criteria source ``task`` (issue #16 item 8): contacts with a task matching the
conditions ("exists" semantics, §5.5.1), e.g. ``--where task.status=not_started``.

An optional integration: contributed through the segments plugin's
``relcore_segments_register_criteria_sources`` hook (``optionalhook=True``), which only runs when
segments is installed — the only place interactions touches a segments class.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore_interactions.tasks_model import task

T = task.c

FIELDS = {
    "type": T.type,
    "status": T.status,
    "date": T.date,
    "salesperson": T.salesperson_code,
    "salesperson_code": T.salesperson_code,
    "closed": T.closed,
    "priority": T.priority,
    "canceled": T.canceled,
    "team": T.team_code,
    "team_code": T.team_code,
    "campaign": T.campaign_no,
    "campaign_no": T.campaign_no,
    "opportunity": T.opportunity_no,
    "opportunity_no": T.opportunity_no,
}
"""Criteria field → task column."""


def contact_nos(conditions: list[Any]) -> sa.Select[Any]:
    """The contacts with at least one task matching every condition."""
    return sa.select(T.contact_no).where(T.contact_no.is_not(None), *conditions)


def register_sources(register: Any) -> None:
    """Register the ``task`` source (called by the segments plugin's hook)."""
    from relcore_segments.api import CriteriaSource

    register(CriteriaSource("task", "Task", FIELDS, contact_nos))
