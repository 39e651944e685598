"""Fixtures of the opportunities tests: contacts + interactions + opportunities, WorkDate
2024-01-15, the Contoso cycles EXISTING and NEW and close codes (§6.12), salesperson JO and
company C1 (person P1) and company C2; ``full_app`` adds segments and campaigns. Helpers shared
by the test modules: ``ok``, ``edit``, ``add_task``, ``add_campaign``, ``add_segment``,
``new_opp``, ``show``."""

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


def _opp_setup(app: Any, salespeople: list[dict]) -> Any:
    from relcore_opportunities.demo import load_setup

    with app.session() as session:
        entities.insert(session, "contacts.salesperson", salespeople)
        add_contacts(session)
        load_setup(session)
    return app


@pytest.fixture
def opp_app(make_app: Any) -> Any:
    """The app with the Contoso setup and contacts."""
    app = make_app("contacts", "interactions", "opportunities", work_date=WORK_DATE)
    return _opp_setup(
        app, [{"code": "JO", "name": "Jo"}, {"code": "OLD", "name": "Old", "blocked": True}]
    )


@pytest.fixture
def full_app(make_app: Any) -> Any:
    """Contacts, interactions, segments, campaigns and opportunities, with the same set-up as
    ``opp_app`` (salesperson JO only)."""
    app = make_app(
        "contacts", "interactions", "segments", "campaigns", "opportunities", work_date=WORK_DATE
    )
    return _opp_setup(app, [{"code": "JO", "name": "Jo"}])


def ok(result: Any) -> Any:
    """A CLI result that succeeded."""
    assert result.exit_code == 0, result.output
    return result


def edit(app: Any, run_cli: Any, no: str, *pairs: str) -> Any:
    """``relcore --json opportunities edit NO --set PAIR ...``."""
    args = []
    for pair in pairs:
        args += ["--set", pair]
    return run_cli(app, "opportunities", "edit", no, *args, json=True)


def add_stage(
    app: Any, run_cli: Any, *options: str, completed_pct: str = "1", chances_pct: str = "1"
) -> Any:
    """``relcore opportunities stages add NEW 9 --description x ...`` with these options."""
    return run_cli(
        app,
        "opportunities",
        "stages",
        "add",
        "NEW",
        "9",
        "--description",
        "x",
        "--completed-pct",
        completed_pct,
        "--chances-pct",
        chances_pct,
        *options,
    )


def add_task(app: Any, run_cli: Any, opportunity_no: str, salesperson: str, *args: str) -> str:
    """``relcore tasks add`` of an opportunity's task (a call unless ``args`` say otherwise);
    returns the task no."""
    return ok(
        run_cli(
            app,
            "tasks",
            "add",
            "--description",
            "Call",
            "--salesperson",
            salesperson,
            "--opportunity",
            opportunity_no,
            *args,
            json=True,
        )
    ).json["no"]


def add_campaign(
    app: Any,
    no: str,
    start: str | None = "2024-01-01",
    end: str | None = "2024-12-31",
    activated: bool = True,
) -> None:
    """A campaign (Activated: one target-group row, §8.1)."""
    with app.session() as session:
        entities.insert(
            session,
            "campaigns.campaign",
            [
                {
                    "no": no,
                    "description": no,
                    "starting_date": dt.date.fromisoformat(start) if start else None,
                    "ending_date": dt.date.fromisoformat(end) if end else None,
                }
            ],
        )
        if activated:
            entities.insert(
                session,
                "campaigns.target_group",
                [{"type": "contact", "no": "C2", "campaign_no": no, "contact_company_no": "C2"}],
            )


def add_segment(app: Any, no: str, description: str, campaign_no: str | None = None) -> None:
    """A segment header (no lines)."""
    with app.session() as session:
        entities.insert(
            session,
            "segments.segment",
            [{"no": no, "description": description, "campaign_no": campaign_no}],
        )


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
