"""The opportunity flows of §6.13 (OP7–OP23) on SQLite and PostgreSQL, through the services and
the shell contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from relcore.errors import ValidationError
from tests.opportunities.conftest import WORK_DATE, add_stage, new_opp, ok, show

D = Decimal


def at_stage(app, stage, cycle="NEW", **kw):
    """An in-progress opportunity moved to ``stage`` by Next actions."""
    from relcore_opportunities.updating import update_opportunity

    no = new_opp(app, cycle, activate=True, **kw)
    with app.session() as session:
        for _ in range(stage - 1):
            update_opportunity(session, no, "next")
    return no


def test_op7_wizard_activate_first_stage_new(opp_app):
    no = new_opp(opp_app, "NEW", activate=True, value="10000", chances="25")
    data = show(opp_app, no)
    assert data["status"] == "in_progress"
    [entry] = data["entries"]
    assert entry["active"] and entry["stage"] == 1 and entry["action_taken"] == ""
    assert (entry["chances_pct"], entry["completed_pct"], entry["probability_pct"]) == (
        D(25),
        D(2),
        D(25),
    )
    assert entry["calcd_current_value"] == D(2500)
    assert entry["estimated_close_date"] == WORK_DATE + dt.timedelta(days=30)
    assert data["creation_date"] == WORK_DATE


def test_op8_wizard_existing_uses_completed(opp_app):
    no = new_opp(opp_app, "EXISTING", activate=True, value="10000", chances="25")
    data = show(opp_app, no)
    assert (data["probability_pct"], data["calcd_current_value"]) == (D(2), D(200))


def test_op9_activate_first_stage_action(opp_app, run_cli):
    no = new_opp(opp_app, "NEW")
    assert show(opp_app, no)["status"] == "not_started"
    data = ok(run_cli(opp_app, "opportunities", "activate-first-stage", no, json=True)).json
    assert data["status"] == "in_progress"
    assert data["current_stage"] == 1
    [entry] = data["entries"]
    assert entry["stage"] == 1
    assert D(entry["chances_pct"]) == 10 and D(entry["probability_pct"]) == 10
    assert D(data["estimated_value"]) == 0 and D(entry["calcd_current_value"]) == 0
    assert data["estimated_close_date"] == "2024-02-15"  # <1M> from 2024-01-15
    again = run_cli(opp_app, "opportunities", "activate-first-stage", no)
    assert again.exit_code == 1 and "Not Started" in again.output


def lists(app, run_cli, no):
    return ok(run_cli(app, "opportunities", "stages-available", no, json=True)).json


def test_op10_stage_lists_new_stage_2(opp_app, run_cli):
    no = at_stage(opp_app, 2)
    assert lists(opp_app, run_cli, no) == {
        "first": [],
        "next": [3],
        "previous": [1],
        "skip": [3, 4],
        "update": [2],
        "jump": [],  # {1}: one stage only, not offered (§9.5 item 4)
    }


def test_op14_op15_op16_stage_lists(opp_app, run_cli):
    new1 = at_stage(opp_app, 1)
    assert lists(opp_app, run_cli, new1) == {
        "first": [],
        "next": [2],
        "previous": [],
        "skip": [],
        "update": [1],
        "jump": [],
    }
    existing1 = at_stage(opp_app, 1, "EXISTING")
    assert lists(opp_app, run_cli, existing1)["skip"] == [2, 3]
    not_started = new_opp(opp_app, "EXISTING")
    # §9.5 item 4: nothing but First for a not-started opportunity (Skip list always empty)
    assert lists(opp_app, run_cli, not_started) == {
        "first": [1],
        "next": [],
        "previous": [],
        "skip": [],
        "update": [],
        "jump": [],
    }


def test_op16_jump_default_and_revalidated(opp_app, run_cli):
    from relcore_opportunities.maintenance import set_document

    no = at_stage(opp_app, 1)
    with opp_app.session() as session:
        set_document(session, no, "quote", "SQ1", D(9000))
    for _ in range(3):
        ok(run_cli(opp_app, "opportunities", "update", no, "--action", "next"))
    assert lists(opp_app, run_cli, no)["jump"] == [1, 2, 3]
    jumped = ok(run_cli(opp_app, "opportunities", "update", no, "--action", "jump", json=True)).json
    assert jumped["current_stage"] == 3
    assert jumped["entries"][-1]["action_taken"] == "jumped"  # default stage, not re-validated
    ok(run_cli(opp_app, "opportunities", "update", no, "--action", "next"))
    again = ok(
        run_cli(
            opp_app, "opportunities", "update", no, "--action", "jump", "--stage", "3", json=True
        )
    ).json
    assert again["entries"][-1]["action_taken"] == "previous"


def test_op11_skip_to_quote_stage_without_quote(opp_app, run_cli):
    no = at_stage(opp_app, 2)
    before = show(opp_app, no)
    result = run_cli(opp_app, "opportunities", "update", no, "--action", "skip", "--stage", "4")
    assert result.exit_code == 1
    assert "You cannot go to this stage before you have assigned a sales quote." in result.output
    assert show(opp_app, no) == before  # nothing changed


def test_op12_op13_skip_with_quote(opp_app, run_cli):
    no = at_stage(opp_app, 2, chances="30")
    ok(
        run_cli(
            opp_app,
            "opportunities",
            "document",
            no,
            "--type",
            "quote",
            "--no",
            "SQ1",
            "--value",
            "8000",
        )
    )
    data = ok(
        run_cli(
            opp_app,
            "opportunities",
            "update",
            no,
            "--action",
            "skip",
            "--stage",
            "4",
            "--chances-pct",
            "30",
            json=True,
        )
    ).json
    entry = data["entries"][-1]
    assert entry["action_taken"] == "jumped" and entry["stage"] == 4
    assert D(entry["chances_pct"]) == 75 and D(entry["probability_pct"]) == 75  # forced
    assert D(data["estimated_value"]) == 8000  # the quote's value
    other = at_stage(opp_app, 2)
    ok(
        run_cli(
            opp_app,
            "opportunities",
            "document",
            other,
            "--type",
            "quote",
            "--no",
            "SQ2",
            "--value",
            "100",
        )
    )
    data = ok(
        run_cli(
            opp_app, "opportunities", "update", other, "--action", "skip", "--stage", "3", json=True
        )
    ).json
    assert data["entries"][-1]["action_taken"] == "next"  # OP13: re-validated next stage
    default = at_stage(opp_app, 2)
    ok(
        run_cli(
            opp_app,
            "opportunities",
            "document",
            default,
            "--type",
            "quote",
            "--no",
            "SQ3",
            "--value",
            "100",
        )
    )
    data = ok(
        run_cli(opp_app, "opportunities", "update", default, "--action", "skip", json=True)
    ).json
    # §9.5 item 5: Skip's default stage is the next one, but the entry says Jumped
    assert (data["current_stage"], data["entries"][-1]["action_taken"]) == (3, "jumped")


def test_update_keeps_user_chances_on_next(opp_app, run_cli):
    no = at_stage(opp_app, 1)
    data = ok(
        run_cli(
            opp_app,
            "opportunities",
            "update",
            no,
            "--action",
            "next",
            "--chances-pct",
            "33",
            json=True,
        )
    ).json
    assert D(data["chances_pct"]) == 33 and D(data["probability_pct"]) == 33
    upd = ok(
        run_cli(
            opp_app,
            "opportunities",
            "update",
            no,
            "--action",
            "update",
            "--estimated-value",
            "500",
            json=True,
        )
    ).json
    assert upd["entries"][-1]["action_taken"] == "updated" and D(upd["estimated_value"]) == 500
    bad = run_cli(opp_app, "opportunities", "update", no, "--action", "first")
    assert bad.exit_code == 1 and "First is not a valid selection." in bad.output


def test_op17_days_open(opp_app, run_cli):
    no = new_opp(opp_app, "NEW")
    opp_app.work_date = dt.date(2024, 1, 10)
    ok(run_cli(opp_app, "opportunities", "activate-first-stage", no))
    data = ok(
        run_cli(
            opp_app,
            "opportunities",
            "update",
            no,
            "--action",
            "next",
            "--date",
            "2024-01-25",
            "--estimated-value",
            "100",
            json=True,
        )
    ).json
    first, second = data["entries"]
    assert (first["active"], D(first["days_open"])) == (False, 15)
    assert second["active"] and second["date_of_change"] == "2024-01-25"


def test_op18_date_before_last_change(opp_app, run_cli):
    no = new_opp(opp_app, "NEW")
    opp_app.work_date = dt.date(2024, 1, 10)
    ok(run_cli(opp_app, "opportunities", "activate-first-stage", no))
    result = run_cli(
        opp_app, "opportunities", "update", no, "--action", "next", "--date", "2024-01-05"
    )
    assert result.exit_code == 1
    assert "The Date of Change has to be after last Date of change." in result.output
    assert len(show(opp_app, no)["entries"]) == 1


def test_update_checks_values_and_close_date(opp_app, run_cli):
    no = new_opp(opp_app, "NEW")
    ok(run_cli(opp_app, "opportunities", "activate-first-stage", no))  # value 0
    result = run_cli(opp_app, "opportunities", "update", no, "--action", "next")
    assert (
        result.exit_code == 1 and "Estimated Value (LCY) must be greater than 0." in result.output
    )
    result = run_cli(
        opp_app,
        "opportunities",
        "update",
        no,
        "--action",
        "next",
        "--estimated-value",
        "10",
        "--estimated-close-date",
        "2024-01-01",
    )
    assert result.exit_code == 1 and "has to be later than this change" in result.output


def test_op19_close_won_with_quote(opp_app, run_cli):
    no = at_stage(opp_app, 2)
    ok(
        run_cli(
            opp_app,
            "opportunities",
            "document",
            no,
            "--type",
            "quote",
            "--no",
            "SQ9",
            "--value",
            "8000",
        )
    )
    data = ok(
        run_cli(
            opp_app,
            "opportunities",
            "close",
            no,
            "--won",
            "--code",
            "PRICE_W",
            "--sales-lcy",
            "1",
            json=True,
        )
    ).json
    entry = data["entries"][-1]
    assert entry["action_taken"] == "won" and entry["stage"] == 0 and entry["active"]
    assert (D(entry["chances_pct"]), D(entry["completed_pct"]), D(entry["probability_pct"])) == (
        100,
        100,
        100,
    )
    assert D(entry["calcd_current_value"]) == 8000  # the quote's value wins over --sales-lcy
    assert entry["date_closed"] == entry["estimated_close_date"] == entry["date_of_change"]
    assert data["status"] == "won" and data["closed"] is True
    assert data["date_closed"] == entry["date_of_change"]
    # no ERP connector installed: the close succeeds and says no customer was created
    assert (data["customer_no"], data["customer_created"]) == (None, False)
    again = run_cli(opp_app, "opportunities", "update", no, "--action", "update")
    assert again.exit_code == 1 and "Closed must be equal to 'No'" in again.output


def test_op20_close_lost(opp_app, run_cli):
    no = at_stage(opp_app, 2)
    data = ok(
        run_cli(opp_app, "opportunities", "close", no, "--lost", "--code", "PRICE_L", json=True)
    ).json
    entry = data["entries"][-1]
    assert D(entry["calcd_current_value"]) == 0 and D(entry["completed_pct"]) == 100
    assert D(entry["chances_pct"]) == 0 and D(entry["probability_pct"]) == 0
    assert data["status"] == "lost" and entry["close_code"] == "PRICE_L"


def test_op21_won_needs_sales(opp_app, run_cli):
    no = at_stage(opp_app, 2)
    result = run_cli(opp_app, "opportunities", "close", no, "--won", "--code", "PRICE_W")
    assert result.exit_code == 1 and "Sales (LCY) must be greater than 0." in result.output
    assert show(opp_app, no)["status"] == "in_progress"
    ok(
        run_cli(
            opp_app,
            "opportunities",
            "close",
            no,
            "--won",
            "--code",
            "PRICE_W",
            "--sales-lcy",
            "1234.50",
        )
    )
    assert show(opp_app, no)["calcd_current_value"] == D("1234.5")


def test_op22_close_without_outcome_and_codes(opp_app, run_cli):
    no = at_stage(opp_app, 1)
    result = run_cli(opp_app, "opportunities", "close", no)
    assert result.exit_code == 1 and "You must select either Won or Lost." in result.output
    result = run_cli(opp_app, "opportunities", "close", no, "--lost")  # many lost codes
    assert result.exit_code == 1 and "Close Opportunity Code" in result.output
    result = run_cli(opp_app, "opportunities", "close", no, "--lost", "--code", "PRICE_W")
    assert result.exit_code == 1 and "not Lost" in result.output


def test_only_code_of_a_type_fills_itself_in(opp_app, run_cli):
    ok(
        run_cli(
            opp_app,
            "opportunities",
            "close-codes",
            "add",
            "SOLE",
            "--type",
            "won",
            "--description",
            "x",
        )
    )
    from relcore_opportunities.closing import close_opportunity
    from relcore_opportunities.model import close_code

    with opp_app.session() as session:
        session.execute(
            close_code.delete().where(close_code.c.type == "won", close_code.c.code != "SOLE")
        )
    no = at_stage(opp_app, 1)
    with opp_app.session() as session:
        result = close_opportunity(session, no, "won", sales_lcy=D(10))
    assert result["entry"]["close_opportunity_code"] == "SOLE"


def test_close_from_not_started_is_allowed(opp_app, run_cli):
    no = new_opp(opp_app)
    data = ok(
        run_cli(opp_app, "opportunities", "close", no, "--lost", "--code", "WALKED_L", json=True)
    ).json
    assert data["status"] == "lost" and len(data["entries"]) == 1


def test_won_person_without_company_is_refused(opp_app, run_cli):
    no = new_opp(opp_app, contact="P9")
    result = run_cli(
        opp_app, "opportunities", "close", no, "--won", "--code", "PRICE_W", "--sales-lcy", "5"
    )
    assert result.exit_code == 1
    assert "You can not create a Customer from contact P9" in result.output


def test_op23_delete_rules(opp_app, run_cli):
    busy = at_stage(opp_app, 1)
    result = run_cli(opp_app, "opportunities", "delete", busy)
    assert result.exit_code == 1
    assert "You cannot delete this opportunity while it is active." in result.output
    fresh = new_opp(opp_app)  # §9.5 item 1: Not Started can be deleted
    ok(run_cli(opp_app, "opportunities", "delete", fresh))
    lost = at_stage(opp_app, 1)
    ok(run_cli(opp_app, "opportunities", "close", lost, "--lost", "--code", "PRICE_L"))
    ok(run_cli(opp_app, "opportunities", "delete", lost))
    nos = [r["no"] for r in ok(run_cli(opp_app, "opportunities", "list", json=True)).json]
    assert nos == [busy]


def test_delete_closed_by_date(opp_app, run_cli):
    early = at_stage(opp_app, 1)
    ok(
        run_cli(
            opp_app,
            "opportunities",
            "close",
            early,
            "--lost",
            "--code",
            "PRICE_L",
            "--date",
            "2024-01-20",
        )
    )
    late = at_stage(opp_app, 1)
    ok(
        run_cli(
            opp_app,
            "opportunities",
            "close",
            late,
            "--lost",
            "--code",
            "PRICE_L",
            "--date",
            "2024-03-01",
        )
    )
    data = ok(
        run_cli(opp_app, "opportunities", "delete-closed", "--to", "2024-02-01", json=True)
    ).json
    assert data == {"deleted": [{"no": early}]}
    assert ok(run_cli(opp_app, "opportunities", "delete-closed", json=True)).json == {
        "deleted": [{"no": late}]
    }


def test_document_is_unique(opp_app, run_cli):
    a, b = new_opp(opp_app), new_opp(opp_app)
    quote = ["--type", "quote", "--value", "1", "--no"]
    ok(run_cli(opp_app, "opportunities", "document", a, *quote, "SQ1"))
    result = run_cli(opp_app, "opportunities", "document", b, *quote, "sq1")
    assert result.exit_code == 1
    assert f"Sales Quote SQ1 is already assigned to opportunity {a}." in result.output
    ok(run_cli(opp_app, "opportunities", "document", a, "--clear"))
    ok(run_cli(opp_app, "opportunities", "document", b, *quote, "SQ1"))


def test_create_checks(opp_app, run_cli):
    base = ["opportunities", "add", "--description", "X"]
    result = run_cli(opp_app, *base)
    assert result.exit_code == 1
    assert "You must fill in the contact that is involved in the opportunity." in result.output
    result = run_cli(opp_app, *base, "--contact", "C1", "--salesperson", "OLD")
    assert result.exit_code == 1 and "Salesperson OLD is blocked" in result.output
    ok(run_cli(opp_app, "opportunities", "cycles", "block", "NEW"))
    result = run_cli(opp_app, *base, "--contact", "C1", "--cycle", "NEW")
    assert result.exit_code == 1 and "Blocked must be equal to 'No'" in result.output
    result = run_cli(opp_app, *base, "--contact", "C1", "--cycle", "EXISTING", "--campaign", "CP01")
    assert result.exit_code == 1 and "no campaigns plugin is installed" in result.output
    result = run_cli(
        opp_app,
        *base,
        "--contact",
        "C1",
        "--cycle",
        "EXISTING",
        "--activate-first-stage",
        "--estimated-value",
        "0",
        "--chances-pct",
        "5",
        "--estimated-close-date",
        "2024-02-01",
    )
    assert result.exit_code == 1 and "must be greater than 0" in result.output
    assert ok(run_cli(opp_app, "opportunities", "list", json=True)).json == []
    made = ok(run_cli(opp_app, *base, "--contact", "P1", "--cycle", "EXISTING", json=True)).json
    assert made["no"] == "OP000001"
    assert (made["contact_company_no"], made["salesperson_code"]) == ("C1", "JO")


def test_default_cycle_and_salesperson(opp_app, run_cli):
    ok(run_cli(opp_app, "setup", "set", "opportunities.default_sales_cycle", "EXISTING"))
    made = ok(
        run_cli(opp_app, "opportunities", "add", "--contact", "C1", "--description", "X", json=True)
    ).json
    assert (made["sales_cycle_code"], made["salesperson_code"]) == ("EXISTING", "JO")
    assert made["creation_date"] == "2024-01-15" and made["status"] == "not_started"


def test_setup_rules(opp_app, run_cli):
    no = at_stage(opp_app, 2)
    result = run_cli(opp_app, "opportunities", "stages", "delete", "NEW", "2")
    assert result.exit_code == 1
    assert "You cannot delete a stage which has active entries." in result.output
    result = run_cli(opp_app, "opportunities", "cycles", "delete", "NEW")
    assert result.exit_code == 1 and "No. of Opportunities must be equal to '0'" in result.output
    ok(run_cli(opp_app, "opportunities", "close", no, "--lost", "--code", "PRICE_L"))
    ok(run_cli(opp_app, "opportunities", "stages", "delete", "NEW", "2"))
    result = add_stage(opp_app, run_cli, completed_pct="120")
    assert result.exit_code == 1 and "between 0 and 100" in result.output
    result = add_stage(opp_app, run_cli, "--date-formula", "banana")
    assert result.exit_code == 1 and "date_formula" in result.output


def test_one_active_entry_is_a_database_rule(opp_app):
    """Two active entries for one opportunity are refused by the database itself."""
    import sqlalchemy as sa
    from relcore_opportunities.model import entry

    no = at_stage(opp_app, 1)
    with pytest.raises(sa.exc.IntegrityError), opp_app.session() as session:
        row = dict(session.execute(sa.select(entry)).first()._mapping)
        row["entry_no"] += 100
        session.execute(sa.insert(entry).values(**row))
    assert len(show(opp_app, no)["entries"]) == 1


def test_validation_error_type(opp_app):
    from relcore_opportunities.updating import update_opportunity

    no = new_opp(opp_app)
    with (
        pytest.raises(ValidationError, match="Next is not a valid selection."),
        opp_app.session() as session,
    ):
        update_opportunity(session, no, "next")
