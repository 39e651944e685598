"""Demo data: the Contoso campaign statuses (§8.2), a running campaign with a campaign price, a
campaign entry from logged interactions, and its activated target group."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import sqlalchemy as sa

CONTOSO_STATUSES = [
    ("1-PLAN", "Planned"),
    ("2-APP", "Approved"),
    ("3-INIT", "Initiated"),
    ("4-SCH", "Scheduled"),
    ("5-START", "Started"),
    ("9-DONE", "Done"),
]
"""Contoso "Create Campaign Status" (§8.2)."""

DATAVERSE_STATUSCODES = {"1-PLAN": 0, "2-APP": 1, "5-START": 2, "9-DONE": 3}
"""Dataverse ``campaign.statuscode`` (Proposed 0, Ready To Launch 1, Launched 2, Completed 3) of the
demo statuses, so the demo's CAMPAIGN sync has a value for each (``d365 option-map``)."""


def _map_statuses_to_dataverse(session: Any) -> None:
    """With d365sales installed, the option map ``campaigns.statuscode`` for the demo statuses
    (through the entity write API: campaigns does not import d365sales)."""
    from relcore import entities

    rows = [
        {"dv_column": "campaigns.statuscode", "option_value": value, "local_code": code}
        for code, value in DATAVERSE_STATUSCODES.items()
        if not entities.exists(session, "d365sales.option_map", ("campaigns.statuscode", value))
    ]
    if rows:
        entities.insert(session, "d365sales.option_map", rows)


def load_demo_data(app: Any, session: Any) -> None:
    """Statuses; campaign "Spring fair" around the work date with a price for item 1896-S; the
    demo companies contacted as campaign targets (one campaign entry), then activated."""
    from relcore_contacts.api import contact_table as C
    from relcore_contacts.api import salesperson_table as S
    from relcore_interactions.api import template_table as T

    from relcore.interactions import InteractionRecord, log_interactions
    from relcore_campaigns.campaigns import add_status, create_campaign
    from relcore_campaigns.pricing import add_price_line
    from relcore_campaigns.target_groups import activate

    for code, description in CONTOSO_STATUSES:
        add_status(session, code, description)
    if app.has_plugin("d365sales"):
        _map_statuses_to_dataverse(session)
    salesperson = session.execute(
        sa.select(S.c.code).where(S.c.blocked.is_(False)).order_by(S.c.code).limit(1)
    ).scalar()
    today = app.work_date
    campaign = create_campaign(
        session,
        {
            "description": "Spring fair",
            "starting_date": today - dt.timedelta(days=14),
            "ending_date": today + dt.timedelta(days=45),
            "status_code": "5-START",
            "salesperson_code": salesperson,
        },
    )
    no = campaign["no"]
    add_price_line(session, no, {"item_code": "1896-S", "unit_price": decimal.Decimal("849.00")})
    template = session.execute(sa.select(T.c.code).order_by(T.c.code).limit(1)).scalar()
    companies = list(
        session.execute(
            sa.select(C.c.no).where(C.c.type == "company").order_by(C.c.no).limit(3)
        ).scalars()
    )
    if not (template and salesperson and companies):
        return
    log_interactions(
        session,
        [
            InteractionRecord(
                contact_no=company,
                template_code=template,
                date=today,
                salesperson_code=salesperson,
                campaign_no=no,
                campaign_target=True,
                description="Spring fair invitation",
            )
            for company in companies
        ],
    )
    activate(session, no, lambda _question: True)


def tour(app: Any, session: Any) -> list[str]:
    """What the demo tour shows for campaigns."""
    from relcore_campaigns.campaigns import list_campaigns
    from relcore_campaigns.statistics import statistics
    from relcore_campaigns.target_groups import target_groups

    lines = []
    example = None
    for c in list_campaigns(session):
        stats = statistics(session, c["no"])
        group = target_groups(session, c["no"])
        lines.append(
            f"campaign {c['no']}: {c['description']} ({c['starting_date']}..{c['ending_date']}), "
            f"{stats['target_contacts_contacted']} targets contacted, "
            f"{len(group)} in the target group" + (" (activated)" if c["activated"] else "")
        )
        if group and example is None:
            example = (c["no"], group[0]["contact_company_no"])
    if example:
        lines.append(
            f"Try: relcore campaigns show {example[0]} / relcore campaigns price --item 1896-S "
            f"--date {app.work_date} --contact {example[1]} --list-price 999"
        )
    return lines
