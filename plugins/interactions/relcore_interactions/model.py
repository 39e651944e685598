"""The interactions plugin's tables (BC §4: groups, templates, languages, attachments, log).

Column names are Business Central's field names in snake_case. ``Code`` columns are upper-cased;
option fields list their values in ``info={"choices": ...}`` (checked by :mod:`relcore.fields`).
A blank code reference (BC ``''``) is stored as ``NULL`` where the column is a foreign key.

Every foreign key and every column that statistics or segment criteria filter on is indexed; the
composite indexes follow BC's keys on the Interaction Log Entry (§4.3).
"""

from __future__ import annotations

import sqlalchemy as sa

from relcore.db import Code, Money, UTCDateTime, master_table, metadata, utcnow
from relcore.interactions import EVALUATIONS, INFORMATION_FLOWS, INITIATED_BY

CORRESPONDENCE_TYPES = ("", "hard_copy", "email")
WIZARD_ACTIONS = ("", "open", "import", "merge")
STORAGE_TYPES = ("embedded", "disk_file")
DELIVERY_STATUSES = ("", "in_progress", "error", "sent")
DOCUMENT_TYPES = (
    "",
    "sales_qte",
    "sales_blnkt_ord",
    "sales_ord_cnfrmn",
    "sales_inv",
    "sales_shpt_note",
    "sales_cr_memo",
    "sales_stmnt",
    "sales_rmdr",
    "serv_ord_create",
    "serv_ord_post",
    "purch_qte",
    "purch_blnkt_ord",
    "purch_ord",
    "purch_inv",
    "purch_rcpt",
    "purch_cr_memo",
    "cover_sheet",
    "sales_return_order",
    "sales_finance_charge_memo",
    "sales_return_receipt",
    "purch_return_shipment",
    "purch_return_ord_cnfrmn",
    "service_contract",
    "service_contract_quote",
    "service_quote",
    "sales_draft_invoice",
    "email",
    "phone_call",
)
"""BC enum "Interaction Log Entry Document Type" (§4.6), snake_case; free text is allowed too."""


def _choice(name: str, choices: tuple[str, ...], length: int = 20, default: str = "") -> sa.Column:
    return sa.Column(
        name, sa.String(length), nullable=False, default=default, info={"choices": choices}
    )


# -- groups and templates (§4.1, §4.2) ----------------------------------------------------------

