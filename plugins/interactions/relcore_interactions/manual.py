"""Creating interactions by hand: BC's "Create Interaction" wizard without the pages (§4.4).

:func:`create_interaction` fills the wizard defaults (Date = WorkDate, time rounded up to the next
minute, salesperson, language, correspondence type from the template), runs the finish checks
(``CheckStatus``), logs the interaction (§4.5) — postponed when asked — and delivers it when the
correspondence type is not blank. :func:`resume` finishes a postponed interaction in the same
entry.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.app import app_of
from relcore.errors import ValidationError
from relcore.fields import coerce_values
from relcore.interactions import InteractionRecord
from relcore_interactions import log_service
from relcore_interactions.model import log_comment, log_entry, template_language

MANUAL_FIELDS = (
    "date",
    "time_of_interaction",
    "description",
    "subject",
    "salesperson_code",
    "campaign_no",
    "campaign_target",
    "campaign_response",
    "opportunity_no",
    "to_do_no",
    "segment_no",
    "correspondence_type",
    "language_code",
    "cost",
    "duration",
    "information_flow",
    "initiated_by",
    "attempt_failed",
    "evaluation",
    "contact_via",
    "contact_alt_address_code",
)
"""Fields ``interactions log --set`` accepts (plus ``interaction_successful``)."""

_RECORD_FIELDS = {
    "date",
    "time_of_interaction",
    "description",
    "subject",
    "salesperson_code",
    "campaign_no",
    "campaign_target",
    "campaign_response",
    "opportunity_no",
    "segment_no",
    "correspondence_type",
    "language_code",
    "cost",
    "duration",
    "information_flow",
    "initiated_by",
    "attempt_failed",
    "evaluation",
}
_EXTRA_FIELDS = {"to_do_no", "contact_via", "contact_alt_address_code"}


def wizard_time(now: dt.datetime | None = None) -> dt.time:
    """Current time rounded up to the next minute (§4.4)."""
    now = now or dt.datetime.now(dt.UTC)
    base = now.replace(second=0, microsecond=0)
    if base != now:
        base += dt.timedelta(minutes=1)
    return base.time()


def user_salesperson(session: Any) -> str | None:
    """The salesperson whose e-mail is the user's (``RELCORE_USER_EMAIL``), if exactly one."""
    from relcore_contacts.api import salesperson_table as sp

    email = os.environ.get("RELCORE_USER_EMAIL", "").strip()
    if not email:
        return None
    codes = [
        r[0]
        for r in session.execute(
            sa.select(sp.c.code).where(sa.func.lower(sp.c.email) == email.lower()).limit(2)
        )
    ]
    return codes[0] if len(codes) == 1 else None


def manual_columns() -> list[Any]:
    """The wizard fields ``interactions log|resume --set`` take, as columns (for ``--help``)."""
    cols = [log_entry.c[name] for name in MANUAL_FIELDS if name in log_entry.c]
    return [*cols, sa.Column("interaction_successful", sa.Boolean, nullable=False, default=True)]


def parse_values(values: Mapping[str, Any], key: Any = None) -> dict[str, Any]:
    """Typed wizard values from shell text (``interaction_successful`` → ``attempt_failed``)."""
    values = dict(values)
    successful = values.pop("interaction_successful", None)
    typed = coerce_values(log_entry, values, entity="Interaction", key=key, allowed=MANUAL_FIELDS)
    if successful is not None:
        ok = coerce_values(
            log_entry, {"attempt_failed": successful}, entity="Interaction", key=key
        )["attempt_failed"]
        typed["attempt_failed"] = not ok
    return typed


def _record(
    contact_no: str,
    template_code: str,
    values: Mapping[str, Any],
    comments: Sequence[str],
    attachment: tuple[bytes, str] | None,
    postponed: bool,
) -> InteractionRecord:
    extra: dict[str, Any] = {k: v for k, v in values.items() if k in _EXTRA_FIELDS}
    if comments:
        extra["comments"] = list(comments)
    if attachment is not None:
        extra["attachment"] = attachment
    fields = {k: v for k, v in values.items() if k in _RECORD_FIELDS}
    return InteractionRecord(
        contact_no=contact_no,
        template_code=template_code,
        postponed=postponed,
        extra=extra,
        **fields,
    )


