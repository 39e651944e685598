"""Demo data: the Contoso sales cycles EXISTING and NEW and close codes (§6.12), and three
opportunities on the demo contacts (one not started, one in progress, one won)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

CYCLES = [
    (
        "EXISTING",
        "Existing customer",
        "completed",
        [  # stage, description, completed %, chances %, quote required, allow skip
            (1, "Initial", 2, 10, False, True),
            (2, "Presentation", 50, 40, False, True),
            (3, "Proposal", 80, 80, True, False),
            (4, "Sign Contract", 95, 100, True, False),
        ],
    ),
    (
        "NEW",
        "New customer",
        "chances",
        [
            (1, "Initial", 2, 10, False, False),
            (2, "Qualification", 5, 20, False, False),
            (3, "Presentation", 40, 50, True, True),
            (4, "Proposal", 60, 75, True, False),
            (5, "Sign Contract", 95, 100, True, False),
        ],
    ),
]
"""The Contoso cycles (§6.12); date formulas are ours (the demo data's vary by country)."""

REASONS = {
    "BUSINESS": "Business",
    "CONSULT": "Consulting",
    "PRES": "Presentation",
    "PRICE": "Price",
    "PRODUCT": "Product",
    "RELATION": "Relationship",
    "SALESREP": "Salesperson",
}
CLOSE_CODES = [
    *((f"{k}_W", "won", f"{v} (won)") for k, v in REASONS.items()),
    *((f"{k}_L", "lost", f"{v} (lost)") for k, v in REASONS.items()),
    ("CP", "won", "Competitor price"),
    ("POSTPND_L", "lost", "Postponed"),
    ("TIMEWST_L", "lost", "Time wasted"),
    ("WALKED_L", "lost", "Walked away"),
]
"""The Contoso close opportunity codes (§6.12): suffix _W = Won, _L = Lost."""


def load_setup(session: Any) -> None:
    """Cycles, stages and close codes (also usable as test fixtures)."""
    from relcore_opportunities import setup_lists

    for code, description, calculation, stages in CYCLES:
        setup_lists.add_cycle(session, code, description, calculation)
        for number, text, completed, chances, quote, skip in stages:
            setup_lists.add_stage(
                session,
                code,
                number,
                {
                    "description": text,
                    "completed_pct": completed,
                    "chances_of_success_pct": chances,
                    "quote_required": quote,
                    "allow_skip": skip,
                    "date_formula": "1M",
                },
            )
    for code, type_, description in CLOSE_CODES:
        setup_lists.add_close_code(session, code, type_, description)


def load_demo_data(app: Any, session: Any) -> None:
    """Setup plus three opportunities on the first demo companies."""
    from relcore_contacts.api import contact_table

    from relcore_opportunities import closing, creating, maintenance, updating

    load_setup(session)
    app.setup.set(session, "opportunities.default_sales_cycle", "NEW")
    c = contact_table.c
    companies = session.execute(
        sa.select(c.no, c.salesperson_code)
        .where(c.type == "company", c.salesperson_code.is_not(None))
        .order_by(c.no)
        .limit(3)
    ).all()
    if len(companies) < 3:
        return
    wizard = {
        "estimated_value_lcy": Decimal("12000"),
        "chances_of_success_pct": Decimal("25"),
        "estimated_close_date": app.work_date.replace(day=1).replace(year=app.work_date.year + 1),
    }
    creating.create_opportunity(
        session, {"description": "Office furniture", "contact_no": companies[0].no}
    )
    progress = creating.create_opportunity(
        session,
        {"description": "Conference room refit", "contact_no": companies[1].no},
        activate_first_stage=True,
        wizard=wizard,
    )
    updating.update_opportunity(session, progress["no"], "next")
    won = creating.create_opportunity(
        session,
        {"description": "Reception desks", "contact_no": companies[2].no},
        activate_first_stage=True,
        wizard=wizard,
    )
    maintenance.set_document(session, won["no"], "quote", "SQ1001", Decimal("9500"))
    closing.close_opportunity(session, won["no"], "won", code="PRICE_W")


def tour(app: Any, session: Any) -> list[str]:
    """What the demo tour shows for opportunities."""
    from relcore_opportunities.queries import list_opportunities

    lines = [
        f"opportunity {o['no']}: {o['description']} ({o['status']}, stage "
        f"{o['current_stage'] or '-'}, value {o['estimated_value']})"
        for o in list_opportunities(session)
    ]
    lines.append(
        "Try: relcore opportunities stages-available OP000002 / relcore opportunities pipeline "
        "--cycle NEW"
    )
    return lines
