"""Storage: the one shared MetaData, column types, system columns and engines.

Every table of every plugin lives on :data:`metadata`, whose naming convention gives constraints and
indexes stable names, so cross-plugin foreign keys resolve and migrations stay reproducible.

relcore uses SQLAlchemy Core throughout: a "session" in relcore is a SQLAlchemy
:class:`~sqlalchemy.engine.Connection` inside one transaction (see :meth:`relcore.app.App.session`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
import warnings
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.expression import FunctionElement

Session = Connection
"""What relcore calls a session: a Core connection inside one transaction."""

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
"""The one MetaData every plugin's tables are declared on."""

# SQLite stores NUMERIC through float; amounts of 2-5 decimals round-trip exactly after the
# quantisation Money applies, so the generic warning is noise for relcore's money columns.
warnings.filterwarnings(
    "ignore", message=r"Dialect sqlite\+pysqlite does \*not\* support Decimal", module="sqlalchemy"
)


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC (relcore never stores naive or local times)."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A timestamp stored as UTC and always returned timezone-aware (UTC).

    Naive datetimes are refused: a naive value is a bug waiting to happen in a system that syncs
    with other systems by timestamp.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: relcore stores timezone-aware UTC only")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Code(sa.TypeDecorator[str]):
    """A BC ``Code[n]`` field: stored upper-case and trimmed on both sides (§0.2).

    Comparisons go through the same processing, so ``"  x1 "`` finds ``X1``. Control characters
    are refused by :mod:`relcore.checks` on every write path.
    """

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return str(value).strip().upper()

    def process_bind_values(self, values: list[Any]) -> list[Any]:
        """:meth:`process_bind_param` over a whole column, as the bulk inserts bind it: at C
        speed when every value is plain text (the usual batch), value by value otherwise."""
        kinds = set(map(type, values))
        if kinds == {str}:
            return list(map(str.upper, map(str.strip, values)))
        if kinds == {str, type(None)}:
            return [None if v is None else v.strip().upper() for v in values]
        return [self.process_bind_param(v, None) for v in values]


class Money(sa.TypeDecorator[decimal.Decimal]):
    """A decimal amount: ``Decimal`` in, ``Decimal`` out, never float.

    :param scale: decimal places kept (BC amounts: 2; unit prices: 5).
    """

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, scale: int = 2, precision: int = 20, **_: Any) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.scale = scale
        self._quantum = decimal.Decimal(1).scaleb(-scale)

    def process_bind_param(self, value: Any, dialect: Any) -> decimal.Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must be Decimal, not float")
        return decimal.Decimal(value)

    def process_result_value(self, value: Any, dialect: Any) -> decimal.Decimal | None:
        if value is None:
            return None
        return decimal.Decimal(str(value)).quantize(self._quantum)


class new_uuid(FunctionElement[uuid.UUID]):
    """SQL expression for a fresh random UUID, for set-based inserts (``INSERT ... SELECT``)."""

    type = sa.Uuid()
    inherit_cache = True


@compiles(new_uuid, "sqlite")
def _new_uuid_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    # Uuid is CHAR(32) hex on SQLite; version/variant bits do not matter for an identifier.
    return "lower(hex(randomblob(16)))"


@compiles(new_uuid, "postgresql")
def _new_uuid_pg(element: Any, compiler: Any, **kw: Any) -> str:
    return "gen_random_uuid()"


def system_columns() -> list[sa.Column[Any]]:
    """The system columns of a master record, maintained by the core on every write.

    ``system_id`` (a UUID, the sync identity), ``created_at``, ``modified_at`` (indexed: the sync
    watermark) and ``version`` (optimistic concurrency). Defaults and ``onupdate`` rules apply to
    single and bulk (executemany) statements alike; for ``INSERT ... SELECT`` use
    :func:`relcore.entities.insert_from_select`, which supplies them as SQL expressions.
    """
    return [
        sa.Column("system_id", sa.Uuid(), nullable=False, unique=True, default=uuid.uuid4),
        sa.Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
        sa.Column(
            "modified_at",
            UTCDateTime(),
            nullable=False,
            default=utcnow,
            onupdate=utcnow,
            index=True,
        ),
        sa.Column(
            "version",
            sa.Integer(),
            nullable=False,
            default=1,
            onupdate=sa.literal_column("version") + 1,
        ),
    ]