group = master_table(
    "interactions_group",
    sa.Column("code", Code(10), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
)
"""Interaction Group (5063)."""

attachment = sa.Table(
    "interactions_attachment",
    metadata,
    sa.Column("no", sa.Integer, primary_key=True, autoincrement=True),
    _choice("storage_type", STORAGE_TYPES, default="embedded"),
    sa.Column("storage_pointer", sa.String(250), nullable=False, default=""),
    sa.Column("file_name", sa.String(250), nullable=False, default=""),
    sa.Column("file_extension", sa.String(20), nullable=False, default=""),
    sa.Column("attachment_file", sa.LargeBinary, nullable=True),
    sa.Column("read_only", sa.Boolean, nullable=False, default=False),
    sa.Column("last_modified_at", UTCDateTime(), nullable=False, default=utcnow),
    sqlite_autoincrement=True,
)
"""Attachment (§4.9): embedded in the row (``attachment_file``) or a file in the attachment
folder (``storage_pointer`` = folder, ``file_name``). Read-only once a logged interaction uses it.
Numbers are never reused (AUTOINCREMENT / identity)."""

template = master_table(
    "interactions_template",
    sa.Column("code", Code(10), primary_key=True),
    sa.Column(
        "interaction_group_code",
        Code(10),
        sa.ForeignKey("interactions_group.code"),
        nullable=False,
        index=True,
    ),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("unit_cost", Money(2), nullable=False, default=0),
    sa.Column("unit_duration", Money(2), nullable=False, default=0),
    _choice("information_flow", INFORMATION_FLOWS, 10),
    _choice("initiated_by", INITIATED_BY, 10),
    sa.Column("campaign_no", Code(20), nullable=True, index=True),
    sa.Column("campaign_target", sa.Boolean, nullable=False, default=False),
    sa.Column("campaign_response", sa.Boolean, nullable=False, default=False),
    _choice("correspondence_type", CORRESPONDENCE_TYPES, 10, default="email"),
    sa.Column("ignore_contact_corres_type", sa.Boolean, nullable=False, default=False),
    sa.Column("language_code_default", Code(10), nullable=True),
    _choice("wizard_action", WIZARD_ACTIONS, 10),
)
"""Interaction Template (5064); ``correspondence_type`` is BC's "Correspondence Type (Default)"."""

template_language = sa.Table(
    "interactions_template_language",
    metadata,
    sa.Column(
        "interaction_template_code",
        Code(10),
        sa.ForeignKey("interactions_template.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "language_code",
        Code(10),
        primary_key=True,
        default="",
        info={"references": "contacts.language"},
    ),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column(
        "attachment_no",
        sa.Integer,
        sa.ForeignKey("interactions_attachment.no"),
        nullable=True,
        index=True,
    ),
)
"""Interaction Tmpl. Language (5103): a language version of a template and its attachment."""

# -- the log (§4.3) -----------------------------------------------------------------------------

log_entry = sa.Table(
    "interactions_log_entry",
    metadata,
    sa.Column("entry_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("contact_no", Code(20), sa.ForeignKey("contacts_contact.no"), nullable=True),
    sa.Column("contact_company_no", Code(20), sa.ForeignKey("contacts_contact.no"), nullable=True),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("time_of_interaction", sa.Time, nullable=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("subject", sa.String(100), nullable=False, default=""),
    _choice("information_flow", INFORMATION_FLOWS, 10),
    _choice("initiated_by", INITIATED_BY, 10),
    sa.Column(
        "interaction_group_code", Code(10), sa.ForeignKey("interactions_group.code"), nullable=True
    ),
    sa.Column(
        "interaction_template_code",
        Code(10),
        sa.ForeignKey("interactions_template.code"),
        nullable=True,
    ),
    sa.Column("language_code", Code(10), nullable=False, default=""),
    sa.Column(
        "attachment_no",
        sa.Integer,
        sa.ForeignKey("interactions_attachment.no"),
        nullable=True,
        index=True,
    ),
    sa.Column("cost", Money(2), nullable=False, default=0),
    sa.Column("duration", Money(2), nullable=False, default=0),
    sa.Column("user_id", sa.String(50), nullable=False, default=""),
    sa.Column(
        "salesperson_code", Code(20), sa.ForeignKey("contacts_salesperson.code"), nullable=True
    ),
    sa.Column("campaign_no", Code(20), nullable=True),
    sa.Column("campaign_entry_no", sa.Integer, nullable=True),
    sa.Column("campaign_target", sa.Boolean, nullable=False, default=False),
    sa.Column("campaign_response", sa.Boolean, nullable=False, default=False),
    sa.Column("segment_no", Code(20), nullable=True, index=True),
    sa.Column("logged_segment_entry_no", sa.Integer, nullable=True),
    sa.Column("to_do_no", Code(20), nullable=True),
    sa.Column("opportunity_no", Code(20), nullable=True),
    _choice("evaluation", EVALUATIONS),
    sa.Column("attempt_failed", sa.Boolean, nullable=False, default=False),
    _choice("delivery_status", DELIVERY_STATUSES),
    sa.Column("delivery_error", sa.String(250), nullable=False, default=""),
    sa.Column("canceled", sa.Boolean, nullable=False, default=False),
    sa.Column("postponed", sa.Boolean, nullable=False, default=False),
    _choice("correspondence_type", CORRESPONDENCE_TYPES, 10),
    sa.Column("contact_alt_address_code", Code(10), nullable=False, default=""),
    sa.Column("document_type", sa.String(30), nullable=False, default=""),
    sa.Column("document_no", Code(20), nullable=False, default=""),
    sa.Column("doc_no_occurrence", sa.Integer, nullable=False, default=0),
    sa.Column("version_no", sa.Integer, nullable=False, default=0),
    sa.Column("contact_via", sa.String(80), nullable=False, default=""),
    sa.Column("email_logged", sa.Boolean, nullable=False, default=False),
    sa.Column("event_code", sa.String(60), nullable=False, default=""),
    sa.Column("logged_at", UTCDateTime(), nullable=False, default=utcnow),
)
"""Interaction Log Entry (5065). ``entry_no`` comes from :func:`relcore.ledger.next_entry_nos`;
gaps are allowed, numbers are never reused (§4.3)."""

_E = log_entry.c
# BC keys (§4.3); the statistics queries (§2.1 FlowFields) are served by the first four.
sa.Index(
    "ix_interactions_log_entry_company_stats",
    _E.contact_company_no,
    _E.postponed,
    _E.canceled,
    _E.date,
    _E.contact_no,
    _E.attempt_failed,
    _E.initiated_by,
    _E.cost,
    _E.duration,
)
sa.Index("ix_interactions_log_entry_contact", _E.contact_no, _E.date, _E.postponed)
sa.Index("ix_interactions_log_entry_group", _E.interaction_group_code, _E.date)
sa.Index(
    "ix_interactions_log_entry_template",
    _E.interaction_template_code,
    _E.canceled,
    _E.date,
    _E.postponed,
)
sa.Index("ix_interactions_log_entry_salesperson", _E.salesperson_code, _E.date, _E.postponed)
sa.Index(
    "ix_interactions_log_entry_campaign",
    _E.campaign_no,
    _E.campaign_entry_no,
    _E.date,
    _E.postponed,
)
sa.Index("ix_interactions_log_entry_logged_segment", _E.logged_segment_entry_no, _E.postponed)
sa.Index("ix_interactions_log_entry_to_do", _E.to_do_no, _E.date)
sa.Index("ix_interactions_log_entry_opportunity", _E.opportunity_no, _E.date)
sa.Index("ix_interactions_log_entry_document", _E.document_type, _E.document_no)

log_comment = sa.Table(
    "interactions_log_comment",
    metadata,
    sa.Column(
        "entry_no",
        sa.Integer,
        sa.ForeignKey("interactions_log_entry.entry_no", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("line_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("date", sa.Date, nullable=True),
    sa.Column("code", Code(10), nullable=False, default=""),
    sa.Column("comment", sa.String(80), nullable=False, default=""),
    sa.Column("last_date_modified", sa.Date, nullable=True),
)
"""Inter. Log Entry Comment Line (5123), key (Entry No., Line No.)."""

template_setup = sa.Table(
    "interactions_template_setup",
    metadata,
    sa.Column("event_code", sa.String(60), primary_key=True),
    sa.Column(
        "template_code",
        Code(10),
        sa.ForeignKey("interactions_template.code"),
        nullable=False,
        index=True,
    ),
)
"""Interaction Template Setup (5122) as rows: each registered event → the template it logs
with (§4.6)."""
