"""segments-log: logging a ``size``-line segment, time and peak Python memory (§5.6).

Ours: ``relcore_segments.segment_log.log_segment`` (set-based: §4.5 validation queries, one
``INSERT … SELECT`` for the entries, the ``relcore_segments_logged`` hook, the segment deleted).

Time baseline — what a user writing SQL would do: one ``INSERT INTO interactions_log_entry …
SELECT … FROM segments_line JOIN contacts_contact JOIN interactions_template`` (entry numbers from
the ledger: ``nextval`` of its sequence on PostgreSQL, the counter row + ``row_number()`` on
SQLite), the logged-segment row, then the deletes of the segment's rows. No checks at all.

Memory baseline — the streaming loop a Python user would write instead: read the lines through a
cursor in chunks of 10,000 (``fetchmany``), build the entry tuples and ``executemany`` each chunk
(its peak does not grow with the segment). Peak memory is ``tracemalloc``'s, one run each.

Both ratios are printed; the final line reports the worse, so it fails when either misses the
goal (≤ 2). Both sides assert that ``size`` entries were written and the segment is gone.
"""

from __future__ import annotations

import itertools
import tracemalloc
from statistics import median

from baseline import count, database, ledger_nos, ledger_sequence, timed, transaction
from segments_common import PLUGINS, fill_contacts

DEFAULT_SIZE = 100_000
REPEAT = 3
CHUNK = 10_000
TABLE = "interactions_log_entry"

_HEADER = """INSERT INTO segments_header (no, description, salesperson_code,
    interaction_template_code, interaction_group_code, unit_cost_lcy, unit_duration_min, date,
    campaign_target, information_flow, initiated_by, campaign_response,
    correspondence_type_default, subject_default, send_word_docs_as_attmt,
    ignore_contact_corres_type, no_series, system_id, created_at, modified_at, version)
VALUES ({p}, 'Mailing', 'JO', 'BUS', 'LETTER', 2, 5, '2024-01-15', {f}, 'outbound', 'us', {f},
        '', '', {f}, {f}, '', {uuid}, '2024-01-01', '2024-01-01', 1)"""
_LINES = """INSERT INTO segments_line (segment_no, line_no, contact_no, contact_company_no,
    contact_alt_address_code, salesperson_code, correspondence_type, language_code, subject,
    evaluation, interaction_successful, contact_via, document_type, document_no, description,
    campaign_no, interaction_template_code, interaction_group_code, cost_lcy, duration_min,
    date, campaign_target, information_flow, initiated_by, campaign_response,
    send_word_doc_as_attmt, word_template_code)
SELECT {p}, 10000 * row_number() OVER (ORDER BY no), no, company_no, '', 'JO', 'hard_copy', NULL,
       '', '', {t}, '', '', '', 'Mailing', NULL, 'BUS', 'LETTER', 2, 5, '2024-01-15', {f},
       'outbound', 'us', {f}, {f}, NULL
FROM contacts_contact"""

_ENTRY_COLUMNS = """entry_no, contact_no, contact_company_no, date, description, subject,
    information_flow, initiated_by, interaction_group_code, interaction_template_code,
    language_code, cost, duration, user_id, salesperson_code, campaign_no, campaign_target,
    campaign_response, segment_no, logged_segment_entry_no, evaluation, attempt_failed,
    delivery_status, delivery_error, canceled, postponed, correspondence_type,
    contact_alt_address_code, document_type, document_no, doc_no_occurrence, version_no,
    contact_via, email_logged, event_code, logged_at"""
_ENTRY_VALUES = """c.no, nullif(c.company_no, ''), coalesce(l.date, '2024-01-15'),
    l.description, coalesce(nullif(l.subject, ''), l.description), l.information_flow,
    l.initiated_by, t.interaction_group_code, l.interaction_template_code, '', l.cost_lcy,
    l.duration_min, 'BENCH', l.salesperson_code, l.campaign_no, l.campaign_target,
    l.campaign_response, l.segment_no, {logged}, l.evaluation, NOT l.interaction_successful, '',
    '', {f}, {f}, l.correspondence_type, l.contact_alt_address_code, l.document_type,
    l.document_no, 0, 0, l.contact_via, {f}, '', '2024-01-15 00:00:00'"""
_FROM = """FROM segments_line l JOIN contacts_contact c ON c.no = l.contact_no
    JOIN interactions_template t ON t.code = l.interaction_template_code
WHERE l.segment_no = {p}"""


def _dialect(target) -> dict:
    if target.is_postgres:
        return {"p": "%s", "f": "false", "t": "true", "uuid": "gen_random_uuid()"}
    return {"p": "?", "f": "0", "t": "1", "uuid": "lower(hex(randomblob(16)))"}


def _prepare(app) -> None:
    from relcore import entities

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


def _fill_segment(target, con, seg: str) -> None:
    d = _dialect(target)
    with transaction(con):
        con.execute(_HEADER.format(**d), (seg,))
        con.execute(_LINES.format(**d), (seg,))