def master_table(name: str, *columns: Any, **kw: Any) -> sa.Table:
    """A master-record table: the given columns plus :func:`system_columns`."""
    return sa.Table(name, metadata, *columns, *system_columns(), **kw)


def normalize_url(url: str) -> str:
    """Map ``postgresql://`` URLs to the psycopg 3 driver relcore supports."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for a relcore database.

    SQLite: foreign keys on, WAL for files, a busy timeout, and ``BEGIN IMMEDIATE`` so a
    transaction that will write takes the write lock up front (no lock-upgrade deadlocks between
    processes drawing numbers); read-only sessions start with a deferred ``BEGIN``.
    ``sqlite://`` (in memory) shares one connection. PostgreSQL: psycopg 3.
    """
    url = normalize_url(url)
    engine = _create_engine(url, echo=echo)
    event.listen(engine, "handle_error", _plain_relcore_errors)
    return engine


def _plain_relcore_errors(context: Any) -> BaseException | None:
    # A relcore error raised while binding a value (a column type's check, e.g. DateFormula)
    # reaches the caller as itself, not wrapped in SQLAlchemy's StatementError.
    from relcore.errors import RelcoreError

    if isinstance(context.original_exception, RelcoreError):
        return context.original_exception
    return None


def _create_engine(url: str, *, echo: bool) -> Engine:
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:", "sqlite+pysqlite://")
        # Sessions always end in an explicit COMMIT or ROLLBACK, so the pool's reset-on-return
        # rollback is a wasted round trip on every transaction.
        kwargs: dict[str, Any] = {
            "connect_args": {"check_same_thread": False},
            "pool_reset_on_return": None,
        }
        if in_memory:
            kwargs["poolclass"] = StaticPool
        engine = sa.create_engine(url, echo=echo, **kwargs)
        _configure_sqlite(engine, wal=not in_memory)
        return engine
    return sa.create_engine(url, echo=echo, pool_pre_ping=True)


BUSY_TIMEOUT_SECONDS = 30
"""How long a SQLite writer waits for another process's write lock before giving up."""


def sqlite_file_of(url: str) -> str | None:
    """The file of a SQLite URL (None for in-memory databases and other backends)."""
    url = normalize_url(url)
    if not url.startswith("sqlite"):
        return None
    parsed = sa.engine.make_url(url)
    if parsed.database in (None, "", ":memory:") or parsed.database.startswith("file:"):
        return None
    return parsed.database


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        if wal:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # 32 MiB of page cache (default 2 MiB): index-heavy bulk inserts stop thrashing it
            cur.execute("PRAGMA cache_size=-32768")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # straight to the driver: this runs once per transaction, on the hot path of every draw;
        # read-only sessions (App.session(read_only=True)) start deferred and never wait for a
        # writer (WAL)
        begin = "BEGIN" if conn.info.get("relcore.read_only") else "BEGIN IMMEDIATE"
        conn.connection.dbapi_connection.execute(begin)


def is_postgres(session: Connection) -> bool:
    """True when the session talks to PostgreSQL."""
    return session.dialect.name == "postgresql"


def one_of(expr: Any, values: Iterable[str | int], dialect_name: str) -> sa.ColumnElement[bool]:
    """``expr IN values`` as ONE bound parameter, however many values (text or whole numbers).

    A plain ``IN`` list of 10,000 numbers costs SQLAlchemy 10,000 bind parameters to compile
    (and SQLite caps them at 32,766). PostgreSQL gets ``= ANY(:array)``; SQLite a JSON array
    unpacked by ``json_each``.
    """
    values = list(dict.fromkeys(values))
    if dialect_name == "postgresql":
        from sqlalchemy.dialects import postgresql

        item = sa.BigInteger() if values and isinstance(values[0], int) else sa.String()
        return expr == sa.any_(sa.bindparam(None, values, type_=postgresql.ARRAY(item)))
    unpacked = sa.select(sa.column("value")).select_from(
        sa.func.json_each(sa.bindparam(None, json.dumps(values), type_=sa.String()))
    )
    return expr.in_(unpacked.scalar_subquery())
