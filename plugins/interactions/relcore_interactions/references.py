"""References from interactions and tasks to the plugins above them (campaigns,
opportunities, segments), resolved through the hooks interactions publishes
(:mod:`relcore_interactions.hookspecs`).

Interactions never imports those plugins. Each function here calls one hook with the distinct,
non-blank numbers of a batch; with no implementation installed the numbers are plain references
(nothing is checked, no active opportunity entry is known, a segment has no lines to read).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from relcore.app import app_of


def _distinct(nos: Iterable[str | None]) -> list[str]:
    return sorted({str(n).strip().upper() for n in nos if n and str(n).strip()})


def _veto(session: Any, hook: str, argument: str, nos: Iterable[str | None]) -> None:
    wanted = _distinct(nos)
    if wanted:
        getattr(app_of(session).pm.hook, hook)(session=session, **{argument: wanted})


def check_campaigns(session: Any, campaign_nos: Iterable[str | None]) -> None:
    """Refuse (ValidationError from the campaigns plugin) a campaign that does not exist (§4.5)."""
    _veto(session, "relcore_interactions_check_campaigns", "campaign_nos", campaign_nos)


def check_opportunities(session: Any, opportunity_nos: Iterable[str | None]) -> None:
    """Refuse an opportunity that does not exist (when the opportunities plugin is installed)."""
    _veto(session, "relcore_interactions_check_opportunities", "opportunity_nos", opportunity_nos)


def check_segments(session: Any, segment_nos: Iterable[str | None]) -> None:
    """Refuse a segment that does not exist (when the segments plugin is installed)."""
    _veto(session, "relcore_interactions_check_segments", "segment_nos", segment_nos)


def active_opportunity_entries(
    session: Any, opportunity_nos: Iterable[str | None]
) -> dict[str, int]:
    """Opportunity no. → its active entry no. (§7.1); empty without the opportunities plugin."""
    wanted = _distinct(opportunity_nos)
    if not wanted:
        return {}
    found = app_of(session).pm.hook.relcore_interactions_active_opportunity_entries(
        session=session, opportunity_nos=wanted
    )
    return dict(found or {})


def task_defaults(session: Any, source: str, nos: Iterable[str | None]) -> dict[str, dict]:
    """Number → the task fields a ``source`` ("campaign", "opportunity", "segment") pre-fills
    (§7.4, hook ``relcore_interactions_task_defaults``); empty without an implementation."""
    wanted = _distinct(nos)
    if not wanted:
        return {}
    merged: dict[str, dict] = {}
    answers = app_of(session).pm.hook.relcore_interactions_task_defaults(
        session=session, source=source, nos=wanted
    )
    for answer in answers:
        for no, fields in (answer or {}).items():
            merged.setdefault(no, {}).update(fields)
    return merged


def segment_lines(session: Any, segment_no: str) -> sa.Select | None:
    """The segment's lines as a SELECT (see the hook), or ``None`` (no such segment, or no
    segments plugin installed)."""
    return app_of(session).pm.hook.relcore_interactions_segment_lines(
        session=session, segment_no=segment_no
    )
