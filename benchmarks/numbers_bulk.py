"""numbers-bulk: one ``next_nos(size)`` call against plain code drawing the same numbers (§1.2.3).

Ours: ``relcore.numbering.next_nos`` in one ``app.session()`` on a gap-free series. Baseline:
plain ``sqlite3``/``psycopg`` on a one-row line table in one transaction (``BEGIN IMMEDIATE``;
PostgreSQL: ``SELECT … FOR UPDATE``): read the line, format the ``size`` numbers in Python
(``f"CT{v:07d}"``), check the last against the ending no., save it. Both sides assert the numbers
drawn. Goal: ratio ≤ 1.5.
"""

from __future__ import annotations

from statistics import median

from baseline import database, timed, transaction

DEFAULT_SIZE = 100_000
REPEATS = 7


def run(size: int = DEFAULT_SIZE, db: str | None = None) -> tuple[float, float]:
    """(our median seconds, baseline median seconds); each repeat draws ``size`` more."""
    from relcore import numbering as ns

    with database(db) as target:
        app = target.app([])
        with app.session() as s:
            ns.add_series(s, "CONT", "Contacts")
            ns.add_line(s, "CONT", "CT0000001", "CT9999999")
        con = target.connect()
        p = target.paramstyle
        lock = " FOR UPDATE" if target.is_postgres else ""
        with transaction(con):
            con.execute(
                "CREATE TABLE line (code VARCHAR(20), line_no INT, last_no_used VARCHAR(20), "
                "ending_no VARCHAR(20), PRIMARY KEY (code, line_no))"
            )
            con.execute("INSERT INTO line VALUES ('CONT', 10000, '', 'CT9999999')")
        select = (
            f"SELECT last_no_used, ending_no FROM line WHERE code = {p} AND line_no = {p}{lock}"
        )
        update = f"UPDATE line SET last_no_used = {p} WHERE code = {p} AND line_no = {p}"
        drawn = {"ours": 0, "base": 0}

        def ours() -> None:
            with app.session() as s:
                nos = ns.next_nos(s, "CONT", size)
            drawn["ours"] += size
            assert len(nos) == size and nos[-1] == f"CT{drawn['ours']:07d}"

        def baseline() -> None:
            with transaction(con):
                last, ending = con.execute(select, ("CONT", 10000)).fetchone()
                first = int(last[2:] or 0) + 1
                nos = [f"CT{v:07d}" for v in range(first, first + size)]
                if nos[-1] > ending:
                    raise RuntimeError("exhausted")
                con.execute(update, (nos[-1], "CONT", 10000))
            drawn["base"] += size
            assert len(nos) == size and nos[-1] == f"CT{drawn['base']:07d}"

        ours_t, base_t = [], []
        for _ in range(REPEATS):  # interleaved
            ours_t.append(timed(ours))
            base_t.append(timed(baseline))
        con.close()
        app.dispose()
    return median(ours_t), median(base_t)