def _logged_segment(target, con, d: dict, seg: str) -> int:
    logged = ledger_nos(target, con, "segments_logged_segment", 1)[0]
    con.execute(
        "INSERT INTO segments_logged_segment (entry_no, segment_no, description, creation_date, "
        f"user_id, canceled) VALUES ({d['p']}, {d['p']}, 'Mailing', '2024-01-15', 'BENCH', "
        f"{d['f']})",
        (logged, seg),
    )
    return logged


def _delete(con, d: dict, seg: str) -> None:
    for table in (
        "segments_criteria_line",
        "segments_history",
        "segments_interaction_language",
        "segments_line",
    ):
        con.execute(f"DELETE FROM {table} WHERE segment_no = {d['p']}", (seg,))
    con.execute(f"DELETE FROM segments_header WHERE no = {d['p']}", (seg,))


def _draw(target, con, n: int) -> str:
    """SQL for the entry numbers, the ledger kept in step: PostgreSQL ``nextval`` of the ledger's
    sequence; SQLite the counter row moved by ``n`` and ``first + row_number()``."""
    if target.is_postgres:
        return f"nextval('{ledger_sequence(con, 'interactions_log_entry')}')"
    first = ledger_nos(target, con, "interactions_log_entry", n)[0]
    return f"{first - 1} + row_number() OVER (ORDER BY l.line_no)"


def _insert_select(target, con, seg: str) -> None:
    d = _dialect(target)
    with transaction(con):
        n = con.execute(
            f"SELECT count(*) FROM segments_line WHERE segment_no = {d['p']}", (seg,)
        ).fetchone()[0]
        logged = _logged_segment(target, con, d, seg)
        values = _ENTRY_VALUES.format(logged=logged, **d)
        con.execute(
            f"INSERT INTO interactions_log_entry ({_ENTRY_COLUMNS}) "
            f"SELECT {_draw(target, con, n)}, {values} {_FROM.format(**d)} ORDER BY l.line_no",
            (seg,),
        )
        _delete(con, d, seg)


def _streaming(target, con, seg: str) -> None:
    d = _dialect(target)
    marks = ", ".join([d["p"]] * 36)
    insert = f"INSERT INTO interactions_log_entry ({_ENTRY_COLUMNS}) VALUES ({marks})"
    with transaction(con):
        n = con.execute(
            f"SELECT count(*) FROM segments_line WHERE segment_no = {d['p']}", (seg,)
        ).fetchone()[0]
        logged = _logged_segment(target, con, d, seg)
        first = None if target.is_postgres else ledger_nos(target, con, TABLE, n)[0]
        reader = con.cursor()
        reader.execute(
            f"SELECT {_ENTRY_VALUES.format(logged=logged, **d)} {_FROM.format(**d)} "
            "ORDER BY l.line_no",
            (seg,),
        )
        numbers = itertools.count(first) if first is not None else None
        writer = con.cursor()
        while rows := reader.fetchmany(CHUNK):
            if numbers is None:  # PostgreSQL: the chunk's numbers from the sequence
                nos = ledger_nos(target, con, TABLE, len(rows))
            else:
                nos = [next(numbers) for _ in rows]
            writer.executemany(insert, [(no, *row) for no, row in zip(nos, rows, strict=True)])
        _delete(con, d, seg)


def _peak(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run(size: int = DEFAULT_SIZE, db: str | None = None) -> tuple[float, float, dict]:
    """(our median seconds, baseline median seconds, figures incl. the memory ratio)."""
    from relcore_segments.segment_log import log_segment

    with database(db) as target:
        app = target.app(PLUGINS)
        fill_contacts(target, size)
        _prepare(app)
        con = target.connect()
        names = (f"S{i}" for i in itertools.count(1))

        def ours(seg: str) -> None:
            with app.session() as session:
                assert log_segment(session, seg).interactions == size

        def logged(side) -> float:
            seg = next(names)
            _fill_segment(target, con, seg)
            before = count(con, "interactions_log_entry")
            elapsed = timed(lambda: side(seg))
            assert count(con, "interactions_log_entry") == before + size
            assert count(con, "segments_line") == 0
            return elapsed

        ours_times, base_times = [], []
        for _ in range(REPEAT):  # interleaved
            ours_times.append(logged(ours))
            base_times.append(logged(lambda s: _insert_select(target, con, s)))
        memory = {}
        for name, side in (
            ("ours", ours),
            ("baseline (streaming)", lambda s: _streaming(target, con, s)),
        ):
            seg = next(names)
            _fill_segment(target, con, seg)
            memory[name] = _peak(lambda s=seg, f=side: f(s))
            assert count(con, "segments_line") == 0
        con.close()
        app.dispose()
    mem_ratio = memory["ours"] / memory["baseline (streaming)"]
    extra = {
        "time baseline": "one INSERT … SELECT + the deletes",
        "peak memory ours": f"{memory['ours'] / 1e6:.2f} MB",
        "peak memory baseline (streaming, chunks of 10,000)": (
            f"{memory['baseline (streaming)'] / 1e6:.2f} MB"
        ),
        "ratios": {"memory": mem_ratio},
    }
    return median(ours_times), median(base_times), extra
