"""Helpers for the contacts tests (plugin-local)."""

from __future__ import annotations

import pytest
from relcore_contacts import reference


def seed_reference(session) -> None:
    """A few codes most tests use."""
    for code, name in (("JO", "John Roberts"), ("PS", "Peter Saddow"), ("MH", "Marty Horst")):
        reference.add(session, "salespeople", code, name)
    reference.add(session, "languages", "ENU", "English", {"format_region": "en-US"})
    reference.add(session, "languages", "DEU", "German", {"format_region": "de-DE"})
    reference.add(session, "countries", "GB", "United Kingdom")
    reference.add(session, "countries", "DE", "Germany")
    reference.add(session, "territories", "NORTH", "North")
    reference.add(session, "salutations", "COMPANY", "Company")
    reference.add(session, "salutations", "UNISEX", "Unisex")
    for code in ("CUST", "VEND", "BANK", "EMP", "PROSPECT", "LAWYER"):
        reference.add(session, "business-relations", code, code.title())


@pytest.fixture
def capp(make_app):
    """An app with the contacts plugin and the reference codes of :func:`seed_reference`."""
    app = make_app("contacts")
    with app.session() as session:
        seed_reference(session)
    return app
