"""The bulk insert paths (SQLite ``executemany`` through the driver, PostgreSQL ``COPY``) store
exactly what SQLAlchemy's own insert stores, and fail the same way."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import pytest
import sqlalchemy as sa

from relcore import pg_bulk, sqlite_bulk
from relcore.bulk import bulk_insert_columns
from relcore.db import Code, Money, UTCDateTime, create_engine


def _table(metadata: sa.MetaData, name: str) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("entry_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("code", Code(10), nullable=True),
        sa.Column("amount", Money(2), nullable=False, default=0),
        sa.Column("at", UTCDateTime(), nullable=True),
        sa.Column("day", sa.Date, nullable=True),
        sa.Column("flag", sa.Boolean, nullable=False, default=False),
        sa.Column("sid", sa.Uuid(), nullable=False),
        sa.Column("text", sa.String(50), nullable=False, default=""),
    )


def _rows(n: int) -> list[dict]:
    at = dt.datetime(2024, 3, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    return [
        {
            "entry_no": i,
            "code": [" ab ", "CD", None, "x'y"][i % 4],
            "amount": decimal.Decimal(i) / 7 if i % 3 else 0,
            "at": at + dt.timedelta(minutes=i) if i % 5 else None,
            "day": dt.date(2024, 1, 1) + dt.timedelta(days=i % 40),
            "flag": i % 2 == 0,
            "sid": uuid.UUID(int=i),
            "text": f'tab\there "quoted" \\ back {i}' if i % 7 else "",
        }
        for i in range(1, 1501)
    ]


def _bulk(engine):
    return pg_bulk.copy_rows if engine.dialect.name == "postgresql" else sqlite_bulk.insert_rows


def _stored_alike(relcore_db_url, make_table, rows: list[dict], fast_insert=None) -> list:
    """Insert ``rows`` into twin tables (``make_table(metadata, name)``), one through
    ``fast_insert(conn, table, rows)`` (default: the backend's bulk path, which must take them)
    and one through SQLAlchemy's insert; assert both store the same and return the stored rows
    in primary key order."""
    engine = create_engine(relcore_db_url)
    metadata = sa.MetaData()
    fast, plain = make_table(metadata, "twin_fast"), make_table(metadata, "twin_plain")
    metadata.create_all(engine)
    with engine.begin() as conn:
        if fast_insert is None:
            assert _bulk(engine)(conn, fast, rows) is True
        else:
            fast_insert(conn, fast, rows)
        conn.execute(sa.insert(plain), rows)
        got, want = (
            [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key))]
            for t in (fast, plain)
        )
    engine.dispose()
    assert got == want
    return got


def test_bulk_path_stores_what_sqlalchemy_stores(relcore_db_url):
    got = _stored_alike(relcore_db_url, _table, _rows(1500))
    assert len(got) == 1500
    assert got[3][1] == "AB"  # entry 4, " ab ": Code trimmed and upper-cased (#13 item 9)


def test_bulk_path_raises_integrity_error_and_writes_nothing(relcore_db_url):
    engine = create_engine(relcore_db_url)
    metadata = sa.MetaData()
    table = _table(metadata, "bulk_dup")
    metadata.create_all(engine)
    rows = _rows(1200)
    rows[-1]["entry_no"] = 1  # a duplicate key at the end of the batch
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        _bulk(engine)(conn, table, rows)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
    engine.dispose()


def test_small_batches_and_missing_callable_defaults_take_the_statement_path(relcore_db_url):
    engine = create_engine(relcore_db_url)
    metadata = sa.MetaData()
    table = sa.Table(
        "bulk_default",
        metadata,
        sa.Column("no", sa.Integer, primary_key=True),
        sa.Column("sid", sa.Uuid(), nullable=False, default=uuid.uuid4),
    )
    metadata.create_all(engine)
    with engine.begin() as conn:
        assert pg_bulk.copy_rows(conn, table, [{"no": 1}]) is False
        assert pg_bulk.copy_rows(conn, table, [{"no": i} for i in range(2000)]) is False
    engine.dispose()


def _twin_of(*columns: sa.Column):
    """A ``make_table`` for :func:`_stored_alike`: tables of copies of these columns."""
    return lambda metadata, name: sa.Table(name, metadata, *(c._copy() for c in columns))


def test_code_columns_bind_alike_whatever_their_values(relcore_db_url):
    # the bulk paths bind a Code column in one call: all text, text and NULLs, other types
    got = _stored_alike(
        relcore_db_url,
        _twin_of(
            sa.Column("no", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("text_only", Code(10), nullable=False),
            sa.Column("with_nulls", Code(10), nullable=True),
            sa.Column("mixed", Code(10), nullable=True),
        ),
        [
            {
                "no": i,
                "text_only": f" c{i % 7} ",
                "with_nulls": None if i % 3 else f"n{i}\t",
                "mixed": [i, f" m{i}", None][i % 3],
            }
            for i in range(1200)
        ],
    )
    assert got[3] == (3, "C3", "N3", "3")
    assert got[4] == (4, "C4", None, "M4")


def test_an_all_null_column_stays_null_with_or_without_a_server_default(relcore_db_url):
    # PostgreSQL's COPY leaves a column of NULLs out, unless the database has a default for it
    got = _stored_alike(
        relcore_db_url,
        _twin_of(
            sa.Column("no", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("plain", sa.String(10), nullable=True),
            sa.Column("defaulted", sa.String(10), nullable=True, server_default="x"),
            sa.Column("filled", sa.String(10), nullable=False),
        ),
        [{"no": i, "plain": None, "defaulted": None, "filled": "f"} for i in range(1200)],
    )
    assert set(got) == {(i, None, None, "f") for i in range(1200)}


@pytest.mark.parametrize("n", [1, 1500])  # one row: SQLAlchemy's insert; many: the bulk path
def test_rows_given_column_by_column_store_what_sqlalchemy_stores(relcore_db_url, n):
    rows = [{k: v for k, v in r.items() if k != "text"} for r in _rows(1500)[:n]]  # text: default

    def by_column(conn, table, rows):
        bulk_insert_columns(conn, table, {name: [r[name] for r in rows] for name in rows[0]})

    assert len(_stored_alike(relcore_db_url, _table, rows, by_column)) == n


def test_columns_of_different_lengths_are_refused():
    table = _table(sa.MetaData(), "uneven")
    with pytest.raises(ValueError, match="different numbers of rows"):
        bulk_insert_columns(None, table, {"entry_no": [1, 2], "sid": [uuid.uuid4()]})
