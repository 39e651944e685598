"""The one place benchmarks get their databases and their plain (baseline) connections.

Every benchmark compares relcore with the best plain code a competent user would write for the
same work. For the comparison to be fair the baseline must run under exactly relcore's database
settings, with its connection opened *before* the clock starts, and in the same kind of
transaction. This module provides that:

* :func:`database` — a fresh, empty database for one benchmark run: a SQLite file in a temporary
  directory (default) or a new schema on a PostgreSQL server (``--db postgresql://…``), dropped
  afterwards. It yields a :class:`Target`.
* :meth:`Target.app` — a relcore ``App`` on that database (schema created, default number
  series in place), through :func:`relcore.testing.build_app`.
* :meth:`Target.connect` — a plain DB-API connection to the same database: ``sqlite3`` with
  relcore's pragmas (read from a relcore connection and checked equal: WAL, synchronous,
  cache_size, busy_timeout, foreign_keys; autocommit mode, so the baseline emits its own
  ``BEGIN IMMEDIATE`` as relcore does), or ``psycopg`` (relcore's driver, default settings).
* :func:`transaction` — ``with transaction(con): ...`` runs the block in one transaction:
  ``BEGIN IMMEDIATE`` … ``COMMIT`` on SQLite, psycopg's transaction on PostgreSQL.
* :func:`timed` — wall seconds of one call (open connections outside it).
* :func:`median_of` — the median of several timings.

See ``benchmarks/README.md`` for how a benchmark module is written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

SQLITE_PRAGMAS = ("foreign_keys", "busy_timeout", "journal_mode", "synchronous", "cache_size")
"""The SQLite settings relcore applies to every file connection (``relcore/db.py``); the
baseline connection is checked to have the same values."""


class Target:
    """One benchmark database: ``url`` for relcore, :meth:`connect` for the baseline."""

    _warned_checkpoint = False

    def __init__(self, url: str, dialect: str, schema: str | None = None) -> None:
        self.url = url
        self.dialect = dialect  # "sqlite" or "postgresql"
        self.schema = schema
        self._pragmas: dict[str, Any] | None = None

    @property
    def is_postgres(self) -> bool:
        """True on PostgreSQL."""
        return self.dialect == "postgresql"

    @property
    def path(self) -> str:
        """The SQLite file (SQLite only)."""
        assert self.dialect == "sqlite"
        return self.url.removeprefix("sqlite:///")

    @property
    def paramstyle(self) -> str:
        """The placeholder of the plain driver: ``?`` (sqlite3) or ``%s`` (psycopg)."""
        return "%s" if self.is_postgres else "?"

    def app(self, plugins: Sequence[str] | None = None, **kw: Any) -> Any:
        """A relcore App on this database with these installed plugins (None = all)."""
        from relcore.testing import build_app

        return build_app(self.url, plugins, **kw)

    def connect(self) -> Any:
        """A plain DB-API connection with relcore's settings (open it outside the timing)."""
        if self.is_postgres:
            import psycopg

            return psycopg.connect(_libpq_url(self.url), autocommit=False)
        con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA busy_timeout=30000")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA cache_size=-32768")
        mine = _pragmas(con)
        theirs = self._relcore_pragmas()
        if mine != theirs:
            raise AssertionError(f"baseline SQLite settings {mine} differ from relcore's {theirs}")
        return con

    def settle(self) -> None:
        """Before a timed region that writes a lot, outside the timing: on PostgreSQL a
        ``CHECKPOINT``, so the dirty pages of the run before are flushed now and a checkpoint
        they would start does not land inside this timing (it moved a 100,000-row import by a
        second or more, either side); nothing on SQLite."""
        if not self.is_postgres:
            return
        import psycopg

        with psycopg.connect(_libpq_url(self.url), autocommit=True) as con:
            try:
                con.execute("CHECKPOINT")
            except psycopg.errors.InsufficientPrivilege:  # superuser or pg_checkpoint only
                if not Target._warned_checkpoint:
                    Target._warned_checkpoint = True
                    print(
                        "note: CHECKPOINT refused (needs a superuser or the pg_checkpoint "
                        "role): timings may include checkpoints",
                        file=sys.stderr,
                    )

    def _relcore_pragmas(self) -> dict[str, Any]:
        if self._pragmas is None:
            from relcore.db import create_engine

            engine = create_engine(self.url)
            raw = engine.raw_connection()
            try:
                self._pragmas = _pragmas(raw.driver_connection)
            finally:
                raw.close()
                engine.dispose()
        return self._pragmas


