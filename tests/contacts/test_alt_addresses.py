"""Alternative addresses and their date ranges; the active address for a date (§2.8)."""

from __future__ import annotations

import datetime as dt

import pytest
from relcore_contacts import alt_addresses as alt
from relcore_contacts import api
from relcore_contacts import contacts as svc

from relcore.errors import ValidationError

D = dt.date


def test_active_alt_address_for_a_date(capp):
    with capp.session() as s:
        c = svc.insert_contact(s, {"name": "Acme"})
        no = c["no"]
        alt.add_alt_address(s, no, "summer", {"city": "Nice", "phone_no": "+33 1"})
        alt.add_alt_address(s, no, "WINTER", {"city": "Zermatt"})
        alt.add_date_range(s, no, "SUMMER", D(2025, 6, 1), D(2025, 8, 31))
        alt.add_date_range(s, no, "WINTER", D(2025, 12, 1))
        alt.add_date_range(s, no, "SUMMER", D(2026, 1, 10), D(2026, 1, 20))
        assert api.active_alt_address(s, no, D(2025, 5, 31)) == ""
        assert api.active_alt_address(s, no, D(2025, 6, 1)) == "SUMMER"
        assert api.active_alt_address(s, no, D(2025, 8, 31)) == "SUMMER"
        assert api.active_alt_address(s, no, D(2025, 9, 1)) == ""
        assert api.active_alt_address(s, no, D(2026, 1, 15)) == "SUMMER"  # latest start wins
        assert api.active_alt_address(s, no, D(2026, 1, 21)) == "WINTER"  # open-ended
        assert api.active_alt_addresses(s, [no], D(2025, 7, 1)) == {no: "SUMMER"}
        alt.delete_alt_address(s, no, "SUMMER")
        assert [r["contact_alt_address_code"] for r in alt.list_date_ranges(s, no)] == ["WINTER"]
        assert [r["code"] for r in alt.list_alt_addresses(s, no)] == ["WINTER"]


def test_date_range_rules(capp):
    with capp.session() as s:
        no = svc.insert_contact(s, {"name": "Acme"})["no"]
        alt.add_alt_address(s, no, "HOME")
        alt.add_date_range(s, no, "HOME", D(2025, 1, 1))
        with pytest.raises(ValidationError, match="must not be after"):
            alt.add_date_range(s, no, "HOME", D(2025, 3, 1), D(2025, 2, 1))
        with pytest.raises(ValidationError, match="already exists"):
            alt.add_date_range(s, no, "HOME", D(2025, 1, 1))
        with pytest.raises(ValidationError, match="does not exist"):
            alt.add_date_range(s, no, "NOPE", D(2025, 5, 1))
        with pytest.raises(ValidationError, match="already exists"):
            alt.add_alt_address(s, no, "home")
        with pytest.raises(ValidationError, match="must not contain letters"):
            alt.add_alt_address(s, no, "X", {"phone_no": "call me"})
