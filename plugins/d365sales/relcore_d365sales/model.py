"""The d365sales plugin's tables (reference Part D3, mirroring BC tables 5335/5336/5331/5338/5339).

* ``d365_table_mapping`` — one row per mapping (BC *Integration Table Mapping*, §A2), with the
  watermarks of both sides and the change-tracking delta link.
* ``d365_field_mapping`` — the mapped field pairs of a mapping (BC *Integration Field Mapping*,
  §A3): direction, constant, transformation rule, not-null, clear-on-failure, match criteria, and
  for lookups the mapping whose couplings translate keys.
* ``d365_coupling`` — one row per coupled pair (BC *CRM Integration Record*, §A6) with per-direction
  results, the Dataverse row version and a snapshot of the values last synchronised (used for the
  three-way comparison that lets disjoint edits on both sides survive).
* ``d365_sync_job`` / ``d365_sync_error`` — the job log with counters and the error log (§A10).
* ``d365_option_map`` — choice (option-set) integer ↔ local code (§A14).

Couplings hold the local record's business key as text and no foreign key: a coupling must
outlive a deleted record so that the deletion can be detected (§A8.2).
"""

from __future__ import annotations

import sqlalchemy as sa

from relcore.db import Code, UTCDateTime, metadata

DIRECTIONS = ("bidirectional", "to_integration", "from_integration")
UPDATE_CONFLICT = ("none", "send_update", "get_update")
DELETION_CONFLICT = ("none", "restore_records", "remove_coupling")
RESULTS = ("", "success", "failure")
JOB_TYPES = ("synchronization", "coupling", "uncoupling")
COUPLING_STATES = ("coupled", "pending_insert")

table_mapping = sa.Table(
    "d365_table_mapping",
    metadata,
    sa.Column("name", Code(20), primary_key=True),
    sa.Column("local_entity", sa.String(60), nullable=False),
    sa.Column("dv_entity_set", sa.String(60), nullable=False),
    sa.Column("dv_pk", sa.String(60), nullable=False),
    sa.Column(
        "direction",
        sa.String(20),
        nullable=False,
        default="bidirectional",
        info={"choices": DIRECTIONS},
    ),
    sa.Column("local_filter", sa.String(250), nullable=False, default=""),
    sa.Column("dv_filter", sa.Text, nullable=False, default=""),
    sa.Column("only_coupled", sa.Boolean, nullable=False, default=True),
    sa.Column(
        "update_conflict",
        sa.String(20),
        nullable=False,
        default="none",
        info={"choices": UPDATE_CONFLICT},
    ),
    sa.Column(
        "deletion_conflict",
        sa.String(20),
        nullable=False,
        default="none",
        info={"choices": DELETION_CONFLICT},
    ),
    sa.Column("dependency_filter", sa.String(250), nullable=False, default=""),
    sa.Column("local_watermark", UTCDateTime(), nullable=True),
    sa.Column("dv_watermark", UTCDateTime(), nullable=True),
    sa.Column("dv_delta_link", sa.Text, nullable=True),
    sa.Column("use_change_tracking", sa.Boolean, nullable=False, default=False),
    sa.Column("enabled", sa.Boolean, nullable=False, default=True),
    sa.Column("priority", sa.Integer, nullable=False, default=100),
)

field_mapping = sa.Table(
    "d365_field_mapping",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "mapping_name",
        Code(20),
        sa.ForeignKey("d365_table_mapping.name", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("local_field", sa.String(60), nullable=False, default=""),
    sa.Column("dv_column", sa.String(100), nullable=False, default=""),
    sa.Column(
        "direction",
        sa.String(20),
        nullable=False,
        default="bidirectional",
        info={"choices": DIRECTIONS},
    ),
    sa.Column("constant_value", sa.String(250), nullable=True),
    sa.Column("transformation_rule", sa.String(250), nullable=False, default=""),
    sa.Column("enabled", sa.Boolean, nullable=False, default=True),
    sa.Column("not_null", sa.Boolean, nullable=False, default=False),
    sa.Column("clear_on_failure", sa.Boolean, nullable=False, default=False),
    sa.Column("lookup_mapping", Code(20), nullable=False, default=""),
    sa.Column("dv_nav", sa.String(100), nullable=False, default=""),
    sa.Column("match_priority", sa.Integer, nullable=True),
    sa.Column("match_case_sensitive", sa.Boolean, nullable=False, default=False),
)

coupling = sa.Table(
    "d365_coupling",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("mapping_name", Code(20), nullable=False),
    sa.Column("local_key", sa.String(60), nullable=False),
    sa.Column("dv_id", sa.String(36), nullable=False),
    sa.Column(
        "state", sa.String(20), nullable=False, default="coupled", info={"choices": COUPLING_STATES}
    ),
    sa.Column("last_local_modified", UTCDateTime(), nullable=True),
    sa.Column("last_dv_modified", UTCDateTime(), nullable=True),
    sa.Column("last_dv_version", sa.BigInteger, nullable=True),
    sa.Column("last_values", sa.Text, nullable=True),
    sa.Column("last_result_to_dv", sa.String(10), nullable=False, default=""),
    sa.Column("last_job_to_dv", sa.String(36), nullable=True),
    sa.Column("last_error_to_dv", sa.String(250), nullable=False, default=""),
    sa.Column("last_result_from_dv", sa.String(10), nullable=False, default=""),
    sa.Column("last_job_from_dv", sa.String(36), nullable=True),
    sa.Column("last_error_from_dv", sa.String(250), nullable=False, default=""),
    sa.Column("skipped", sa.Boolean, nullable=False, default=False),
    sa.Column("force_sync", sa.Boolean, nullable=False, default=False),
    sa.Column("local_deleted", sa.Boolean, nullable=False, default=False),
    sa.Column("erased", sa.Boolean, nullable=False, default=False),
    sa.UniqueConstraint("mapping_name", "local_key"),
    sa.UniqueConstraint("mapping_name", "dv_id"),
)

sync_job = sa.Table(
    "d365_sync_job",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("run_id", sa.String(36), nullable=False, index=True),
    sa.Column("mapping_name", Code(20), nullable=False, index=True),
    sa.Column(
        "type",
        sa.String(20),
        nullable=False,
        default="synchronization",
        info={"choices": JOB_TYPES},
    ),
    sa.Column("direction", sa.String(20), nullable=False, default=""),
    sa.Column("started_at", UTCDateTime(), nullable=False),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
    sa.Column("message", sa.String(250), nullable=False, default=""),
    *(
        sa.Column(name, sa.Integer, nullable=False, default=0)
        for name in (
            "inserted",
            "modified",
            "deleted",
            "unchanged",
            "skipped",
            "failed",
            "coupled",
            "uncoupled",
        )
    ),
)

sync_error = sa.Table(
    "d365_sync_error",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.String(36), nullable=False, index=True),
    sa.Column("mapping_name", Code(20), nullable=False, index=True),
    sa.Column("direction", sa.String(20), nullable=False, default=""),
    sa.Column("local_key", sa.String(60), nullable=False, default=""),
    sa.Column("dv_id", sa.String(36), nullable=False, default=""),
    sa.Column("message", sa.String(250), nullable=False, default=""),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("at", UTCDateTime(), nullable=False),
)

option_map = sa.Table(
    "d365_option_map",
    metadata,
    sa.Column("dv_column", sa.String(120), primary_key=True),
    sa.Column("option_value", sa.Integer, primary_key=True),
    sa.Column("local_code", Code(20), nullable=False),
    sa.UniqueConstraint("dv_column", "local_code"),
)
