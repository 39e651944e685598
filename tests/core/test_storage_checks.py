"""Input is stored as given, or refused — never altered silently (issue #13 items 8, 9, 11).

The core refuses, on every write path and both backends, text longer than its column, control
characters in codes and e-mail addresses, NUL characters anywhere, NaN/Infinity and numbers
outside the column's range; Code values are trimmed on both sides.
"""

from __future__ import annotations

import decimal

import pytest
import sqlalchemy as sa

from relcore import entities, hookimpl
from relcore.db import Code, Money, master_table, metadata
from relcore.entities import EntityType
from relcore.errors import ValidationError
from relcore.fields import coerce_values

checked = metadata.tables.get("testkit_checked") or master_table(
    "testkit_checked",
    sa.Column("code", Code(10), primary_key=True),
    sa.Column("name", sa.String(20), nullable=False, default=""),
    sa.Column("email", sa.String(80), nullable=False, default=""),
    sa.Column("amount", Money(2), nullable=False, default=0),
    sa.Column("qty", sa.Integer, nullable=False, default=0),
)


class CheckedPlugin:
    @hookimpl
    def relcore_register_entities(self, register):
        register(EntityType("testkit.checked", checked, "Checked", key=("code",)))


@pytest.fixture
def capp(make_app):
    return make_app(extra=[("testkit", CheckedPlugin())])


def _stored(app):
    with app.session() as s:
        return [dict(r._mapping) for r in s.execute(sa.select(checked).order_by(checked.c.code))]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"name": "x" * 21}, "Checked A: field name: at most 20 characters (got 21)"),
        ({"code": "X" * 11}, "field code: at most 10 characters (got 11)"),
        ({"name": "nul\x00"}, "field name: must not contain NUL characters"),
        ({"code": "A\tB"}, "field code: must not contain control characters ('\\t')"),
        ({"code": "A\x01"}, "field code: must not contain control characters"),
        ({"email": "a@b.test\nBcc: x@y.test"}, "field email: must not contain control characters"),
        ({"amount": decimal.Decimal("NaN")}, "field amount: NaN is not a number in the field's"),
        ({"amount": decimal.Decimal("Infinity")}, "field amount: Infinity is not a number"),
        ({"amount": decimal.Decimal("1e23")}, "field amount: 1E+23 is out of range (more than"),
        ({"qty": 2**40}, "field qty: 1099511627776 is out of range (-2147483648 to 2147483647)"),
    ],
)
def test_insert_refuses_values_the_column_cannot_store_as_given(capp, row, message):
    row = {"code": "A", **row}
    with pytest.raises(ValidationError) as err, capp.session() as s:
        entities.insert(s, "testkit.checked", [{"code": "OK"}, row])
    assert message in str(err.value)
    assert _stored(capp) == []  # nothing half-written


def test_update_and_update_where_refuse_too(capp):
    with capp.session() as s:
        entities.insert(s, "testkit.checked", [{"code": "A"}])
    too_long = pytest.raises(ValidationError, match="field name: at most 20 characters")
    with too_long, capp.session() as s:
        entities.update(s, "testkit.checked", "A", {"name": "y" * 25})
    with pytest.raises(ValidationError, match="field amount: NaN"), capp.session() as s:
        entities.update_where(
            s, "testkit.checked", checked.c.code == "A", {"amount": decimal.Decimal("NaN")}
        )
    assert _stored(capp)[0]["name"] == "" and _stored(capp)[0]["amount"] == 0


def test_insert_from_select_refuses_a_source_text_too_long_for_its_target(capp):
    source = sa.select(sa.literal("B", Code(10)).label("code"), sa.literal("z" * 30).label("name"))
    too_long = pytest.raises(ValidationError, match="field name: at most 20 characters")
    with too_long, capp.session() as s:
        entities.insert_from_select(s, "testkit.checked", ["code", "name"], source)
    assert _stored(capp) == []


def test_codes_are_trimmed_on_both_sides_and_found_again(capp):
    with capp.session() as s:
        entities.insert(s, "testkit.checked", [{"code": "  x1 ", "name": "  kept as given "}])
    with capp.session() as s:
        assert entities.get(s, "testkit.checked", "X1")["name"] == "  kept as given "
        assert entities.exists(s, "testkit.checked", " x1")
    assert [r["code"] for r in _stored(capp)] == ["X1"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": ["list"]}, "field name: expected text, got a list"),
        ({"name": {"a": 1}}, "field name: expected text, got an object"),
        ({"name": 12}, "field name: expected text, got a number"),
        ({"name": True}, "field name: expected text, got a boolean"),
        ({"amount": "NaN"}, "field amount: NaN is not a number"),
        ({"amount": "1e23"}, "field amount: 1E+23 is out of range"),
        ({"qty": "99999999999"}, "field qty: 99999999999 is out of range"),
        ({"code": " a\x00"}, "field code: must not contain control characters"),
    ],
)
def test_user_input_is_refused_with_the_field_and_what_is_accepted(values, message):
    with pytest.raises(ValidationError) as err:
        coerce_values(checked, values, entity="Checked", key="K")
    assert message in str(err.value)


