"""contacts-import: importing N contacts from CSV against plain sqlite3 ``executemany``.

Ours: ``relcore_contacts.transfer.import_file`` (the real ``relcore contacts import`` path:
streamed batches through ``insert_contacts`` with validation, numbering, inheritance and the
duplicate index of the companies). Baseline: the plain driver reading the same CSV with
``csv.reader`` into a prebuilt tuple template and ``executemany`` (SQLite) or ``COPY``
(PostgreSQL) into the real contacts table (same DDL, constraints and indexes), relcore's
settings and one transaction (see :func:`_baseline`). Both sides assert exactly ``size`` rows
were stored; on PostgreSQL each timing starts after a ``CHECKPOINT`` (``Target.settle``). One
company per four rows, each followed by its three persons. Goal: ratio ≤ 3.
"""

from __future__ import annotations

import csv
import itertools
import random
import statistics
import tempfile
from pathlib import Path

from baseline import count, database, timed, transaction

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


def _ours(target, path: Path, size: int) -> float:
    from relcore_contacts import transfer

    app = target.app(["contacts"])
    con = target.connect()
    result: dict = {}
    target.settle()
    elapsed = timed(lambda: result.update(transfer.import_file(app, path)))
    assert result["imported"] == size and not result["errors"], result
    assert count(con, "contacts_contact") == size
    con.close()
    app.dispose()
    return elapsed


def _baseline(target, path: Path, size: int) -> float:
    """Plain driver: the CSV rows stored as complete contact records in the same table.

    The table is the real one (created by relcore: columns, NOT NULL, foreign keys, indexes), so
    each row carries what any importer must store for a contact: the CSV values, blanks for the
    other fields, a system id and timestamps. Rows come from ``csv.reader`` into a copy of a
    prebuilt tuple template (the blanks), written with ``executemany`` in chunks (SQLite) or
    ``COPY`` (PostgreSQL). No validation, numbering, inheritance or duplicate index: that is the
    work relcore adds on top.
    """
    import datetime as dt
    import uuid

    from relcore_contacts import model

    app = target.app(["contacts"])  # the same schema, created outside the timing
    app.dispose()
    con = target.connect()
    columns = [c.name for c in model.contact.c]
    template = []
    for c in model.contact.c:
        value = c.default.arg if c.default is not None and c.default.is_scalar else None
        if isinstance(value, bool) and not target.is_postgres:
            value = int(value)
        template.append(value)
    marks = ", ".join([target.paramstyle] * len(columns))
    sql = f"INSERT INTO contacts_contact ({', '.join(columns)}) VALUES ({marks})"
    system = [columns.index(n) for n in ("system_id", "created_at", "modified_at", "version")]

    def load() -> None:
        now = dt.datetime.now(dt.UTC)
        if not target.is_postgres:
            now = now.replace(tzinfo=None).isoformat(sep=" ")
        with transaction(con), open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            positions = [columns.index(name) for name in next(reader)]
            template[system[1]] = template[system[2]] = now
            template[system[3]] = 1
            sid = system[0]
            uuid4 = uuid.uuid4

            def records():
                for row in reader:
                    record = template.copy()
                    for pos, value in zip(positions, row, strict=True):
                        if value:
                            record[pos] = value
                    record[sid] = uuid4().hex
                    yield record

            if target.is_postgres:
                with con.cursor().copy(
                    f"COPY contacts_contact ({', '.join(columns)}) FROM STDIN"
                ) as copy:
                    for record in records():
                        copy.write_row(record)
            else:
                rows = records()
                while chunk := list(itertools.islice(rows, 5000)):
                    con.executemany(sql, chunk)

    target.settle()
    elapsed = timed(load)
    assert count(con, "contacts_contact") == size
    con.close()
    return elapsed


def run(size: int = DEFAULT_SIZE, db: str | None = None) -> tuple[float, float]:
    """(our median seconds, baseline median seconds); each repeat on fresh databases."""
    ours, base = [], []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "contacts.csv"
        write_csv(csv_path, size)
        for _ in range(REPEATS):  # interleaved
            with database(db) as target:
                base.append(_baseline(target, csv_path, size))
            with database(db) as target:
                ours.append(_ours(target, csv_path, size))
    return statistics.median(ours), statistics.median(base)
