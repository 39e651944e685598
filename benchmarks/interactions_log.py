"""interactions-log: logging ``size`` interactions in ONE batch (§4.5), goal ratio ≤ 2.

Ours: ``app.log_interactions`` (checks, template defaults, numbering, one insert). Baseline: the
plain driver writing the very rows relcore wrote into the same table of a fresh database (same
schema, relcore's settings, one transaction): ``executemany`` on SQLite, ``COPY`` on PostgreSQL.
Both sides assert ``size`` rows.
"""

from __future__ import annotations

import datetime as dt
import decimal
import statistics

from baseline import count, database, timed, transaction

DEFAULT_SIZE = 100_000


RUNS = 3


def _setup(target):
    from relcore_interactions import templates

    from relcore import entities

    app = target.app(["contacts", "interactions"], work_date=dt.date(2025, 1, 20))
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


def run(size: int = DEFAULT_SIZE, db: str | None = None) -> tuple[float, float]:
    """Median seconds of ours and of the baseline (interleaved repeats)."""
    from relcore_interactions.model import log_entry

    cols = [c.name for c in log_entry.c]
    ours, baseline = [], []
    with database(db) as mine, database(db) as plain:
        app = _setup(mine)
        _setup(plain).dispose()
        records = _records(size)
        con = plain.connect()
        rows: list = []
        for _ in range(RUNS):
            with app.session() as s:
                s.execute(log_entry.delete())

            def log() -> None:
                with app.session() as s:
                    rows[:] = app.log_interactions(s, records)

            ours.append(timed(log))
            assert len(rows) == size
            if plain.is_postgres:
                data = [tuple(r[c] for c in cols) for r in rows]
            else:
                data = [tuple(_sqlite_value(r[c]) for c in cols) for r in rows]
            with transaction(con):
                con.execute("DELETE FROM interactions_log_entry")
            baseline.append(timed(lambda d=data: _plain_insert(plain, con, cols, d)))
            assert count(con, "interactions_log_entry") == size
        con.close()
        app.dispose()
    return statistics.median(ours), statistics.median(baseline)


def _plain_insert(target, con, cols: list[str], data: list[tuple]) -> None:
    with transaction(con):
        if target.is_postgres:
            with con.cursor().copy(
                f"COPY interactions_log_entry ({', '.join(cols)}) FROM STDIN"
            ) as copy:
                for row in data:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(cols))
            con.executemany(
                f"INSERT INTO interactions_log_entry ({', '.join(cols)}) VALUES ({marks})", data
            )
