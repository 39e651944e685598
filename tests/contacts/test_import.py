"""Import and export of contacts: all or nothing, every bad row reported, round trip."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from relcore_contacts import model, transfer
from relcore_contacts.contacts import insert_contacts

GOOD = """no,type,name,city,company_no,company_name,email
C1,company,Contoso Ltd.,Oslo,,,info@contoso.com
C2,company,Fabrikam,Bergen,,,
P1,person,Ann Lee,,C1,,ann@contoso.com
P2,person,Bo Ek,,,Fabrikam,
"""


def contacts(app):
    with app.session() as s:
        return {r.no: r for r in s.execute(sa.select(model.contact))}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_csv_companies_then_persons(make_app, tmp_path):
    app = make_app("contacts")
    result = transfer.import_file(app, write(tmp_path, "c.csv", GOOD))
    assert result == {"imported": 4, "errors": [], "dry_run": False}
    rows = contacts(app)
    assert rows["P1"].company_no == "C1" and rows["P1"].company_name == "Contoso Ltd."
    assert rows["P2"].company_no == "C2"  # resolved by company_name
    assert rows["C1"].email == "info@contoso.com"


def test_every_bad_row_reported_nothing_written(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "BATCH_SIZE", 3)  # errors in several batches
    app = make_app("contacts")
    bad = GOOD + (
        "X1,company,Bad Mail,,,,not-an-email\n"
        "X2,robot,Wrong Type,,,,\n"
        "X3,company,Ok Row,,,,\n"
        "X4,person,Lost Person,,NOPE,,\n"
    )
    with pytest.raises(transfer.ImportFailed) as info:
        transfer.import_file(app, write(tmp_path, "bad.csv", bad))
    errors = info.value.errors
    assert [e.split(":")[0] for e in errors] == ["line 6", "line 7", "line 9"]
    assert errors[0].startswith("line 6: email:")
    assert errors[1].startswith("line 7: type:")
    assert contacts(app) == {}


def test_duplicate_pairs_are_searched_only_for_an_import_that_is_kept(make_app, tmp_path):
    app = make_app("contacts")
    pair_searches: list[str] = []

    def seen(conn, cursor, statement, *args):
        if "INSERT INTO contacts_contact_duplicate" in statement:
            pair_searches.append(statement)

    sa.event.listen(app.engine, "before_cursor_execute", seen)
    # 5 of the 8 default fields filled: 10 matching strings reach the threshold (§2.10)
    twin = "company,Cronus Ltd,Main Street 1,Oslo,0150,22334455,info@cronus.test\n"
    twins = f"no,type,name,address,city,post_code,phone_no,email\nC1,{twin}C3,{twin}"
    with pytest.raises(transfer.ImportFailed):
        transfer.import_file(app, write(tmp_path, "bad.csv", twins + "X1,robot,,,,,,\n"))
    assert pair_searches == []  # the import is rolled back: its search would be wasted
    transfer.import_file(app, write(tmp_path, "good.csv", twins))
    assert len(pair_searches) == 1
    pair = model.contact_duplicate.c
    with app.session() as s:
        pairs = s.execute(sa.select(pair.contact_no, pair.duplicate_contact_no)).all()
    assert [tuple(p) for p in pairs] == [("C1", "C3")]


def test_dry_run_writes_nothing(make_app, tmp_path):
    app = make_app("contacts")
    result = transfer.import_file(app, write(tmp_path, "c.csv", GOOD), dry_run=True)
    assert result["imported"] == 4 and result["dry_run"] is True
    assert contacts(app) == {}


def test_jsonl_and_unknown_columns(make_app, tmp_path):
    app = make_app("contacts")
    lines = [
        json.dumps({"no": "J1", "name": "Json Co"}),
        "",
        json.dumps({"no": "J2", "name": "Json Person", "type": "person", "company_no": "J1"}),
        "{broken",
        json.dumps({"name": "X", "colour": "red"}),
    ]
    with pytest.raises(transfer.ImportFailed) as info:
        transfer.import_file(app, write(tmp_path, "c.jsonl", "\n".join(lines) + "\n"))
    assert [e.split(":")[0] for e in info.value.errors] == ["line 4", "line 5"]
    lines = lines[:3]
    result = transfer.import_file(app, write(tmp_path, "ok.txt", "\n".join(lines)), fmt="json")
    assert result["imported"] == 2
    with pytest.raises(Exception, match="not contact field"):
        transfer.import_file(app, write(tmp_path, "u.csv", "name,colour\nA,red\n"))


def wipe(app):
    with app.session() as s:
        for table in (model.contact_duplicate, model.duplicate_search_string):
            s.execute(sa.delete(table))
        s.execute(sa.delete(model.contact).where(model.contact.c.type == "person"))
        s.execute(sa.delete(model.contact))


def test_export_import_round_trip(make_app, tmp_path, run_cli):
    app = make_app("contacts")
    with app.session() as s:
        (company,) = insert_contacts(
            s,
            [
                {
                    "name": 'Contoso, "The" Ltd.',
                    "city": "Oslo",
                    "phone_no": "+47 123",
                    "minor": False,
                }
            ],
        )
        insert_contacts(
            s,
            [
                {
                    "type": "person",
                    "first_name": "Ann",
                    "surname": "Lee",
                    "company_no": company["no"],
                    "minor": True,
                    "parental_consent_received": True,
                }
            ],
        )
    # no_series is the series a number was drawn from: imported numbers are manual
    skip = {"system_id", "created_at", "modified_at", "version", "no_series"}

    def snapshot():
        return {
            no: {k: v for k, v in r._mapping.items() if k not in skip}
            for no, r in contacts(app).items()
        }

    before = snapshot()
    for fmt in ("csv", "json"):
        out = tmp_path / f"export.{fmt}"
        result = run_cli(app, "contacts", "export", "--format", fmt, "--output", str(out))
        assert result.exit_code == 0, result.output
        wipe(app)
        result = run_cli(app, "contacts", "import", str(out), "--format", fmt, json=True)
        assert result.exit_code == 0, result.output
        assert result.json == {"imported": 2, "errors": [], "dry_run": False}
        assert snapshot() == before


def test_cli_import_reports_errors_and_exit_code(make_app, tmp_path, run_cli):
    app = make_app("contacts")
    path = write(tmp_path, "bad.csv", "name,email\nA,bad\nB,also-bad\n")
    result = run_cli(app, "contacts", "import", path, json=True)
    assert result.exit_code == 1
    assert result.json["imported"] == 0 and len(result.json["errors"]) == 2
    result = run_cli(app, "contacts", "import", path)
    assert result.exit_code == 1 and "line 2: email:" in result.output
    result = run_cli(app, "contacts", "import", write(tmp_path, "g.csv", GOOD), "--dry-run")
    assert result.exit_code == 0 and "4 contacts would be imported" in result.output