def _pragmas(con: sqlite3.Connection) -> dict[str, Any]:
    return {name: con.execute(f"PRAGMA {name}").fetchone()[0] for name in SQLITE_PRAGMAS}


def _libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextlib.contextmanager
def database(db: str | None = None) -> Iterator[Target]:
    """A fresh empty database for one run: a SQLite file (``db`` None) or a new schema on the
    PostgreSQL server ``db`` (``postgresql://…``); removed afterwards."""
    if db is None or db.startswith("sqlite"):
        tmp = tempfile.mkdtemp(prefix="relcore-bench-")
        try:
            yield Target(f"sqlite:///{os.path.join(tmp, 'bench.db')}", "sqlite")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    import psycopg

    base = _libpq_url(db)
    schema = f"relcore_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    url = f"postgresql+psycopg://{base.split('://', 1)[1]}{sep}options=-csearch_path%3D{schema}"
    try:
        yield Target(url, "postgresql", schema)
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@contextlib.contextmanager
def transaction(con: Any) -> Iterator[Any]:
    """One transaction on a plain connection: ``BEGIN IMMEDIATE``/``COMMIT`` on SQLite (as
    relcore begins), commit/rollback on psycopg. Yields the connection."""
    if isinstance(con, sqlite3.Connection):
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        return
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def timed(function: Callable[[], Any]) -> float:
    """Wall seconds of one call of ``function``."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def median_of(function: Callable[[], Any], repeat: int) -> float:
    """The median of ``repeat`` timings of ``function``."""
    return statistics.median(timed(function) for _ in range(repeat))


def ledger_sequence(con: Any, table: str) -> str:
    """PostgreSQL: the sequence of relcore's ledger ``table`` (``relcore.ledger``), which a
    baseline draws from with ``nextval`` so both sides keep one numbering."""
    row = con.execute(
        "SELECT sequence_name FROM core_ledger_counter WHERE table_name = %s", (table,)
    ).fetchone()
    assert row is not None, f"relcore has not drawn from ledger {table} yet: run its side first"
    return row[0]


def ledger_nos(target: Target, con: Any, table: str, n: int) -> list[int]:
    """``n`` entry numbers of relcore's ledger ``table`` the way plain code draws them: one
    ``UPDATE … RETURNING`` of the counter row (SQLite, inside the caller's ``BEGIN IMMEDIATE``)
    or ``nextval`` (PostgreSQL)."""
    if target.is_postgres:
        seq = ledger_sequence(con, table)
        rows = con.execute(f"SELECT nextval('{seq}') FROM generate_series(1, {int(n)})")
        return [r[0] for r in rows.fetchall()]
    row = con.execute(
        "UPDATE core_ledger_counter SET last_entry_no = last_entry_no + ? "
        "WHERE table_name = ? RETURNING last_entry_no",
        (n, table),
    ).fetchone()
    assert row is not None, f"relcore has not drawn from ledger {table} yet: run its side first"
    return list(range(row[0] - n + 1, row[0] + 1))


def count(con: Any, table: str, where: str = "") -> int:
    """``SELECT count(*)`` on a plain connection (row-count asserts on both sides)."""
    cur = con.execute(f"SELECT count(*) FROM {table} {where}")
    value = cur.fetchone()[0]
    if not isinstance(con, sqlite3.Connection):
        con.rollback()
    return value
