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
    today = app.work_date
    campaign = create_campaign(
        session,
        {
            "description": "Spring fair",
            "starting_date": today - dt.timedelta(days=14),
            "ending_date": today + dt.timedelta(days=45),
            "status_code": "5-START",
        },
    )
    no = campaign["no"]
    add_price_line(session, no, {"item_code": "1896-S", "unit_price": decimal.Decimal("849.00")})
    template = session.execute(sa.select(T.c.code).order_by(T.c.code).limit(1)).scalar()
    salesperson = session.execute(
        sa.select(S.c.code).where(S.c.blocked.is_(False)).order_by(S.c.code).limit(1)
    ).scalar()
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
    for c in list_campaigns(session):
        stats = statistics(session, c["no"])
        lines.append(
            f"campaign {c['no']}: {c['description']} ({c['starting_date']}..{c['ending_date']}), "
            f"{stats['target_contacts_contacted']} targets contacted, "
            f"{len(target_groups(session, c['no']))} in the target group"
            + (" (activated)" if c["activated"] else "")
        )
    if lines:
        # a company the demo logged for the campaign, so the line runs as printed (#14 item 11)
        from relcore_contacts.api import contact_table as C

        contact = session.execute(
            sa.select(C.c.no).where(C.c.type == "company").order_by(C.c.no).limit(1)
        ).scalar()
        lines.append(
            "Try: relcore campaigns show CP0001 / relcore campaigns price --item 1896-S "
            f"--date {app.work_date} --contact {contact} --list-price 999"
        )
    return lines
