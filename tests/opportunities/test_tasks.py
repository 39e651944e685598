"""Entering a stage with an activity creates its tasks through the tasks API (OP25, §7.5);
``--cancel-old-tasks`` and closing cancel the open tasks (TK10, OP19)."""

from __future__ import annotations

import datetime as dt

from tests.opportunities.conftest import add_stage, add_task, new_opp, ok


def company_presentation(app, run_cli):
    """Activity COMPPRES with the steps of OP25: '', <+1W>, <+1W>, <+1W>, <+2W>."""
    ok(run_cli(app, "tasks", "activities", "add", "COMPPRES", "--description", "Presentation"))
    for formula in ("", "1W", "1W", "1W", "2W"):
        ok(
            run_cli(
                app,
                "tasks",
                "activities",
                "steps",
                "add",
                "COMPPRES",
                "--type",
                "",
                "--description",
                f"step {formula or 'now'}",
                "--date-formula",
                formula,
            )
        )


def tasks_of(app, run_cli, no, *extra):
    return ok(run_cli(app, "tasks", "list", "--opportunity", no, *extra, json=True)).json


def test_op25_next_into_a_stage_with_an_activity(opp_app, run_cli):
    company_presentation(opp_app, run_cli)
    from relcore_opportunities.model import stage

    with opp_app.session() as session:
        session.execute(
            stage.update()
            .where(stage.c.sales_cycle_code == "NEW", stage.c.stage == 2)
            .values(activity_code="COMPPRES")
        )
    no = new_opp(opp_app, activate=True, close=dt.date(2024, 6, 1))
    assert tasks_of(opp_app, run_cli, no) == []
    data = ok(
        run_cli(
            opp_app,
            "opportunities",
            "update",
            no,
            "--action",
            "next",
            "--date",
            "2024-03-04",
            json=True,
        )
    ).json
    tasks = tasks_of(opp_app, run_cli, no)
    assert sorted(t["date"] for t in tasks) == [
        "2024-03-04",
        "2024-03-11",
        "2024-03-11",
        "2024-03-11",
        "2024-03-18",
    ]
    entry_no = data["entries"][-1]["entry_no"]
    shown = ok(run_cli(opp_app, "tasks", "show", tasks[0]["no"], json=True)).json
    assert shown["opportunity_entry_no"] == entry_no and shown["contact_no"] == "C1"
    # Update does not create tasks again; --cancel-old-tasks on next cancels the open ones
    ok(
        run_cli(
            opp_app, "opportunities", "update", no, "--action", "update", "--date", "2024-03-05"
        )
    )
    assert len(tasks_of(opp_app, run_cli, no)) == 5
    ok(
        run_cli(
            opp_app,
            "opportunities",
            "update",
            no,
            "--action",
            "previous",
            "--cancel-old-tasks",
            "--date",
            "2024-03-06",
        )
    )
    assert {t["canceled"] for t in tasks_of(opp_app, run_cli, no)} == {True}


def test_close_cancels_open_tasks_unless_told_not_to(opp_app, run_cli):
    keep = new_opp(opp_app, activate=True)
    drop = new_opp(opp_app, activate=True)
    for no in (keep, drop):
        add_task(opp_app, run_cli, no, "JO", "--contact", "C1")
    ok(run_cli(opp_app, "opportunities", "close", drop, "--lost", "--code", "PRICE_L"))
    ok(
        run_cli(
            opp_app,
            "opportunities",
            "close",
            keep,
            "--lost",
            "--code",
            "PRICE_L",
            "--no-cancel-old-tasks",
        )
    )
    assert [t["canceled"] for t in tasks_of(opp_app, run_cli, drop)] == [True]
    assert [t["canceled"] for t in tasks_of(opp_app, run_cli, keep)] == [False]


def test_stage_activity_must_exist(opp_app, run_cli):
    result = add_stage(opp_app, run_cli, "--activity", "NOPE")
    assert result.exit_code == 1 and "NOPE" in result.output
    company_presentation(opp_app, run_cli)
    ok(add_stage(opp_app, run_cli, "--activity", "comppres"))
