"""Import checks (issue #13 item 10): wrong JSON types, duplicate and short CSV rows, encodings,
huge cells and NUL characters are refused naming the line and field; nothing is written."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa


def _count(app) -> int:
    with app.session() as s:
        return s.execute(sa.text("select count(*) from contacts_contact")).scalar()


def _import(run_cli, app, path, *extra):
    return run_cli(app, "contacts", "import", str(path), *extra)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["list"], "line 1: city: expected text, got a list"),
        ({"a": 1}, "line 1: city: expected text, got an object"),
        (12, "line 1: city: expected text, got a number"),
        (True, "line 1: city: expected text, got a boolean"),
        ("Oslo\x00", "line 1: city: must not contain NUL characters"),
    ],
)
def test_jsonl_values_of_the_wrong_type_are_refused(make_app, run_cli, tmp_path, value, message):
    app = make_app("contacts")
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"name": "Ada Ltd", "city": value}) + "\n")
    r = _import(run_cli, app, path)
    assert r.exit_code == 1 and message in r.output, r.output
    assert _count(app) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,city,city\nAda,Oslo,Bergen\n", "line 1: column(s) city appear more than once"),
        ("name,city,post_code\nAda,Oslo\n", "line 2: fewer values than header columns (2 of 3)"),
        ("name,city\nAda,Oslo,extra\n", "line 2: more values than header columns"),
        ("name,city\nAda," + "x" * 200_000 + "\n", "line 2: a cell is larger than 131072"),
        ("name,city\nAda,Os\x00lo\n", "line 2: city: must not contain NUL characters"),
    ],
)
def test_malformed_csv_is_refused_naming_the_line(make_app, run_cli, tmp_path, text, message):
    app = make_app("contacts")
    path = tmp_path / "c.csv"
    path.write_text(text, encoding="utf-8")
    r = _import(run_cli, app, path)
    assert r.exit_code == 1 and message in r.output, r.output
    assert "Error: Error" not in r.output and "Traceback" not in r.output
    assert _count(app) == 0


def test_an_undecodable_file_names_the_line_and_suggests_encoding(make_app, run_cli, tmp_path):
    app = make_app("contacts")
    path = tmp_path / "c.csv"
    path.write_bytes("name,city\nAda,Oslo\nBjørn AS,Tromsø\n".encode("latin-1"))
    r = _import(run_cli, app, path)
    assert r.exit_code == 1
    assert "line 3: not valid utf-8 text; give the file's encoding with --encoding" in r.output
    assert "UnicodeDecodeError" not in r.output and _count(app) == 0
    ok = _import(run_cli, app, path, "--encoding", "latin-1")
    assert ok.exit_code == 0, ok.output
    with app.session() as s:
        names = s.execute(sa.text("select name from contacts_contact order by name")).scalars()
        assert list(names) == ["Ada", "Bjørn AS"]


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_other_encodings_are_read(make_app, run_cli, tmp_path, encoding):
    app = make_app("contacts")
    path = tmp_path / "c.csv"
    path.write_bytes("name,city\nCafé Ltd,Zürich\n".encode(encoding))
    r = _import(run_cli, app, path, "--encoding", encoding)
    assert r.exit_code == 0, r.output
    with app.session() as s:
        assert s.execute(sa.text("select city from contacts_contact")).scalar() == "Zürich"


# -- the batch fast paths still check every row (#15) ------------------------------------------


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        ("name", "x" * 101, "name: at most 100 characters (got 101)"),
        ("city", "Os\x00lo", "city: must not contain NUL characters"),
        ("post_code", "12\t34", "post_code: must not contain control characters ('\\t')"),
        ("phone_no", "call me", "phone_no: must not contain letters"),
        ("email", "not-an-address", "email: the e-mail address 'not-an-address' is not valid"),
    ],
)
def test_a_bad_row_deep_in_a_large_file_is_refused_on_the_batch_path(
    make_app, tmp_path, column, bad, message
):
    """A file of several batches (the precomputed per-column checks, the index computed from the
    rows): one bad row in the second batch is still found, named, and nothing is written."""
    from relcore_contacts import transfer

    app = make_app("contacts")
    n = transfer.BATCH_SIZE + 1500
    bad_line = transfer.BATCH_SIZE + 700  # a data row of the second batch
    lines = ["no,type,name,company_no,city,post_code,phone_no,email"]
    for i in range(2, n + 2):
        values = {
            "no": f"C{i:06d}",
            "type": "company" if i % 3 == 2 else "person",
            "name": f"Contact {i}",
            "company_no": "" if i % 3 == 2 else f"C{i - (i - 2) % 3:06d}",
            "city": "Oslo",
            "post_code": f"{i % 9000 + 1000}",
            "phone_no": f"+47 {i:08d}",
            "email": f"c{i}@example.test",
        }
        if i == bad_line:
            values[column] = bad
        lines.append(",".join(values.values()))
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(transfer.ImportFailed) as err:
        transfer.import_file(app, path)
    assert err.value.errors == [f"line {bad_line}: {message}"]
    assert _count(app) == 0
