"""The opportunities plugin's tables (BC §6: Sales Cycle 5090, Sales Cycle Stage 5091, Close
Opportunity Code 5094, Opportunity 5092, Opportunity Entry 5093).

Column names are Business Central's field names in snake_case. FlowFields (Current Sales Cycle
Stage, Estimated Value, Probability %, No. of Opportunities, ...) are never stored: they are read
from the opportunity's one **active** entry, which a partial unique index guarantees.
"""

from __future__ import annotations

import sqlalchemy as sa

from relcore.db import Code, Money, master_table, metadata

PROBABILITY_CALCULATIONS = ("multiply", "add", "chances", "completed")
"""Sales Cycle "Probability Calculation" (§6.1): Multiply, Add, Chances of Success %,
Completed %."""
CLOSE_TYPES = ("won", "lost")
STATUSES = ("not_started", "in_progress", "won", "lost")
"""Enum "Opportunity Status" (§6.4)."""
PRIORITIES = ("low", "normal", "high")
DOCUMENT_TYPES = ("", "quote", "order", "posted_invoice")
"""Enum "Opportunity Document Type" (§6.4, §6.10)."""
ACTIONS_TAKEN = ("", "next", "previous", "updated", "jumped", "won", "lost")
"""Enum "Opportunity Action Taken" (§6.5)."""
ACTION_TYPES = ("first", "next", "previous", "skip", "update", "jump")
"""The Update Opportunity page's Action Type (§6.8)."""


def _choice(name: str, choices: tuple[str, ...], default: str, length: int = 20) -> sa.Column:
    return sa.Column(
        name, sa.String(length), nullable=False, default=default, info={"choices": choices}
    )


def _pct(name: str) -> sa.Column:
    return sa.Column(name, Money(5), nullable=False, default=0)


