"""The campaigns plugin's tables (BC §8: Campaign 5071, Campaign Entry 5072, Campaign Status
5073, Campaign Target Group 7030, and the campaign's price list lines).

Column names are Business Central's field names in snake_case. FlowFields (Activated, Target
Contacts Contacted, No. of Interactions, ...) are computed, never stored.
"""

from __future__ import annotations

import sqlalchemy as sa

from relcore.db import Code, Money, master_table, metadata

TARGET_TYPES = ("customer", "contact")
"""Campaign Target Group Type (§8.4)."""

PRICE_LINE_TYPES = ("price", "discount")
"""A campaign price line carries a unit price or a line discount % (§8.6)."""

status = master_table(
    "campaigns_status",
    sa.Column("code", Code(10), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
)
"""Campaign Status (5073) (§8.2)."""

campaign = master_table(
    "campaigns_campaign",
    sa.Column("no", Code(20), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("starting_date", sa.Date, nullable=True),
    sa.Column("ending_date", sa.Date, nullable=True),
    sa.Column(
        "salesperson_code",
        Code(20),
        sa.ForeignKey("contacts_salesperson.code"),
        nullable=True,
        index=True,
    ),
    sa.Column("status_code", Code(10), sa.ForeignKey("campaigns_status.code"), nullable=True),
    sa.Column("last_date_modified", sa.Date, nullable=True),
    sa.Column("no_series", Code(20), nullable=False, default=""),
)
"""Campaign (5071), key No., secondary key Salesperson Code (§8.1)."""

entry = sa.Table(
    "campaigns_entry",
    metadata,
    sa.Column("entry_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("campaign_no", Code(20), nullable=False),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("date", sa.Date, nullable=True),
    sa.Column("user_id", sa.String(50), nullable=False, default=""),
    sa.Column("segment_no", Code(20), nullable=False, default=""),
    sa.Column("canceled", sa.Boolean, nullable=False, default=False),
    sa.Column("salesperson_code", Code(20), nullable=True),
    sa.Column("register_no", sa.Integer, nullable=True, index=True),
    sa.Column("document_type", sa.String(30), nullable=False, default=""),
)
"""Campaign Entry (5072), key Entry No. (§8.3). ``segment_no`` is '' for single interactions
and documents (BC's blank Code); ``register_no`` is the Logged Segment that created it."""
sa.Index(
    "ix_campaigns_entry_campaign",
    entry.c.campaign_no,
    entry.c.segment_no,
    entry.c.document_type,
)

target_group = sa.Table(
    "campaigns_target_group",
    metadata,
    sa.Column(
        "type", sa.String(10), primary_key=True, info={"choices": TARGET_TYPES}, default="contact"
    ),
    sa.Column("no", Code(20), primary_key=True),
    sa.Column(
        "campaign_no",
        Code(20),
        sa.ForeignKey("campaigns_campaign.no"),
        primary_key=True,
        index=True,
    ),
    sa.Column("contact_company_no", Code(20), nullable=False, default="", index=True),
)
"""Campaign Target Group (7030), key (Type, No., Campaign No.) (§8.4). ``contact_company_no``
is the company contact the row stands for (for a Customer row: the company linked to the
customer), so the row follows the company when it becomes or ceases to be a customer."""
sa.Index("ix_campaigns_target_group_no", target_group.c.no)

price_line = sa.Table(
    "campaigns_price_line",
    metadata,
    sa.Column("campaign_no", Code(20), sa.ForeignKey("campaigns_campaign.no"), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column(
        "line_type",
        sa.String(10),
        nullable=False,
        default="price",
        info={"choices": PRICE_LINE_TYPES},
    ),
    sa.Column("item_code", Code(20), nullable=False, index=True),
    sa.Column("unit_of_measure", Code(10), nullable=False, default=""),
    sa.Column("currency_code", Code(10), nullable=False, default=""),
    sa.Column("minimum_quantity", Money(5), nullable=False, default=0),
    sa.Column("unit_price", Money(2), nullable=True),
    sa.Column("line_discount_pct", Money(2), nullable=True),
)
"""A campaign price or line discount (BC: a price list line with Source Type Campaign, §8.6).
``item_code`` is the item's code in the ERP (relcore has no item master)."""

invoice_order = sa.Table(
    "campaigns_invoice_order",
    metadata,
    sa.Column("campaign_no", Code(20), sa.ForeignKey("campaigns_campaign.no"), primary_key=True),
    sa.Column("order_no", Code(20), primary_key=True),
    sa.Column("invoice_no", Code(20), nullable=False),
    sa.Column("interaction_entry_no", sa.Integer, nullable=True),
)
"""The originating orders whose invoices were logged for a campaign (§8.3 invoice posting:
once per order and campaign)."""
