"""Fixtures of the interactions tests: an app with contacts + interactions and BC-like data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from relcore import entities

WORK_DATE = dt.date(2025, 1, 20)


def insert_rows(session: Any, entity: str, rows: list[dict]) -> None:
    """Insert rows one statement each (their keys differ)."""
    for row in rows:
        entities.insert(session, entity, [row])


def add_languages(session: Any) -> None:
    """Languages ENU, DEU, FRA (template languages must name existing languages)."""
    insert_rows(
        session,
        "contacts.language",
        [{"code": c, "name": c.title()} for c in ("ENU", "DEU", "FRA")],
    )


def add_contacts(session: Any) -> None:
    """CT000001 company with persons CT000010/CT000011, CT000002 company, CT000020 loose person;
    salespeople JO and PS (privacy-blocked BLK); the languages of :func:`add_languages`."""
    add_languages(session)
    insert_rows(
        session,
        "contacts.salesperson",
        [
            {"code": "JO", "name": "Jim Olive", "email": "jo@cronus.test"},
            {"code": "PS", "name": "Peter Saddow", "email": "ps@cronus.test"},
            {"code": "BLK", "name": "Blocked", "privacy_blocked": True},
        ],
    )
    insert_rows(
        session,
        "contacts.contact",
        [
            {
                "no": "CT000001",
                "type": "company",
                "name": "Adatum",
                "company_no": None,
                "lookup_contact_no": "",
                "email": "info@adatum.test",
                "salesperson_code": "JO",
                "correspondence_type": "",
            },
            {
                "no": "CT000002",
                "type": "company",
                "name": "Fabrikam",
                "company_no": None,
                "lookup_contact_no": "",
                "email": "",
                "salesperson_code": "PS",
                "phone_no": "555-0100",
            },
        ],
    )
    entities.update(session, "contacts.contact", "CT000001", {"company_no": "CT000001"})
    entities.update(session, "contacts.contact", "CT000002", {"company_no": "CT000002"})
    insert_rows(
        session,
        "contacts.contact",
        [
            {
                "no": "CT000010",
                "type": "person",
                "name": "Anna Smith",
                "first_name": "Anna",
                "surname": "Smith",
                "company_no": "CT000001",
                "company_name": "Adatum",
                "lookup_contact_no": "CT000010",
                "email": "anna@adatum.test",
                "salesperson_code": "JO",
                "correspondence_type": "hard_copy",
                "phone_no": "555-0110",
            },
            {
                "no": "CT000011",
                "type": "person",
                "name": "Bob Jones",
                "first_name": "Bob",
                "company_no": "CT000001",
                "company_name": "Adatum",
                "lookup_contact_no": "CT000011",
                "email": "",
                "salesperson_code": "JO",
            },
            {
                "no": "CT000020",
                "type": "person",
                "name": "Carla Loose",
                "company_no": None,
                "lookup_contact_no": "CT000020",
                "email": "carla@loose.test",
            },
            {
                "no": "CT000099",
                "type": "person",
                "name": "Private Person",
                "company_no": None,
                "lookup_contact_no": "CT000099",
                "privacy_blocked": True,
            },
        ],
    )


def add_templates(session: Any) -> None:
    """The Contoso groups and templates of §4.10."""
    from relcore_interactions import templates as t

    for code, desc in (
        ("LETTER", "Letters"),
        ("PHONE", "Telephone conversations"),
        ("MEETING", "Meetings"),
        ("SALES", "Sales documents"),
        ("EMAIL", "E-mails"),
    ):
        t.add_group(session, code, desc)
    rows = [
        (
            "ABSTRACT",
            "LETTER",
            "Abstracts of meeting",
            "8",
            "90",
            "outbound",
            "",
            "hard_copy",
            True,
        ),
        ("BUS", "LETTER", "Business letter", "8", "30", "outbound", "us", "hard_copy", True),
        ("GOLF", "LETTER", "Golf event", "8", "1", "outbound", "us", "email", True),
        ("INCOME", "PHONE", "Incoming phone call", "0", "15", "inbound", "them", "", False),
        ("OUTGOING", "PHONE", "Outgoing phone call", "1", "15", "outbound", "us", "", True),
        ("INHOUSE", "MEETING", "Meeting held at CRONUS", "25", "120", "", "", "", False),
        ("ONSITE", "MEETING", "Meeting at the customers site", "45", "180", "", "", "", False),
        ("S_INVOICE", "SALES", "Sales Invoice", "8", "1", "outbound", "us", "", False),
        ("EMAIL", "EMAIL", "E-mail", "0", "5", "outbound", "us", "", False),
    ]
    for code, group, desc, cost, dur, flow, init, corr, ignore in rows:
        t.add_template(
            session,
            code,
            group,
            {
                "description": desc,
                "unit_cost": cost,
                "unit_duration": dur,
                "information_flow": flow,
                "initiated_by": init,
                "correspondence_type": corr,
                "ignore_contact_corres_type": ignore,
            },
        )


@pytest.fixture
def ia(make_app: Any) -> Any:
    """An app with contacts + interactions, the contacts and templates above, work date set."""
    app = make_app("contacts", "interactions", work_date=WORK_DATE)
    with app.session() as session:
        add_contacts(session)
        add_templates(session)
    return app


@pytest.fixture
def seed() -> Any:
    """``seed(session)`` adds the contacts and templates above (for apps built in a test)."""

    def _seed(session: Any) -> None:
        add_contacts(session)
        add_templates(session)

    return _seed
