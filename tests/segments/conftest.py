"""Fixtures of the segments tests: an app with contacts, interactions and segments, and the
contacts of the BC test vectors (§5.9): company C1 (persons P1, P2), company C2 (person P3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from relcore import entities

WORK_DATE = dt.date(2024, 1, 15)


def add_contacts(session: Any, *rows: dict) -> None:
    """Insert contacts (companies get Company No. = their own No., as in BC)."""
    full = []
    for row in rows:
        row = dict(row)
        row.setdefault("type", "company")
        if row["type"] == "company":
            row.setdefault("company_no", row["no"])
        row.setdefault("search_name", row.get("name", "").upper())
        full.append(row)
    for row in full:  # rows with different keys: one insert each
        entities.insert(session, "contacts.contact", [row])


def link(session: Any, table_name: str, rows: list[dict]) -> None:
    """Plain insert into one of the contacts plugin's link tables."""
    from relcore_contacts import model

    session.execute(sa.insert(getattr(model, table_name)), rows)


def reference(session: Any, entity: str, *codes: str) -> None:
    """Code rows of a contacts setup list (job responsibilities, business relations, ...)."""
    entities.insert(session, entity, [{"code": c, "description": c.title()} for c in codes])


@pytest.fixture
def seg_app(make_app: Any) -> Any:
    """contacts + interactions + segments, WorkDate 2024-01-15, a salesperson JO, template BUS."""
    app = make_app("contacts", "interactions", "segments", work_date=WORK_DATE)
    with app.session() as session:
        entities.insert(
            session,
            "contacts.salesperson",
            [{"code": "JO", "name": "Jo"}, {"code": "PS", "name": "Peter"}],
        )
        entities.insert(session, "interactions.group", [{"code": "LETTER"}])
        for template in [
            {
                "code": "BUS",
                "interaction_group_code": "LETTER",
                "description": "Business letter",
                "unit_cost": 2,
                "unit_duration": 5,
                "information_flow": "outbound",
                "initiated_by": "us",
                "correspondence_type": "hard_copy",
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
        ]:
            entities.insert(session, "interactions.template", [template])
    return app


@pytest.fixture
def sg_app(seg_app: Any) -> Any:
    """SG2's contacts: C1 (P1, P2), C2 (P3); P1 and P3 purchasing managers; C1 a customer."""
    with seg_app.session() as session:
        reference(session, "contacts.job_responsibility", "PURCHASE", "SALES")
        reference(session, "contacts.business_relation", "CUST", "PROS")
        reference(session, "contacts.industry_group", "RETAIL")
        reference(session, "contacts.mailing_group", "XMAS")
        add_contacts(
            session,
            {
                "no": "C1",
                "name": "Alpha Ltd",
                "company_name": "Alpha Ltd",
                "post_code": "1000",
                "salesperson_code": "JO",
            },
            {
                "no": "C2",
                "name": "Beta Inc",
                "company_name": "Beta Inc",
                "post_code": "2500",
                "salesperson_code": "PS",
            },
        )
        add_contacts(
            session,
            {
                "no": "P1",
                "type": "person",
                "name": "Ann",
                "company_no": "C1",
                "company_name": "Alpha Ltd",
                "post_code": "1000",
                "correspondence_type": "email",
                "email": "ann@alpha.test",
            },
            {
                "no": "P2",
                "type": "person",
                "name": "Bob",
                "company_no": "C1",
                "company_name": "Alpha Ltd",
                "post_code": "1000",
            },
            {
                "no": "P3",
                "type": "person",
                "name": "Cid",
                "company_no": "C2",
                "company_name": "Beta Inc",
                "post_code": "2500",
                "salesperson_code": "PS",
            },
        )
        link(
            session,
            "contact_job_responsibility",
            [
                {"contact_no": "P1", "job_responsibility_code": "PURCHASE"},
                {"contact_no": "P3", "job_responsibility_code": "PURCHASE"},
                {"contact_no": "P2", "job_responsibility_code": "SALES"},
            ],
        )
        link(
            session,
            "contact_business_relation",
            [
                {"contact_no": "C1", "business_relation_code": "CUST"},
                {"contact_no": "C2", "business_relation_code": "PROS"},
            ],
        )
        link(
            session,
            "contact_industry_group",
            [
                {"contact_no": "C2", "industry_group_code": "RETAIL"},
            ],
        )
    return seg_app


@pytest.fixture(params=["set_based", "record_by_record"])
def log_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test once with set-based segment logging and once record by record (issue #15:
    both paths give the same results)."""
    from relcore_segments import segment_log

    monkeypatch.setattr(segment_log, "SET_BASED", request.param == "set_based")
    return request.param
