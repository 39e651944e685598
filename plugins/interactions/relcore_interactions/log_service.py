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
from collections.abc import Sequence
from typing import Any, NoReturn

import sqlalchemy as sa

from relcore import checks, entities
from relcore.app import app_of
from relcore.errors import ValidationError
from relcore.interactions import EVALUATIONS, INFORMATION_FLOWS, INITIATED_BY, InteractionRecord
from relcore_interactions import attachments, batch_refs, merge, references
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
    """How errors name a record of a batch: ``row 3 (contact CT000010)`` — the position in the
    input, not an entry no."""
    return f"row {index + 1} (contact {record.contact_no or '-'})"


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


def _upper(value: str | None) -> str:
    return (value or "").strip().upper()


class _Codes(dict):
    """Code values of a batch, trimmed and upper-cased once each: ``codes[value]``."""

    __slots__ = ()

    def __missing__(self, value: str | None) -> str:
        code = self[value] = _upper(value)
        return code


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


class _Amounts(dict):
    """Cost/duration values already checked and rounded (equal values round alike), so a batch
    converts each distinct amount once."""

    __slots__ = ("field",)

    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field

    def get_checked(self, value: Any, default: decimal.Decimal, label: str) -> decimal.Decimal:
        if value is None:
            return default
        if isinstance(value, float):  # before the look-up: 2.0 == Decimal(2)
            return _decimal(value, default, self.field, label)
        try:
            return self[value]
        except KeyError:
            checked = self[value] = _decimal(value, default, self.field, label)
            return checked
        except TypeError:  # unhashable: check it each time
            return _decimal(value, default, self.field, label)


_FLOWS = frozenset(INFORMATION_FLOWS)
_INITIATED = frozenset(INITIATED_BY)
_EVALUATIONS = frozenset(EVALUATIONS)
_CORRESPONDENCE = frozenset(CORRESPONDENCE_TYPES)
_SEGMENT_KEYS = frozenset({"segment_ignore_contact_corres_type", "segment_correspondence_type"})


def _fail(label: str, message: str, field: str | None = None) -> NoReturn:
    raise ValidationError(message, entity="Interaction", key=label, field=field)


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
    return _build(session, records, deliver, every=True)[1]


