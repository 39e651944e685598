"""The visitor log's one table (a master record: it gets the core's system columns)."""

from __future__ import annotations

import sqlalchemy as sa

from relcore.db import Code, master_table

visit = master_table(
    "visits_visit",
    sa.Column("no", Code(20), primary_key=True),
    sa.Column("visit_date", sa.Date, nullable=False, index=True),
    sa.Column("visitor_name", sa.String(100), nullable=False),
    sa.Column("purpose", sa.String(50), nullable=False, default=""),
    # the contact who visited (optional); contacts is a required plugin, so a foreign key is fine
    sa.Column("contact_no", Code(20), sa.ForeignKey("contacts_contact.no"), index=True),
)
