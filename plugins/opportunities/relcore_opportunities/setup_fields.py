"""The opportunities plugin's setup fields: its part of the Marketing Setup (§1.1, §6.1)."""

from __future__ import annotations

from relcore.setup import SetupField

SETUP_FIELDS = [
    SetupField(
        "opportunities.opportunity_nos", "series", None, "Number series for opportunities (§6.4)."
    ),
    SetupField(
        "opportunities.default_sales_cycle",
        "code",
        None,
        "Sales cycle put on new opportunities when it exists and is not blocked (§6.1).",
        max_length=10,
    ),
    SetupField(
        "opportunities.salesperson_code",
        "code",
        None,
        "The user's salesperson (BC User Setup), given to new opportunities (§6.4.1).",
        max_length=20,
    ),
    SetupField(
        "opportunities.d365sales_won_code",
        "code",
        None,
        "Close code of opportunities won in Dynamics 365 Sales whose status reason has no "
        "option map entry (d365sales bridge, issue 12).",
        max_length=10,
    ),
    SetupField(
        "opportunities.d365sales_lost_code",
        "code",
        None,
        "Close code of opportunities lost in Dynamics 365 Sales whose status reason has no "
        "option map entry (d365sales bridge, issue 12).",
        max_length=10,
    ),
    SetupField(
        "opportunities.d365sales_out_sold_codes",
        "str",
        None,
        "Lost close codes sent to Dynamics 365 Sales as Out-Sold (status reason 5), "
        "comma-separated, besides the one the option map gives to 5 (d365sales bridge, issue 12).",
        max_length=250,
        validator=lambda session, value: _lost_codes(session, value),
    ),
]


def out_sold_codes(text: str | None) -> set[str]:
    """The codes of ``opportunities.d365sales_out_sold_codes``, upper-cased."""
    return {c.strip().upper() for c in (text or "").split(",") if c.strip()}


def _lost_codes(session, value: str | None) -> None:
    """Every code named must be an existing close code of type lost (§6.3)."""
    import sqlalchemy as sa

    from relcore.errors import ValidationError
    from relcore_opportunities.model import close_code

    codes = out_sold_codes(value)
    if not codes:
        return
    found = dict(
        session.execute(
            sa.select(close_code.c.code, close_code.c.type).where(close_code.c.code.in_(codes))
        ).all()
    )
    for code in sorted(codes):
        if found.get(code) != "lost":
            raise ValidationError(
                f"{code} is not a close opportunity code of type lost",
                entity="Setup",
                field="opportunities.d365sales_out_sold_codes",
            )
