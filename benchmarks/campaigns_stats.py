"""Benchmark ``campaigns-stats``: the statistics of one campaign (page 5088: contacted,
responded, cost, duration and the derived rates) over ``size`` interaction log entries spread
over 100 campaigns, against the same aggregate in plain ``sqlite3``/``psycopg`` (relcore's
connection settings, connection opened outside the timing). Goal: ratio <= 1.5.

Run: ``python benchmarks/run.py campaigns-stats [--size N] [--db postgresql://…]``.
"""

from __future__ import annotations

import datetime as dt
import statistics

import sqlalchemy as sa
from baseline import database, timed, transaction
from campaigns_common import copy_seed, padded

DEFAULT_SIZE = 1_000_000
CAMPAIGNS = 100
RUNS = 21


def _fill(app: object, size: int) -> None:
    from relcore_campaigns.campaigns import create_campaign
    from relcore_interactions.api import log_entry_table as e

    from relcore import entities
    from relcore.interactions import InteractionRecord, log_interactions

    with app.session() as s:
        entities.insert(s, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        entities.insert(s, "interactions.group", [{"code": "G"}])
        entities.insert(
            s,
            "interactions.template",
            [{"code": "T", "interaction_group_code": "G", "correspondence_type": ""}],
        )
        entities.insert(
            s,
            "contacts.contact",
            [{"no": "C0", "type": "company", "name": "C0", "company_no": "C0"}],
        )
        for i in range(CAMPAIGNS):
            create_campaign(s, {"description": f"Campaign {i}"})
        seed = log_interactions(
            s,
            [
                InteractionRecord(
                    contact_no="C0",
                    template_code="T",
                    salesperson_code="JO",
                    date=dt.date(2024, 3, 1),
                )
            ],
        )[0]["entry_no"]
        copy_seed(
            s,
            "interactions.log_entry",
            e,
            {"entry_no": seed},
            size,
            lambda i: {
                "entry_no": i + 1_000_000_000,
                "campaign_no": padded(i % CAMPAIGNS + 1, "CP", 4),
                "campaign_target": (i % 3) != 0,
                "campaign_response": (i % 7) == 0,
                "canceled": (i % 50) == 0,
                "cost": sa.cast(i % 5, sa.Numeric(20, 2)),
                "duration": sa.cast(i % 11, sa.Numeric(20, 2)),
            },
        )
        s.execute(sa.delete(e).where(e.c.entry_no == seed))


def run(size: int = DEFAULT_SIZE, db: str | None = None):
    """Median seconds of ``statistics(session, "CP0050")`` and of the plain aggregate."""
    from relcore_campaigns.statistics import statistics as campaign_statistics

    with database(db) as target:
        app = target.app(["contacts", "interactions", "segments", "campaigns"])
        _fill(app, size)
        con = target.connect()  # before any timing (opening it settles the fresh WAL)
        if not target.is_postgres:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # a database at rest
        results = {}

        def ours():
            with app.session() as s:
                results["ours"] = campaign_statistics(s, "CP0050")

        p = target.paramstyle
        true, false = ("true", "false") if target.is_postgres else ("1", "0")
        sql = (
            f"SELECT count(CASE WHEN campaign_target = {true} THEN 1 END), "
            f"count(CASE WHEN campaign_response = {true} THEN 1 END), sum(cost), sum(duration) "
            f"FROM interactions_log_entry WHERE campaign_no = {p} AND canceled = {false} "
            f"AND postponed = {false}"
        )

        from relcore_campaigns.statistics import interaction_select

        with app.session() as s:  # relcore's own statement, for the plain driver
            compiled = str(
                interaction_select("CP0050").compile(s, compile_kwargs={"literal_binds": True})
            )

        def baseline(statement, params):
            def run_it():
                with transaction(con):
                    results["baseline"] = con.execute(statement, params).fetchone()

            return run_it

        # each side in its own block: a transaction on the other connection resets a SQLite
        # connection's page cache, so interleaving would charge that to whoever comes second.
        # The baseline is the faster of a hand-written aggregate and relcore's compiled one.
        ours_s = statistics.median(timed(ours) for _ in range(RUNS))
        base_s = min(
            statistics.median(timed(baseline(statement, params)) for _ in range(RUNS))
            for statement, params in ((sql, ("CP0050",)), (compiled, ()))
        )
        con.close()
        app.dispose()
    stats, row = results["ours"], results["baseline"]
    assert (stats["target_contacts_contacted"], stats["contacts_responded"]) == (row[0], row[1])
    return ours_s, base_s, {"entries per campaign": size // CAMPAIGNS}
