"""segments-add: Add Contacts with a two-source criterion over ``size`` contacts (§5.5).

Ours: ``relcore_segments.criteria.add_contacts`` with ``job_responsibility.code=PURCHASE`` and
``contact.post_code=1000..1999`` on a new segment (lines, history rows, criteria line). Baseline,
the faster of two plain-driver versions of the same work (segment header, lines in the same order
with the same line numbers, history rows), each in one transaction:

* hand-written: the ``INSERT … SELECT`` a SQL user would write;
* relcore's own compiled statements (captured from a warm-up run and replayed with the new
  segment no.), so a slow hand-written query cannot flatter us.

Both sides assert the number of lines written. Goal: ratio ≤ 1.5.
"""

from __future__ import annotations

import itertools
from statistics import median

import sqlalchemy as sa
from baseline import count, database, timed, transaction
from segments_common import PLUGINS, fill_contacts

DEFAULT_SIZE = 1_000_000  # the size: Add Contacts over 1,000,000 contacts
REPEAT = 3

HEADER = """INSERT INTO segments_header (no, description, unit_cost_lcy, unit_duration_min,
    campaign_target, information_flow, initiated_by, campaign_response,
    correspondence_type_default, subject_default, send_word_docs_as_attmt,
    ignore_contact_corres_type, no_series, system_id, created_at, modified_at, version)
VALUES ({p}, 'Bench', 0, 0, {f}, '', '', {f}, '', '', {f}, {f}, '', {uuid}, '2024-01-01',
    '2024-01-01', 1)"""
LINES = """INSERT INTO segments_line (segment_no, line_no, contact_no, contact_company_no,
    contact_alt_address_code, salesperson_code, correspondence_type, language_code, subject,
    evaluation, interaction_successful, contact_via, document_type, document_no, description,
    campaign_no, interaction_template_code, interaction_group_code, cost_lcy, duration_min,
    date, campaign_target, information_flow, initiated_by, campaign_response,
    send_word_doc_as_attmt, word_template_code)
SELECT {p}, 10000 * row_number() OVER (ORDER BY c.company_name, c.company_no, c.type, c.name,
       c.no), c.no, c.company_no, '', c.salesperson_code, c.correspondence_type, NULL, '',
       '', {t}, '', '', '', 'Bench', NULL, NULL, NULL, 0, 0, '2024-01-15', {f}, '', '', {f},
       {f}, NULL
FROM contacts_contact c
WHERE c.post_code BETWEEN {low} AND {high}
  AND EXISTS (SELECT 1 FROM contacts_contact_job_responsibility j
              WHERE j.contact_no = c.no AND j.job_responsibility_code = 'PURCHASE')
  AND c.exclude_from_segment = {f}"""
HISTORY = """INSERT INTO segments_history (segment_no, segment_action_no, segment_line_no,
    contact_no, action_taken)
SELECT segment_no, 1, line_no, contact_no, 'insertion' FROM segments_line WHERE segment_no = {p}"""

FILTERS = {"job_responsibility": {"code": "PURCHASE"}, "contact": {"post_code": "1000..1999"}}
LARGE = 5_000_000
"""Above this many contacts the post-code range is 2000..2499 (about 1% of the contacts instead
of 4%): a segment numbers its lines 10000 apart in a 32-bit Line No. (as BC), so it holds at
most 214,748 lines, and 4% of 10,000,000 contacts would not fit (relcore refuses that)."""


def _filters(size: int) -> dict:
    if size <= LARGE:
        return FILTERS
    return {**FILTERS, "contact": {"post_code": "2000..2499"}}


def _dialect(target) -> dict:
    if target.is_postgres:
        return {"p": "%s", "f": "false", "t": "true", "uuid": "gen_random_uuid()"}
    return {"p": "?", "f": "0", "t": "1", "uuid": "lower(hex(randomblob(16)))"}


def _capture(app, filters: dict) -> tuple[str, list[tuple[str, object]]]:
    """Run ours once and keep relcore's compiled line and history INSERTs with their
    parameters; returns (segment no., statements)."""
    from relcore_segments.criteria import add_contacts
    from relcore_segments.segments import create_segment

    seen: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        head = statement.lstrip()[:40].upper()
        if head.startswith(("INSERT INTO SEGMENTS_LINE", "INSERT INTO SEGMENTS_HISTORY")):
            seen.append((statement, parameters))

    sa.event.listen(app.engine, "before_cursor_execute", keep)
    try:
        with app.session() as session:
            no = create_segment(session, {"description": "Bench"})["no"]
            add_contacts(session, no, filters)
    finally:
        sa.event.remove(app.engine, "before_cursor_execute", keep)
    assert len(seen) == 2, [s[:40] for s, _ in seen]
    return no, seen


def _replace(parameters, old: str, new: str):
    if isinstance(parameters, dict):
        return {k: (new if v == old else v) for k, v in parameters.items()}
    return tuple(new if v == old else v for v in parameters)


def run(size: int = DEFAULT_SIZE, db: str | None = None) -> tuple[float, float, dict]:
    """(our median seconds, the faster baseline's median seconds, figures)."""
    from relcore_segments.criteria import add_contacts
    from relcore_segments.segments import create_segment

    with database(db) as target:
        app = target.app(PLUGINS)
        fill_contacts(target, size)
        d = _dialect(target)
        filters = _filters(size)
        low, high = filters["contact"]["post_code"].split("..")
        d = {**d, "low": f"'{low}'", "high": f"'{high}'"}
        warm_no, compiled = _capture(app, filters)  # also warms caches for both sides
        with app.session() as session:
            expected = session.execute(
                sa.text("SELECT count(*) FROM segments_line WHERE segment_no = :n"), {"n": warm_no}
            ).scalar_one()
        assert expected > 0
        con = target.connect()
        names = (f"BASE{i}" for i in itertools.count(1))

        def ours() -> None:
            with app.session() as session:
                no = create_segment(session, {"description": "Bench"})["no"]
                assert add_contacts(session, no, filters).inserted == expected

        def hand_written(seg: str) -> None:
            with transaction(con):
                con.execute(HEADER.format(**d), (seg,))
                con.execute(LINES.format(**d), (seg,))
                con.execute(HISTORY.format(**d), (seg,))

        def relcore_sql(seg: str) -> None:
            with transaction(con):
                con.execute(HEADER.format(**d), (seg,))
                for statement, parameters in compiled:
                    con.execute(statement, _replace(parameters, warm_no, seg))

        def timed_base(side) -> float:
            seg = next(names)
            elapsed = timed(lambda: side(seg))
            where = f"WHERE segment_no = '{seg}'"
            assert count(con, "segments_line", where) == expected
            assert count(con, "segments_history", where) == expected
            return elapsed

        times: dict[str, list[float]] = {"ours": [], "hand-written": [], "relcore SQL": []}
        for _ in range(REPEAT):  # interleaved
            times["ours"].append(timed(ours))
            times["hand-written"].append(timed_base(hand_written))
            times["relcore SQL"].append(timed_base(relcore_sql))
        con.close()
        app.dispose()
    med = {k: median(v) for k, v in times.items()}
    best = min(("hand-written", "relcore SQL"), key=med.get)
    extra = {
        "lines per run": expected,
        "post codes": filters["contact"]["post_code"],
        "baseline hand-written INSERT … SELECT": f"{med['hand-written']:.4f}s",
        "baseline relcore's compiled SQL, plain driver": f"{med['relcore SQL']:.4f}s",
        "baseline used": best,
    }
    return med["ours"], med[best], extra
