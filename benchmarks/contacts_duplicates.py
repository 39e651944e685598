"""contacts-duplicates: regenerating the duplicate index and all pairs for N companies.

Ours: ``relcore_contacts.duplicates.regenerate`` in one ``app.session()`` on a SQLite file (the
``relcore contacts duplicates --regenerate`` path). Baseline: plain ``sqlite3`` running the same
statements (``duplicates.regenerate_statements``: index ``INSERT ... SELECT`` and the
prefix-filtered pair join, compiled to SQL text) on a copy of the same database, same pragmas.
Company data as in ``contacts_import`` (varied values, every 50th company a duplicate) with
realistic common strings: about 30 % of addresses end in "Street" (``TREET``), 40 % of e-mails
are at gmail.com (``ILCOM``) and a fifth of the companies are in London. A plain self-join of the
index would need about a billion rows at 100,000 companies. Goal: ratio ≤ 1.5.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.5
DEFAULT_SIZE = 100_000
REPEATS = 3

_STREETS = (("Street", 30), ("Road", 15), ("Avenue", 10), ("Lane", 5), ("Way", 5), ("", 35))
_DOMAINS = (("gmail.com", 40), ("outlook.com", 15), ("yahoo.com", 5), ("", 40))
_CITIES = (("London", 20), ("Manchester", 5), ("Leeds", 5), ("Bristol", 3), ("", 67))


def _pick(rng, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def company_values(k: int) -> dict[str, str]:
    """``contacts_import.company_values`` with common street suffixes, mail domains and cities
    (an empty pick keeps the varied value); every 50th company still repeats the one before."""
    import random

    from contacts_import import company_values as varied

    values = varied(k)
    rng = random.Random(-(k - 1 if k % 50 == 49 else k))
    street, domain, city = _pick(rng, _STREETS), _pick(rng, _DOMAINS), _pick(rng, _CITIES)
    if street:
        values["address"] = f"{rng.randint(1, 999)} {values['address'].split()[0]} {street}"
    if domain:
        values["email"] = f"{values['email'].split('@')[0]}@{domain}"
    if city:
        values["city"] = city
    return values


def _prepare(db: Path, size: int) -> list[str]:
    """A database with ``size`` companies (no index yet); returns the regeneration SQL."""
    import sqlalchemy as sa
    from relcore_contacts import duplicates, model
    from sqlalchemy.dialects import sqlite

    from relcore.db import utcnow
    from relcore.testing import build_app

    app = build_app(f"sqlite:///{db}", ["contacts"])
    now = utcnow()
    with app.session() as s:
        for start in range(0, size, 20_000):
            s.execute(
                sa.insert(model.contact),
                [
                    {
                        "no": f"CT{k + 1:07d}",
                        "type": "company",
                        "company_no": f"CT{k + 1:07d}",
                        "system_id": __import__("uuid").uuid4(),
                        "created_at": now,
                        "modified_at": now,
                        "version": 1,
                        **company_values(k),
                    }
                    for k in range(start, min(start + 20_000, size))
                ],
            )
        stmts = duplicates.regenerate_statements(s)
        sql = [
            str(st.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
            for st in stmts
        ]
    app.dispose()
    return sql


def _ours(db: Path) -> tuple[float, int]:
    from relcore_contacts import duplicates

    from relcore.testing import build_app

    app = build_app(f"sqlite:///{db}", ["contacts"])
    start = time.perf_counter()
    with app.session() as s:
        result = duplicates.regenerate(s)
    elapsed = time.perf_counter() - start
    app.dispose()
    return elapsed, result["duplicates"]


def _baseline(db: Path, sql: list[str]) -> float:
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for stmt in sql:
        con.execute(stmt)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def run(size: int = DEFAULT_SIZE) -> tuple[float, float, dict]:
    """(our median seconds, baseline median seconds, figures) over a few repeats."""
    sys.path.insert(0, str(Path(__file__).parent))
    ours, base = [], []
    pairs = 0
    with tempfile.TemporaryDirectory() as tmp:
        master = Path(tmp) / "master.db"
        sql = _prepare(master, size)
        for i in range(REPEATS):
            copy = Path(tmp) / f"base{i}.db"
            shutil.copy(master, copy)
            base.append(_baseline(copy, sql))
            copy = Path(tmp) / f"ours{i}.db"
            shutil.copy(master, copy)
            elapsed, pairs = _ours(copy)
            ours.append(elapsed)
    return statistics.median(ours), statistics.median(base), {"pairs": pairs}


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    o, b, extra = run(n)
    print(f"contacts-duplicates: ours {o:.3f}s baseline {b:.3f}s ratio {o / b:.2f} {extra}")
