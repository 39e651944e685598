"""Demo data and tour line of campaigns (``relcore demo`` with every installed plugin)."""

from __future__ import annotations


def test_demo_campaign_with_entry_target_group_and_price(tmp_path, run_cli):
    from relcore.app import App

    app = App(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        result = run_cli(app, "demo", json=True)
        assert result.exit_code == 0, result.output
        tour = {section["plugin"]: section["lines"] for section in result.json["tour"]}
        assert tour["campaigns"][0].startswith("campaign CP0001: Spring fair (")
        assert "(activated)" in tour["campaigns"][0]
        statuses = run_cli(app, "campaigns", "statuses", "list", json=True).json
        assert [s["code"] for s in statuses] == [
            "1-PLAN",
            "2-APP",
            "3-INIT",
            "4-SCH",
            "5-START",
            "9-DONE",
        ]
        entries = run_cli(app, "campaigns", "entries", "CP0001", json=True).json
        assert entries[0]["no_of_interactions"] == 3
        groups = run_cli(app, "campaigns", "target-groups", "CP0001", json=True).json
        company = groups[0]["no"]
        price = run_cli(
            app,
            "campaigns",
            "price",
            "--item",
            "1896-S",
            "--date",
            str(app.work_date),
            "--contact" if groups[0]["type"] == "contact" else "--customer",
            company,
            "--list-price",
            "999",
            json=True,
        ).json
        assert (price["unit_price"], price["campaign_no"]) == ("849.00", "CP0001")
        if app.has_plugin("d365sales"):
            # the demo maps its statuses to Dataverse, so the demo sync sends the campaign
            errors = run_cli(app, "d365", "errors", json=True).json
            assert [e for e in errors if e["mapping_name"] == "CAMPAIGN"] == []
    finally:
        app.dispose()
