"""The shell contract of ``relcore campaigns`` (issue #11), through ``run_cli``."""

from __future__ import annotations

from .conftest import log


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_campaign_commands(camp_app, run_cli):
    app = camp_app
    ok(run_cli(app, "campaigns", "statuses", "add", "1-PLAN", "--description", "Planned"))
    created = ok(
        run_cli(
            app,
            "campaigns",
            "add",
            "--description",
            "Spring",
            "--starting-date",
            "2024-03-01",
            "--ending-date",
            "2024-03-31",
            "--salesperson",
            "JO",
            "--status",
            "1-PLAN",
            json=True,
        )
    ).json
    assert (created["no"], created["salesperson_code"]) == ("CP0001", "JO")
    bad = run_cli(app, "campaigns", "edit", "CP0001", "--set", "ending_date=2024-02-01")
    assert bad.exit_code == 1
    assert bad.output.strip().splitlines() == [
        "Error: Campaign CP0001: field ending_date: Ending Date must be after Starting Date."
    ]
    edited = ok(
        run_cli(app, "campaigns", "edit", "CP0001", "--set", "description=Spring 24", json=True)
    ).json
    assert edited["description"] == "Spring 24"
    assert [r["no"] for r in ok(run_cli(app, "campaigns", "list", json=True)).json] == ["CP0001"]
    shown = ok(run_cli(app, "campaigns", "show", "CP0001", json=True)).json
    for field in (
        "activated",
        "target_contacts_contacted",
        "contacts_responded",
        "cost",
        "duration",
        "response_rate_pct",
        "avg_cost_per_response",
        "avg_duration_per_response",
        "no_of_opportunities",
        "estimated_value",
        "calcd_current_value",
    ):
        assert field in shown
    assert shown["activated"] is False and shown["cost"] == "0.00"
    ok(run_cli(app, "campaigns", "delete", "CP0001"))
    assert run_cli(app, "campaigns", "show", "CP0001").exit_code == 1


def test_entries_targets_prices(camp_app, run_cli):
    app = camp_app
    ok(
        run_cli(
            app,
            "campaigns",
            "add",
            "--description",
            "Spring",
            "--starting-date",
            "2024-03-01",
            "--ending-date",
            "2024-03-31",
        )
    )
    seg = ok(
        run_cli(
            app,
            "segments",
            "add",
            "--description",
            "Mailing",
            "--set",
            "campaign_no=CP0001",
            "--set",
            "campaign_target=true",
            "--set",
            "interaction_template_code=BUS",
            "--set",
            "salesperson_code=JO",
            json=True,
        )
    ).json
    ok(run_cli(app, "segments", "add-contacts", seg["no"], "--where", "contact.no=P1|C2"))
    ok(run_cli(app, "segments", "log", seg["no"]))
    entries = ok(run_cli(app, "campaigns", "entries", "CP0001", json=True)).json
    assert [
        (e["entry_no"], e["segment_no"], e["no_of_interactions"], e["canceled"]) for e in entries
    ] == [(1, seg["no"], 2, False)]
    assert entries[0]["register_no"] == 1 and entries[0]["cost"] == "4.00"
    # activation without prices asks; a non-interactive run without --yes refuses
    refused = run_cli(app, "campaigns", "activate", "CP0001")
    assert refused.exit_code == 1
    assert (
        "There are no Sales Prices or Sales Line Discounts currently linked to this "
        "Campaign. Do you still want to activate?" in refused.output
    )
    assert ok(run_cli(app, "campaigns", "target-groups", "CP0001", json=True)).json == []
    ok(run_cli(app, "campaigns", "prices", "add", "CP0001", "--item", "X", "--unit-price", "8"))
    ok(
        run_cli(
            app,
            "campaigns",
            "prices",
            "add",
            "CP0001",
            "--item",
            "X",
            "--line-discount-pct",
            "5",
            "--minimum-quantity",
            "10",
        )
    )
    prices = ok(run_cli(app, "campaigns", "prices", "list", "CP0001", json=True)).json
    assert [(p["unit_price"], p["line_discount_pct"]) for p in prices] == [
        ("8.00", None),
        (None, "5.00"),
    ]
    activated = ok(run_cli(app, "campaigns", "activate", "CP0001", json=True)).json
    assert activated["message"] == "Campaign CP0001 is now activated."
    groups = ok(run_cli(app, "campaigns", "target-groups", "CP0001", json=True)).json
    assert groups == [{"type": "customer", "no": "10000"}, {"type": "contact", "no": "C2"}]
    price = ok(
        run_cli(
            app,
            "campaigns",
            "price",
            "--item",
            "X",
            "--date",
            "2024-03-15",
            "--customer",
            "10000",
            "--list-price",
            "10.00",
            json=True,
        )
    ).json
    assert (price["unit_price"], price["line_discount_pct"], price["campaign_no"]) == (
        "8.00",
        "0",
        "CP0001",
    )
    late = ok(
        run_cli(
            app,
            "campaigns",
            "price",
            "--item",
            "X",
            "--date",
            "2024-04-02",
            "--contact",
            "P3",
            "--list-price",
            "10.00",
            "--quantity",
            "10",
            json=True,
        )
    ).json
    assert (late["unit_price"], late["campaign_no"]) == ("10.00", None)
    # cancel toggles, delete-canceled removes the entry and its interactions
    assert ok(run_cli(app, "campaigns", "entries", "cancel", "1", json=True)).json["canceled"]
    shown = ok(run_cli(app, "campaigns", "show", "CP0001", json=True)).json
    assert shown["target_contacts_contacted"] == 0 and shown["activated"] is True
    deleted = ok(
        run_cli(app, "campaigns", "entries", "delete-canceled", "--campaign", "CP0001", json=True)
    ).json
    assert deleted == {"deleted": [{"entry_no": 1}]}
    ok(run_cli(app, "campaigns", "deactivate", "CP0001"))
    assert ok(run_cli(app, "campaigns", "target-groups", "CP0001", json=True)).json == []


