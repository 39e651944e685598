"""numbers-single: draw ``size`` numbers one at a time, each in its own transaction (§1.2.3).

Ours: ``relcore.numbering.next_no`` inside ``with app.session()`` on a gap-free series. Baseline:
plain ``sqlite3``/``psycopg`` on a one-row line table, each draw one transaction that is correct
under concurrency as relcore's is: the SELECT and the UPDATE inside one ``BEGIN IMMEDIATE``
(PostgreSQL: ``SELECT … FOR UPDATE`` then UPDATE), or a single ``UPDATE … RETURNING`` computing
the next number in SQL — both are timed and the faster is the baseline. Goal: ratio ≤ 3.
"""

from __future__ import annotations

from statistics import median

from baseline import database, timed, transaction

DEFAULT_SIZE = 100_000
REPEATS = 3


def _ours(target, size: int) -> float:
    from relcore import numbering as ns

    app = target.app([])
    with app.session() as s:
        ns.add_series(s, "CONT", "Contacts")
        ns.add_line(s, "CONT", "CT0000001", "CT9999999")
    next_no, session = ns.next_no, app.session

    def draw() -> None:
        for _ in range(size):
            with session() as s:
                next_no(s, "CONT")

    elapsed = timed(draw)
    with app.session() as s:
        assert ns.peek_no(s, "CONT") == f"CT{size + 1:07d}"
    app.dispose()
    return elapsed


def _table(con, name: str) -> None:
    with transaction(con):
        con.execute(
            f"CREATE TABLE {name} (code VARCHAR(20), line_no INT, last_no_used VARCHAR(20), "
            "ending_no VARCHAR(20), PRIMARY KEY (code, line_no))"
        )
        con.execute(f"INSERT INTO {name} VALUES ('CONT', 10000, '', 'CT9999999')")


def _select_update(target, con, size: int) -> float:
    p = target.paramstyle
    lock = " FOR UPDATE" if target.is_postgres else ""
    select = f"SELECT last_no_used, ending_no FROM line1 WHERE code = {p} AND line_no = {p}{lock}"
    update = f"UPDATE line1 SET last_no_used = {p} WHERE code = {p} AND line_no = {p}"

    def draw() -> None:
        for _ in range(size):
            with transaction(con):
                last, ending = con.execute(select, ("CONT", 10000)).fetchone()
                no = f"CT{int(last[2:] or 0) + 1:07d}"
                if no > ending:
                    raise RuntimeError("exhausted")
                con.execute(update, (no, "CONT", 10000))

    elapsed = timed(draw)
    with transaction(con):
        assert con.execute("SELECT last_no_used FROM line1").fetchone()[0] == f"CT{size:07d}"
    return elapsed


def _returning(target, con, size: int) -> float:
    p = target.paramstyle
    num = "CAST(substr(last_no_used, 3) AS INTEGER)"
    fmt = (
        "'CT' || lpad(CAST(coalesce(CAST(nullif(substr(last_no_used, 3), '') AS INTEGER), 0) + 1 "
        "AS TEXT), 7, '0')"
        if target.is_postgres
        else f"printf('CT%07d', coalesce({num}, 0) + 1)"
    )
    update = (
        f"UPDATE line2 SET last_no_used = {fmt} WHERE code = {p} AND line_no = {p} "
        f"AND {fmt} <= ending_no RETURNING last_no_used"
    )

    def draw() -> None:
        for _ in range(size):
            with transaction(con):
                if con.execute(update, ("CONT", 10000)).fetchone() is None:
                    raise RuntimeError("exhausted")

    elapsed = timed(draw)
    with transaction(con):
        assert con.execute("SELECT last_no_used FROM line2").fetchone()[0] == f"CT{size:07d}"
    return elapsed


def run(size: int = DEFAULT_SIZE, db: str | None = None) -> tuple[float, float, dict]:
    """(our median seconds, the faster baseline's median seconds, figures)."""
    ours, select_update, returning = [], [], []
    for _ in range(REPEATS):
        with database(db) as target:
            ours.append(_ours(target, size))
            con = target.connect()
            _table(con, "line1")
            _table(con, "line2")
            select_update.append(_select_update(target, con, size))
            returning.append(_returning(target, con, size))
            con.close()
    med = {
        "SELECT+UPDATE in one transaction": median(select_update),
        "UPDATE … RETURNING": median(returning),
    }
    best = min(med, key=med.get)
    extra = {f"baseline {k}": f"{v:.4f}s" for k, v in med.items()}
    extra["baseline used"] = best
    return median(ours), med[best], extra
