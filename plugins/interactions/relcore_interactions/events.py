"""Automatic interaction logging (§4.6): events, the template setup, and logging an event.

Plugins register the events that may log interactions (core hook
``relcore_register_interaction_events``); the template setup maps each event to a template
(BC "Interaction Template Setup"). :func:`log_event` is BC ``SegManagement.LogDocument``:
nothing is logged without a template, and a template with language versions is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.app import app_of
from relcore.errors import NotFoundError, ValidationError
from relcore.interactions import InteractionEvent, InteractionRecord
from relcore_interactions.documents import (
    ACCOUNT_TABLES,
    DOCUMENT_EVENTS,
    DOCUMENT_TYPES,
    check_document_type,
)
from relcore_interactions.model import template_language, template_setup

OUTGOING_CALLS = "interactions.outgoing_calls"
MEETING_INVITATION = "interactions.meeting_invitation"

OWN_EVENTS = [
    InteractionEvent("interactions.emails", "E-mails sent to or received from contacts (E-Mails)."),
    InteractionEvent("interactions.email_draft", "E-mail drafts (E-Mail Draft)."),
    InteractionEvent(OUTGOING_CALLS, "Phone calls made from the shell (Outg. Calls, §4.7)."),
    InteractionEvent(
        MEETING_INVITATION, "Invitations to meetings (Meeting Invitation; may have attachments)."
    ),
    *DOCUMENT_EVENTS,
]
"""The events the interactions plugin registers itself: e-mails, calls, meeting invitations and
the 26 document types of BC's Interaction Template Setup
(:mod:`relcore_interactions.documents`; Cover Sheets is ``interactions.cover_sheets``)."""

SETUP = "interactions.template_setup"


def registered_events(session: Any) -> dict[str, InteractionEvent]:
    """Every registered event by code."""
    return dict(app_of(session).registries.interaction_events)


def _event(session: Any, code: str) -> InteractionEvent:
    events = registered_events(session)
    if code not in events:
        raise NotFoundError(
            f"is not a registered interaction event (events: {', '.join(sorted(events))})",
            entity="Interaction event",
            key=code,
        )
    return events[code]


def set_template(session: Any, event_code: str, template_code: str | None) -> dict | None:
    """Map an event to a template (blank/None removes the mapping).

    Only templates without attachments may be chosen, except for meeting invitations (§4.6).
    """
    _event(session, event_code)
    session.execute(sa.delete(template_setup).where(template_setup.c.event_code == event_code))
    if not template_code:
        return None
    code = template_code.strip().upper()
    tpl = entities.get(session, "interactions.template", code)
    if event_code != MEETING_INVITATION:
        has_att = session.execute(
            sa.select(template_language.c.attachment_no).where(
                template_language.c.interaction_template_code == code,
                template_language.c.language_code == (tpl["language_code_default"] or ""),
                template_language.c.attachment_no.is_not(None),
            )
        ).first()
        if has_att:
            raise ValidationError(
                f"template {code} has an attachment; only templates without attachments log "
                "events automatically",
                entity="Interaction Template Setup",
                key=event_code,
            )
    return entities.insert(session, SETUP, [{"event_code": event_code, "template_code": code}])[0]


def show_setup(session: Any) -> list[dict]:
    """Every registered event with its plugin, description and template ('' = none)."""
    mapped = dict(
        session.execute(
            sa.select(template_setup.c.event_code, template_setup.c.template_code)
        ).all()
    )
    return [
        {
            "event_code": ev.code,
            "plugin": ev.plugin or "",
            "description": ev.description,
            "template_code": mapped.get(ev.code, ""),
        }
        for ev in sorted(registered_events(session).values(), key=lambda e: e.code)
    ]


def template_for(session: Any, event_code: str) -> str | None:
    """The template an event logs with, or None (§4.6 step 1)."""
    return session.execute(
        sa.select(template_setup.c.template_code).where(template_setup.c.event_code == event_code)
    ).scalar()


def contact_of_account(session: Any, account_table: str, account_no: str) -> str | None:
    """The contact linked to a customer/vendor/... through a business relation (§4.6 step 4)."""
    from relcore_contacts.api import business_relation_table as cbr

    return session.execute(
        sa.select(cbr.c.contact_no)
        .where(cbr.c.link_to_table == account_table, cbr.c.link_no == account_no)
        .limit(1)
    ).scalar()


def now_time() -> dt.time:
    """The current time of day (UTC, whole seconds)."""
    return dt.datetime.now(dt.UTC).time().replace(microsecond=0)


def log_event(
    session: Any,
    event_code: str,
    contact_no: str | None = None,
    *,
    document_type: str | None = None,
    document_no: str | None = None,
    account_table: str | None = None,
    account_no: str | None = None,
    salesperson_code: str | None = None,
    campaign_no: str | None = None,
    description: str | None = None,
    opportunity_no: str | None = None,
    date: dt.date | None = None,
    extra: dict | None = None,
    attempt_failed: bool = False,
) -> dict | None:
    """Log an interaction for an event (BC ``LogDocument``, §4.6); returns the entry or None.

    1. no template set up for the event → nothing is logged (None);
    2. the template has language versions → refused (except meeting invitations);
    3. the description defaults to the template's;
    4. the contact is ``contact_no``, or the contact linked to ``account_table``/``account_no``
       (no link → nothing logged); the salesperson defaults to the contact's;
    5. Date = today (§9.4, not the work date), time = now.
    """
    _event(session, event_code)
    document_type = check_document_type(document_type, entity="Interaction event", key=event_code)
    code = template_for(session, event_code)
    if not code:
        return None
    if event_code != MEETING_INVITATION:
        lang = session.execute(
            sa.select(template_language.c.language_code)
            .where(template_language.c.interaction_template_code == code)
            .limit(1)
        ).first()
        if lang is not None:
            raise ValidationError(
                f"Interaction Template {code} has assigned Interaction Template Language "
                f"{lang[0] or '(blank)'}. It is not allowed to have languages assigned to "
                "templates used for system document logging.",
                entity="Interaction Template Setup",
                key=event_code,
            )
    if not contact_no and account_table and account_no:
        contact_no = contact_of_account(session, account_table, account_no)
        if contact_no is None:
            return None
    if not contact_no:
        raise ValidationError(
            "You must select a contact to interact with.",
            entity="Interaction event",
            key=event_code,
            field="contact_no",
        )
    if not salesperson_code:
        from relcore_contacts.api import get_contact

        salesperson_code = get_contact(session, contact_no.upper())["salesperson_code"]
    from relcore_contacts.api import active_alt_address

    on = date or dt.date.today()
    extra = {"event_code": event_code, **(extra or {})}
    if "contact_alt_address_code" not in extra:  # the temporary segment line's InitLine (§4.6)
        alt = active_alt_address(session, contact_no.strip().upper(), on)
        if alt:
            extra["contact_alt_address_code"] = alt
    record = InteractionRecord(
        contact_no=contact_no,
        template_code=code,
        date=on,
        time_of_interaction=now_time(),
        description=description,
        salesperson_code=salesperson_code,
        campaign_no=campaign_no or None,
        opportunity_no=opportunity_no,
        document_type=document_type or "",
        document_no=document_no,
        attempt_failed=attempt_failed,
        extra=extra,
    )
    entries = app_of(session).log_interactions(session, [record])
    return entries[0]


def log_document(
    session: Any,
    document_type: str,
    document_no: str,
    *,
    account_table: str = "contact",
    account_no: str,
    doc_no_occurrence: int = 0,
    version_no: int = 0,
    salesperson_code: str | None = None,
    campaign_no: str | None = None,
    description: str | None = None,
    opportunity_no: str | None = None,
) -> dict | None:
    """Log a printed, sent or posted document as an interaction (BC ``LogDocument``, §4.6).

    1. the template is the one set up for the document type's event; none → nothing is logged
       (returns None);
    2. a template with language versions is refused ("… It is not allowed to have languages
       assigned to templates used for system document logging.");
    3. the description defaults to the template's;
    4. ``account_table`` ``"customer"``/``"vendor"``: the contact linked to ``account_no``
       through the contact business relation (no link → nothing logged); ``"contact"``: that
       contact; the salesperson defaults to the contact's;
    5. Date = today, Time = now; Document Type/No./Occurrence/Version on the entry.

    :raises ValidationError: unknown document type or account table, a template with
        languages, a missing contact.
    :returns: the log entry, or None when nothing is logged.
    """
    dtype = DOCUMENT_TYPES.get(document_type)
    if dtype is None:
        check_document_type(document_type, entity="Document", key=document_no)
    if account_table not in ACCOUNT_TABLES:
        raise ValidationError(
            f"account table must be one of: {', '.join(ACCOUNT_TABLES)}",
            entity="Document",
            key=document_no,
            field="account_table",
        )
    contact = {"contact_no": account_no} if account_table == "contact" else {}
    account = {} if contact else {"account_table": account_table, "account_no": account_no}
    return log_event(
        session,
        dtype.event_code,
        **contact,
        **account,
        document_type=dtype.code,
        document_no=document_no,
        salesperson_code=salesperson_code,
        campaign_no=campaign_no,
        description=description,
        opportunity_no=opportunity_no,
        extra={"doc_no_occurrence": doc_no_occurrence, "version_no": version_no},
    )
