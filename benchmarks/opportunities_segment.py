"""Benchmark: one opportunity per line of a ``size``-line segment with Activate First Stage
(``relcore opportunities add --segment S --activate-first-stage ...``; default 50,000 lines),
against the plain driver (``sqlite3`` or ``psycopg``) inserting the same opportunity and entry
rows (relcore's connection settings, connection opened outside the timed region, one
transaction).
Goal: ratio <= 2.5.

Ours: :func:`relcore_opportunities.creating.create_for_segment` in one session (numbers drawn in
bulk, both tables written by batch inserts, the status machine as one UPDATE).
Baseline: a competent user's plain SQL: numbers drawn from the series line, then
``INSERT … SELECT`` of the opportunities from the segment lines and of their first entries
(entry numbers from relcore's ledger, so both sides keep one numbering).

Run: ``.venv/bin/python benchmarks/run.py opportunities-segment [--size N] [--db postgresql://…]``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from baseline import count, database, ledger_nos, ledger_sequence, timed, transaction
from opportunities_common import WORK_DATE, fill_sql
from segments_common import fill_contacts
from segments_log import _fill_segment, _prepare

DEFAULT_SIZE = 50_000
GOAL = 2.5

OPPORTUNITIES = """
INSERT INTO opportunities_opportunity (no, description, salesperson_code, campaign_no,
    contact_no, contact_company_no, sales_cycle_code, sales_document_type, sales_document_no,
    creation_date, status, priority, closed, no_series, segment_no, segment_description,
    system_id, created_at, modified_at, version)
SELECT {no}, 'Fair', salesperson_code, campaign_no, contact_no, contact_company_no, 'EXISTING',
       '', '', '2024-01-15', 'in_progress', 'normal', {false}, 'OPP', segment_no, 'Mailing',
       {uuid}, '2024-01-15', '2024-01-15', 1
FROM segments_line WHERE segment_no = {p} ORDER BY line_no
"""

ENTRIES = """
INSERT INTO opportunities_entry (entry_no, opportunity_no, sales_cycle_code, sales_cycle_stage,
    sales_cycle_stage_description, contact_no, contact_company_no, salesperson_code,
    campaign_no, date_of_change, active, days_open, action_taken, estimated_value_lcy,
    calcd_current_value_lcy, completed_pct, chances_of_success_pct, probability_pct,
    previous_sales_cycle_stage, estimated_close_date)
SELECT {entry_no}, no, 'EXISTING', 1, 'Initial', contact_no, contact_company_no,
       salesperson_code, campaign_no, '2024-01-15', {true}, 0, '', 1000, 20, 2, 30, 2, 0,
       '2024-03-01'
FROM opportunities_opportunity WHERE segment_no = {p} ORDER BY no
"""


def _plain_sql(target, con, size: int) -> tuple[str, str]:
    """The baseline's two statements: opportunity numbers continuing the series line's last
    number; entry numbers from relcore's ledger (PostgreSQL ``nextval`` of its sequence,
    SQLite the counter row moved by ``size`` inside the transaction)."""
    sql = fill_sql(target)
    p = target.paramstyle
    no = sql.number("OP", f"{p} + row_number() OVER (ORDER BY line_no)", 6)
    if target.is_postgres:
        entry_no = f"nextval('{ledger_sequence(con, 'opportunities_entry')}')"
    else:
        first = ledger_nos(target, con, "opportunities_entry", size)[0]
        entry_no = f"{first - 1} + row_number() OVER (ORDER BY no)"
    common = {"p": p, "true": sql.true, "false": sql.false, "uuid": sql.uuid}
    return OPPORTUNITIES.format(no=no, **common), ENTRIES.format(entry_no=entry_no, **common)


def run(size: int = DEFAULT_SIZE, db: str | None = None) -> tuple[float, float, dict]:
    """Seconds of ours and of the baseline, on separate segments of the same database."""
    from relcore_opportunities.creating import create_for_segment

    with database(db) as target:
        from relcore_opportunities.demo import load_setup

        app = target.app(
            ["contacts", "interactions", "segments", "opportunities"], work_date=WORK_DATE
        )
        _prepare(app)  # salesperson JO, template BUS (the segments benchmarks' set-up)
        with app.session() as session:
            load_setup(session)
            # the "opportunity created" interactions are another feature: not logged here
            from relcore_interactions.events import set_template

            set_template(session, "opportunities.created", None)
        fill_contacts(target, size)
        con = target.connect()
        for seg in ("SMOURS", "SMBASE"):
            _fill_segment(target, con, seg)
        wizard = {
            "estimated_value_lcy": Decimal(1000),
            "chances_of_success_pct": Decimal(30),
            "estimated_close_date": dt.date(2024, 3, 1),
        }

        def ours() -> None:
            with app.session() as session:
                create_for_segment(
                    session,
                    "SMOURS",
                    {"description": "Fair", "sales_cycle_code": "EXISTING"},
                    activate_first_stage=True,
                    wizard=wizard,
                )

        ours_s = timed(ours)
        p = target.paramstyle
        lock = " FOR UPDATE" if target.is_postgres else ""  # SQLite: BEGIN IMMEDIATE holds it

        def plain() -> None:
            with transaction(con):
                last = con.execute(
                    f"SELECT last_no_used FROM core_no_series_line WHERE series_code = 'OPP'{lock}"
                ).fetchone()[0]
                start = int(last[2:])
                con.execute(
                    f"UPDATE core_no_series_line SET last_no_used = {p} WHERE series_code = 'OPP'",
                    (f"OP{start + size:06d}",),
                )
                opportunities, entries = _plain_sql(target, con, size)
                con.execute(opportunities, (start, "SMBASE"))
                con.execute(entries, ("SMBASE",))

        plain_s = timed(plain)
        made = count(con, "opportunities_opportunity")
        entries = count(con, "opportunities_entry", "WHERE active")
        assert made == entries == 2 * size, (made, entries)
        con.close()
        app.dispose()
    return ours_s, plain_s, {"lines": size}


if __name__ == "__main__":
    import sys

    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE))
