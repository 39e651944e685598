"""numbers-bulk: one ``next_nos(size)`` call against plain sqlite3 (§1.2.3).

Ours: ``relcore.numbering.next_nos`` in one ``app.session()`` on a gap-free series in a SQLite
file. Baseline: plain ``sqlite3`` doing one SELECT + one UPDATE + commit and formatting the strings
in plain Python, same pragmas (WAL, synchronous=NORMAL). Goal: ratio ≤ 1.5.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SIZE = 100_000


REPEATS = 5


def _ours(path: Path, size: int) -> float:
    from relcore import numbering as ns
    from relcore.app import App
    from relcore.db import metadata

    app = App(f"sqlite:///{path}", load_installed=False)
    metadata.create_all(app.engine)
    with app.session() as s:
        ns.add_series(s, "CONT", "Contacts")
        ns.add_line(s, "CONT", "CT0000001", "CT9999999")
    start = time.perf_counter()
    with app.session() as s:
        nos = ns.next_nos(s, "CONT", size)
    elapsed = time.perf_counter() - start
    assert len(nos) == size and nos[-1] == f"CT{size:07d}"
    app.dispose()
    return elapsed


def _baseline(path: Path, size: int) -> float:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(
        "CREATE TABLE line (code TEXT, line_no INT, last_no_used TEXT, ending_no TEXT, "
        "PRIMARY KEY (code, line_no))"
    )
    con.execute("INSERT INTO line VALUES ('CONT', 10000, '', 'CT9999999')")
    con.commit()
    start = time.perf_counter()
    last, ending = con.execute(
        "SELECT last_no_used, ending_no FROM line WHERE code = ? AND line_no = ?", ("CONT", 10000)
    ).fetchone()
    first = int(last[2:] or 0) + 1
    nos = [f"CT{v:07d}" for v in range(first, first + size)]
    if nos[-1] > ending:
        raise RuntimeError("exhausted")
    con.execute(
        "UPDATE line SET last_no_used = ? WHERE code = ? AND line_no = ?", (nos[-1], "CONT", 10000)
    )
    con.commit()
    elapsed = time.perf_counter() - start
    con.close()
    assert len(nos) == size
    return elapsed


def run(size: int = 100_000) -> tuple[float, float]:
    """(our median seconds, baseline median seconds) over :data:`REPEATS` runs."""
    ours, base = [], []
    for i in range(REPEATS):
        with tempfile.TemporaryDirectory() as tmp:
            ours.append(_ours(Path(tmp) / f"ours{i}.db", size))
            base.append(_baseline(Path(tmp) / f"base{i}.db", size))
    return statistics.median(ours), statistics.median(base)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    o, b = run(n)
    print(f"numbers-bulk size={n}: ours {o:.4f}s baseline {b:.4f}s ratio {o / b:.2f}")
