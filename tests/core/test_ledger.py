"""Ledger entry numbers (relcore.ledger, issue #13 item 3): unique, ascending, above stored rows,
never reused after a rollback, on both backends."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from relcore.ledger import ledger_counter, next_entry_nos

_ledger = sa.Table(
    "test_ledger_entries",
    sa.MetaData(),  # not the shared MetaData: migrations must not see a test table
    sa.Column("entry_no", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("text", sa.String(20), nullable=False, default=""),
)


@pytest.fixture
def ledger_app(app):
    _ledger.create(app.engine, checkfirst=True)
    return app


def test_numbers_are_ascending_and_start_above_stored_entries(ledger_app):
    with ledger_app.session() as s:
        s.execute(sa.insert(_ledger), [{"entry_no": 7}])
    with ledger_app.session() as s:
        assert next_entry_nos(s, _ledger, 0) == []
        first = next_entry_nos(s, _ledger, 3)
        second = next_entry_nos(s, _ledger, 1)
    assert first == [8, 9, 10] and second == [11]
    with ledger_app.session() as s:
        rows = s.execute(sa.select(ledger_counter.c.table_name)).scalars().all()
    assert rows == ["test_ledger_entries"]


def test_numbers_of_a_rolled_back_transaction_are_not_handed_out_again(ledger_app):
    with ledger_app.session() as s:
        kept = next_entry_nos(s, _ledger, 1)
    with pytest.raises(RuntimeError), ledger_app.session() as s:
        lost = next_entry_nos(s, _ledger, 2)
        raise RuntimeError("roll back")
    with ledger_app.session() as s:
        after = next_entry_nos(s, _ledger, 1)
    assert kept == [1] and after[0] > max(lost)
