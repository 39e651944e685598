"""Groups, templates, languages and attachments (§4.1, §4.2)."""

from __future__ import annotations

import decimal

import pytest

from relcore.errors import ValidationError
from tests.interactions.conftest import add_languages


def test_groups_through_the_shell(make_app, run_cli):
    app = make_app("contacts", "interactions")
    r = run_cli(
        app, "interactions", "groups", "add", "letter", "--description", "Letters", json=True
    )
    assert r.exit_code == 0, r.output
    assert r.json["code"] == "LETTER"
    r = run_cli(app, "interactions", "groups", "add", "LETTER")
    assert r.exit_code == 1 and "Interaction Group LETTER: already exists" in r.output
    r = run_cli(app, "interactions", "groups", "list", json=True)
    assert [g["code"] for g in r.json] == ["LETTER"]
    assert r.json[0]["no_of_interactions"] == 0
    r = run_cli(app, "interactions", "groups", "show", "letter", json=True)
    assert r.json["description"] == "Letters"
    r = run_cli(app, "interactions", "groups", "delete", "LETTER")
    assert r.exit_code == 0
    r = run_cli(app, "interactions", "groups", "show", "LETTER")
    assert r.exit_code == 1 and "does not exist" in r.output


def test_template_fields_and_defaults(make_app, run_cli):
    app = make_app("contacts", "interactions")
    run_cli(app, "interactions", "groups", "add", "LETTER")
    r = run_cli(
        app,
        "interactions",
        "templates",
        "add",
        "bus",
        "--group",
        "letter",
        "--description",
        "Business letter",
        "--set",
        "unit_cost=8",
        "--set",
        "unit_duration=30",
        "--set",
        "information_flow=outbound",
        "--set",
        "initiated_by=us",
        "--set",
        "correspondence_type=hard_copy",
        "--set",
        "ignore_contact_corres_type=yes",
        "--set",
        "campaign_target=yes",
        json=True,
    )
    assert r.exit_code == 0, r.output
    t = r.json
    assert (t["code"], t["interaction_group_code"], t["unit_cost"], t["unit_duration"]) == (
        "BUS",
        "LETTER",
        "8.00",
        "30.00",
    )
    assert t["ignore_contact_corres_type"] is True and t["campaign_target"] is True
    # the BC default correspondence type is Email (§4.2)
    r = run_cli(app, "interactions", "templates", "add", "X", "--group", "LETTER", json=True)
    assert r.json["correspondence_type"] == "email" and r.json["wizard_action"] == ""
    r = run_cli(app, "interactions", "templates", "edit", "X", "--set", "unit_cost=-1")
    assert (
        r.exit_code == 1
        and "Interaction Template X: field unit_cost: must not be negative" in r.output
    )
    r = run_cli(app, "interactions", "templates", "edit", "X", "--set", "information_flow=up")
    assert r.exit_code == 1 and "information_flow" in r.output
    r = run_cli(app, "interactions", "templates", "add", "Y", "--group", "NOPE")
    assert r.exit_code == 1 and "interaction group 'NOPE' does not exist" in r.output
    r = run_cli(app, "interactions", "templates", "list", "--group", "LETTER", json=True)
    assert [t["code"] for t in r.json] == ["BUS", "X"]


def test_default_language_creates_its_row_and_wizard_action_rules(make_app, tmp_path):
    from relcore_interactions import templates as t

    app = make_app("contacts", "interactions")
    with app.session() as s:
        add_languages(s)
    with app.session() as s:
        t.add_group(s, "LETTER")
        t.add_template(s, "GOLF", "LETTER", {"language_code_default": "ENU"})
        assert [r["language_code"] for r in t.list_languages(s, "GOLF")] == ["ENU"]
        with pytest.raises(ValidationError, match="wizard action merge needs an attachment"):
            t.edit_template(s, "GOLF", {"wizard_action": "merge"})
        t.import_attachment(s, "GOLF", "ENU", b"Dear {{ contact.name }}", "golf.txt")
        assert t.edit_template(s, "GOLF", {"wizard_action": "merge"})["wizard_action"] == "merge"
        with pytest.raises(ValidationError, match="needs this attachment"):
            t.remove_attachment(s, "GOLF", "ENU")
        t.import_attachment(s, "GOLF", "DEU", b"\x00\x01", "golf.bin")
        with pytest.raises(ValidationError, match="text or HTML"):
            t.edit_template(s, "GOLF", {"language_code_default": "DEU"})


def test_delete_template_removes_languages_and_attachments(make_app):
    import sqlalchemy as sa
    from relcore_interactions import templates as t
    from relcore_interactions.model import attachment, template_language

    app = make_app("contacts", "interactions")
    with app.session() as s:
        add_languages(s)
        t.add_group(s, "LETTER")
        t.add_template(s, "A", "LETTER")
        t.import_attachment(s, "A", "", b"hello", "a.txt")
        t.import_attachment(s, "A", "FRA", b"bonjour", "a.txt")
        t.delete_template(s, "A")
        assert s.execute(sa.select(sa.func.count()).select_from(template_language)).scalar() == 0
        assert s.execute(sa.select(sa.func.count()).select_from(attachment)).scalar() == 0


def test_attachments_import_export_copy_through_the_shell(make_app, run_cli, tmp_path):
    app = make_app("contacts", "interactions")
    with app.session() as s:
        add_languages(s)
    run_cli(app, "interactions", "groups", "add", "LETTER")
    for code in ("A", "B"):
        run_cli(app, "interactions", "templates", "add", code, "--group", "LETTER")
    src = tmp_path / "letter.html"
    src.write_text("<p>Hi {{ contact.name }}</p>")
    r = run_cli(
        app,
        "interactions",
        "templates",
        "attachments",
        "import",
        "A",
        str(src),
        "--language",
        "enu",
        json=True,
    )
    assert r.exit_code == 0, r.output
    assert r.json["language_code"] == "ENU" and r.json["attachment_no"]
    r = run_cli(
        app,
        "interactions",
        "templates",
        "attachments",
        "copy",
        "B",
        "--from",
        "A",
        "--from-language",
        "ENU",
    )
    assert r.exit_code == 0, r.output
    out = tmp_path / "out.html"
    r = run_cli(app, "interactions", "templates", "attachments", "export", "B", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_text() == "<p>Hi {{ contact.name }}</p>"
    r = run_cli(app, "interactions", "templates", "languages", "list", "A", json=True)
    assert [x["language_code"] for x in r.json] == ["ENU"]


def test_disk_file_storage(make_app, tmp_path):
    from relcore_interactions import attachments
    from relcore_interactions import templates as t

    app = make_app("contacts", "interactions")
    with app.session() as s:
        app.setup.set(s, "interactions.attachment_storage_type", "disk_file")
        app.setup.set(s, "interactions.attachment_storage_location", str(tmp_path / "att"))
        t.add_group(s, "LETTER")
        t.add_template(s, "A", "LETTER")
        row = t.import_attachment(s, "A", "", b"on disk", "a.txt")
        att = attachments.get_rows(s, [row["attachment_no"]])[row["attachment_no"]]
        assert att["storage_type"] == "disk_file" and att["attachment_file"] is None
        assert t.export_attachment(s, "A", "") == (b"on disk", "a.txt")
        files = list((tmp_path / "att").iterdir())
        assert len(files) == 1
        t.remove_attachment(s, "A", "")
        assert list((tmp_path / "att").iterdir()) == []


def test_money_is_decimal(ia):
    from relcore_interactions.templates import get_template

    with ia.session() as s:
        assert get_template(s, "BUS")["unit_cost"] == decimal.Decimal("8.00")