sales_cycle = master_table(
    "opportunities_sales_cycle",
    sa.Column("code", Code(10), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    _choice("probability_calculation", PROBABILITY_CALCULATIONS, "multiply"),
    sa.Column("blocked", sa.Boolean, nullable=False, default=False),
)
"""Sales Cycle (5090) (§6.1)."""

stage = sa.Table(
    "opportunities_stage",
    metadata,
    sa.Column(
        "sales_cycle_code",
        Code(10),
        sa.ForeignKey("opportunities_sales_cycle.code"),
        primary_key=True,
    ),
    sa.Column("stage", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    _pct("completed_pct"),
    _pct("chances_of_success_pct"),
    sa.Column("activity_code", Code(10), nullable=True),
    sa.Column("quote_required", sa.Boolean, nullable=False, default=False),
    sa.Column("allow_skip", sa.Boolean, nullable=False, default=False),
    sa.Column("date_formula", sa.String(32), nullable=False, default=""),
    sa.CheckConstraint("stage >= 1", name="stage_min"),
)
"""Sales Cycle Stage (5091), key (Sales Cycle Code, Stage) (§6.2)."""

close_code = master_table(
    "opportunities_close_code",
    sa.Column("code", Code(10), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    _choice("type", CLOSE_TYPES, "won", 10),
)
"""Close Opportunity Code (5094) (§6.3)."""

opportunity = master_table(
    "opportunities_opportunity",
    sa.Column("no", Code(20), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("salesperson_code", Code(20), nullable=True, index=True),
    sa.Column("campaign_no", Code(20), nullable=True, index=True),
    sa.Column("contact_no", Code(20), nullable=True, index=True),
    sa.Column("contact_company_no", Code(20), nullable=True, index=True),
    sa.Column("sales_cycle_code", Code(10), sa.ForeignKey("opportunities_sales_cycle.code")),
    _choice("sales_document_type", DOCUMENT_TYPES, ""),
    sa.Column("sales_document_no", Code(20), nullable=False, default=""),
    sa.Column("sales_document_value", Money(2), nullable=True),
    sa.Column("creation_date", sa.Date, nullable=False),
    sa.Column("date_closed", sa.Date, nullable=True),
    _choice("status", STATUSES, "not_started"),
    _choice("priority", PRIORITIES, "normal", 10),
    sa.Column("closed", sa.Boolean, nullable=False, default=False),
    sa.Column("no_series", Code(20), nullable=False, default=""),
    sa.Column("segment_no", Code(20), nullable=True, index=True),
    sa.Column("segment_description", sa.String(100), nullable=False, default=""),
)
"""Opportunity (5092) (§6.4). ``sales_document_value`` is the value of the external document
(relcore has no sales quotes, §6.10)."""
sa.Index(
    "ux_opportunities_opportunity_document",
    opportunity.c.sales_document_type,
    opportunity.c.sales_document_no,
    unique=True,
    sqlite_where=opportunity.c.sales_document_no != "",
    postgresql_where=opportunity.c.sales_document_no != "",
)

entry = sa.Table(
    "opportunities_entry",
    metadata,
    sa.Column("entry_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column(
        "opportunity_no",
        Code(20),
        sa.ForeignKey("opportunities_opportunity.no"),
        nullable=False,
    ),
    sa.Column("sales_cycle_code", Code(10), nullable=True),
    sa.Column("sales_cycle_stage", sa.Integer, nullable=False, default=0),
    sa.Column("sales_cycle_stage_description", sa.String(100), nullable=False, default=""),
    sa.Column("contact_no", Code(20), nullable=True, index=True),
    sa.Column("contact_company_no", Code(20), nullable=True),
    sa.Column("salesperson_code", Code(20), nullable=True),
    sa.Column("campaign_no", Code(20), nullable=True),
    sa.Column("date_of_change", sa.Date, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=False),
    sa.Column("date_closed", sa.Date, nullable=True),
    sa.Column("days_open", Money(2), nullable=False, default=0),
    _choice("action_taken", ACTIONS_TAKEN, ""),
    sa.Column("estimated_value_lcy", Money(2), nullable=False, default=0),
    sa.Column("calcd_current_value_lcy", Money(5), nullable=False, default=0),
    _pct("completed_pct"),
    _pct("chances_of_success_pct"),
    _pct("probability_pct"),
    sa.Column("close_opportunity_code", Code(10), nullable=True, index=True),
    sa.Column("previous_sales_cycle_stage", sa.Integer, nullable=False, default=0),
    sa.Column("estimated_close_date", sa.Date, nullable=True),
)
"""Opportunity Entry (5093): the append-only ledger (§6.5). Exactly one entry per opportunity is
active — the unique partial index ``ux_opportunities_entry_active`` refuses a second."""
sa.Index(
    "ux_opportunities_entry_active",
    entry.c.opportunity_no,
    unique=True,
    sqlite_where=entry.c.active,
    postgresql_where=entry.c.active,
)
sa.Index("ix_opportunities_entry_opportunity", entry.c.opportunity_no, entry.c.entry_no)
sa.Index(
    "ix_opportunities_entry_stage",
    entry.c.active,
    entry.c.sales_cycle_code,
    entry.c.sales_cycle_stage,
    entry.c.estimated_close_date,
)

pending_values = sa.Table(
    "opportunities_pending_values",
    metadata,
    sa.Column(
        "opportunity_no",
        Code(20),
        sa.ForeignKey("opportunities_opportunity.no", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("estimated_value_lcy", Money(2), nullable=True),
    sa.Column("chances_of_success_pct", Money(5), nullable=True),
    sa.Column("estimated_close_date", sa.Date, nullable=True),
    sa.Column("source", sa.String(20), nullable=False, default=""),
)
"""Values a Not Started opportunity received from outside (Dynamics 365 Sales) before it has an
entry: :func:`relcore_opportunities.creating.activate_first_stage` makes them the first entry's
values and deletes the row; any other first entry discards it (see ``docs/opportunities.md``)."""
