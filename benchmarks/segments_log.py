"""Benchmark: logging a ``size``-line segment (SQLite file), time and peak memory.

Ours: ``relcore_segments.segment_log.log_segment`` (interaction records built in batches of
10,000 through the core logging contract, the interactions plugin storing them, the segment
deleted). Baseline: plain sqlite3 reading the lines, building the same interaction rows as a
list and inserting them with one ``executemany``, then deleting the segment.

``run(size)`` returns ``(ours_seconds, baseline_seconds, memory)`` (medians); ``memory`` (also
kept on ``run.memory``) is the peak memory of each side (``tracemalloc``, one run each):
``{"ours": bytes, "baseline": bytes, "ratio": ours / baseline}``. Goals: time ratio ≤ 2, memory
ratio ≤ 2.

Run: ``.venv/bin/python benchmarks/segments_log.py [size]`` (default 100,000).
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tracemalloc

from segments_common import build, fill_contacts, median_time

DEFAULT_SIZE = 100_000


REPEAT = 3

FILL_SEGMENT = """
INSERT INTO segments_header (no, description, salesperson_code, interaction_template_code,
    interaction_group_code, unit_cost_lcy, unit_duration_min, date, campaign_target,
    information_flow, initiated_by, campaign_response, correspondence_type_default,
    subject_default, send_word_docs_as_attmt, ignore_contact_corres_type, no_series,
    system_id, created_at, modified_at, version)
VALUES (:seg, 'Mailing', 'JO', 'BUS', 'LETTER', 2, 5, '2024-01-15', 0, 'outbound', 'us', 0, '',
        '', 0, 0, '', lower(hex(randomblob(16))), '2024-01-01', '2024-01-01', 1);
INSERT INTO segments_line (segment_no, line_no, contact_no, contact_company_no,
    contact_alt_address_code, salesperson_code, correspondence_type, language_code, subject,
    evaluation, interaction_successful, contact_via, document_type, document_no, description,
    campaign_no, interaction_template_code, interaction_group_code, cost_lcy, duration_min,
    date, campaign_target, information_flow, initiated_by, campaign_response,
    send_word_doc_as_attmt, word_template_code)
SELECT :seg, 10000 * row_number() OVER (ORDER BY no), no, company_no, '', 'JO', '', NULL, '',
       '', 1, '', '', '', 'Mailing', NULL, 'BUS', 'LETTER', 2, 5, '2024-01-15', 0, 'outbound',
       'us', 0, 0, NULL
FROM contacts_contact;
"""

INSERT_ENTRY = """
INSERT INTO interactions_log_entry (entry_no, contact_no, contact_company_no, date,
    description, subject, information_flow, initiated_by, interaction_group_code,
    interaction_template_code, language_code, cost, duration, user_id, salesperson_code,
    campaign_target, campaign_response, segment_no, logged_segment_entry_no, evaluation,
    attempt_failed, delivery_status, delivery_error, canceled, postponed, correspondence_type,
    contact_alt_address_code, document_type, document_no, doc_no_occurrence, version_no,
    contact_via, email_logged, event_code, logged_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, 'BENCH', ?, 0, 0, ?, ?, '', 0, '', '', 0, 0, ?,
        ?, '', '', 0, 0, '', 0, '', '2024-01-15 00:00:00')
