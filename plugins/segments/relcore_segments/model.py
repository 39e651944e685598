"""The segments plugin's tables (BC §5: Segment Header 5076, Segment Line 5077, Segment History
5078, Segment Criteria Line 5097, Saved Segment Criteria 5098 (+ lines), Segment Interaction
Language 5104, Logged Segment 5075).

Column names are Business Central's field names in snake_case. ``Code`` columns are upper-cased;
option fields list their values in ``info={"choices": ...}`` (checked by :mod:`relcore.fields`).
FlowFields (No. of Lines, Cost (LCY), No. of Criteria Actions, ...) are computed, never stored.
"""

from __future__ import annotations

import sqlalchemy as sa

from relcore.db import Code, Money, master_table, metadata
from relcore.interactions import EVALUATIONS, INFORMATION_FLOWS, INITIATED_BY

CORRESPONDENCE_TYPES = ("", "hard_copy", "email")
CRITERIA_LINE_TYPES = ("action", "filter")
CRITERIA_ACTIONS = ("add_contacts", "remove_contacts_reduce", "remove_contacts_refine")
"""BC enum "Segment Criteria Line Action" (§5.5), snake_case."""
HISTORY_ACTIONS = ("insertion", "deletion")


def _choice(name: str, choices: tuple[str, ...], length: int = 10, **kw: object) -> sa.Column:
    return sa.Column(
        name, sa.String(length), nullable=False, default="", info={"choices": choices}, **kw
    )


def _interaction_columns(prefix_cost: str, prefix_duration: str) -> list[sa.Column]:
    """The interaction settings a header carries as defaults and a line as its own (§5.1, §5.3)."""
    return [
        sa.Column("description", sa.String(100), nullable=False, default=""),
        sa.Column("campaign_no", Code(20), nullable=True, index=True),
        sa.Column(
            "salesperson_code", Code(20), nullable=True, info={"references": "contacts.salesperson"}
        ),
        sa.Column("interaction_template_code", Code(10), nullable=True),
        sa.Column("interaction_group_code", Code(10), nullable=True),
        sa.Column(prefix_cost, Money(2), nullable=False, default=0),
        sa.Column(prefix_duration, Money(2), nullable=False, default=0),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("campaign_target", sa.Boolean, nullable=False, default=False),
        _choice("information_flow", INFORMATION_FLOWS),
        _choice("initiated_by", INITIATED_BY),
        sa.Column("campaign_response", sa.Boolean, nullable=False, default=False),
        sa.Column("word_template_code", Code(30), nullable=True),
    ]


header = master_table(
    "segments_header",
    sa.Column("no", Code(20), primary_key=True),
    *_interaction_columns("unit_cost_lcy", "unit_duration_min"),
    _choice("correspondence_type_default", CORRESPONDENCE_TYPES),
    sa.Column("language_code_default", Code(10), nullable=True),
    sa.Column("subject_default", sa.String(100), nullable=False, default=""),
    sa.Column("send_word_docs_as_attmt", sa.Boolean, nullable=False, default=False),
    sa.Column("ignore_contact_corres_type", sa.Boolean, nullable=False, default=False),
    sa.Column("no_series", Code(20), nullable=False, default=""),
)
"""Segment Header (5076) (§5.1)."""

