"""Benchmark: statistics of a company with ``size`` entries (one SQL aggregate), against the
same aggregate SQL through plain ``sqlite3`` on the same file (goal: ratio <= 1.5).

Run: ``.venv/bin/python benchmarks/interactions_stats.py [size]``.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SIZE = 100_000


RUNS = 15


def run(size: int = 100_000) -> tuple[float, float]:
    """Median seconds of ours (``statistics(contact_no=company)``) and of the baseline."""
    sys.path.insert(0, str(Path(__file__).parent))
    from interactions_log import _records, _setup
    from relcore_interactions.api import statistics as stats
    from relcore_interactions.statistics import aggregate_select, contact_filter

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "stats.db"
        app = _setup(f"sqlite:///{db}")
        with app.session() as s:
            app.log_interactions(s, _records(size))
        ours = []
        for _ in range(RUNS):
            start = time.perf_counter()
            with app.session() as s:
                result = stats(s, contact_no="CT000001")
            ours.append(time.perf_counter() - start)
        assert result["no_of_interactions"] == size
        with app.session() as s:
            stmt = aggregate_select(contact_filter(s, "CT000001"))
            sql = str(stmt.compile(s, compile_kwargs={"literal_binds": True}))
        app.dispose()
        conn = sqlite3.connect(db)
        baseline = []
        for _ in range(RUNS):
            start = time.perf_counter()
            conn.execute(sql).fetchone()
            baseline.append(time.perf_counter() - start)
        conn.close()
    return statistics.median(ours), statistics.median(baseline)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    ours, base = run(n)
    print(
        f"interactions_stats size={n}: ours {ours * 1000:.1f}ms, baseline {base * 1000:.1f}ms, "
        f"ratio {ours / base:.2f} (goal <= 1.5)"
    )
