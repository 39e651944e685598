"""Benchmark ``tasks-segment``: one task per contact of a ``size``-line segment (SQLite file).

Ours: ``relcore_interactions.task_segments.insert_for_segment`` — what ``relcore tasks add
--segment`` does before it reads the rows back: the set-based checks on the lines, a block of task
numbers drawn in one call, and ONE ``INSERT … SELECT`` from the segments plugin's lines select
(task numbers computed in SQL), in one relcore session.

Baseline: plain ``sqlite3`` with relcore's settings (``baseline.Target.connect``, opened outside
the timing), in one ``BEGIN IMMEDIATE`` transaction: read the segment's lines, build the same task
rows in Python (numbers formatted, every column of the row relcore writes) and insert them with
one ``executemany``.

Both sides assert ``size`` tasks. Goal: ratio ≤ 2.
"""

from __future__ import annotations

import datetime as dt
import uuid

from baseline import count, database, median_of, transaction
from segments_common import fill_contacts

DEFAULT_SIZE = 100_000
GOAL = 2.0
REPEAT = 3
DAY = dt.date(2024, 1, 15)

FILL_LINES = """
INSERT INTO segments_line (segment_no, line_no, contact_no, contact_company_no,
    contact_alt_address_code, salesperson_code, campaign_no, description, cost_lcy,
    duration_min, campaign_target, information_flow, initiated_by, campaign_response,
    correspondence_type, subject, evaluation, interaction_successful, contact_via,
    send_word_doc_as_attmt, document_type, document_no)
SELECT ?, 10000 * row_number() OVER (ORDER BY no), no, company_no, '', 'JO', 'CP1', '', 0, 0,
       0, '', '', 0, '', '', '', 1, '', 0, '', ''
FROM contacts_contact
"""


def _segment(app, con, description: str) -> str:
    from relcore_segments import segments

    with app.session() as session:
        no = segments.create_segment(session, {"description": description})["no"]
    with transaction(con):
        con.execute(FILL_LINES, (no,))
    return no


def _baseline_rows(lines, seg: str, first: int) -> list[tuple]:
    """The task rows relcore writes, built in Python (numbers TB000001...)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    end = DAY + dt.timedelta(days=1)
    rows = []
    for i, (contact, company, salesperson, campaign) in enumerate(lines):
        no = f"TB{first + i:06d}"
        rows.append(
            (no, salesperson, campaign, contact, company or None, seg, DAY,
             "Follow up", 86_400_000, end, "00:00:00.000000", no, DAY, now,
             uuid.uuid4().hex, now, now)
        )  # fmt: skip
    return rows


INSERT_TASK = """
INSERT INTO interactions_task (no, team_code, salesperson_code, campaign_no, contact_no,
    contact_company_no, opportunity_no, opportunity_entry_no, segment_no, type, date, status,
    priority, description, closed, date_closed, canceled, recurring, recurring_date_interval,
    calc_due_date_from, start_time, duration_ms, all_day_event, ending_date, ending_time,
    location, organizer_to_do_no, system_to_do_type, interaction_template_code, language_code,
    attachment_no, subject, unit_cost_lcy, unit_duration_min, completed_by, activity_code,
    last_date_modified, last_time_modified, system_id, created_at, modified_at, version)
VALUES (?, NULL, ?, ?, ?, ?, NULL, 0, ?, '', ?, 'not_started', 'normal', ?, 0, NULL, 0, 0, '',
    '', NULL, ?, 0, ?, ?, '', ?, 'organizer', NULL, '', NULL, '', 0, 0, NULL, NULL, ?, ?, ?, ?, ?,
    1)
"""


def run(size: int) -> tuple[float, float, dict]:
    """(ours, baseline) median seconds for a ``size``-line segment, plus the read-back time of
    the shell path (``create_task``: insert and return every row) as an extra figure."""
    from relcore_interactions import task_segments, task_service

    from relcore import entities

    with database(None) as target:
        app = target.app(["contacts", "interactions", "segments"], work_date=DAY)
        fill_contacts(target, size)
        with app.session() as session:
            entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        con = target.connect()
        segs_ours = [_segment(app, con, f"ours {i}") for i in range(REPEAT)]
        segs_base = [_segment(app, con, f"base {i}") for i in range(REPEAT)]
        values = {"description": "Follow up", "date": DAY}
        next_first = [1]

        def ours() -> None:
            seg = segs_ours.pop(0)
            with app.session() as session:
                task_segments.insert_for_segment(session, {**values, "segment_no": seg})

        def baseline() -> None:
            seg = segs_base.pop(0)
            with transaction(con):
                lines = con.execute(
                    "SELECT contact_no, contact_company_no, salesperson_code, campaign_no "
                    "FROM segments_line WHERE segment_no = ? ORDER BY line_no",
                    (seg,),
                ).fetchall()
                con.executemany(INSERT_TASK, _baseline_rows(lines, seg, next_first[0]))
            next_first[0] += len(lines)

        ours_times, base_times = [], []
        for _ in range(REPEAT):  # interleaved
            ours_times.append(median_of(ours, 1))
            base_times.append(median_of(baseline, 1))
        assert count(con, "interactions_task", "WHERE no LIKE 'TD%'") == REPEAT * size
        assert count(con, "interactions_task", "WHERE no LIKE 'TB%'") == REPEAT * size
        seg = _segment(app, con, "shell path")

        def shell_path() -> None:
            with app.session() as session:
                assert len(task_service.create_task(session, {**values, "segment_no": seg})) == size

        read_back = median_of(shell_path, 1)
        con.close()
        app.dispose()
        ours_s = sorted(ours_times)[REPEAT // 2]
        base_s = sorted(base_times)[REPEAT // 2]
        return ours_s, base_s, {"create_task with read-back (s)": round(read_back, 4)}