def check_status(session: Any, prepared: log_service.Prepared, has_upload: bool) -> None:
    """The wizard's finish checks (§4.4 ``CheckStatus``)."""
    from relcore_interactions.templates import get_template

    row = prepared.row

    def fail(message: str, field: str | None = None) -> None:
        raise ValidationError(message, entity="Interaction", key=prepared.label, field=field)

    for field in ("interaction_template_code", "salesperson_code", "date", "description"):
        if not row.get(field):
            fail(f"You must fill in the {field} field.", field)
    tpl = get_template(session, row["interaction_template_code"])
    has_attachment = has_upload or bool(
        session.execute(
            sa.select(template_language.c.attachment_no).where(
                template_language.c.interaction_template_code == tpl["code"],
                template_language.c.language_code == row["language_code"],
                template_language.c.attachment_no.is_not(None),
            )
        ).first()
    )
    if tpl["wizard_action"] == "open" and not has_attachment:
        fail(
            "No attachment found. You must either add an attachment or choose a template "
            "in a language that has an attachment.",
            "interaction_template_code",
        )
    if tpl["wizard_action"] == "import" and not has_upload:
        fail(
            "wizard action import: give the document to import (--attachment FILE)", "attachment_no"
        )
    if prepared.wanted_type == "email" and not has_attachment:
        fail(
            "The correspondence type for this interaction is Email, which requires an "
            "interaction template with an attachment. Choose another template or correspondence "
            "type.",
            "correspondence_type",
        )


def create_interaction(
    session: Any,
    contact_no: str,
    template_code: str,
    values: Mapping[str, Any] | None = None,
    *,
    postpone: bool = False,
    comments: Sequence[str] = (),
    attachment: tuple[bytes, str] | None = None,
    deliver: bool = True,
) -> dict:
    """Log one interaction by hand (§4.4); returns the entry (with ``delivery`` when delivered).

    :param values: wizard fields, typed or shell text (see :data:`MANUAL_FIELDS`).
    :param postpone: save it unfinished (BC "finish this interaction later"): no finish checks,
        no delivery, excluded from statistics.
    :param attachment: ``(content, file_name)`` of an imported document (wizard action Import).
    :param deliver: send/print it when its correspondence type is not blank.
    """
    typed = parse_values(values or {}, key=contact_no)
    typed.setdefault("time_of_interaction", wizard_time())
    if not typed.get("salesperson_code"):
        from relcore_contacts.api import get_contact

        typed["salesperson_code"] = (
            user_salesperson(session)
            or get_contact(session, contact_no.upper())["salesperson_code"]
        )
    _default_alt_address(session, contact_no, typed)
    record = _record(contact_no, template_code, typed, comments, attachment, postpone)
    return _finish(session, record, attachment is not None, postpone, deliver, entry=None)


def _default_alt_address(session: Any, contact_no: str, typed: dict[str, Any]) -> None:
    """The contact's alternative address active on the interaction date, unless given (§4.4,
    §2.8): the rule segment lines use (contacts' ``active_alt_address``), so delivery goes to
    the alternative address's e-mail."""
    if "contact_alt_address_code" in typed:
        return
    from relcore_contacts.api import active_alt_address

    from relcore.app import app_of

    on = typed.get("date") or app_of(session).work_date
    code = active_alt_address(session, contact_no.strip().upper(), on)
    if code:
        typed["contact_alt_address_code"] = code


