"""Benchmark: logging ``size`` interactions in ONE batch on a SQLite file, against plain
``sqlite3`` ``executemany`` of the same rows into the same table (goal: ratio <= 2).

Run: ``.venv/bin/python benchmarks/interactions_log.py [size]``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SIZE = 100_000


RUNS = 3


def _setup(url: str):
    from relcore_interactions import templates

    from relcore import entities
    from relcore.testing import build_app

    app = build_app(url, ["contacts", "interactions"], work_date=dt.date(2025, 1, 20))
    with app.session() as s:
        entities.insert(s, "contacts.salesperson", [{"code": "JO", "name": "Jim"}])
        entities.insert(
            s,
            "contacts.contact",
            [{"no": "CT000001", "type": "company", "name": "Adatum", "lookup_contact_no": ""}],
        )
        entities.update(s, "contacts.contact", "CT000001", {"company_no": "CT000001"})
        entities.insert(
            s,
            "contacts.contact",
            [
                {
                    "no": f"CT{i:06d}",
                    "type": "person",
                    "name": f"P {i}",
                    "company_no": "CT000001",
                    "lookup_contact_no": f"CT{i:06d}",
                }
                for i in range(2, 102)
            ],
        )
        templates.add_group(s, "MEETING")
        templates.add_template(
            s,
            "INHOUSE",
            "MEETING",
            {
                "description": "Meeting held at CRONUS",
                "unit_cost": "25",
                "unit_duration": "120",
                "correspondence_type": "",
            },
        )
    return app


def _records(size: int):
    from relcore.interactions import InteractionRecord

    base = dt.date(2024, 1, 1)
    return [
        InteractionRecord(
            f"CT{2 + i % 100:06d}",
            "INHOUSE",
            date=base + dt.timedelta(i % 365),
            salesperson_code="JO",
        )
        for i in range(size)
    ]


def _sqlite_value(v):
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None).isoformat(" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return v


def run(size: int = 100_000) -> tuple[float, float]:
    """Median seconds of ours and of the baseline."""
    from relcore_interactions.model import log_entry

    with tempfile.TemporaryDirectory() as tmp:
        app = _setup(f"sqlite:///{Path(tmp) / 'ours.db'}")
        records = _records(size)
        ours = []
        rows = None
        for _ in range(RUNS):
            with app.session() as s:
                s.execute(log_entry.delete())
            start = time.perf_counter()
            with app.session() as s:
                rows = app.log_interactions(s, records)
            ours.append(time.perf_counter() - start)
        cols = [c.name for c in log_entry.c]
        data = [tuple(_sqlite_value(r[c]) for c in cols) for r in rows]
        app.dispose()
        base_db = Path(tmp) / "base.db"
        _setup(f"sqlite:///{base_db}").dispose()
        sql = (
            f"INSERT INTO interactions_log_entry ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})"
        )
        conn = sqlite3.connect(base_db, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        baseline = []
        for _ in range(RUNS):
            conn.execute("DELETE FROM interactions_log_entry")
            start = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(sql, data)
            conn.execute("COMMIT")
            baseline.append(time.perf_counter() - start)
        conn.close()
    return statistics.median(ours), statistics.median(baseline)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    ours, base = run(n)
    print(
        f"interactions_log size={n}: ours {ours:.3f}s, baseline {base:.3f}s, "
        f"ratio {ours / base:.2f} (goal <= 2)"
    )
