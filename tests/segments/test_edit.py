"""Changing and deleting segments and their lines from the shell (§5.1, §5.2, §5.3; issue #14
item 2): ``segments edit``, ``segments delete``, ``segments lines edit|delete``."""

from __future__ import annotations

import sqlalchemy as sa


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def build(app, run_cli) -> str:
    no = ok(run_cli(app, "segments", "add", "--description", "Workshop", json=True)).json["no"]
    ok(run_cli(app, "segments", "add-contacts", no, "--where", "job_responsibility.code=PURCHASE"))
    return no


def test_edit_header_after_building_the_list_propagates_to_lines(sg_app, run_cli):
    """BC walkthrough: set template and campaign after building the list (§5.2)."""
    no = build(sg_app, run_cli)
    edited = ok(
        run_cli(
            sg_app,
            "segments",
            "edit",
            no,
            "--set",
            "interaction_template_code=bus",
            "--set",
            "campaign_no=CP0001",
            json=True,
        )
    ).json
    assert edited["interaction_template_code"] == "BUS"
    assert edited["unit_cost_lcy"] == "2.00"  # the template's defaults are copied
    lines = ok(run_cli(sg_app, "segments", "show", no, json=True)).json["lines"]
    assert {(r["interaction_template_code"], r["campaign_no"]) for r in lines} == {
        ("BUS", "CP0001")
    }
    assert {r["cost_lcy"] for r in lines} == {"2.00"}
    # P1 prefers e-mail; P3 has no preference: the template's hard copy
    assert {r["contact_no"]: r["correspondence_type"] for r in lines} == {
        "P1": "email",
        "P3": "hard_copy",
    }


def test_edit_header_leaves_lines_with_their_own_template(sg_app, run_cli):
    no = build(sg_app, run_cli)
    ok(run_cli(sg_app, "segments", "edit", no, "--set", "interaction_template_code=BUS"))
    ok(
        run_cli(
            sg_app,
            "segments",
            "lines",
            "edit",
            no,
            "10000",
            "--set",
            "interaction_template_code=RESP",
        )
    )
    ok(run_cli(sg_app, "segments", "edit", no, "--set", "description=Spring workshop"))
    lines = ok(run_cli(sg_app, "segments", "show", no, json=True)).json["lines"]
    assert [(r["line_no"], r["description"]) for r in lines] == [
        (10000, "Workshop"),
        (20000, "Spring workshop"),
    ]


def test_line_template_copies_its_defaults(sg_app, run_cli):
    no = build(sg_app, run_cli)
    line = ok(
        run_cli(
            sg_app,
            "segments",
            "lines",
            "edit",
            no,
            "20000",
            "--set",
            "interaction_template_code=resp",
            "--set",
            "subject=Thanks",
            json=True,
        )
    ).json
    assert (line["information_flow"], line["initiated_by"], line["campaign_response"]) == (
        "inbound",
        "them",
        True,
    )
    assert line["subject"] == "Thanks"


def test_bad_edits_are_one_line_errors_and_change_nothing(sg_app, run_cli):
    no = build(sg_app, run_cli)
    for args, words in [
        (["edit", no, "--set", "date=2026-13-01"], "Segment " + no),
        (["edit", no, "--set", "no=X"], "read-only"),
        (["edit", "NOPE", "--set", "description=x"], "NOPE"),
        (["edit", no, "--set", "interaction_template_code=NOPE"], "Interaction Template NOPE"),
        (["lines", "edit", no, "10000", "--set", "contact_no=P2"], "read-only"),
        (["lines", "edit", no, "99", "--set", "subject=x"], "99"),
        (["lines", "delete", no, "99"], "99"),
    ]:
        result = run_cli(sg_app, "segments", *args)
        assert result.exit_code == 1, (args, result.output)
        assert words in result.output and len(result.output.strip().splitlines()) == 1
    show = ok(run_cli(sg_app, "segments", "show", no, json=True)).json
    assert show["interaction_template_code"] is None and len(show["lines"]) == 2


def test_delete_line_and_segment(sg_app, run_cli):
    no = build(sg_app, run_cli)
    deleted = ok(run_cli(sg_app, "segments", "lines", "delete", no, "10000", json=True)).json
    assert deleted == {"deleted": [{"segment_no": no, "line_no": 10000}]}
    lines = ok(run_cli(sg_app, "segments", "show", no, json=True)).json["lines"]
    assert [r["contact_no"] for r in lines] == ["P3"]
    # Go Back of the add still removes exactly what is left of it
    ok(run_cli(sg_app, "segments", "undo", no))
    assert ok(run_cli(sg_app, "segments", "show", no, json=True)).json["lines"] == []
    ok(run_cli(sg_app, "segments", "add-contacts", no, "--where", "contact.no=P1"))
    deleted = ok(run_cli(sg_app, "segments", "delete", no, json=True)).json
    assert deleted == {"deleted": [{"no": no}]}
    assert run_cli(sg_app, "segments", "show", no).exit_code == 1
    with sg_app.session() as session:
        for table in (
            "segments_line",
            "segments_criteria_line",
            "segments_history",
            "segments_interaction_language",
        ):
            left = session.execute(
                sa.text(f"select count(*) from {table} where segment_no = :no"), {"no": no}
            ).scalar()
            assert left == 0, table


def test_contact_on_a_deleted_segment_can_be_deleted(sg_app, run_cli):
    no = build(sg_app, run_cli)
    assert run_cli(sg_app, "contacts", "delete", "P3").exit_code == 1
    ok(run_cli(sg_app, "segments", "delete", no))
    ok(run_cli(sg_app, "contacts", "delete", "P3"))
