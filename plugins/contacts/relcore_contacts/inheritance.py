"""Company → person inheritance (§2.5): attaching a person, and propagating company changes.

The inherit flags live in the setup (``contacts.inherit_*``, §1.1). Attaching (§2.5.1) works on
row dicts in Python (it runs inside batch inserts); propagation (§2.5.2) is set-based SQL: one
``UPDATE`` per changed field over all persons of the company.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore_contacts import model

FLAG_FIELDS = {
    "inherit_salesperson_code": ("salesperson_code",),
    "inherit_territory_code": ("territory_code",),
    "inherit_country_region_code": ("country_region_code",),
    "inherit_language_code": ("language_code",),
    "inherit_format_region": ("format_region",),
}
ADDRESS_FIELDS = ("address", "address_2", "post_code", "city", "county")
ADDRESS_IDENTITY = ("address", "address_2", "post_code", "city")
COMMUNICATION_FIELDS = (
    "phone_no",
    "telex_no",
    "fax_no",
    "telex_answer_back",
    "email",
    "home_page",
    "extension_no",
    "mobile_phone_no",
    "pager",
)
SETUP_KEYS = [f"contacts.{k}" for k in FLAG_FIELDS] + [
    "contacts.inherit_address_details",
    "contacts.inherit_communication_details",
]


def inherit_flags(session: Any) -> dict[str, bool]:
    """The inherit flags of the setup, keyed without the ``contacts.`` prefix (one query)."""
    from relcore.app import app_of

    values = app_of(session).setup.get_many(session, SETUP_KEYS)
    return {k.split(".", 1)[1]: bool(v) for k, v in values.items()}


_BLANKS = frozenset((None, ""))
"""The blank values of a text field (membership tested at C level)."""


def inherit_company_to_person(
    person: dict,
    company: dict,
    old_company: dict | None,
    flags: dict[str, bool],
    explicit: frozenset[str] | set[str] = frozenset(),
) -> dict:
    """What a person takes over when attached to ``company`` (BC ``InheritCompanyToPersonData``).

    * Company Name always; salesperson, territory, country/region, language and format region
      when their flag is on (unconditionally, §2.5.1);
    * the address when the person's address is blank or identical to ``old_company``'s;
    * each communication field whose value is blank or equals ``old_company``'s (plus the
      correspondence type).

    Fields in ``explicit`` (given by the user in the same change) are never overwritten.

    :returns: the changed values only.
    """
    return make_inheritor(flags)(person, company, old_company, explicit)


Inheritor = Callable[[dict, dict, "dict | None", "frozenset[str] | set[str]"], dict]


def make_inheritor(flags: dict[str, bool]) -> Inheritor:
    """:func:`inherit_company_to_person` for these flags, with the field lists worked out once
    (a batch insert calls it for every person)."""
    flagged = tuple(f for flag, fields in FLAG_FIELDS.items() if flags.get(flag) for f in fields)
    address = bool(flags.get("inherit_address_details"))
    communication = (
        (*COMMUNICATION_FIELDS, "correspondence_type")
        if flags.get("inherit_communication_details")
        else ()
    )

    def inherit(
        person: dict,
        company: dict,
        old_company: dict | None,
        explicit: frozenset[str] | set[str] = frozenset(),
    ) -> dict:
        get = person.get
        take = company.get
        out: dict[str, Any] = {"company_name": company["name"]}
        for f in flagged:
            if f not in explicit:
                out[f] = take(f)
        old = old_company or {}
        if address and explicit.isdisjoint(ADDRESS_FIELDS):
            blank = all(map(_BLANKS.__contains__, map(get, ADDRESS_IDENTITY)))
            same = bool(old) and all((get(f) or "") == (old.get(f) or "") for f in ADDRESS_IDENTITY)
            if blank or same:
                for f in ADDRESS_FIELDS:
                    out[f] = take(f) or ""
        for f in communication:
            if f in explicit:
                continue
            mine = get(f) or ""
            if mine == "" or (old and mine == (old.get(f) or "")):
                out[f] = take(f) or ""
        return {k: v for k, v in out.items() if get(k) != v}

    return inherit


def propagate_company_change(
    session: Any, old: dict, new: dict, flags: dict[str, bool] | None = None
) -> int:
    """Carry a company's changes over to its persons, set-based (§2.5.2).

    A person takes the new value of an inherited field only while it still holds the company's
    old value (manual deviations are kept); the address moves when the person's address was the
    company's old address; the company name always follows.

    :returns: the number of field updates made (persons × fields, roughly).
    """
    c = model.contact
    flags = inherit_flags(session) if flags is None else flags
    persons = sa.and_(c.c.company_no == new["no"], c.c.type == "person", c.c.no != new["no"])
    changed = 0

    def upd(where: sa.ColumnElement[bool], values: dict) -> None:
        nonlocal changed
        changed += entities.update_where(
            session, "contacts.contact", sa.and_(persons, where), values
        )

    if old["name"] != new["name"]:
        upd(sa.true(), {"company_name": new["name"]})
    for flag, fields in FLAG_FIELDS.items():
        if not flags.get(flag):
            continue
        for f in fields:
            if old.get(f) != new.get(f):
                upd(_equals(c.c[f], old.get(f)), {f: new.get(f)})
    if flags.get("inherit_address_details") and any(
        old.get(f) != new.get(f) for f in ADDRESS_FIELDS
    ):
        same = sa.and_(*(_equals(c.c[f], old.get(f)) for f in ADDRESS_IDENTITY))
        upd(same, {f: new.get(f) for f in ADDRESS_FIELDS if old.get(f) != new.get(f)})
    if flags.get("inherit_communication_details"):
        for f in COMMUNICATION_FIELDS:
            if old.get(f) != new.get(f):
                upd(_equals(c.c[f], old.get(f)), {f: new.get(f)})
    return changed


def _equals(column: sa.Column[Any], value: Any) -> sa.ColumnElement[bool]:
    """``column = value``, where NULL and '' count as the same blank value."""
    if value is None or value == "":
        if column.nullable:
            return sa.or_(column.is_(None), column == "")
        return column == ""
    return column == value
