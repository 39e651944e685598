"""Duplicate detection (§2.10): search strings, threshold, pairs, regeneration, shell."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from relcore_contacts import duplicates, model
from relcore_contacts.contacts import insert_contacts

from relcore.errors import ValidationError

SAME = {
    "name": "Contoso Ltd.",
    "address": "5 Main Street",
    "city": "Oslo",
    "phone_no": "+1 (425) 555-0100",
    "post_code": "0150",
}


def add(app, *rows):
    with app.session() as s:
        return [r["no"] for r in insert_contacts(s, [dict(r) for r in rows])]


def strings(app, no):
    with app.session() as s:
        return {
            (r["field_name"], r["part_of_field"]): r["search_string"]
            for r in duplicates.index_of(s, no)
        }


def pairs(app):
    with app.session() as s:
        return {
            frozenset((r["contact_no"], r["duplicate_contact_no"])): (
                r["no_of_matching_strings"],
                r["separate_contacts"],
            )
            for r in duplicates.list_duplicates(s)
        }


def pair(a, b):
    return frozenset((a, b))


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("Contoso Ltd.", "CONTO", "SOLTD"),  # DU1
        ("5 Main Street", "5MAIN", "TREET"),  # DU2
        ("+1 (425) 555-0100", "14255", "50100"),  # DU3
        ("Oslo", "OSLO", "OSLO"),  # DU4
        ("", "", ""),  # DU5
        (" .-_()", "", ""),
    ],
)
def test_reference_search_string(value, first, last):
    assert duplicates.search_string(value, "first", 5) == first
    assert duplicates.search_string(value, "last", 5) == last


def test_threshold_rounds_up():
    assert duplicates.threshold(16, 60) == 10
    assert duplicates.threshold(16, 100) == 16
    assert duplicates.threshold(16, 1) == 1


def test_index_strings_du1_to_du5(make_app):
    app = make_app("contacts")
    (no,) = add(
        app,
        {
            "name": "Contoso Ltd.",
            "address": "5 Main Street",
            "city": "Oslo",
            "phone_no": "+1 (425) 555-0100",
        },
    )
    got = strings(app, no)
    assert got[("name", "first")] == "CONTO" and got[("name", "last")] == "SOLTD"
    assert got[("address", "first")] == "5MAIN" and got[("address", "last")] == "TREET"
    assert got[("phone_no", "first")] == "14255" and got[("phone_no", "last")] == "50100"
    assert got[("city", "first")] == "OSLO" and got[("city", "last")] == "OSLO"
    assert ("email", "first") not in got and ("email", "last") not in got  # DU5


def test_sql_agrees_with_reference_on_odd_text(make_app):
    app = make_app("contacts")
    odd = [
        "Müller & Søn GmbH",
        "a\\b£c$d!e#f{g}h(i)j_k-l:m;n.o,p/q&r\"s+t u'v",
        "ßtraße é",
        "x",
        "ÉCOLE d'été",
    ]
    nos = add(app, *({"name": v} for v in odd))
    for no, value in zip(nos, odd, strict=True):
        got = strings(app, no)
        for part in ("first", "last"):
            assert got.get(("name", part), "") == duplicates.search_string(value, part, 5)


def test_default_setup_created_on_first_use(make_app):
    app = make_app("contacts")
    with app.session() as s:
        lines = duplicates.setup_lines(s)
    assert len(lines) == 16
    assert {line["field_name"] for line in lines} == set(duplicates.DEFAULT_SETUP_FIELDS)
    assert {line["length"] for line in lines} == {5}


def test_du6_ten_matches_flagged_and_du7_eight_not(make_app):
    app = make_app("contacts")
    a, b = add(app, SAME, SAME)
    assert pairs(app) == {pair(a, b): (10, False)}
    c, d = add(
        app,
        {**SAME, "name": "Other Name", "phone_no": "111"},
        {**SAME, "name": "Other Name", "phone_no": "222"},
    )
    found = pairs(app)
    assert pair(c, d) not in found  # DU7: 8 matches < 10


def test_du8_hit_100_needs_all_sixteen(make_app):
    app = make_app("contacts")
    with app.session() as s:
        app.setup.set(s, "contacts.search_hit_pct", 100)
    full = {
        **SAME,
        "vat_registration_no": "NO123",
        "email": "a@b.com",
        "mobile_phone_no": "+47 900 00 000",
    }
    a, b = add(app, full, full)
    c, d = add(app, {**full, "name": "Fabrikam"}, {**full, "name": "Fabrikam", "email": ""})
    assert set(pairs(app)) == {pair(a, b)}


def test_persons_are_not_indexed(make_app):
    app = make_app("contacts")
    (company,) = add(app, SAME)
    (person,) = add(app, {"type": "person", "name": "Ann Lee", "company_no": company})
    assert strings(app, person) == {}


def test_du9_separate_pair_kept_through_reindex_and_regenerate(make_app):
    app = make_app("contacts")
    a, b = add(app, SAME, SAME)
    with app.session() as s:
        duplicates.mark_separate(s, a, b)
        duplicates.make_index(s, [a])
        duplicates.make_index(s, [b])
    assert pairs(app) == {pair(a, b): (10, True)}
    with app.session() as s:
        duplicates.regenerate(s)
    assert pairs(app) == {pair(a, b): (10, True)}


def test_regenerate_matches_incremental_index(make_app):
    app = make_app("contacts")
    rows = [SAME, SAME, {**SAME, "phone_no": "999"}, SAME, {"name": "Alone"}]
    add(app, *rows)
    before = pairs(app)
    with app.session() as s:
        before_strings = sorted(
            tuple(r) for r in s.execute(sa.select(model.duplicate_search_string))
        )
        result = duplicates.regenerate(s)
        after_strings = sorted(
            tuple(r) for r in s.execute(sa.select(model.duplicate_search_string))
        )
    after = pairs(app)
    assert before_strings == after_strings
    assert result["search_strings"] == len(after_strings)
    assert before == after
    assert len(after) == 3  # contacts 1, 2 and 4 pairwise; 3 (other phone) has 8 matches


def test_remove_index_and_setup_line_delete(make_app):
    app = make_app("contacts")
    a, b = add(app, SAME, SAME)
    with app.session() as s:
        n = duplicates.delete_setup_line(s, "city", "first")
        assert n == 2
        duplicates.remove_index(s, [a])
    assert strings(app, a) == {}
    assert pairs(app) == {}


def test_setup_line_rules(make_app):
    from relcore.errors import ValidationError

    app = make_app("contacts")
    with app.session() as s:
        with pytest.raises(ValidationError, match="between 2 and 10"):
            duplicates.set_setup_line(s, "name", "first", 11)
        with pytest.raises(ValidationError, match="not a text field"):
            duplicates.set_setup_line(s, "minor", "first", 5)
        duplicates.set_setup_line(s, "name_2", "last", 3)
        assert len(duplicates.setup_lines(s)) == 17


def test_cli_duplicates_list_separate_and_setup(make_app, run_cli):
    app = make_app("contacts")
    a, b = add(app, SAME, SAME)
    result = run_cli(app, "contacts", "duplicates", "--regenerate", json=True)
    assert result.exit_code == 0, result.output
    assert result.json == [
        {"contact_no": a, "duplicate_no": b, "matching_strings": 10, "separate": False}
    ]
    result = run_cli(app, "contacts", "duplicates", "separate", b, a, json=True)
    assert result.exit_code == 0, result.output
    assert result.json["separate"] is True
    result = run_cli(app, "contacts", "duplicates", json=True)
    assert result.json[0]["separate"] is True
    result = run_cli(app, "contacts", "duplicates", "separate", a, "CT999999")
    assert result.exit_code == 1 and "is not recorded as a duplicate" in result.output
    result = run_cli(app, "contacts", "duplicates", "setup", json=True)
    assert len(result.json) == 16
    result = run_cli(
        app, "contacts", "duplicates", "setup", "set", "name", "first", "--length", "7"
    )
    assert result.exit_code == 0, result.output
    result = run_cli(app, "contacts", "duplicates", "index", a, json=True)
    assert result.exit_code == 0


def test_setup_accepts_code_fields_like_post_code():
    """Post Code is a Code field (§2.10's default setup names it); a setup line may use it."""
    from relcore_contacts import duplicates

    assert "post_code" in duplicates.text_fields()
    assert "search_email" in duplicates.text_fields()


# -- new companies indexed from their rows (#15) ------------------------------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(list("aZ09 .-_()+&/,;:#!£$\\\"{}éßøÆ'\t") + ["ǅ", "ﬁ", "İ"]),
    max_size=14,
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    companies=st.lists(
        st.fixed_dictionaries(
            {
                "name": _TEXT,
                "address": _TEXT,
                "city": _TEXT.map(lambda t: t.replace("\t", " ")),
                "phone_no": st.text(alphabet=st.sampled_from(list("0129 +-()./")), max_size=14),
                "post_code": st.text(alphabet=st.sampled_from(list("ab01 -")), max_size=12),
                "email": st.sampled_from(["", "a@b.test", "x.y@contoso.com"]),
            }
        ),
        min_size=1,
        max_size=8,
    ),
    lengths=st.lists(st.integers(2, 10), min_size=2, max_size=2),
)
def test_strings_of_new_companies_equal_the_sql_index(make_app, companies, lengths):
    """Companies inserted in a batch get their strings from their rows in Python
    (``index_new_companies``); ``regenerate`` computes them in SQL from the stored values
    (Code fields trimmed and upper-cased first): the two indexes and the pairs are the same."""
    if not hasattr(make_app, "rows_app"):  # one database per backend, wiped per example
        make_app.rows_app = make_app("contacts")
    app = make_app.rows_app
    with app.session() as s:
        for table in (model.contact_duplicate, model.duplicate_search_string, model.contact):
            s.execute(sa.delete(table))
        duplicates.set_setup_line(s, "name", "first", lengths[0])
        duplicates.set_setup_line(s, "address", "last", lengths[1])
    rows = [{k: v for k, v in c.items() if v.strip()} for c in companies]
    try:
        add(app, *rows)
    except ValidationError:  # e.g. a control character in the address: refused, nothing to compare
        return
    before = pairs(app)
    with app.session() as s:
        index = sorted(tuple(r) for r in s.execute(sa.select(model.duplicate_search_string)))
        duplicates.regenerate(s)
        again = sorted(tuple(r) for r in s.execute(sa.select(model.duplicate_search_string)))
    assert index == again
    assert pairs(app) == before


def test_deleting_a_company_removes_its_strings_and_pairs(make_app):
    """The index has no foreign key to the contact (it is derived data): the contact service
    removes a deleted company's strings and pairs itself, so none are left to match a company
    added later."""
    from relcore_contacts.contacts import delete_contacts

    app = make_app("contacts")
    a, b = add(app, SAME, SAME)
    assert pairs(app) == {pair(a, b): (10, False)}
    with app.session() as s:
        delete_contacts(s, [a])
    assert strings(app, a) == {}
    assert pairs(app) == {}
    (c,) = add(app, SAME)
    assert pairs(app) == {pair(b, c): (10, False)}
    with app.session() as s:
        duplicates.regenerate(s)
    assert pairs(app) == {pair(b, c): (10, False)}