def _finish(
    session: Any,
    record: InteractionRecord,
    has_upload: bool,
    postpone: bool,
    deliver: bool,
    entry: dict | None,
) -> dict:
    prepared = log_service.prepare(session, [record])[0]
    # BC: Deliver := finish and the wizard's correspondence type (before §4.5's e-mail check)
    do_deliver = deliver and not postpone and prepared.wanted_type != ""
    if not postpone:
        if entry is not None and entry["attachment_no"]:
            has_upload = True
        check_status(session, prepared, has_upload)
        if do_deliver:  # §4.5: e-mail delivery needs an address
            prepared = log_service.prepare(session, [record], deliver=True)[0]
    if entry is None:
        row = log_service.insert_prepared(session, [prepared])[0]
    else:
        row = _update_prepared(session, entry, prepared)
    result = dict(row)
    if do_deliver and row["correspondence_type"] and row.get("attachment_no"):
        from relcore_interactions.delivery import deliver as deliver_entries

        result["delivery"] = deliver_entries(session, [row["entry_no"]])
        result.update(entities.get(session, log_service.ENTITY, row["entry_no"]))
    return result


def _update_prepared(session: Any, entry: dict, prepared: log_service.Prepared) -> dict:
    """Write a resumed interaction into its postponed entry; its comment lines are replaced."""
    row = dict(prepared.row)
    if entry["attachment_no"]:
        row["attachment_no"] = entry["attachment_no"]
        prepared.merge_source = None
    else:
        prepared.row["entry_no"] = entry["entry_no"]
        log_service._store_uploads(session, [prepared])
        log_service._render_merges(session, [prepared])
        row["attachment_no"] = prepared.row["attachment_no"]
    if row["attachment_no"]:
        from relcore_interactions.attachments import mark_read_only

        mark_read_only(session, [row["attachment_no"]])
    row.pop("entry_no", None)
    row.pop("logged_at", None)
    entities.update(session, log_service.ENTITY, entry["entry_no"], row)
    if prepared.comments:
        session.execute(sa.delete(log_comment).where(log_comment.c.entry_no == entry["entry_no"]))
        log_service.write_comments(
            session, [(entry["entry_no"], prepared.comments)], app_of(session).work_date
        )
    return entities.get(session, log_service.ENTITY, entry["entry_no"])


def list_postponed(session: Any, contact_no: str | None = None) -> list[dict]:
    """The "Postponed Interactions" list."""
    stmt = (
        sa.select(log_entry).where(log_entry.c.postponed.is_(True)).order_by(log_entry.c.entry_no)
    )
    if contact_no:
        stmt = stmt.where(log_entry.c.contact_no == contact_no.upper())
    return [dict(r._mapping) for r in session.execute(stmt)]


def resume(
    session: Any,
    entry_no: int,
    values: Mapping[str, Any] | None = None,
    *,
    postpone: bool = False,
    comments: Sequence[str] = (),
    attachment: tuple[bytes, str] | None = None,
    deliver: bool = True,
) -> dict:
    """Resume a postponed interaction (§4.4 Resume): Date := WorkDate, the stored values as
    defaults, finishing updates the same entry (Postponed := false)."""
    entry = entities.get(session, log_service.ENTITY, entry_no)
    if not entry["postponed"]:
        raise ValidationError("is not postponed", entity="Interaction Log Entry", key=entry_no)
    if entry["canceled"]:
        raise ValidationError("is canceled", entity="Interaction Log Entry", key=entry_no)
    stored = {k: entry[k] for k in _RECORD_FIELDS | _EXTRA_FIELDS if k in entry}
    stored["date"] = app_of(session).work_date
    stored = {k: v for k, v in stored.items() if v not in (None, "")}
    for k in (
        "correspondence_type",
        "language_code",
        "evaluation",
        "information_flow",
        "initiated_by",
        "description",
        "subject",
    ):
        stored.setdefault(k, entry[k] or "")
    typed = {**stored, **parse_values(values or {}, key=entry_no)}
    _default_alt_address(session, entry["contact_no"], typed)
    record = _record(
        entry["contact_no"],
        entry["interaction_template_code"],
        typed,
        comments,
        attachment,
        postpone,
    )
    if not comments:
        record.extra.pop("comments", None)
    return _finish(session, record, attachment is not None, postpone, deliver, entry=entry)
