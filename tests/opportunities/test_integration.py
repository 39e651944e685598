"""Statistics, the pipeline picture, segments, contacts' hooks, the interactions hooks, the
global ``--work-date`` and one active entry under concurrent updates on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa

from relcore import entities
from tests.opportunities.conftest import new_opp, ok, show

D = Decimal


def test_stats_by_cycle_salesperson_contact(opp_app, run_cli):
    from relcore_opportunities.updating import update_opportunity

    a = new_opp(opp_app, activate=True, value="10000", chances="25")
    b = new_opp(opp_app, activate=True, value="2000", chances="50", contact="P1")
    new_opp(opp_app, activate=True, value="999", contact="C2")
    with opp_app.session() as session:
        update_opportunity(session, a, "next", date_of_change=dt.date(2024, 1, 25))
    ok(run_cli(opp_app, "opportunities", "close", b, "--lost", "--code", "PRICE_L"))
    data = ok(run_cli(opp_app, "opportunities", "stats", "--cycle", "NEW", json=True)).json
    stages = {r["stage"]: r for r in data["stages"]}
    assert [r["stage"] for r in data["stages"]] == [1, 2, 3, 4, 5]
    assert stages[1]["no_of_opportunities"] == 1  # C2's; b is lost, a moved on
    assert stages[2]["no_of_opportunities"] == 1
    assert D(stages[2]["estimated_value"]) == 10000
    assert D(stages[1]["average_days"]) == D(5)  # a: 10 days, b: 0 days at stage 1
    assert data["no_of_opportunities"] == 2
    # a company aggregates its persons: C1 has a (open) and P1's b (lost, not counted)
    contact = ok(run_cli(opp_app, "opportunities", "stats", "--contact", "C1", json=True)).json
    assert contact["no_of_opportunities"] == 1
    assert D(contact["calcd_current_value"]) == D(2000)  # 10,000 x stage 2's 20 % (chances)
    dated = ok(
        run_cli(
            opp_app,
            "opportunities",
            "stats",
            "--salesperson",
            "JO",
            "--from",
            "2024-03-01",
            json=True,
        )
    ).json
    assert dated["no_of_opportunities"] == 0
    bad = run_cli(opp_app, "opportunities", "stats")
    assert bad.exit_code == 1 and "exactly one" in bad.output


def test_pipeline_terminal_and_png(opp_app, run_cli, tmp_path):
    pytest.importorskip("matplotlib", reason="the [charts] extra is not installed")
    for value in ("100", "200", "300"):
        new_opp(opp_app, activate=True, value=value)
    text = ok(run_cli(opp_app, "opportunities", "pipeline", "--cycle", "NEW")).output
    assert "Qualification" in text and "█" in text
    target = tmp_path / "pipe.png"
    ok(run_cli(opp_app, "opportunities", "pipeline", "--cycle", "NEW", "--output", str(target)))
    from PIL import Image

    with Image.open(target) as image:
        assert image.size[0] >= 600 and image.size[1] >= 200
        extrema = image.convert("L").getextrema()
        assert extrema[0] < 128 < extrema[1]  # not blank: dark and light pixels
    svg = tmp_path / "pipe.html"
    ok(run_cli(opp_app, "opportunities", "pipeline", "--output", str(svg)))
    assert "<svg" in svg.read_text()
    bad = run_cli(opp_app, "opportunities", "pipeline", "--output", str(tmp_path / "x.gif"))
    assert bad.exit_code == 1 and ".png, .svg or .html" in bad.output


def test_pipeline_without_matplotlib_hints(opp_app, run_cli, tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    result = run_cli(opp_app, "opportunities", "pipeline", "--output", str(tmp_path / "p.png"))
    assert result.exit_code == 1
    assert "pip install 'relcore-opportunities[charts]'" in result.output


def test_contact_type_change_and_delete_are_guarded(opp_app, run_cli):
    from relcore_contacts.api import modify_contact

    # no "opportunity created" interaction: the opportunity alone must block the type change
    ok(run_cli(opp_app, "interactions", "setup", "set", "opportunities.created"))
    no = new_opp(opp_app, contact="C2")
    with (
        pytest.raises(Exception, match="one or more opportunities are linked"),
        opp_app.session() as s,
    ):
        modify_contact(s, "C2", {"type": "person"})
    result = run_cli(opp_app, "contacts", "delete", "C2")
    assert result.exit_code == 1 and "opportunities in progress" in result.output
    ok(run_cli(opp_app, "opportunities", "close", no, "--lost", "--code", "PRICE_L"))
    person = new_opp(opp_app, contact="P1")
    ok(run_cli(opp_app, "opportunities", "close", person, "--lost", "--code", "PRICE_L"))
    ok(run_cli(opp_app, "contacts", "delete", "P1"))  # a person's opportunities go to C1
    assert (show(opp_app, person)["contact_no"], show(opp_app, person)["status"]) == ("C1", "lost")
    ok(run_cli(opp_app, "contacts", "delete", "C2"))  # a company's are detached (§2.7)
    assert show(opp_app, no)["contact_no"] is None


def test_interactions_hooks(opp_app):
    from relcore_opportunities.contact_hooks import active_entry_nos, check_opportunities

    from relcore.errors import ValidationError

    no = new_opp(opp_app, activate=True)
    [entry] = show(opp_app, no)["entries"]
    with opp_app.session() as session:
        check_opportunities(session, [no])
        with pytest.raises(ValidationError, match="OP999999"):
            check_opportunities(session, [no, "OP999999"])
        assert active_entry_nos(session, [no]) == {no: entry["entry_no"]}
        hook = opp_app.pm.hook.relcore_campaigns_opportunity_figures
        assert hook.get_hookimpls()  # implemented (optional: no campaigns plugin here)


def test_global_work_date(opp_app, run_cli):
    made = ok(
        run_cli(
            opp_app,
            "--work-date",
            "2025-06-30",
            "opportunities",
            "add",
            "--contact",
            "C1",
            "--description",
            "X",
            "--cycle",
            "NEW",
            json=True,
        )
    ).json
    assert made["creation_date"] == "2025-06-30"


def test_work_date_env_and_option_reach_the_app(monkeypatch):
    from click.testing import CliRunner

    from relcore.cli import cli

    seen = {}

    @cli.command("probe-work-date")
    def probe():
        import click

        seen["date"] = click.get_current_context().find_root().obj.work_date

    try:
        monkeypatch.setenv("RELCORE_WORK_DATE", "2024-02-29")
        assert CliRunner().invoke(cli, ["probe-work-date"]).exit_code == 0
        assert seen["date"] == dt.date(2024, 2, 29)
        assert (
            CliRunner().invoke(cli, ["--work-date", "2023-01-02", "probe-work-date"]).exit_code == 0
        )
        assert seen["date"] == dt.date(2023, 1, 2)
        bad = CliRunner().invoke(cli, ["--work-date", "02/01/2023", "probe-work-date"])
        assert bad.exit_code == 2
    finally:
        cli.commands.pop("probe-work-date")


def test_concurrent_updates_keep_one_active_entry(opp_app):
    """Eight threads move one opportunity at once: every update is applied in turn (the row
    lock), and exactly one entry stays active."""
    from relcore_opportunities.updating import update_opportunity

    if opp_app.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs write transactions one at a time (BEGIN IMMEDIATE)")
    no = new_opp(opp_app, activate=True)
    barrier = threading.Barrier(8)
    errors = []

    def worker():
        barrier.wait()
        try:
            with opp_app.session() as session:
                update_opportunity(session, no, "update", estimated_value=D(5))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = show(opp_app, no)["entries"]
    assert len(entries) == 9
    assert [e["active"] for e in entries].count(True) == 1
    assert entries[-1]["active"]


def test_campaign_check_and_figures_with_the_campaigns_plugin(full_app, run_cli):
    """With campaigns installed, a campaign no. is checked by it and the campaign's statistics
    get the opportunity figures from ``relcore_campaigns_opportunity_figures`` (CA16)."""
    app = full_app
    camp = ok(
        run_cli(
            app,
            "campaigns",
            "add",
            "--description",
            "Fair",
            "--starting-date",
            "2024-01-01",
            "--ending-date",
            "2024-12-31",
            json=True,
        )
    ).json["no"]
    with app.session() as session:  # activated (§8.1): a target-group row
        entities.insert(
            session,
            "campaigns.target_group",
            [{"type": "contact", "no": "C2", "campaign_no": camp, "contact_company_no": "C2"}],
        )
    bad = run_cli(
        app,
        "opportunities",
        "add",
        "--contact",
        "C1",
        "--description",
        "X",
        "--cycle",
        "NEW",
        "--campaign",
        "NOPE",
    )
    assert bad.exit_code == 1 and "NOPE" in bad.output
    made = ok(
        run_cli(
            app,
            "opportunities",
            "add",
            "--contact",
            "C1",
            "--description",
            "X",
            "--cycle",
            "NEW",
            "--campaign",
            camp,
            "--activate-first-stage",
            "--estimated-value",
            "10000",
            "--chances-pct",
            "20",
            "--estimated-close-date",
            "2024-03-01",
            json=True,
        )
    ).json
    assert made["campaign_no"] == camp
    shown = ok(run_cli(app, "campaigns", "show", camp, json=True)).json
    stats = shown.get("statistics", shown)
    assert stats["no_of_opportunities"] == 1
    assert D(stats["estimated_value"]) == D(10000)
    assert D(stats["calcd_current_value"]) == D(2000)  # CA16: chances 20 % (NEW cycle)
    dated = ok(run_cli(app, "campaigns", "show", camp, "--from", "2024-04-01", json=True)).json
    assert dated.get("statistics", dated)["no_of_opportunities"] == 0


def test_contact_merge_moves_opportunities_to_the_survivor(opp_app, run_cli):
    """``relcore_contacts_merge`` (opportunities' implementation): merging company C2 into C1
    moves C2's opportunities and their entries (contact and contact company) to C1; a dry run
    only counts them."""
    from tests.opportunities.conftest import new_opp, show

    no = new_opp(opp_app, contact="C2", activate=True)
    dry = ok(run_cli(opp_app, "contacts", "merge", "C1", "C2", "--dry-run", json=True)).json
    assert dry["moved"]["opportunities_opportunity"] == 1
    assert dry["moved"]["opportunities_entry"] == 1
    assert show(opp_app, no)["contact_no"] == "C2"
    done = ok(run_cli(opp_app, "contacts", "merge", "C1", "C2", json=True)).json
    assert done["moved"]["opportunities_opportunity"] == 1
    shown = show(opp_app, no)
    assert (shown["contact_no"], shown["contact_company_no"]) == ("C1", "C1")
    from relcore_opportunities.model import entry

    with opp_app.session() as session:
        rows = session.execute(
            sa.select(entry.c.contact_no, entry.c.contact_company_no).where(
                entry.c.opportunity_no == no
            )
        ).all()
    assert [tuple(r) for r in rows] == [("C1", "C1")]
