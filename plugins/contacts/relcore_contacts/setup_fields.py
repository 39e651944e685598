"""The contacts plugin's setup fields: its part of the Marketing Setup (§1.1)."""

from __future__ import annotations

import contextvars
from typing import Any

from relcore.setup import SetupField
from relcore_contacts.model import CORRESPONDENCE_TYPES

AUTOSEARCH = "contacts.autosearch_for_duplicates"
MAINTAIN = "contacts.maintain_dupl_search_strings"
_coupling = contextvars.ContextVar("relcore_contacts_dupl_coupling", default=False)


def _couple(session: Any, other: str, value: bool) -> None:
    """Set ``other`` to ``value`` in the same transaction (once: the two fields call each
    other)."""
    from relcore.app import app_of

    if _coupling.get():
        return
    setup = app_of(session).setup
    if setup.get(session, other) == value:
        return
    token = _coupling.set(True)
    try:
        setup.set(session, other, value)
    finally:
        _coupling.reset(token)


def couple_autosearch(session: Any, value: bool) -> None:
    """§1.1: switching Autosearch for Duplicates on switches Maintain Dupl. Search Strings on."""
    if value:
        _couple(session, MAINTAIN, True)


def couple_maintain(session: Any, value: bool) -> None:
    """§1.1: Maintain Dupl. Search Strings sets Autosearch for Duplicates to the same value, so
    switching maintenance off switches autosearch off (no search on a stale index)."""
    _couple(session, AUTOSEARCH, bool(value))


_INHERIT = (
    ("inherit_salesperson_code", "Persons inherit the company's salesperson (§2.5)."),
    ("inherit_territory_code", "Persons inherit the company's territory (§2.5)."),
    ("inherit_country_region_code", "Persons inherit the company's country/region (§2.5)."),
    ("inherit_language_code", "Persons inherit the company's language (§2.5)."),
    ("inherit_format_region", "Persons inherit the company's format region (§2.5)."),
    ("inherit_address_details", "Persons inherit the company's address (§2.5)."),
    (
        "inherit_communication_details",
        "Persons inherit the company's phone, e-mail and other communication details (§2.5).",
    ),
)

SETUP_FIELDS = [
    SetupField("contacts.contact_nos", "series", None, "Number series for contacts."),
    SetupField(
        "contacts.bus_rel_code_for_customers",
        "code",
        None,
        "Business relation of contacts linked to customers (§3).",
        max_length=10,
        references="contacts.business_relation",
    ),
    SetupField(
        "contacts.bus_rel_code_for_vendors",
        "code",
        None,
        "Business relation of contacts linked to vendors (§3).",
        max_length=10,
        references="contacts.business_relation",
    ),
    SetupField(
        "contacts.bus_rel_code_for_bank_accs",
        "code",
        None,
        "Business relation of contacts linked to bank accounts (§3).",
        max_length=10,
        references="contacts.business_relation",
    ),
    SetupField(
        "contacts.bus_rel_code_for_employees",
        "code",
        None,
        "Business relation of contacts linked to employees (§3).",
        max_length=10,
        references="contacts.business_relation",
    ),
    *(SetupField(f"contacts.{key}", "bool", True, text) for key, text in _INHERIT),
    SetupField(
        "contacts.default_salesperson_code",
        "code",
        None,
        "Salesperson of new contacts.",
        max_length=20,
        references="contacts.salesperson",
    ),
    SetupField(
        "contacts.default_territory_code",
        "code",
        None,
        "Territory of new contacts.",
        max_length=10,
        references="contacts.territory",
    ),
    SetupField(
        "contacts.default_country_region_code",
        "code",
        None,
        "Country/region of new contacts.",
        max_length=10,
        references="contacts.country",
    ),
    SetupField(
        "contacts.default_language_code",
        "code",
        None,
        "Language of new contacts.",
        max_length=10,
        references="contacts.language",
    ),
    SetupField(
        "contacts.default_format_region",
        "str",
        None,
        "Format region of new contacts.",
        max_length=80,
    ),
    SetupField(
        "contacts.default_correspondence_type",
        "choice",
        None,
        "Correspondence type of new contacts.",
        choices=CORRESPONDENCE_TYPES,
    ),
    SetupField(
        "contacts.def_company_salutation_code",
        "code",
        None,
        "Salutation of company contacts.",
        max_length=10,
        references="contacts.salutation",
    ),
    SetupField(
        "contacts.default_person_salutation_code",
        "code",
        None,
        "Salutation of person contacts.",
        max_length=10,
        references="contacts.salutation",
    ),
    SetupField(
        AUTOSEARCH,
        "bool",
        True,
        "Search for duplicates when a company changes (§2.10); on also switches "
        "maintain_dupl_search_strings on (§1.1).",
        validator=couple_autosearch,
    ),
    SetupField(
        "contacts.search_hit_pct",
        "int",
        60,
        "Percentage of search strings that must match to flag a duplicate (§2.10).",
        min_value=1,
        max_value=100,
    ),
    SetupField(
        MAINTAIN,
        "bool",
        True,
        "Keep the duplicate index up to date on changes (§2.10); sets "
        "autosearch_for_duplicates to the same value (§1.1).",
        validator=couple_maintain,
    ),
]