def test_user_input_codes_are_trimmed():
    assert coerce_values(checked, {"code": "  x1 "}, entity="Checked") == {"code": "X1"}


def test_the_issue_examples_are_refused_not_cut(make_app, run_cli):
    """A 251-character comment was stored as 80 characters; a 21-character saved-criteria code
    went into a VARCHAR(10) on SQLite and raised a raw DataError on PostgreSQL."""
    from relcore_segments import criteria, segments

    from relcore.interactions import InteractionRecord

    app = make_app("contacts", "interactions", "segments")
    with app.session() as s:
        entities.insert(s, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        entities.insert(s, "interactions.group", [{"code": "G"}])
        entities.insert(s, "interactions.template", [{"code": "T", "interaction_group_code": "G"}])
        entities.insert(s, "contacts.contact", [{"no": "C1", "name": "Co", "company_no": "C1"}])
        segments.create_segment(s, {"description": "Seg"})
        criteria.add_contacts(s, "SM00001")
    record = InteractionRecord(
        "C1", "T", salesperson_code="JO", description="x", extra={"comments": ["c" * 251]}
    )
    too_long = pytest.raises(ValidationError, match="field comment: at most 80 characters")
    with too_long, app.session() as s:
        app.log_interactions(s, [record])
    r = run_cli(app, "segments", "save-criteria", "SM00001", "C" * 21)
    assert r.exit_code == 1
    assert "field code: at most 10 characters (got 21)" in r.output
    assert "DataError" not in r.output


# -- the cheap paths still check (#15) ----------------------------------------------------------


def test_a_large_batch_is_checked_row_by_row_where_a_column_has_a_problem(capp):
    """Per-column checks worked out once per table and values gathered column by column: the
    bad row of a 3,000-row batch is still named, also when some rows lack the column."""
    rows = [{"code": f"C{i}", "name": f"n{i}"} for i in range(3000)]
    rows[2500]["name"] = "x" * 21
    with (
        pytest.raises(ValidationError, match="Checked C2500: field name: at most 20"),
        capp.session() as s,
    ):
        entities.insert(s, "testkit.checked", rows)
    rows[2500] = {"code": "C2500"}  # no name: the rows name different columns now
    rows[2900]["name"] = "nul\x00"
    with (
        pytest.raises(ValidationError, match="Checked C2900: field name: must not contain NUL"),
        capp.session() as s,
    ):
        entities.insert(s, "testkit.checked", rows)
    assert _stored(capp) == []


def _statements(app):
    seen: list[str] = []
    sa.event.listen(
        app.engine, "before_cursor_execute", lambda *args: seen.append(args[2].lstrip()[:6])
    )
    return seen


def test_insert_from_select_checks_computed_text_in_the_database(capp):
    """Text whose length the statement does not guarantee (a function's result, a CASE with a
    long branch) is checked by a query; the first column in the statement's order is named."""
    upper = sa.func.upper(sa.literal("z" * 30))
    source = sa.select(sa.literal("B", Code(10)).label("code"), upper.label("name"))
    with (
        pytest.raises(ValidationError, match="field name: at most 20 characters \\(got 30\\)"),
        capp.session() as s,
    ):
        entities.insert_from_select(s, "testkit.checked", ["code", "name"], source)
    long_branch = sa.case((sa.literal(1) == 1, sa.literal("y" * 25)), else_=sa.literal("ok"))
    source = sa.select(
        sa.literal("B", Code(10)).label("code"),
        sa.func.lower(sa.literal("fine")).label("name"),
        sa.func.lower(sa.literal("q" * 90)).label("email"),
    )
    with (
        pytest.raises(ValidationError, match="field email: at most 80 characters \\(got 90\\)"),
        capp.session() as s,
    ):
        entities.insert_from_select(s, "testkit.checked", ["code", "name", "email"], source)
    source = sa.select(sa.literal("B", Code(10)).label("code"), long_branch.label("name"))
    with (
        pytest.raises(ValidationError, match="field name: at most 20 characters \\(got 25\\)"),
        capp.session() as s,
    ):
        entities.insert_from_select(s, "testkit.checked", ["code", "name"], source)
    assert _stored(capp) == []


def test_insert_from_select_needs_no_query_when_the_types_guarantee_the_fit(capp):
    """Columns of a declared length (also ``Code``), literals and CASEs of such are measured
    from the statement: the INSERT is the only statement."""
    with capp.session() as s:
        entities.insert(s, "testkit.checked", [{"code": "A", "name": "short"}])
    seen = _statements(capp)
    name = sa.case((checked.c.name == "", sa.literal("blank")), else_=checked.c.name)
    source = sa.select(sa.literal("B", Code(10)).label("code"), name.label("name")).where(
        checked.c.code == "A"
    )
    with capp.session() as s:
        assert entities.insert_from_select(s, "testkit.checked", ["code", "name"], source) == 1
    assert [s for s in seen if s.upper().startswith("SELECT")] == []
    assert [r["name"] for r in _stored(capp)] == ["short", "short"]
