"""The shell contract of ``relcore segments`` and the §5.8 walkthrough, through ``run_cli``."""

from __future__ import annotations

import csv


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_walkthrough_5_8(sg_app, run_cli, tmp_path):
    app = sg_app
    # 1. New segment "Workshop"; Add Contacts with job responsibility PURCHASE.
    created = ok(
        run_cli(
            app,
            "segments",
            "add",
            "--description",
            "Workshop",
            "--set",
            "salesperson_code=JO",
            json=True,
        )
    ).json
    no = created["no"]
    assert no == "SM00001"
    added = ok(
        run_cli(
            app,
            "segments",
            "add-contacts",
            no,
            "--where",
            "job_responsibility.code=PURCHASE",
            json=True,
        )
    ).json
    assert added["inserted"] == 2
    # 2. Reduce with business relation CUST: only prospects remain.
    ok(run_cli(app, "segments", "reduce", no, "--where", "business_relation.code=CUST"))
    show = ok(run_cli(app, "segments", "show", no, json=True)).json
    assert [line["contact_no"] for line in show["lines"]] == ["P3"]
    # 3. Go Back, redo, save the criteria.
    ok(run_cli(app, "segments", "undo", no))
    assert len(ok(run_cli(app, "segments", "show", no, json=True)).json["lines"]) == 2
    ok(run_cli(app, "segments", "reduce", no, "--where", "business_relation.code=CUST"))
    ok(run_cli(app, "segments", "save-criteria", no, "WORKSHOP"))
    # 4. Campaign, template BUS, log with a follow-up segment.
    from relcore_segments.segments import update_segment

    with app.session() as session:
        update_segment(
            session,
            no,
            {"campaign_no": "CP0001", "campaign_target": "yes", "interaction_template_code": "BUS"},
        )
    logged = ok(run_cli(app, "segments", "log", no, "--follow-up", json=True)).json
    assert logged == {
        "logged_segment_entry_no": 1,
        "interactions": 1,
        "follow_up_segment_no": "SM00002",
    }
    follow = ok(run_cli(app, "segments", "show", "SM00002", json=True)).json
    assert follow["campaign_no"] == "CP0001"
    assert [line["contact_no"] for line in follow["lines"]] == ["P3"]
    # 5. Responses on the follow-up segment with template RESP.
    with app.session() as session:
        update_segment(
            session, "SM00002", {"interaction_template_code": "RESP", "salesperson_code": "JO"}
        )
    ok(run_cli(app, "segments", "log", "SM00002"))
    listed = ok(run_cli(app, "segments", "logged", "list", json=True)).json
    assert [(r["entry_no"], r["segment_no"], r["no_of_interactions"]) for r in listed] == [
        (1, "SM00001", 1),
        (2, "SM00002", 1),
    ]


def test_show_json_shape(sg_app, run_cli):
    ok(run_cli(sg_app, "segments", "add", "--description", "Shape"))
    ok(
        run_cli(
            sg_app,
            "segments",
            "add-contacts",
            "SM00001",
            "--where",
            "job_responsibility.code=PURCHASE",
            "--where",
            "contact.post_code=1000..1999",
        )
    )
    data = ok(run_cli(sg_app, "segments", "show", "SM00001", json=True)).json
    assert data["description"] == "Shape" and data["no_of_lines"] == 1
    line = data["lines"][0]
    assert {
        "line_no": 10000,
        "contact_no": "P1",
        "contact_company_no": "C1",
    }.items() <= line.items()
    assert [(c["type"], c["source"]) for c in data["criteria"]] == [
        ("action", ""),
        ("filter", "job_responsibility"),
        ("filter", "contact"),
    ]
    assert data["no_of_criteria_actions"] == 1


def test_options_flags(sg_app, run_cli):
    ok(run_cli(sg_app, "segments", "add", "--description", "Flags"))
    ok(
        run_cli(
            sg_app,
            "segments",
            "add-contacts",
            "SM00001",
            "--where",
            "job_responsibility.code=PURCHASE",
            "--allow-related-companies",
        )
    )
    ok(
        run_cli(
            sg_app,
            "segments",
            "add-contacts",
            "SM00001",
            "--where",
            "contact.no=C1",
            "--expand-companies",
            "--allow-existing",
            "--ignore-exclusion",
        )
    )
    ok(
        run_cli(
            sg_app,
            "segments",
            "refine",
            "SM00001",
            "--where",
            "contact.no=P2",
            "--entire-companies",
        )
    )
    data = ok(run_cli(sg_app, "segments", "show", "SM00001", json=True)).json
    assert sorted(line["contact_no"] for line in data["lines"]) == ["C1", "C1", "P1", "P1", "P2"]
    action = data["criteria"][2]
    assert (
        action["expand_contact"],
        action["allow_existing_contacts"],
        action["ignore_exclusion"],
    ) == (True, True, True)