def _build(
    session: Any, records: Sequence[InteractionRecord], deliver: bool, *, every: bool
) -> tuple[list[dict], list[Prepared]]:
    """The rows of ``records`` (checked) and :class:`Prepared` items: for ``every`` record, else
    only for those with comments, an upload or a merge template (the rest need nothing more).

    What the batch refers to is read once (:mod:`relcore_interactions.batch_refs`); per record
    the §4.5 checks run in BC's order with errors naming the record (:func:`record_label`).
    """
    app = app_of(session)
    work_date = app.work_date
    up = _Codes()
    contact_nos: dict[str, None] = {}
    for i, rec in enumerate(records):
        no = up[rec.contact_no]
        if not no:
            raise ValidationError(
                "You must select a contact to interact with.",
                entity="Interaction",
                key=record_label(i, rec),
                field="contact_no",
            )
        contact_nos[no] = None
    contacts = batch_refs.usable_contacts(session, list(contact_nos))
    templates = batch_refs.templates(session, {up[r.template_code] for r in records} - {""})
    salespeople = batch_refs.salespeople(session, {up[r.salesperson_code] for r in records} - {""})
    alt_emails = batch_refs.alt_emails(
        session,
        {
            (up[r.contact_no], up[r.extra.get("contact_alt_address_code")])
            for r in records
            if r.extra and r.extra.get("contact_alt_address_code")
        },
    )
    user = current_user()
    costs, durations = _Amounts("cost"), _Amounts("duration")

    rows: list[dict] = []
    add_row = rows.append
    prepared: list[Prepared] = []
    for i, rec in enumerate(records):
        label = record_label(i, rec)
        contact_no = up[rec.contact_no]
        contact = contacts[contact_no]  # batch_refs.CONTACT_FIELDS
        template_code = up[rec.template_code]
        if not template_code:
            _fail(
                label,
                "You must fill in the interaction_template_code field.",
                "interaction_template_code",
            )
        tpl = templates.get(template_code)
        if tpl is None:
            _fail(
                label,
                f"interaction template {template_code!r} does not exist",
                "interaction_template_code",
            )
        langs = tpl.languages
        salesperson_code = up[rec.salesperson_code]
        document_type = rec.document_type or ""
        postponed = bool(rec.postponed)
        if salesperson_code:
            sp = salespeople.get(salesperson_code)
            if sp is None:
                _fail(label, f"salesperson {salesperson_code!r} does not exist", "salesperson_code")
            if sp["privacy_blocked"]:
                _fail(
                    label,
                    f"salesperson {salesperson_code} is privacy blocked and cannot be used",
                    "salesperson_code",
                )
        elif not postponed and not document_type:
            # §4.5: required unless the line logs a document
            _fail(label, "You must fill in the salesperson_code field.", "salesperson_code")

        description = rec.description
        if description is None:
            description = tpl.description
        description = description or ""
        # language (§4.4): the record's, else the contact's if the template has it, else default
        language_code = rec.language_code
        if language_code is not None:
            language_code = up[language_code]
            if langs and language_code not in langs:
                _fail(
                    label,
                    f"template {template_code} has no language {language_code!r}",
                    "language_code",
                )
        else:
            language_code = contact[2] or ""
            if not (language_code and language_code in langs):
                language_code = tpl.language_default
        extra = rec.extra
        corr = rec.correspondence_type
        if corr is None:
            corr = resolve_correspondence_type(
                template_default=tpl.correspondence_type,
                template_ignores_contact=tpl.ignores_contact,
                contact_type=contact[3] or "",
                segment_ignores_contact=bool(extra.get("segment_ignore_contact_corres_type")),
                segment_default=extra.get("segment_correspondence_type") or "",
            )
        if corr not in _CORRESPONDENCE:
            corr = _choice(corr, CORRESPONDENCE_TYPES, "correspondence_type", label)
        wanted_type = corr
        alt_code = up[extra.get("contact_alt_address_code")] if extra else ""
        if corr == "email" and not postponed:
            # §4.5 CheckSegmentLine: an e-mail address must exist for e-mail
            alt_email = alt_emails.get((contact_no, alt_code), "") if alt_code else ""
            if not contact[4] and not alt_email:
                if deliver:
                    _fail(
                        label,
                        "Make sure that the Email field is specified for either contact no. "
                        f"{contact_no} or the contact alternative address.",
                        "correspondence_type",
                    )
                corr = ""
        flow = rec.information_flow
        if flow is None:
            flow = tpl.information_flow
        if flow not in _FLOWS:
            flow = _choice(flow, INFORMATION_FLOWS, "information_flow", label)
        initiated_by = rec.initiated_by
        if initiated_by is None:
            initiated_by = tpl.initiated_by
        if initiated_by not in _INITIATED:
            initiated_by = _choice(initiated_by, INITIATED_BY, "initiated_by", label)
        cost = costs.get_checked(rec.cost, tpl.unit_cost, label)
        duration = durations.get_checked(rec.duration, tpl.unit_duration, label)
        campaign_no = rec.campaign_no
        if campaign_no is None:
            campaign_no = tpl.campaign_no
        evaluation = rec.evaluation
        if evaluation is None:
            evaluation = ""
        elif evaluation not in _EVALUATIONS:
            evaluation = _choice(evaluation, EVALUATIONS, "evaluation", label)
        subject = rec.subject
        row = {
            "contact_no": contact_no,
            "contact_company_no": contact[1] or None,
            "date": rec.date or work_date,
            "time_of_interaction": rec.time_of_interaction,
            "description": description,
            "subject": subject if subject is not None else description,
            "information_flow": flow or "",
            "initiated_by": initiated_by or "",
            "interaction_group_code": tpl.group_code,
            "interaction_template_code": template_code,
            "language_code": language_code,
            "attachment_no": None,
            "cost": cost,
            "duration": duration,
            "user_id": user,
            "salesperson_code": salesperson_code or None,
            "campaign_no": up[campaign_no] or None,
            "campaign_entry_no": rec.campaign_entry_no,
            "campaign_target": bool(rec.campaign_target or tpl.campaign_target),
            "campaign_response": bool(rec.campaign_response or tpl.campaign_response),
            "segment_no": up[rec.segment_no] or None,
            "logged_segment_entry_no": rec.logged_segment_entry_no,
            "to_do_no": None,
            "opportunity_no": up[rec.opportunity_no] or None,
            "evaluation": evaluation or "",
            "attempt_failed": bool(rec.attempt_failed),
            "delivery_status": "",
            "delivery_error": "",
            "canceled": False,
            "postponed": postponed,
            "correspondence_type": corr,
            "contact_alt_address_code": alt_code,
            "document_type": document_type,
            "document_no": up[rec.document_no],
            "doc_no_occurrence": 0,
            "version_no": 0,
            "contact_via": "",
            "email_logged": False,
            "event_code": "",
            "logged_at": None,
        }
        comments: Sequence[str] = ()
        upload = None
        if extra:
            for key, value in extra.items():
                if key in EXTRA_FIELDS:
                    row[key] = value
                elif key == "comments":
                    comments = [*comments, *(str(c) for c in value)]
                elif key == "attachment":
                    upload = value
                elif key not in _SEGMENT_KEYS:
                    _fail(label, f"unknown extra field {key!r}", key)
            if row["to_do_no"]:
                row["to_do_no"] = up[row["to_do_no"]]
        if rec.comment:
            comments = [rec.comment, *comments]
        if len(row["description"]) > 100:
            _fail(label, "is longer than 100 characters", "description")
        if len(row["subject"]) > 100:
            _fail(label, "is longer than 100 characters", "subject")
        merge_source = None
        if upload is None and tpl.attachment:
            attachment = tpl.attachment.get(language_code)
            if attachment is not None:
                if attachment[1]:
                    merge_source = attachment[0]
                else:
                    row["attachment_no"] = attachment[0]
        add_row(row)
        if every or comments or upload is not None or merge_source is not None:
            item = Prepared(row, list(comments), upload, merge_source, label)
            item.wanted_type = wanted_type
            prepared.append(item)
    # §4.5: a campaign no. must name an existing campaign (checked by the campaigns plugin)
    references.check_campaigns(session, {row["campaign_no"] for row in rows})
    # an opportunity no. must name an existing opportunity (checked by the opportunities plugin)
    references.check_opportunities(session, {row["opportunity_no"] for row in rows})
    return rows, prepared


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
    limit = merge.output_limit(session)
    for no, row in sources.items():
        if not attachments.is_text(row):
            raise ValidationError(
                "a merge template must be a text or HTML document", entity="Attachment", key=no
            )
        compiled[no] = merge.compile_template(
            attachments.text_of(row),
            html=row["file_extension"] in ("html", "htm"),
            label=f"Attachment {no}",
            output_limit=limit,
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
            "comment": text,
            "last_date_modified": date,
        }
        for entry_no, texts in items
        for i, text in enumerate(texts)
    ]
    if rows:
        checks.check_rows(
            log_comment, rows, entity="Interaction Log Entry", key_of=lambda r: r["entry_no"]
        )
        session.execute(sa.insert(log_comment), rows)


def insert_prepared(session: Any, items: list[Prepared]) -> list[dict]:
    """Number, write attachments, insert rows (ONE executemany) and comment lines."""
    rows = [p.row for p in items]
    _write(session, rows, items)
    return rows


def _write(session: Any, rows: list[dict], items: list[Prepared]) -> None:
    """Number ``rows``; store the uploads and render the merges of ``items`` (the prepared
    records among ``rows`` that have them, or comments); insert the rows, then the comments."""
    from relcore.db import utcnow

    now = utcnow()
    for row, no in zip(rows, next_entry_nos(session, len(rows)), strict=True):
        row["entry_no"] = no
        row["logged_at"] = now
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


def log_records(
    session: Any, records: Sequence[InteractionRecord], *, deliver: bool = False
) -> list[dict]:
    """Log a batch (the ``relcore_log_interactions`` implementation): returns the entry rows."""
    if not records:
        return []
    rows, items = _build(session, records, deliver, every=False)
    _write(session, rows, items)
    return rows
