"""Interaction events of opportunities (§4.6): "opportunity created", "won" and "lost" log an
interaction with the template the interactions setup maps the event to (nothing without one)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore.app import app_of
from relcore.db import one_of
from relcore.interactions import InteractionEvent, InteractionRecord, log_interactions
from relcore_opportunities.model import opportunity

CREATED = "opportunities.created"
WON = "opportunities.won"
LOST = "opportunities.lost"

EVENTS = [
    InteractionEvent(
        CREATED, "An opportunity was created for the contact.", default_template="OPP-NEW"
    ),
    InteractionEvent(
        WON, "An opportunity of the contact was closed as won.", default_template="OPP-WON"
    ),
    InteractionEvent(
        LOST, "An opportunity of the contact was closed as lost.", default_template="OPP-LOST"
    ),
]
"""The events; ``relcore init`` creates their shipped templates and maps them (§4.6)."""


def default_templates() -> list:
    """The templates the events log with (group OPPORTUN), shipped for ``relcore init``."""
    from relcore_interactions.api import DefaultTemplate

    return [
        DefaultTemplate(code, text, "OPPORTUN", group_description="Opportunities")
        for code, text in (
            ("OPP-NEW", "Opportunity created"),
            ("OPP-WON", "Opportunity won"),
            ("OPP-LOST", "Opportunity lost"),
        )
    ]


def _log(session: Any, event_code: str, nos: list[str]) -> None:
    from relcore_interactions.api import template_for_event

    template = template_for_event(session, event_code)
    if not template or not nos:
        return
    app = app_of(session)
    o = opportunity.c
    rows = session.execute(
        sa.select(o.no, o.contact_no, o.description, o.salesperson_code, o.campaign_no).where(
            one_of(o.no, nos, session.dialect.name), o.contact_no.is_not(None)
        )
    )
    records = [
        InteractionRecord(
            contact_no=r.contact_no,
            template_code=template,
            date=app.work_date,
            description=r.description,
            salesperson_code=r.salesperson_code,
            campaign_no=r.campaign_no,
            opportunity_no=r.no,
        )
        for r in rows
    ]
    if records:
        log_interactions(session, records)


def opportunities_created(session: Any, nos: list[str]) -> None:
    """Log the "opportunity created" event for new opportunities."""
    _log(session, CREATED, nos)


def opportunities_closed(session: Any, nos: list[str], outcome: str) -> None:
    """Log the "opportunity won"/"lost" event for closed opportunities."""
    _log(session, WON if outcome == "won" else LOST, nos)
