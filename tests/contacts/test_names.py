"""Name breakdown, calculated name, search name and salutation formulas (§2.6)."""

from __future__ import annotations

import pytest
from relcore_contacts.names import calculated_name, name_breakdown, search_name
from relcore_contacts.salutations import format_salutation


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Anna", ("Anna", "", "")),
        ("Anna Smith", ("Anna", "", "Smith")),
        ("John Q Public", ("John", "Q", "Public")),
        ("Mary Ann Lee Smith", ("Mary Ann", "Lee", "Smith")),
        ("  John   Q   Public ", ("John", "Q", "Public")),
        ("", ("", "", "")),
    ],
)
def test_name_breakdown_table(name, expected):
    assert name_breakdown(name) == expected


def test_name_breakdown_truncates_parts_to_30():
    first, middle, surname = name_breakdown("A" * 40 + " " + "B" * 35)
    assert first == "A" * 30 and middle == "" and surname == "B" * 30


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("", "Q", "Public"), "Q Public"),
        (("John", "", "Smith"), "John Smith"),
        (("John", "Q", "Public"), "John Q Public"),
        (("", "", ""), ""),
    ],
)
def test_calculated_name(parts, expected):
    assert calculated_name(*parts) == expected


def test_search_name_follows_name_until_user_changes_it():
    assert search_name("New", "Old", "OLD") == "NEW"
    assert search_name("New", "Old", "") == "NEW"
    assert search_name("New", "Old", "MY OWN") is None


FORMULA = {
    "salutation": "Dear %1 %2",
    "name_1": "first_name",
    "name_2": "surname",
    "name_3": "",
    "name_4": "",
    "name_5": "",
}


def test_salutation_formula_substitutes_name_parts():
    assert (
        format_salutation(FORMULA, {"first_name": "John", "surname": "Smith"}) == "Dear John Smith"
    )


def test_salutation_formula_drops_empty_part_with_its_blank():
    assert format_salutation(FORMULA, {"first_name": "", "surname": "Smith"}) == "Dear Smith"
