"""contacts-import: importing N contacts from CSV against plain sqlite3 ``executemany``.

Ours: ``relcore_contacts.transfer.import_file`` (the real ``relcore contacts import`` path:
streamed batches through ``insert_contacts`` with validation, numbering, inheritance and the
duplicate index of the companies) into a SQLite file. Baseline: plain ``sqlite3`` reading the
same CSV with ``csv`` and ``executemany`` into an equivalent table — the real contacts table
(same DDL, constraints and indexes), each CSV row stored as a complete record — with the same
pragmas (WAL, synchronous=NORMAL, foreign keys on). One company per four rows, each
followed by its three persons. Goal: ratio ≤ 3.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

GOAL = 3.0
DEFAULT_SIZE = 100_000
REPEATS = 3
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
FIELDS = [
    "no",
    "type",
    "name",
    "company_no",
    "address",
    "city",
    "post_code",
    "phone_no",
    "email",
    "first_name",
    "surname",
]


def _word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_LETTERS) for _ in range(n))


def company_values(k: int) -> dict[str, str]:
    """Fields of company ``k`` that vary like real data (few shared search strings); every 50th
    company repeats the one before it, so there are duplicates to find."""
    rng = random.Random(k - 1 if k % 50 == 49 else k)
    name = f"{_word(rng, 6).capitalize()} {_word(rng, 5).capitalize()}"
    return {
        "name": name,
        "address": f"{_word(rng, 7).capitalize()} {rng.randint(1, 999)}",
        "city": _word(rng, 8).capitalize(),
        "post_code": f"{rng.randint(0, 99999):05d}",
        "phone_no": f"+{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(0, 99999):05d}",
        "email": f"{_word(rng, 5)}@{_word(rng, 6)}.{rng.choice(['com', 'net', 'no', 'de'])}",
    }


def write_csv(path: Path, size: int) -> None:
    """``size`` contacts: a company, then its three persons, and so on."""
    rng = random.Random(42)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(FIELDS)
        company = ""
        for i in range(size):
            no = f"CT{i + 1:07d}"
            if i % 4 == 0:
                company = no
                v = company_values(i // 4)
                w.writerow(
                    [
                        no,
                        "company",
                        v["name"],
                        "",
                        v["address"],
                        v["city"],
                        v["post_code"],
                        v["phone_no"],
                        v["email"],
                        "",
                        "",
                    ]
                )
            else:
                w.writerow(
                    [
                        no,
                        "person",
                        "",
                        company,
                        "",
                        "",
                        "",
                        f"+47 9{rng.randint(0, 9999999):07d}",
                        f"p{i}@example.com",
                        _word(rng, 5).capitalize(),
                        _word(rng, 7).capitalize(),
                    ]
                )


def _ours(db: Path, path: Path) -> float:
    from relcore_contacts import transfer

    from relcore.testing import build_app

    app = build_app(f"sqlite:///{db}", ["contacts"])
    start = time.perf_counter()
    result = transfer.import_file(app, path)
    elapsed = time.perf_counter() - start
    assert result["imported"] > 0
    app.dispose()
    return elapsed


def _baseline(db: Path, path: Path) -> float:
    """Plain sqlite3: the CSV rows stored as complete contact records in the same table.

    The table is the real one (created from the same metadata: columns, NOT NULL, foreign keys,
    indexes), so each row carries what any importer must store for a contact: the CSV values,
    blanks for the other fields, a system id and timestamps. No validation, numbering,
    inheritance or duplicate index: that is the work relcore adds on top.
    """
    import datetime as dt
    import uuid

    import sqlalchemy as sa
    from relcore_contacts import model

    from relcore.db import metadata

    engine = sa.create_engine(f"sqlite:///{db}")
    tables = [t for t in metadata.sorted_tables if t.name.startswith("contacts_")]
    metadata.create_all(engine, tables=tables)
    engine.dispose()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    columns = [c.name for c in model.contact.c]
    blank = {
        c.name: (c.default.arg if c.default is not None and c.default.is_scalar else None)
        for c in model.contact.c
    }
    for name, value in blank.items():
        if isinstance(value, bool):
            blank[name] = int(value)
    sql = (
        f"INSERT INTO contacts_contact ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    start = time.perf_counter()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    con.execute("BEGIN IMMEDIATE")
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        batch = []
        for row in reader:
            record = {**blank, **{k: v for k, v in row.items() if v != ""}}
            record.update(system_id=uuid.uuid4().hex, created_at=now, modified_at=now, version=1)
            batch.append(tuple(record[c] for c in columns))
            if len(batch) == 5000:
                con.executemany(sql, batch)
                batch = []
        if batch:
            con.executemany(sql, batch)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def run(size: int = DEFAULT_SIZE) -> tuple[float, float]:
    """(our median seconds, baseline median seconds) over a few repeats."""
    ours, base = [], []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "contacts.csv"
        write_csv(csv_path, size)
        for i in range(REPEATS):
            base.append(_baseline(Path(tmp) / f"base{i}.db", csv_path))
            ours.append(_ours(Path(tmp) / f"ours{i}.db", csv_path))
    return statistics.median(ours), statistics.median(base)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    o, b = run(n)
    print(f"contacts-import: ours {o:.3f}s baseline {b:.3f}s ratio {o / b:.2f}")
