"""Fixtures of the campaigns tests: contacts, interactions, segments and campaigns, with the
contacts of the BC vectors (§8.9): company C1 (person P1) linked to customer 10000, company C2
(person P3) without customer; salespeople JO and BL (blocked); templates BUS (campaign target)
and RESP (campaign response)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from relcore import entities
from relcore.interactions import InteractionRecord, log_interactions

WORK_DATE = dt.date(2024, 3, 15)


def add_contacts(session: Any, *rows: dict) -> None:
    for row in rows:
        row = dict(row)
        row.setdefault("type", "company")
        if row["type"] == "company":
            row.setdefault("company_no", row["no"])
        row.setdefault("search_name", row.get("name", "").upper())
        entities.insert(session, "contacts.contact", [row])


def link_customer(session: Any, contact_no: str, customer_no: str) -> None:
    """Link a contact's company with a customer through the contacts plugin (§3.2)."""
    from relcore_contacts.relations import link

    link(session, contact_no, "customer", customer_no)


def log(session: Any, *records: dict) -> list[dict]:
    """Log interactions through the core contract (template BUS, salesperson JO by default)."""
    full = []
    for r in records:
        r = dict(r)
        r.setdefault("template_code", "BUS")
        r.setdefault("salesperson_code", "JO")
        r.setdefault("date", WORK_DATE)
        full.append(InteractionRecord(**r))
    return log_interactions(session, full)


@pytest.fixture
def camp_app(make_app: Any) -> Any:
    """The app described in the module docstring, work date 2024-03-15."""
    app = make_app("contacts", "interactions", "segments", "campaigns", work_date=WORK_DATE)
    with app.session() as session:
        entities.insert(
            session,
            "contacts.salesperson",
            [{"code": "JO", "name": "Jo"}, {"code": "BL", "name": "Blocked", "blocked": True}],
        )
        entities.insert(
            session, "contacts.business_relation", [{"code": "CUST", "description": "Customer"}]
        )
        app.setup.set(session, "contacts.bus_rel_code_for_customers", "CUST")
        entities.insert(session, "interactions.group", [{"code": "LETTER"}])
        for template in (
            {
                "code": "BUS",
                "interaction_group_code": "LETTER",
                "description": "Business letter",
                "unit_cost": 2,
                "unit_duration": 5,
                "information_flow": "outbound",
                "initiated_by": "us",
                "correspondence_type": "",
                "campaign_target": True,
            },
            {
                "code": "RESP",
                "interaction_group_code": "LETTER",
                "description": "Response",
                "information_flow": "inbound",
                "initiated_by": "them",
                "campaign_response": True,
                "correspondence_type": "",
            },
        ):
            entities.insert(session, "interactions.template", [template])
        add_contacts(
            session,
            {"no": "C1", "name": "Alpha Ltd", "company_name": "Alpha Ltd"},
            {"no": "C2", "name": "Beta Inc", "company_name": "Beta Inc"},
        )
        add_contacts(
            session,
            {
                "no": "P1",
                "type": "person",
                "name": "Ann",
                "company_no": "C1",
                "company_name": "Alpha Ltd",
            },
            {
                "no": "P3",
                "type": "person",
                "name": "Cid",
                "company_no": "C2",
                "company_name": "Beta Inc",
            },
        )
        link_customer(session, "C1", "10000")
    return app


@pytest.fixture
def campaign(camp_app: Any) -> str:
    """Campaign CP0001, 2024-03-01..2024-03-31."""
    from relcore_campaigns.campaigns import create_campaign

    with camp_app.session() as session:
        row = create_campaign(
            session,
            {
                "description": "Spring",
                "starting_date": dt.date(2024, 3, 1),
                "ending_date": dt.date(2024, 3, 31),
            },
        )
    return row["no"]
