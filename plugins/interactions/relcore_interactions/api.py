"""The interactions plugin's public API: what other plugins may call.

Other plugins import this module only (never the plugin's internals). To log interactions, build
:class:`relcore.interactions.InteractionRecord` values and call ``app.log_interactions(session,
records)`` (the core hook); the functions here cover the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from relcore_interactions import model

log_entry_table = model.log_entry
"""The interaction log, for joins in other plugins' set-based SQL (read only)."""

log_comment_table = model.log_comment
"""Comment lines of log entries (read only)."""

template_table = model.template
"""Interaction templates (read only)."""

template_language_table = model.template_language
"""Template language versions (read only)."""

group_table = model.group
"""Interaction groups (read only)."""


def check_campaigns(session: Any, campaign_nos: list[str]) -> None:
    """§4.5 "the campaign must exist": calls ``relcore_interactions_check_campaigns`` with the
    distinct non-blank numbers (nothing is checked when no plugin implements it).

    :raises ValidationError: from the implementing plugin, for a campaign that does not exist.
    """
    from relcore_interactions.references import check_campaigns as _check

    _check(session, campaign_nos)


def deliver(session: Any, entry_nos: list[int]) -> dict:
    """Send (e-mail) or print (hard copy) logged entries; each entry records its status.

    :returns: ``{"sent": [...], "error": {entry_no: reason}, "skipped": {entry_no: reason}}``.
    """
    from relcore_interactions.delivery import deliver as _deliver

    return _deliver(session, entry_nos)


def log_event(
    session: Any,
    event_code: str,
    contact_no: str | None = None,
    *,
    document_type: str | None = None,
    document_no: str | None = None,
    **kwargs: Any,
) -> dict | None:
    """Log an interaction for a registered event with the template the setup maps it to (§4.6).

    Returns the entry, or None when no template is set up (or an account has no contact).
    Keyword arguments: ``account_table``, ``account_no``, ``salesperson_code``, ``campaign_no``,
    ``description``, ``opportunity_no``, ``date``, ``extra``, ``attempt_failed``.
    """
    from relcore_interactions.events import log_event as _log_event

    return _log_event(
        session,
        event_code,
        contact_no,
        document_type=document_type,
        document_no=document_no,
        **kwargs,
    )


def template_for_event(session: Any, event_code: str) -> str | None:
    """The template code the setup maps an event to, or None."""
    from relcore_interactions.events import template_for

    return template_for(session, event_code)


def get_template(session: Any, code: str) -> dict:
    """A template row (NotFoundError naming it)."""
    from relcore_interactions.templates import get_template as _get

    return _get(session, code)


def template_languages(session: Any, code: str) -> list[dict]:
    """The language rows of a template."""
    from relcore_interactions.templates import list_languages

    return list_languages(session, code)


def resolve_correspondence_type(**kwargs: Any) -> str:
    """BC ``SetCorrespondenceType`` (§4.4); see
    :func:`relcore_interactions.correspondence.resolve_correspondence_type`."""
    from relcore_interactions.correspondence import resolve_correspondence_type as _resolve

    return _resolve(**kwargs)


def statistics(
    session: Any,
    *,
    contact_no: str | None = None,
    group_code: str | None = None,
    template_code: str | None = None,
    salesperson_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict:
    """Statistics FlowFields (§2.1): no_of_interactions, cost, duration,
    date_of_last_interaction, last_date_attempted."""
    from relcore_interactions.statistics import statistics as _stats

    return _stats(
        session,
        contact_no=contact_no,
        group_code=group_code,
        template_code=template_code,
        salesperson_code=salesperson_code,
        date_from=date_from,
        date_to=date_to,
    )


def cancel(session: Any, entry_nos: list[int], *, remove_unique_attachments: bool = False) -> dict:
    """Cancel entries (§4.8)."""
    from relcore_interactions.maintenance import cancel as _cancel

    return _cancel(session, entry_nos, remove_unique_attachments=remove_unique_attachments)


def store_attachment(session: Any, content: bytes, file_name: str) -> int:
    """Store a document per the attachment setup; returns its number (e.g. segment documents)."""
    from relcore_interactions.attachments import store

    return store(session, content, file_name)


def attachment_content(session: Any, attachment_no: int) -> tuple[bytes, str]:
    """An attachment's ``(content, file_name)``."""
    from relcore_interactions.attachments import content_of, get_rows

    row = get_rows(session, [attachment_no])[attachment_no]
    return content_of(row), row["file_name"]


def assign_activity(
    session: Any,
    activity_code: str,
    base_date: dt.date,
    *,
    salesperson_code: str | None = None,
    team_code: str | None = None,
    contact_no: str | None = None,
    campaign_no: str | None = None,
    opportunity_no: str | None = None,
    segment_no: str | None = None,
) -> list[dict]:
    """Create the tasks of an activity (§7.5 "Assign Activity"): one per step, each dated
    CalcDate(step date formula, ``base_date``) — all steps from the same base date (TK8, OP25);
    meeting steps as all-day events; an activity without steps gives one task. With
    ``segment_no``: per segment contact. The opportunity's active entry is linked (hook
    ``relcore_interactions_active_opportunity_entries``). Duration 1 day.

    :returns: the created task rows (keys as ``relcore --json tasks show``).
    :raises ValidationError: unknown activity, no team/salesperson ("You must fill in either the
        Team Code field or the Salesperson Code field."), a meeting step for a team without an
        organizer, or any task field rule (§7.1).
    """
    from relcore_interactions.activities import insert_activity_tasks

    values = {
        "date": base_date,
        "salesperson_code": salesperson_code,
        "team_code": team_code,
        "contact_no": contact_no,
        "campaign_no": campaign_no,
        "opportunity_no": opportunity_no,
        "segment_no": segment_no,
    }
    return insert_activity_tasks(session, activity_code, values)


def cancel_open_tasks(session: Any, opportunity_nos: list[str]) -> int:
    """BC ``CancelOpenTasks`` (§7.2, TK10, OP25): every open, not canceled task of these
    opportunities gets Recurring := false, Canceled := true, Closed := true, Date Closed :=
    Today, Status Completed — no next occurrence, no interaction. Set-based.

    :returns: the number of tasks canceled.
    """
    from relcore_interactions.task_status import cancel_open_tasks as _cancel

    return _cancel(session, opportunity_nos)


def delete_canceled(session: Any, entry_nos: list[int]) -> int:
    """Delete these entries when they are canceled (report 5190, §4.8), with their comment lines
    and unique attachments; ``relcore_interactions_deleted`` tells the other plugins.

    :returns: how many entries were deleted.
    """
    from relcore_interactions.maintenance import delete_canceled as _delete

    return _delete(session, entry_nos=entry_nos)


def current_user() -> str:
    """The user recorded on logged rows (BC User ID): ``RELCORE_USER``, else the OS user."""
    from relcore_interactions.log_service import current_user as _user

    return _user()