def test_show_date_filter_and_log_invoice(camp_app, run_cli):
    import datetime as dt

    app = camp_app
    ok(run_cli(app, "campaigns", "add", "--description", "Spring"))
    with app.session() as session:
        log(
            session,
            {
                "contact_no": "P1",
                "campaign_no": "CP0001",
                "campaign_target": True,
                "date": dt.date(2024, 2, 1),
            },
        )
        log(session, {"contact_no": "P1", "campaign_no": "CP0001", "campaign_target": True})
    shown = ok(
        run_cli(
            app,
            "campaigns",
            "show",
            "CP0001",
            "--from",
            "2024-03-01",
            "--to",
            "2024-03-31",
            json=True,
        )
    ).json
    assert shown["target_contacts_contacted"] == 1
    ok(run_cli(app, "campaigns", "activate", "CP0001", "--yes"))
    ok(run_cli(app, "interactions", "setup", "set", "campaigns.sales_invoices", "BUS"))
    logged = ok(
        run_cli(
            app,
            "campaigns",
            "log-invoice",
            "--invoice",
            "INV1",
            "--customer",
            "10000",
            "--posting-date",
            "2024-03-20",
            "--order",
            "SO1",
            json=True,
        )
    ).json
    assert [r["campaign_no"] for r in logged] == ["CP0001"]


def test_segment_criteria_source_campaign(camp_app, run_cli):
    """segments add-contacts --where campaign.…: responders and target groups (§5.5.1)."""
    app = camp_app
    ok(run_cli(app, "campaigns", "add", "--description", "Spring"))
    with app.session() as session:
        log(session, {"contact_no": "P1", "campaign_no": "CP0001", "campaign_target": True})
        log(session, {"contact_no": "P3", "campaign_no": "CP0001", "template_code": "RESP"})
    ok(run_cli(app, "campaigns", "activate", "CP0001", "--yes"))
    seg = ok(run_cli(app, "segments", "add", "--description", "Follow-up", json=True)).json["no"]
    added = ok(
        run_cli(
            app,
            "segments",
            "add-contacts",
            seg,
            "--where",
            "campaign.campaign_no=CP0001",
            "--where",
            "campaign.kind=response",
            json=True,
        )
    ).json
    assert added["inserted"] == 1
    ok(run_cli(app, "segments", "add-contacts", seg, "--where", "campaign.kind=target_group"))
    lines = ok(run_cli(app, "segments", "show", seg, json=True)).json["lines"]
    assert sorted(line["contact_no"] for line in lines) == ["C1", "P3"]
