"""``relcore campaigns prices add|list`` and ``relcore campaigns price``."""

from __future__ import annotations

import click

from relcore.cli.context import output, output_table, pass_state


def register(group: click.Group) -> None:
    """Add this module's commands to the ``campaigns`` group."""
    group.add_command(prices_group)
    group.add_command(price_command)


@click.group("prices")
def prices_group() -> None:
    """Campaign prices and line discounts (§8.6)."""


@prices_group.command("add")
@click.argument("no")
@click.option("--item", "item_code", required=True, help="The ERP's item code.")
@click.option("--unit-price", default=None, help="Campaign unit price.")
@click.option("--line-discount-pct", default=None, help="Campaign line discount %.")
@click.option("--minimum-quantity", default=None, help="Applies from this quantity.")
@click.option("--unit-of-measure", default=None, help="Unit of measure ('' = any).")
@click.option("--currency", "currency_code", default=None, help="Currency ('' = local).")
@pass_state
def add_command(
    state,
    no,
    item_code,
    unit_price,
    line_discount_pct,
    minimum_quantity,
    unit_of_measure,
    currency_code,
):
    """Add a campaign price or line discount (valid in the campaign period)."""
    from relcore_campaigns.pricing import add_price_line

    values = {"item_code": item_code}
    for key, value in (
        ("unit_price", unit_price),
        ("line_discount_pct", line_discount_pct),
        ("minimum_quantity", minimum_quantity),
        ("unit_of_measure", unit_of_measure),
        ("currency_code", currency_code),
    ):
        if value is not None:
            values[key] = value
    with state.app.session() as session:
        row = add_price_line(session, no, values)
    output(state, row, human=f"Added line {row['line_no']} to campaign {row['campaign_no']}")


@prices_group.command("list")
@click.argument("no")
@pass_state
def list_command(state, no):
    """List a campaign's price and discount lines."""
    from relcore_campaigns.pricing import price_lines

    with state.app.session() as session:
        rows = price_lines(session, no)
    output_table(
        state,
        rows,
        f"Prices of {no.upper()}",
        {
            "line": "line_no",
            "item": "item_code",
            "uom": "unit_of_measure",
            "currency": "currency_code",
            "min. qty": "minimum_quantity",
            "unit price": "unit_price",
            "disc. %": "line_discount_pct",
            "from": "starting_date",
            "to": "ending_date",
        },
    )


@click.command("price")
@click.option("--item", "item_code", required=True, help="The ERP's item code.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="The document date.",
)
@click.option("--customer", "customer_no", default=None, help="The document's customer.")
@click.option("--contact", "contact_no", default=None, help="The document's contact.")
@click.option("--list-price", required=True, help="The item's price without campaign.")
@click.option("--quantity", default="1", show_default=True, help="The line quantity.")
@click.option("--campaign", "campaign_no", default=None, help="The campaign on the document.")
@click.option("--unit-of-measure", default="", help="The line's unit of measure.")
@click.option("--currency", "currency_code", default="", help="The document currency.")
@pass_state
def price_command(
    state,
    item_code,
    day,
    customer_no,
    contact_no,
    list_price,
    quantity,
    campaign_no,
    unit_of_measure,
    currency_code,
):
    """Which campaign price / line discount applies to a sales line (§8.6, CA14/CA15)."""
    from relcore_campaigns.pricing import PriceRequest, best_price, parse_request_amount

    if bool(customer_no) == bool(contact_no):
        raise click.UsageError("give either --customer or --contact")
    request = PriceRequest(
        item_code=item_code.strip().upper(),
        date=day.date(),
        list_price=parse_request_amount(list_price, "list_price"),
        quantity=parse_request_amount(quantity, "quantity"),
        customer_no=(customer_no or "").strip().upper() or None,
        contact_no=(contact_no or "").strip().upper() or None,
        campaign_no=campaign_no,
        unit_of_measure=unit_of_measure.strip().upper(),
        currency_code=currency_code.strip().upper(),
    )
    with state.app.session() as session:
        result = best_price(session, request)
    output(
        state,
        result,
        human=f"unit price {result['unit_price']}, line discount {result['line_discount_pct']} %"
        + (f" (campaign {result['campaign_no']})" if result["campaign_no"] else ""),
    )
