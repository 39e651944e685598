"""Benchmark: statistics by stage of one sales cycle (``relcore opportunities stats --cycle``)
over ``size`` opportunities with 5 entries each (default 200,000 / 1,000,000), against the same
aggregate through the plain driver (``sqlite3`` or ``psycopg``, relcore's connection settings,
connection opened outside the timed region, one transaction as relcore's session). Goal: ratio
<= 1.5.

Ours: :func:`relcore_opportunities.statistics.statistics` in a session (one aggregate query).
Baseline: the aggregate a competent user writes by hand, fetched with the plain driver.

Run: ``.venv/bin/python benchmarks/run.py opportunities-stats [--size N] [--db postgresql://…]``.
"""

from __future__ import annotations

from baseline import database, median_of, transaction
from opportunities_common import build, fill_sql

DEFAULT_SIZE = 200_000
GOAL = 1.5
REPEAT = 9

OPPORTUNITIES = """
INSERT INTO opportunities_opportunity (no, description, salesperson_code, contact_no,
    sales_cycle_code, sales_document_type, sales_document_no, creation_date, status, priority,
    closed, no_series, segment_description, system_id, created_at, modified_at, version)
SELECT {no}, 'Deal', 'JO', NULL, CASE WHEN i % 4 = 0 THEN 'EXISTING' ELSE 'NEW' END,
       '', '', '2024-01-15', CASE WHEN i % 10 = 0 THEN 'won' ELSE 'in_progress' END, 'normal',
       i % 10 = 0, '', '', {uuid}, '2024-01-01', '2024-01-01', 1
FROM {series}
"""

ENTRIES = """
INSERT INTO opportunities_entry (entry_no, opportunity_no, sales_cycle_code, sales_cycle_stage,
    sales_cycle_stage_description, salesperson_code, date_of_change, active, days_open,
    action_taken, estimated_value_lcy, calcd_current_value_lcy, completed_pct,
    chances_of_success_pct, probability_pct, previous_sales_cycle_stage, estimated_close_date)
SELECT i + 1, {opp_no}, CASE WHEN (i / 5) % 4 = 0 THEN 'EXISTING' ELSE 'NEW' END,
       CASE WHEN i % 5 = 4 AND (i / 5) % 10 = 0 THEN 0 ELSE 1 + (i + i / 5) % 4 END, '', 'JO',
       {change_date}, i % 5 = 4,
       CASE WHEN i % 5 = 4 THEN 0 ELSE 7 END,
       CASE WHEN i % 5 = 0 THEN '' WHEN i % 5 = 4 AND (i / 5) % 10 = 0 THEN 'won' ELSE 'next' END,
       1000 + i % 997, (1000 + i % 997) * 0.25, 40, 25, 25, 0, {close_date}
FROM {series}
"""

BASELINE = """
SELECT s.sales_cycle_code, s.stage, s.description,
       count(CASE WHEN e.active AND e.action_taken NOT IN ('won', 'lost') THEN 1 END),
       sum(CASE WHEN e.active AND e.action_taken NOT IN ('won', 'lost')
           THEN e.estimated_value_lcy END),
       sum(CASE WHEN e.active AND e.action_taken NOT IN ('won', 'lost')
           THEN e.calcd_current_value_lcy END),
       avg(CASE WHEN NOT e.active THEN e.days_open END)
FROM opportunities_stage s
LEFT JOIN opportunities_entry e
  ON e.sales_cycle_code = s.sales_cycle_code AND e.sales_cycle_stage = s.stage
WHERE s.sales_cycle_code = {p}
GROUP BY s.sales_cycle_code, s.stage, s.description
ORDER BY s.sales_cycle_code, s.stage
"""


def _fill(target, con, size: int) -> None:
    """``size`` opportunities (every 4th in EXISTING, every 10th won) with 5 entries each, the
    last one active; one ``INSERT … SELECT`` per table."""
    sql = fill_sql(target)
    if target.is_postgres:
        days = "date '{start}' + ({step})::int"
    else:
        days = "date('{start}', '+' || ({step}) || ' days')"
    with transaction(con):
        no = sql.number("OP", "i", 7)
        con.execute(OPPORTUNITIES.format(no=no, uuid=sql.uuid, series=sql.series(size)))
        con.execute(
            ENTRIES.format(
                opp_no=sql.number("OP", "i / 5", 7),
                change_date=days.format(start="2024-01-01", step="(i % 5) * 7"),
                close_date=days.format(start="2024-02-01", step="i % 300"),
                series=sql.series(size * 5),
            )
        )
    sql.analyze(con)


def run(size: int = DEFAULT_SIZE, db: str | None = None) -> tuple[float, float, dict]:
    """Median seconds of ours and of the baseline; checks both see the same counts."""
    from relcore_opportunities.statistics import statistics

    with database(db) as target:
        app = build(target, ("contacts", "interactions", "opportunities"))
        con = target.connect()
        _fill(target, con, size)
        statement = BASELINE.format(p=target.paramstyle)
        result = {}

        def ours() -> None:
            with app.session() as session:
                result["ours"] = statistics(session, cycle="NEW")

        def plain() -> None:
            with transaction(con):
                result["plain"] = con.execute(statement, ("NEW",)).fetchall()

        # each side in its own block (see campaigns_stats: a transaction on the other
        # connection resets a SQLite connection's page cache)
        ours_s = median_of(ours, REPEAT)
        plain_s = median_of(plain, REPEAT)
        counts = [r["no_of_opportunities"] for r in result["ours"]["stages"]]
        assert counts == [r[3] for r in result["plain"]], (counts, result["plain"])
        con.close()
        app.dispose()
    return ours_s, plain_s, {"opportunities": size, "entries": size * 5, "open": sum(counts)}


if __name__ == "__main__":
    import sys

    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE))