def test_reuse_criteria_list_and_export(sg_app, run_cli, tmp_path):
    ok(run_cli(sg_app, "segments", "add", "--description", "A"))
    ok(
        run_cli(
            sg_app,
            "segments",
            "add-contacts",
            "SM00001",
            "--where",
            "job_responsibility.code=PURCHASE",
        )
    )
    ok(run_cli(sg_app, "segments", "save-criteria", "SM00001", "buyers"))
    ok(run_cli(sg_app, "segments", "add", "--description", "B"))
    ok(run_cli(sg_app, "segments", "reuse-criteria", "SM00002", "BUYERS"))
    rows = ok(run_cli(sg_app, "segments", "list", json=True)).json
    assert [(r["no"], r["no_of_lines"], r["no_of_criteria_actions"]) for r in rows] == [
        ("SM00001", 2, 1),
        ("SM00002", 2, 1),
    ]
    out = tmp_path / "lines.csv"
    ok(run_cli(sg_app, "segments", "export", "SM00002", "--output", str(out)))
    with open(out, newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert [(r["contact_no"], r["contact_name"], r["contact_company_name"]) for r in table] == [
        ("P1", "Ann", "Alpha Ltd"),
        ("P3", "Cid", "Beta Inc"),
    ]


def test_logged_cancel_and_delete(sg_app, run_cli):
    ok(
        run_cli(
            sg_app,
            "segments",
            "add",
            "--description",
            "L",
            "--set",
            "salesperson_code=JO",
            "--set",
            "interaction_template_code=BUS",
        )
    )
    ok(
        run_cli(
            sg_app,
            "segments",
            "add-contacts",
            "SM00001",
            "--where",
            "job_responsibility.code=PURCHASE",
        )
    )
    ok(run_cli(sg_app, "segments", "log", "SM00001"))
    assert ok(run_cli(sg_app, "segments", "logged", "cancel", "1", json=True)).json["canceled"]
    deleted = ok(run_cli(sg_app, "segments", "logged", "delete-canceled", json=True)).json
    assert deleted == {"deleted": [{"entry_no": 1}]}


def test_errors_are_one_line(sg_app, run_cli):
    ok(run_cli(sg_app, "segments", "add", "--description", "E"))
    bad = run_cli(
        sg_app, "segments", "add-contacts", "SM00001", "--where", "contact.post_code=1000..("
    )
    assert bad.exit_code == 1
    assert "contact.post_code" in bad.output and "position" in bad.output
    assert "Traceback" not in bad.output
    empty = run_cli(sg_app, "segments", "log", "SM00001")
    assert empty.exit_code == 1 and "Segment SM00001 is empty." in empty.output
    missing = run_cli(sg_app, "segments", "show", "SM09999")
    assert missing.exit_code == 1 and "Segment SM09999: does not exist" in missing.output
    wrong = run_cli(sg_app, "segments", "add", "--description", "X", "--set", "date=soon")
    assert wrong.exit_code == 1 and "field date" in wrong.output


def test_option_fields_filter_by_their_caption_on_add_reduce_and_refine(sg_app, run_cli):
    """``contact.type=Company`` matches the stored option ``company`` in every action, also
    where the action filters an aliased contacts table."""
    app = sg_app
    no = ok(run_cli(app, "segments", "add", "--description", "Types", json=True)).json["no"]
    added = ok(
        run_cli(app, "segments", "add-contacts", no, "--where", "contact.type=Company", json=True)
    ).json
    with app.session() as session:
        import sqlalchemy as sa
        from relcore_contacts.api import contact_table as c

        companies = session.execute(
            sa.select(sa.func.count()).select_from(c).where(c.c.type == "company")
        ).scalar()
    assert added["inserted"] == companies > 0
    ok(run_cli(app, "segments", "add-contacts", no, "--where", "contact.type=person"))
    refined = ok(
        run_cli(app, "segments", "refine", no, "--where", "contact.type=PERSON", json=True)
    ).json
    assert refined["deleted"] == companies
