"""interactions-stats: the statistics of a company with ``size`` entries (one SQL aggregate),
against the same aggregate run through the plain driver on the same database (relcore's
settings, connection opened outside the timing). Goal: ratio ≤ 1.5.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from baseline import database, timed

DEFAULT_SIZE = 100_000
RUNS = 15


def run(size: int = DEFAULT_SIZE, db: str | None = None) -> tuple[float, float]:
    """Median seconds of ours (``statistics(contact_no=company)``) and of the baseline."""
    sys.path.insert(0, str(Path(__file__).parent))
    from interactions_log import _records, _setup
    from relcore_interactions.api import statistics as stats
    from relcore_interactions.statistics import aggregate_select, contact_filter

    with database(db) as target:
        app = _setup(target)
        with app.session() as s:
            app.log_interactions(s, _records(size))
        with app.session() as s:
            stmt = aggregate_select(contact_filter(s, "CT000001"))
            sql = str(stmt.compile(s, compile_kwargs={"literal_binds": True}))
        con = target.connect()
        result: dict = {}
        plain: list = []

        def ours_once() -> None:
            with app.session() as s:
                result.update(stats(s, contact_no="CT000001"))

        def base_once() -> None:
            plain[:] = [con.execute(sql).fetchone()]
            if target.is_postgres:
                con.rollback()

        ours, baseline = [], []
        for _ in range(RUNS):  # interleaved
            ours.append(timed(ours_once))
            baseline.append(timed(base_once))
        assert result["no_of_interactions"] == size and plain[0] is not None
        con.close()
        app.dispose()
    return statistics.median(ours), statistics.median(baseline)
