"""Batch logging (§4.5): what a batch stores equals what was asked, whatever values repeat."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
import sqlalchemy as sa

from relcore.errors import NotFoundError, ValidationError
from relcore.interactions import InteractionRecord


def _stored(app) -> list[dict]:
    from relcore_interactions.model import log_entry

    with app.session() as s:
        return [
            dict(r._mapping) for r in s.execute(sa.select(log_entry).order_by(log_entry.c.entry_no))
        ]


def test_stored_rows_equal_returned_rows_with_repeated_and_varying_values(ia):
    same = dict(
        description="O'Brien's \"quoted\" note; -- not SQL ? %s",
        cost=decimal.Decimal("12.346"),
        duration=decimal.Decimal("7"),
        campaign_target=True,
        date=dt.date(2024, 2, 29),
        time_of_interaction=dt.time(9, 30),
        subject="",
    )
    records = [
        InteractionRecord(no, "INHOUSE", salesperson_code="jo ", **same)
        for no in ("CT000010", "ct000011", "CT000020")
    ]
    records.append(
        InteractionRecord(
            "CT000001",
            "BUS",
            salesperson_code="PS",
            description="Other",
            cost=decimal.Decimal("0"),
            extra={"contact_via": "555-0100", "to_do_no": "td1"},
        )
    )
    with ia.session() as s:
        rows = ia.log_interactions(s, records)
    stored = _stored(ia)
    assert [r["entry_no"] for r in stored] == [r["entry_no"] for r in rows] == [1, 2, 3, 4]
    for row, back in zip(rows, stored, strict=True):
        assert back == row
    first = stored[0]
    assert first["description"] == same["description"] and first["subject"] == ""
    assert (first["cost"], first["duration"]) == (decimal.Decimal("12.35"), decimal.Decimal("7"))
    assert first["campaign_target"] is True and first["salesperson_code"] == "JO"
    assert stored[1]["contact_no"] == "CT000011"
    assert stored[0]["logged_at"].tzinfo is not None
    assert (stored[3]["to_do_no"], stored[3]["contact_via"]) == ("TD1", "555-0100")
    assert stored[3]["cost"] == decimal.Decimal("0.00") and stored[3]["campaign_target"] is False


def test_errors_in_a_large_batch_name_the_record(ia):
    good = [InteractionRecord("CT000010", "BUS", salesperson_code="JO") for _ in range(50)]
    with ia.session() as s, pytest.raises(ValidationError) as err:
        ia.log_interactions(
            s, [*good, InteractionRecord("CT000010", "BUS", salesperson_code="JO", cost=-1)]
        )
    assert str(err.value).startswith("Interaction row 51 (contact CT000010): field cost:")
    with ia.session() as s, pytest.raises(ValidationError, match="blocked due to privacy"):
        ia.log_interactions(s, [*good, InteractionRecord("CT000099", "BUS", salesperson_code="JO")])
    with ia.session() as s, pytest.raises(NotFoundError, match="Contact CT000404"):
        ia.log_interactions(s, [*good, InteractionRecord("CT000404", "BUS", salesperson_code="JO")])
    with ia.session() as s, pytest.raises(ValidationError, match="must be Decimal, not float"):
        ia.log_interactions(
            s,
            [
                InteractionRecord("CT000010", "BUS", salesperson_code="JO", cost=2),
                InteractionRecord("CT000010", "BUS", salesperson_code="JO", cost=2.0),
            ],
        )
    assert _stored(ia) == []