"""


def _prepare(app, path: str, size: int) -> None:
    from relcore import entities

    fill_contacts(path, size)
    with app.session() as session:
        entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        entities.insert(session, "interactions.group", [{"code": "LETTER"}])
        entities.insert(
            session,
            "interactions.template",
            [
                {
                    "code": "BUS",
                    "interaction_group_code": "LETTER",
                    "description": "Letter",
                    "unit_cost": 2,
                    "unit_duration": 5,
                    "correspondence_type": "",
                }
            ],
        )


def _fill_segment(path: str, seg: str) -> None:
    con = sqlite3.connect(path)
    for statement in FILL_SEGMENT.split(";"):
        if statement.strip():
            con.execute(statement, {"seg": seg})
    con.commit()
    con.close()


def _baseline(path: str, seg: str) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("BEGIN IMMEDIATE")
    entry = con.execute(
        "SELECT max(coalesce((SELECT max(entry_no) FROM interactions_log_entry), 0), "
        "coalesce((SELECT max(last_value) FROM interactions_entry_counter), 0))"
    ).fetchone()[0]
    logged = con.execute(
        "SELECT coalesce(max(entry_no), 0) + 1 FROM segments_logged_segment"
    ).fetchone()[0]
    con.execute(
        "INSERT INTO segments_logged_segment (entry_no, segment_no, description, "
        "creation_date, user_id, canceled) VALUES (?, ?, 'Mailing', '2024-01-15', "
        "'BENCH', 0)",
        (logged, seg),
    )
    lines = con.execute(
        "SELECT contact_no, contact_company_no, date, description, subject, information_flow, "
        "initiated_by, interaction_group_code, interaction_template_code, cost_lcy, "
        "duration_min, salesperson_code, correspondence_type, contact_alt_address_code "
        "FROM segments_line WHERE segment_no = ? ORDER BY line_no",
        (seg,),
    ).fetchall()
    rows = [
        (
            entry + i + 1,
            ln[0],
            ln[1],
            ln[2],
            ln[3],
            ln[4] or ln[3],
            ln[5],
            ln[6],
            ln[7],
            ln[8],
            ln[9],
            ln[10],
            ln[11],
            seg,
            logged,
            ln[12],
            ln[13],
        )
        for i, ln in enumerate(lines)
    ]
    con.executemany(INSERT_ENTRY, rows)
    con.execute(
        "INSERT OR REPLACE INTO interactions_entry_counter (name, last_value) "
        "SELECT coalesce((SELECT name FROM interactions_entry_counter LIMIT 1), "
        "'log_entry'), ?",
        (entry + len(rows),),
    )
    for table in ("segments_line", "segments_header"):
        key = "segment_no" if table == "segments_line" else "no"
        con.execute(f"DELETE FROM {table} WHERE {key} = ?", (seg,))
    con.commit()
    con.close()


def run(size: int) -> tuple[float, float, dict]:
    """(our median seconds, baseline median seconds, peak memory of both) for a ``size``-line
    segment; the memory figures are also kept on ``run.memory``."""
    from relcore_segments.segment_log import log_segment

    app, path, tmp = build(size)
    counter = iter(range(1, 10_000))
    try:
        _prepare(app, path, size)

        ours_times, base_times = [], []
        for _ in range(REPEAT):
            seg = f"OURS{next(counter)}"
            _fill_segment(path, seg)
            ours_times.append(median_time(lambda s=seg: _log(app, log_segment, s), 1))
            seg = f"BASE{next(counter)}"
            _fill_segment(path, seg)
            base_times.append(median_time(lambda s=seg: _baseline(path, s), 1))
        memory = {}
        for name, target in (
            ("ours", lambda s: _log(app, log_segment, s)),
            ("baseline", lambda s: _baseline(path, s)),
        ):
            seg = f"MEM{next(counter)}"
            _fill_segment(path, seg)
            tracemalloc.start()
            target(seg)
            memory[name] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        memory["ratio"] = memory["ours"] / memory["baseline"]
        run.memory = memory
        return sorted(ours_times)[REPEAT // 2], sorted(base_times)[REPEAT // 2], memory
    finally:
        app.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


def _log(app, log_segment, seg: str) -> None:
    with app.session() as session:
        log_segment(session, seg)


run.memory = {}

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    mine, base, _ = run(n)
    mem = run.memory
    print(
        f"segments log, {n} lines: ours {mine:.3f}s, baseline {base:.3f}s, "
        f"ratio {mine / base:.2f} (goal <= 2); peak memory ours {mem['ours'] / 1e6:.1f} MB, "
        f"baseline {mem['baseline'] / 1e6:.1f} MB, ratio {mem['ratio']:.2f} (goal <= ~2)"
    )
