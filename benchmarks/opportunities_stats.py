"""Benchmark: statistics by stage of one sales cycle (``relcore opportunities stats --cycle``)
over ``size`` opportunities with 5 entries each (default 200,000 / 1,000,000), against the same
aggregate in plain ``sqlite3`` (same connection settings, connection opened outside the timed
region). Goal: ratio <= 1.5.

Ours: :func:`relcore_opportunities.statistics.statistics` in a session (one aggregate query).
Baseline: the aggregate a competent user writes by hand, fetched with ``sqlite3``.

Run: ``.venv/bin/python benchmarks/run.py opportunities-stats [--size N]``.
"""

from __future__ import annotations

from baseline import database, median_of
from opportunities_common import build

DEFAULT_SIZE = 200_000
GOAL = 1.5
REPEAT = 9

FILL = """
INSERT INTO opportunities_opportunity (no, description, salesperson_code, contact_no,
    sales_cycle_code, sales_document_type, sales_document_no, creation_date, status, priority,
    closed, no_series, segment_description, system_id, created_at, modified_at, version)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last})
SELECT printf('OP%07d', i), 'Deal', 'JO', NULL, CASE WHEN i % 4 = 0 THEN 'EXISTING' ELSE 'NEW' END,
       '', '', '2024-01-15', CASE WHEN i % 10 = 0 THEN 'won' ELSE 'in_progress' END, 'normal',
       i % 10 = 0, '', '', lower(hex(randomblob(16))), '2024-01-01', '2024-01-01', 1
FROM n;
INSERT INTO opportunities_entry (entry_no, opportunity_no, sales_cycle_code, sales_cycle_stage,
    sales_cycle_stage_description, salesperson_code, date_of_change, active, days_open,
    action_taken, estimated_value_lcy, calcd_current_value_lcy, completed_pct,
    chances_of_success_pct, probability_pct, previous_sales_cycle_stage, estimated_close_date)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last_entry})
SELECT i + 1, printf('OP%07d', i / 5), CASE WHEN (i / 5) % 4 = 0 THEN 'EXISTING' ELSE 'NEW' END,
       CASE WHEN i % 5 = 4 AND (i / 5) % 10 = 0 THEN 0 ELSE 1 + (i + i / 5) % 4 END, '', 'JO',
       date('2024-01-01', '+' || ((i % 5) * 7) || ' days'), i % 5 = 4,
       CASE WHEN i % 5 = 4 THEN 0 ELSE 7 END,
       CASE WHEN i % 5 = 0 THEN '' WHEN i % 5 = 4 AND (i / 5) % 10 = 0 THEN 'won' ELSE 'next' END,
       1000 + i % 997, (1000 + i % 997) * 0.25, 40, 25, 25, 0,
       date('2024-02-01', '+' || (i % 300) || ' days')
FROM n;
ANALYZE;
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
WHERE s.sales_cycle_code = ?
GROUP BY s.sales_cycle_code, s.stage, s.description
ORDER BY s.sales_cycle_code, s.stage
"""


def run(size: int = DEFAULT_SIZE) -> tuple[float, float, dict]:
    """Median seconds of ours and of the baseline; checks both see the same counts."""
    from relcore_opportunities.statistics import statistics

    with database() as target:
        app = build(target, ("contacts", "interactions", "opportunities"))
        con = target.connect()
        con.executescript(FILL.format(last=size - 1, last_entry=size * 5 - 1))
        result = {}

        def ours() -> None:
            with app.session() as session:
                result["ours"] = statistics(session, cycle="NEW")

        def plain() -> None:
            result["plain"] = con.execute(BASELINE, ("NEW",)).fetchall()

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
