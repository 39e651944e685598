"""Export Contacts (XMLport "Export Segment Contact", §5.5.5): the lines as CSV, streamed."""

from __future__ import annotations

import csv
from typing import Any, TextIO

import sqlalchemy as sa

from relcore_segments import model
from relcore_segments.segments import get_segment

L = model.line

COLUMNS = (
    "segment_no",
    "line_no",
    "contact_no",
    "contact_name",
    "contact_company_no",
    "contact_company_name",
    "contact_alt_address_code",
    "address",
    "address_2",
    "post_code",
    "city",
    "country_region_code",
    "email",
    "phone_no",
    "correspondence_type",
    "language_code",
    "salesperson_code",
    "interaction_template_code",
    "campaign_no",
    "subject",
    "privacy_blocked",
)
"""The export's columns; ``privacy_blocked`` marks a contact blocked after it was added."""


def _cell(value: Any) -> Any:
    if value is True or value is False:
        return "true" if value else "false"
    return value


def export_lines(session: Any, segment_no: str, out: TextIO) -> int:
    """Write the segment's lines with contact details as CSV; returns the rows written."""
    from relcore_contacts.api import contact_table as C

    get_segment(session, segment_no)
    company = C.alias("company")
    select = (
        sa.select(
            L.c.segment_no,
            L.c.line_no,
            L.c.contact_no,
            C.c.name.label("contact_name"),
            L.c.contact_company_no,
            company.c.name.label("contact_company_name"),
            L.c.contact_alt_address_code,
            C.c.address,
            C.c.address_2,
            C.c.post_code,
            C.c.city,
            C.c.country_region_code,
            C.c.email,
            C.c.phone_no,
            L.c.correspondence_type,
            L.c.language_code,
            L.c.salesperson_code,
            L.c.interaction_template_code,
            L.c.campaign_no,
            L.c.subject,
            C.c.privacy_blocked,
        )
        .join(C, C.c.no == L.c.contact_no)
        .outerjoin(company, company.c.no == L.c.contact_company_no)
        .where(L.c.segment_no == segment_no)
        .order_by(L.c.line_no)
    )
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in session.execute(select.execution_options(yield_per=5000)):
        writer.writerow(["" if v is None else _cell(v) for v in row])
        count += 1
    return count
