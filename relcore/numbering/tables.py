"""The number-series tables (BC tables 308, 309 and the No. Series Relationship, §1.2.1)."""

from __future__ import annotations

import sqlalchemy as sa

from relcore.db import Code, metadata

no_series = sa.Table(
    "core_no_series",
    metadata,
    sa.Column("code", Code(20), primary_key=True),
    sa.Column("description", sa.String(100), nullable=False, default=""),
    sa.Column("default_nos", sa.Boolean(), nullable=False, default=True),
    sa.Column("manual_nos", sa.Boolean(), nullable=False, default=True),
    sa.Column("date_order", sa.Boolean(), nullable=False, default=False),
)
"""``No. Series`` (308)."""

no_series_line = sa.Table(
    "core_no_series_line",
    metadata,
    sa.Column(
        "series_code",
        Code(20),
        sa.ForeignKey("core_no_series.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("line_no", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("starting_date", sa.Date(), nullable=True),  # NULL = 0D = always
    sa.Column("starting_no", Code(20), nullable=False),
    sa.Column("ending_no", Code(20), nullable=False, default=""),
    sa.Column("warning_no", Code(20), nullable=False, default=""),
    sa.Column("increment_by", sa.Integer(), nullable=False, default=1),
    sa.Column("last_no_used", Code(20), nullable=False, default=""),
    sa.Column("last_date_used", sa.Date(), nullable=True),
    sa.Column("open", sa.Boolean(), nullable=False, default=True),
    # BC "Implementation" = Sequence, shown as "Allow Gaps in Nos." (§1.2.4)
    sa.Column("allow_gaps", sa.Boolean(), nullable=False, default=False),
    # PostgreSQL sequence of an allow-gaps line (created on first draw) and the value that
    # stands for "nothing drawn yet" (BC "Sequence Name" / "Starting Sequence No.").
    sa.Column("sequence_name", sa.String(63), nullable=True),
    sa.Column("sequence_base", sa.BigInteger(), nullable=True),
    sa.Index("ix_core_no_series_line_lookup", "series_code", "starting_date", "open"),
)
"""``No. Series Line`` (309); secondary key (Series Code, Starting Date, Open) (§1.2.1)."""

no_series_relationship = sa.Table(
    "core_no_series_relationship",
    metadata,
    sa.Column(
        "code", Code(20), sa.ForeignKey("core_no_series.code", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "series_code",
        Code(20),
        sa.ForeignKey("core_no_series.code", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)
"""``No. Series Relationship``: ``series_code`` is an alternative to the default ``code``."""
