"""The segments plugin answers interactions' reference hooks: segments exist, and a segment's
lines come as one SELECT (relcore_interactions_check_segments,
relcore_interactions_segment_lines)."""

from __future__ import annotations

import pytest
from relcore_interactions import references
from relcore_segments import criteria, segments

from relcore.errors import ValidationError


def test_check_segments_and_segment_lines(sg_app):
    with sg_app.session() as session:
        segments.create_segment(
            session, {"description": "Mail", "salesperson_code": "JO", "campaign_no": "CP1"}
        )
        criteria.add_contacts(session, "SM00001", {"contact": {"type": "person"}})
        references.check_segments(session, ["SM00001"])
        with pytest.raises(ValidationError, match="Segment SM00009: does not exist"):
            references.check_segments(session, ["SM00001", "SM00009"])
        select = references.segment_lines(session, "sm00001")
        rows = [dict(r._mapping) for r in session.execute(select)]
        assert references.segment_lines(session, "SM00009") is None
    assert [r["contact_no"] for r in rows] == ["P1", "P2", "P3"]
    assert [r["line_no"] for r in rows] == [10000, 20000, 30000]
    assert {r["contact_company_no"] for r in rows} == {"C1", "C2"}
    assert {(r["salesperson_code"], r["campaign_no"]) for r in rows} == {("JO", "CP1")}
