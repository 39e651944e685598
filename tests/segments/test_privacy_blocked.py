"""Privacy-blocked contacts in segments and exports (issue #13 item 2).

Decision: they are left out when contacts are added to a segment (BC refuses interacting with a
privacy-blocked contact, so logging would fail on them), and a contact blocked after it was
added is marked in the segment export (column ``privacy_blocked``), as in the contacts export.
"""

from __future__ import annotations

import csv
import io

from relcore import entities


def test_privacy_blocked_contacts_are_not_added_to_segments(sg_app):
    from relcore_segments import criteria, segments

    with sg_app.session() as s:
        entities.update(s, "contacts.contact", "P2", {"privacy_blocked": True})
        seg = segments.create_segment(s, {"description": "All"})
        criteria.add_contacts(s, seg["no"])
        lines = segments.segment_lines(s, seg["no"])
    assert "P2" not in {ln["contact_no"] for ln in lines}
    assert {"P1", "P3", "C1", "C2"} <= {ln["contact_no"] for ln in lines}


def test_a_contact_blocked_later_is_marked_in_the_segment_export(sg_app):
    from relcore_segments import criteria, segments
    from relcore_segments.export import export_lines

    with sg_app.session() as s:
        seg = segments.create_segment(s, {"description": "All"})
        criteria.add_contacts(s, seg["no"])
        entities.update(s, "contacts.contact", "P1", {"privacy_blocked": True})
        out = io.StringIO()
        export_lines(s, seg["no"], out)
    rows = {r["contact_no"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows["P1"]["privacy_blocked"] == "true"
    assert rows["P3"]["privacy_blocked"] == "false"


def test_the_contacts_export_marks_privacy_blocked_contacts(sg_app, run_cli):
    with sg_app.session() as s:
        entities.update(s, "contacts.contact", "P2", {"privacy_blocked": True})
    r = run_cli(sg_app, "contacts", "export", "--format", "csv")
    rows = {r["no"]: r for r in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["P2"]["privacy_blocked"] == "true" and rows["P1"]["privacy_blocked"] == "false"
