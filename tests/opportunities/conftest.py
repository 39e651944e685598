"""Fixtures of the opportunities tests: contacts + interactions + opportunities, WorkDate
2024-01-15, the Contoso cycles EXISTING and NEW and close codes (§6.12), salesperson JO and
company C1 (person P1) and company C2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from relcore import entities

WORK_DATE = dt.date(2024, 1, 15)


def add_contacts(session: Any) -> None:
    entities.insert(
        session,
        "contacts.contact",
        [
            {
                "no": "C1",
                "type": "company",
                "company_no": "C1",
                "name": "Alpha Ltd",
                "search_name": "ALPHA LTD",
                "salesperson_code": "JO",
            },
            {
                "no": "C2",
                "type": "company",
                "company_no": "C2",
                "name": "Beta Inc",
                "search_name": "BETA INC",
                "salesperson_code": "JO",
            },
        ],
    )
    entities.insert(
        session,
        "contacts.contact",
        [
            {
                "no": "P1",
                "type": "person",
                "company_no": "C1",
                "company_name": "Alpha Ltd",
                "name": "Ann",
                "search_name": "ANN",
                "salesperson_code": "JO",
            },
            {
                "no": "P9",
                "type": "person",
                "name": "Loner",
                "search_name": "LONER",
                "salesperson_code": "JO",
            },
        ],
    )


@pytest.fixture
def opp_app(make_app: Any) -> Any:
    """The app with the Contoso setup and contacts."""
    from relcore_opportunities.demo import load_setup

    app = make_app("contacts", "interactions", "opportunities", work_date=WORK_DATE)
    with app.session() as session:
        entities.insert(
            session,
            "contacts.salesperson",
            [{"code": "JO", "name": "Jo"}, {"code": "OLD", "name": "Old", "blocked": True}],
        )
        add_contacts(session)
        load_setup(session)
    return app


def new_opp(app: Any, cycle: str = "NEW", contact: str = "C1", **kw: Any) -> str:
    """A not-started opportunity (or with ``activate=True`` at stage 1)."""
    from relcore_opportunities.creating import create_opportunity

    activate = kw.pop("activate", False)
    wizard = {
        "estimated_value_lcy": Decimal(kw.pop("value", "10000")),
        "chances_of_success_pct": Decimal(kw.pop("chances", "25")),
        "estimated_close_date": kw.pop("close", WORK_DATE + dt.timedelta(days=30)),
    }
    with app.session() as session:
        row = create_opportunity(
            session,
            {"description": "Deal", "contact_no": contact, "sales_cycle_code": cycle, **kw},
            activate_first_stage=activate,
            wizard=wizard if activate else None,
        )
    return row["no"]


def show(app: Any, no: str) -> dict:
    from relcore_opportunities.queries import show as _show

    with app.session() as session:
        return _show(session, no)
