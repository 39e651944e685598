"""Benchmark: Add Contacts with a two-source criterion over ``size`` contacts (SQLite file).

Ours: ``relcore_segments.criteria.add_contacts`` with ``job_responsibility.code=PURCHASE`` and
``contact.post_code=1000..1999`` (lines, history rows, criteria lines). Baseline: plain sqlite3
running the equivalent ``INSERT ... SELECT`` of the lines (same order and line numbers) and of
the history rows. Goal: ours / baseline ≤ 1.5.

Run: ``.venv/bin/python benchmarks/segments_add.py [size]`` (default 1,000,000).
"""

from __future__ import annotations

import shutil
import sqlite3
import sys

from segments_common import build, fill_contacts, median_time

DEFAULT_SIZE = 1_000_000  # the size: Add Contacts over 1,000,000 contacts


REPEAT = 3

BASELINE_LINES = """
INSERT INTO segments_line (segment_no, line_no, contact_no, contact_company_no,
    contact_alt_address_code, salesperson_code, correspondence_type, language_code, subject,
    evaluation, interaction_successful, contact_via, document_type, document_no, description,
    campaign_no, interaction_template_code, interaction_group_code, cost_lcy, duration_min,
    date, campaign_target, information_flow, initiated_by, campaign_response,
    send_word_doc_as_attmt, word_template_code)
SELECT :seg, 10000 * row_number() OVER (ORDER BY c.company_name, c.company_no, c.type, c.name,
       c.no), c.no, c.company_no, '', c.salesperson_code,
       CASE WHEN c.correspondence_type = '' THEN '' ELSE c.correspondence_type END, NULL, '',
       '', 1, '', '', '', 'Bench', NULL, NULL, NULL, 0, 0, '2024-01-15', 0, '', '', 0, 0, NULL
FROM contacts_contact c
WHERE c.post_code BETWEEN '1000' AND '1999'
  AND EXISTS (SELECT 1 FROM contacts_contact_job_responsibility j
              WHERE j.contact_no = c.no AND j.job_responsibility_code = 'PURCHASE')
  AND c.exclude_from_segment = 0
  AND c.no NOT IN (SELECT contact_no FROM segments_line WHERE segment_no = :seg)
"""
BASELINE_HISTORY = """
INSERT INTO segments_history (segment_no, segment_action_no, segment_line_no, contact_no,
    action_taken)
SELECT segment_no, 1, line_no, contact_no, 'insertion' FROM segments_line WHERE segment_no = :seg
"""


def run(size: int) -> tuple[float, float]:
    """(our median seconds, baseline median seconds) over ``size`` contacts."""
    from relcore_segments.criteria import add_contacts
    from relcore_segments.segments import create_segment

    app, path, tmp = build(size)
    try:
        fill_contacts(path, size)
        filters = {
            "job_responsibility": {"code": "PURCHASE"},
            "contact": {"post_code": "1000..1999"},
        }

        def ours() -> None:
            with app.session() as session:
                no = create_segment(session, {"description": "Bench"})["no"]
                add_contacts(session, no, filters)

        counter = iter(range(1, 1000))

        def baseline() -> None:
            seg = f"BASE{next(counter)}"
            con = sqlite3.connect(path)
            con.execute("PRAGMA foreign_keys=ON")
            con.execute(
                "INSERT INTO segments_header (no, description, unit_cost_lcy, "
                "unit_duration_min, campaign_target, information_flow, initiated_by, "
                "campaign_response, correspondence_type_default, subject_default, "
                "send_word_docs_as_attmt, ignore_contact_corres_type, no_series, "
                "system_id, created_at, modified_at, version) VALUES (?, 'Bench', 0, 0, "
                "0, '', '', 0, '', '', 0, 0, '', lower(hex(randomblob(16))), '2024-01-01', "
                "'2024-01-01', 1)",
                (seg,),
            )
            con.execute(BASELINE_LINES, {"seg": seg})
            con.execute(BASELINE_HISTORY, {"seg": seg})
            con.commit()
            con.close()

        ours()  # warm caches (statement compilation, OS file cache) for both sides
        baseline()
        return median_time(ours, REPEAT), median_time(baseline, REPEAT)
    finally:
        app.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    mine, base = run(n)
    print(
        f"segments add-contacts, {n} contacts: ours {mine:.3f}s, baseline {base:.3f}s, "
        f"ratio {mine / base:.2f} (goal <= 1.5)"
    )
