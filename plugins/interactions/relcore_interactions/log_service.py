"""Logging interactions: BC ``SegManagement.LogInteraction`` for batches (§4.5).

:func:`log_records` stores a batch of :class:`~relcore.interactions.InteractionRecord` values:
templates, contacts (through the contacts plugin's privacy check), salespeople and template
languages are read with one query each; every record is checked (§4.5 ``CheckSegmentLine``,
skipped for postponed ones) with errors naming the record; the rows are written with ONE
executemany, comment lines with one more. Blank fields are filled from the template (§4.4).
"""

from __future__ import annotations

import datetime as dt
import decimal
import getpass
import os
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.app import app_of
from relcore.errors import ValidationError
from relcore.interactions import EVALUATIONS, INFORMATION_FLOWS, INITIATED_BY, InteractionRecord
from relcore_interactions import attachments, merge
from relcore_interactions.correspondence import resolve_correspondence_type
from relcore_interactions.model import CORRESPONDENCE_TYPES, log_comment, log_entry
from relcore_interactions.numbers import next_entry_nos

ENTITY = "interactions.log_entry"
ZERO = decimal.Decimal("0.00")
CENT = decimal.Decimal("0.01")

EXTRA_FIELDS = frozenset(
    {
        "to_do_no",
        "contact_alt_address_code",
        "contact_via",
        "doc_no_occurrence",
        "version_no",
        "email_logged",
        "event_code",
        "user_id",
        "campaign_entry_no",
        "delivery_status",
    }
)
"""Log entry fields a caller may pass through ``InteractionRecord.extra``; besides these,
``extra`` may hold ``comments`` (a list of comment texts) and ``attachment`` (``(bytes,
file_name)``: an imported document that becomes the entry's attachment)."""

_COLUMNS = tuple(c.name for c in log_entry.c)


def current_user() -> str:
    """The logging user (BC User ID): ``RELCORE_USER``, else the OS user."""
    user = os.environ.get("RELCORE_USER")
    if not user:
        try:
            user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no user database in some containers
            user = ""
    return user.upper()[:50]


def record_label(index: int, record: InteractionRecord) -> str:
    """How errors name a record of a batch: ``3 (contact CT000010)``."""
    return f"{index + 1} (contact {record.contact_no or '-'})"


class Prepared:
    """A record turned into a log-entry row, plus what must be written next to it."""

    __slots__ = ("row", "comments", "attachment", "merge_source", "label", "wanted_type")

    def __init__(
        self,
        row: dict,
        comments: list[str],
        attachment: tuple[bytes, str] | None,
        merge_source: int | None,
        label: str,
    ) -> None:
        self.row = row
        self.comments = comments
        self.attachment = attachment
        self.merge_source = merge_source
        self.label = label
        self.wanted_type = row["correspondence_type"]


# -- reading what the batch refers to (one query each) -------------------------------------------


def _templates(session: Any, codes: set[str]) -> tuple[dict[str, dict], dict[str, dict]]:
    from relcore_interactions.model import template, template_language

    if not codes:
        return {}, {}
    rows = {
        r.code: dict(r._mapping)
        for r in session.execute(sa.select(template).where(template.c.code.in_(codes)))
    }
    langs: dict[str, dict] = defaultdict(dict)
    for r in session.execute(
        sa.select(template_language).where(template_language.c.interaction_template_code.in_(codes))
    ):
        langs[r.interaction_template_code][r.language_code] = dict(r._mapping)
    return rows, langs


def _salespeople(session: Any, codes: set[str]) -> dict[str, dict]:
    from relcore_contacts.api import salesperson_table as sp

    if not codes:
        return {}
    return {
        r.code: dict(r._mapping) for r in session.execute(sa.select(sp).where(sp.c.code.in_(codes)))
    }