line = sa.Table(
    "segments_line",
    metadata,
    sa.Column("segment_no", Code(20), sa.ForeignKey("segments_header.no"), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column(
        "contact_no", Code(20), sa.ForeignKey("contacts_contact.no"), nullable=False, index=True
    ),
    sa.Column("contact_company_no", Code(20), nullable=True, index=True),
    sa.Column("contact_alt_address_code", Code(10), nullable=False, default=""),
    *_interaction_columns("cost_lcy", "duration_min"),
    _choice("correspondence_type", CORRESPONDENCE_TYPES),
    sa.Column("language_code", Code(10), nullable=True),
    sa.Column("subject", sa.String(100), nullable=False, default=""),
    _choice("evaluation", EVALUATIONS, 20),
    sa.Column("interaction_successful", sa.Boolean, nullable=False, default=True),
    sa.Column("contact_via", sa.String(80), nullable=False, default=""),
    sa.Column("send_word_doc_as_attmt", sa.Boolean, nullable=False, default=False),
    sa.Column("opportunity_no", Code(20), nullable=True),
    sa.Column("to_do_no", Code(20), nullable=True),
    sa.Column("document_type", sa.String(30), nullable=False, default=""),
    sa.Column("document_no", Code(20), nullable=False, default=""),
)
"""Segment Line (5077), key (Segment No., Line No.) (§5.3)."""
sa.Index("ix_segments_line_segment_contact", line.c.segment_no, line.c.contact_no)

interaction_language = sa.Table(
    "segments_interaction_language",
    metadata,
    sa.Column("segment_no", Code(20), sa.ForeignKey("segments_header.no"), primary_key=True),
    sa.Column("segment_line_no", sa.Integer, primary_key=True, autoincrement=False, default=0),
    sa.Column("language_code", Code(10), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("attachment_no", sa.Integer, nullable=True),
    sa.Column("subject", sa.String(100), nullable=False, default=""),
    sa.Column("word_template_code", Code(30), nullable=True),
)
"""Segment Interaction Language (5104): line no. 0 = header level (inherited), > 0 = unique to
that line (§5.4)."""

history = sa.Table(
    "segments_history",
    metadata,
    sa.Column("segment_no", Code(20), sa.ForeignKey("segments_header.no"), primary_key=True),
    sa.Column("segment_action_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("segment_line_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("contact_no", Code(20), nullable=False, index=True),
    _choice("action_taken", HISTORY_ACTIONS),
)
"""Segment History (5078): what each criteria action inserted or deleted (§5.5.3)."""


def _criteria_columns() -> list[sa.Column]:
    """The columns a criteria line and a saved criteria line share (§5.5, §5.5.4)."""
    return [
        sa.Column("line_no", sa.Integer, primary_key=True, autoincrement=False),
        _choice("type", CRITERIA_LINE_TYPES),
        _choice("action", CRITERIA_ACTIONS, 30),
        sa.Column("source", sa.String(50), nullable=False, default=""),
        sa.Column("table_view", sa.Text, nullable=False, default=""),
        sa.Column("allow_existing_contacts", sa.Boolean, nullable=False, default=False),
        sa.Column("expand_contact", sa.Boolean, nullable=False, default=False),
        sa.Column("allow_company_with_persons", sa.Boolean, nullable=False, default=False),
        sa.Column("ignore_exclusion", sa.Boolean, nullable=False, default=False),
        sa.Column("entire_companies", sa.Boolean, nullable=False, default=False),
        sa.Column("no_of_filters", sa.Integer, nullable=False, default=0),
    ]


criteria_line = sa.Table(
    "segments_criteria_line",
    metadata,
    sa.Column("segment_no", Code(20), sa.ForeignKey("segments_header.no"), primary_key=True),
    *_criteria_columns(),
)
"""Segment Criteria Line (5097). ``source`` names a criteria source (BC's Table No.);
``table_view`` holds its filters as JSON ``{"field": "filter expression"}`` (BC's Table View)."""

saved_criteria = master_table(
    "segments_saved_criteria",
    sa.Column("code", Code(10), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("user_id", sa.String(50), nullable=False, default=""),
)
"""Saved Segment Criteria (5098) (§5.5.4)."""

saved_criteria_line = sa.Table(
    "segments_saved_criteria_line",
    metadata,
    sa.Column(
        "segment_criteria_code",
        Code(10),
        sa.ForeignKey("segments_saved_criteria.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    *_criteria_columns(),
)
"""Saved Segment Criteria Line: a copy of a segment's criteria lines (§5.5.4)."""

logged_segment = sa.Table(
    "segments_logged_segment",
    metadata,
    sa.Column("entry_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("segment_no", Code(20), nullable=False, index=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("creation_date", sa.Date, nullable=False),
    sa.Column("user_id", sa.String(50), nullable=False, default=""),
    sa.Column("canceled", sa.Boolean, nullable=False, default=False),
)
"""Logged Segment (5075) (§5.7)."""

HEADER_TO_LINE = {
    "description": "description",
    "campaign_no": "campaign_no",
    "salesperson_code": "salesperson_code",
    "correspondence_type_default": "correspondence_type",
    "interaction_template_code": "interaction_template_code",
    "interaction_group_code": "interaction_group_code",
    "unit_cost_lcy": "cost_lcy",
    "unit_duration_min": "duration_min",
    "date": "date",
    "campaign_target": "campaign_target",
    "information_flow": "information_flow",
    "initiated_by": "initiated_by",
    "campaign_response": "campaign_response",
    "send_word_docs_as_attmt": "send_word_doc_as_attmt",
    "language_code_default": "language_code",
    "subject_default": "subject",
    "word_template_code": "word_template_code",
}
"""Header field → the line field it initialises and propagates to (§5.2, §5.3 InitLine)."""