def _alt_emails(session: Any, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    if not pairs:
        return {}
    from relcore_contacts.model import alt_address

    contact_nos = {p[0] for p in pairs}
    rows = session.execute(
        sa.select(alt_address.c.contact_no, alt_address.c.code, alt_address.c.email).where(
            alt_address.c.contact_no.in_(contact_nos)
        )
    )
    return {(r.contact_no, r.code): r.email for r in rows if (r.contact_no, r.code) in pairs}


def _upper(value: str | None) -> str:
    return (value or "").strip().upper()


# -- checks and defaults per record ---------------------------------------------------------------


def _choice(value: str | None, choices: Sequence[str], field: str, label: str) -> str:
    value = value or ""
    if value not in choices:
        raise ValidationError(
            f"{value!r} is not one of: {', '.join(repr(c) for c in choices)}",
            entity="Interaction",
            key=label,
            field=field,
        )
    return value


def _decimal(value: Any, default: decimal.Decimal, field: str, label: str) -> decimal.Decimal:
    if value is None:
        return default
    if isinstance(value, float):
        raise ValidationError(
            "must be Decimal, not float", entity="Interaction", key=label, field=field
        )
    value = decimal.Decimal(value).quantize(CENT)
    if value < 0:
        raise ValidationError("must not be negative", entity="Interaction", key=label, field=field)
    return value


def pick_language(
    record_language: str | None, contact: dict, template: dict, languages: dict[str, dict]
) -> str:
    """The interaction language (§4.4): the contact's language if the template has that
    language version, else the template's default language."""
    if record_language is not None:
        return _upper(record_language)
    contact_language = contact.get("language_code") or ""
    if contact_language and contact_language in languages:
        return contact_language
    return template.get("language_code_default") or ""


def prepare(
    session: Any,
    records: Sequence[InteractionRecord],
    *,
    deliver: bool = False,
    today: dt.date | None = None,
) -> list[Prepared]:
    """Check the records and build their rows (no entry numbers yet, nothing written).

    :param deliver: delivery was requested (§4.5: then an e-mail address is required for
        correspondence type Email).
    """
    from relcore_contacts.api import ensure_usable

    app = app_of(session)
    work_date = app.work_date
    for i, rec in enumerate(records):
        if not _upper(rec.contact_no):
            raise ValidationError(
                "You must select a contact to interact with.",
                entity="Interaction",
                key=record_label(i, rec),
                field="contact_no",
            )
    contacts = ensure_usable(session, {_upper(r.contact_no) for r in records})
    templates, languages = _templates(session, {_upper(r.template_code) for r in records} - {""})
    salespeople = _salespeople(session, {_upper(r.salesperson_code) for r in records} - {""})
    alt_pairs = {
        (_upper(r.contact_no), _upper(r.extra.get("contact_alt_address_code")))
        for r in records
        if r.extra.get("contact_alt_address_code")
    }
    alt_emails = _alt_emails(session, alt_pairs)
    user = current_user()

    prepared = []
    for i, rec in enumerate(records):
        label = record_label(i, rec)

        def fail(message: str, field: str | None = None, _label: str = label) -> None:
            raise ValidationError(message, entity="Interaction", key=_label, field=field)

        contact_no = _upper(rec.contact_no)
        contact = contacts[contact_no]
        template_code = _upper(rec.template_code)
        if not template_code:
            fail(
                "You must fill in the interaction_template_code field.", "interaction_template_code"
            )
        template = templates.get(template_code)
        if template is None:
            fail(
                f"interaction template {template_code!r} does not exist",
                "interaction_template_code",
            )
        langs = languages.get(template_code, {})
        salesperson_code = _upper(rec.salesperson_code)
        document_type = rec.document_type or ""
        if salesperson_code:
            sp = salespeople.get(salesperson_code)
            if sp is None:
                fail(f"salesperson {salesperson_code!r} does not exist", "salesperson_code")
            if sp["privacy_blocked"]:
                fail(
                    f"salesperson {salesperson_code} is privacy blocked and cannot be used",
                    "salesperson_code",
                )
        elif not rec.postponed and not document_type:
            # §4.5: required unless the line logs a document
            fail("You must fill in the salesperson_code field.", "salesperson_code")

        description = rec.description if rec.description is not None else template["description"]
        language_code = pick_language(rec.language_code, contact, template, langs)
        if rec.language_code is not None and langs and language_code not in langs:
            fail(f"template {template_code} has no language {language_code!r}", "language_code")
        corr = rec.correspondence_type
        if corr is None:
            corr = resolve_correspondence_type(
                template_default=template["correspondence_type"],
                template_ignores_contact=template["ignore_contact_corres_type"],
                contact_type=contact.get("correspondence_type") or "",
                segment_ignores_contact=bool(rec.extra.get("segment_ignore_contact_corres_type")),
                segment_default=rec.extra.get("segment_correspondence_type") or "",
            )
        corr = _choice(corr, CORRESPONDENCE_TYPES, "correspondence_type", label)
        wanted_type = corr
        alt_code = _upper(rec.extra.get("contact_alt_address_code"))
        if corr == "email" and not rec.postponed:
            # §4.5 CheckSegmentLine: an e-mail address must exist for e-mail
            alt_email = alt_emails.get((contact_no, alt_code), "") if alt_code else ""
            if not contact.get("email") and not alt_email:
                if deliver:
                    fail(
                        "Make sure that the Email field is specified for either contact no. "
                        f"{contact_no} or the contact alternative address.",
                        "correspondence_type",
                    )
                corr = ""
        row = {
            "contact_no": contact_no,
            "contact_company_no": contact.get("company_no") or None,
            "date": rec.date or work_date,
            "time_of_interaction": rec.time_of_interaction,
            "description": description or "",
            "subject": rec.subject if rec.subject is not None else (description or ""),
            "information_flow": _choice(
                rec.information_flow
                if rec.information_flow is not None
                else template["information_flow"],
                INFORMATION_FLOWS,
                "information_flow",
                label,
            ),
            "initiated_by": _choice(
                rec.initiated_by if rec.initiated_by is not None else template["initiated_by"],
                INITIATED_BY,
                "initiated_by",
                label,
            ),
            "interaction_group_code": template["interaction_group_code"],
            "interaction_template_code": template_code,
            "language_code": language_code,
            "attachment_no": None,
            "cost": _decimal(rec.cost, template["unit_cost"], "cost", label),
            "duration": _decimal(rec.duration, template["unit_duration"], "duration", label),
            "user_id": user,
            "salesperson_code": salesperson_code or None,
            "campaign_no": _upper(
                rec.campaign_no if rec.campaign_no is not None else template["campaign_no"]
            )
            or None,
            "campaign_entry_no": rec.campaign_entry_no,
            "campaign_target": bool(rec.campaign_target or template["campaign_target"]),
            "campaign_response": bool(rec.campaign_response or template["campaign_response"]),
            "segment_no": _upper(rec.segment_no) or None,
            "logged_segment_entry_no": rec.logged_segment_entry_no,
            "to_do_no": None,
            "opportunity_no": _upper(rec.opportunity_no) or None,
            "evaluation": _choice(rec.evaluation, EVALUATIONS, "evaluation", label),
            "attempt_failed": bool(rec.attempt_failed),
            "delivery_status": "",
            "delivery_error": "",
            "canceled": False,
            "postponed": bool(rec.postponed),
            "correspondence_type": corr,
            "contact_alt_address_code": alt_code,
            "document_type": document_type,
            "document_no": _upper(rec.document_no),
            "doc_no_occurrence": 0,
            "version_no": 0,
            "contact_via": "",
            "email_logged": False,
            "event_code": "",
            "logged_at": None,
        }
        comments: list[str] = []
        upload = None
        for key, value in rec.extra.items():
            if key in EXTRA_FIELDS:
                row[key] = value
            elif key == "comments":
                comments.extend(str(c) for c in value)
            elif key == "attachment":
                upload = value
            elif key not in ("segment_ignore_contact_corres_type", "segment_correspondence_type"):
                fail(f"unknown extra field {key!r}", key)
        if rec.comment:
            comments.insert(0, rec.comment)
        if row["to_do_no"]:
            row["to_do_no"] = _upper(row["to_do_no"])
        for field in ("description", "subject"):
            if len(row[field]) > 100:
                fail("is longer than 100 characters", field)
        merge_source = None
        if upload is None:
            lang_row = langs.get(language_code)
            if lang_row and lang_row["attachment_no"]:
                if template["wizard_action"] == "merge":
                    merge_source = lang_row["attachment_no"]
                else:
                    row["attachment_no"] = lang_row["attachment_no"]
        item = Prepared(row, comments, upload, merge_source, label)
        item.wanted_type = wanted_type
        prepared.append(item)
    return prepared


# -- writing --------------------------------------------------------------------------------------


def _render_merges(session: Any, items: list[Prepared]) -> None:
    """Render the merge templates of ``items`` (rows already numbered) into new attachments."""
    todo = [p for p in items if p.merge_source is not None]
    if not todo:
        return
    from relcore_contacts.api import contact_table, salesperson_table

    app = app_of(session)
    sources = attachments.get_rows(session, {p.merge_source for p in todo})
    compiled = {}
    for no, row in sources.items():
        if not attachments.is_text(row):
            raise ValidationError(
                "a merge template must be a text or HTML document", entity="Attachment", key=no
            )
        compiled[no] = merge.compile_template(
            attachments.text_of(row),
            html=row["file_extension"] in ("html", "htm"),
            label=f"Attachment {no}",
        )
    nos = {p.row["contact_no"] for p in todo} | {p.row["contact_company_no"] for p in todo}
    nos.discard(None)
    people = {
        r.no: dict(r._mapping)
        for r in session.execute(sa.select(contact_table).where(contact_table.c.no.in_(nos)))
    }
    sp_codes = {p.row["salesperson_code"] for p in todo} - {None}
    sps = (
        {
            r.code: dict(r._mapping)
            for r in session.execute(
                sa.select(salesperson_table).where(salesperson_table.c.code.in_(sp_codes))
            )
        }
        if sp_codes
        else {}
    )
    today = dt.datetime.now(dt.UTC).date() if app is None else app.work_date
    files = []
    for p in todo:
        source = sources[p.merge_source]
        context = merge.merge_context(
            people[p.row["contact_no"]],
            people.get(p.row["contact_company_no"]),
            sps.get(p.row["salesperson_code"]),
            p.row,
            today,
        )
        text = merge.render(
            compiled[p.merge_source],
            context,
            label=f"Interaction {p.label}: Attachment {p.merge_source}",
        )
        files.append(
            (text.encode("utf-8"), source["file_name"] or f"merged.{source['file_extension']}")
        )
    for p, no in zip(todo, attachments.store_many(session, files, read_only=True), strict=True):
        p.row["attachment_no"] = no


def _store_uploads(session: Any, items: list[Prepared]) -> None:
    todo = [p for p in items if p.attachment is not None]
    if not todo:
        return
    nos = attachments.store_many(
        session, [(bytes(c), n) for c, n in (p.attachment for p in todo)], read_only=True
    )
    for p, no in zip(todo, nos, strict=True):
        p.row["attachment_no"] = no


def write_comments(session: Any, items: list[tuple[int, list[str]]], date: dt.date) -> None:
    """Insert comment lines (Line No. 10000, 20000, ...) for entries, one executemany."""
    rows = [
        {
            "entry_no": entry_no,
            "line_no": 10000 * (i + 1),
            "date": date,
            "code": "",
            "comment": text[:80],
            "last_date_modified": date,
        }
        for entry_no, texts in items
        for i, text in enumerate(texts)
    ]
    if rows:
        session.execute(sa.insert(log_comment), rows)


def insert_prepared(session: Any, items: list[Prepared]) -> list[dict]:
    """Number, write attachments, insert rows (ONE executemany) and comment lines."""
    from relcore.db import utcnow

    entry_nos = next_entry_nos(session, len(items))
    now = utcnow()
    rows = []
    for p, no in zip(items, entry_nos, strict=True):
        p.row["entry_no"] = no
        p.row["logged_at"] = now
        rows.append(p.row)
    _store_uploads(session, items)
    _render_merges(session, items)
    used = {r["attachment_no"] for r in rows} - {None}
    attachments.mark_read_only(session, used)
    entities.insert(session, ENTITY, rows)
    write_comments(
        session,
        [(p.row["entry_no"], p.comments) for p in items if p.comments],
        app_of(session).work_date,
    )
    return rows


def log_records(
    session: Any, records: Sequence[InteractionRecord], *, deliver: bool = False
) -> list[dict]:
    """Log a batch (the ``relcore_log_interactions`` implementation): returns the entry rows."""
    if not records:
        return []
    return insert_prepared(session, prepare(session, records, deliver=deliver))
