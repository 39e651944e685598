"""Business relations and links to customers, vendors, bank accounts and employees (§3).

Relations are held on company contacts (persons use their company's); the codes set in the
setup (``contacts.bus_rel_code_for_*``) are reserved for real links (§3.1). Every change
recomputes the "Contact Business Relation" summary (§3.5) of the contact and its persons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.db import utcnow
from relcore.errors import NotFoundError, PluginError, ValidationError
from relcore_contacts import model

LINK_SETUP_KEYS = {
    "customer": "contacts.bus_rel_code_for_customers",
    "vendor": "contacts.bus_rel_code_for_vendors",
    "bank_account": "contacts.bus_rel_code_for_bank_accs",
    "employee": "contacts.bus_rel_code_for_employees",
}
LINK_LABELS = {
    "customer": "Customer",
    "vendor": "Vendor",
    "bank_account": "Bank Account",
    "employee": "Employee",
}

R = model.contact_business_relation
C = model.contact


def _app(session: Any) -> Any:
    from relcore.app import app_of

    return app_of(session)


def reserved_codes(session: Any) -> dict[str, str]:
    """The business relation codes of the setup by link table (blank ones left out)."""
    values = _app(session).setup.get_many(session, list(LINK_SETUP_KEYS.values()))
    return {t: values[k] for t, k in LINK_SETUP_KEYS.items() if values[k]}


def summarize(rows: Iterable[dict], reserved: dict[str, str]) -> str:
    """The "Contact Business Relation" value of one contact's relations (BC §3.5).

    ``rows`` are the relation rows (``business_relation_code``, ``link_to_table``, ``link_no``)
    of the contact, or of its company for a person.

    >>> summarize([], {})
    'none'
    """
    rows = list(rows)
    if not rows:
        return "none"
    codes = set(reserved.values())
    linked = [r for r in rows if r["business_relation_code"] in codes and r["link_no"]]
    if not linked:
        return "other" if len(rows) == 1 else "multiple"
    if len(linked) == 1 and len(rows) == 1:
        return linked[0]["link_to_table"] or "other"
    return "multiple"


def update_business_relation(session: Any, contact_nos: Iterable[str]) -> None:
    """Recompute the summary of these contacts and of every person of those that are companies.

    A contact's summary counts its own relation rows and, for a person, its company's (§3.5).
    Set-based: one query for the contacts, one for their relation rows, one ``UPDATE`` per
    distinct summary value.
    """
    nos = list(dict.fromkeys(contact_nos))
    if not nos:
        return
    affected = session.execute(
        sa.select(C.c.no, C.c.type, C.c.company_no, C.c.contact_business_relation).where(
            sa.or_(C.c.no.in_(nos), sa.and_(C.c.company_no.in_(nos), C.c.type == "person"))
        )
    ).all()
    holders = {a.no for a in affected} | {a.company_no for a in affected if a.company_no}
    by_contact: dict[str, list[dict]] = defaultdict(list)
    for r in session.execute(sa.select(R).where(R.c.contact_no.in_(holders))):
        by_contact[r.contact_no].append(dict(r._mapping))
    reserved = reserved_codes(session)
    groups: dict[str, list[str]] = defaultdict(list)
    for a in affected:
        rows = list(by_contact.get(a.no, ()))
        if a.type == "person" and a.company_no and a.company_no != a.no:
            rows += by_contact.get(a.company_no, ())
        value = summarize(rows, reserved)
        if value != a.contact_business_relation:
            groups[value].append(a.no)
    for value, group in groups.items():
        entities.update_where(
            session, "contacts.contact", C.c.no.in_(group), {"contact_business_relation": value}
        )


def touch_contacts(session: Any, contact_nos: Iterable[str]) -> None:
    """Stamp the contacts as modified (BC ``TouchContact``, §1.3)."""
    nos = list(dict.fromkeys(contact_nos))
    if nos:
        session.execute(sa.update(C).where(C.c.no.in_(nos)).values(modified_at=utcnow()))


def links_changed(session: Any, links: list[dict], action: str) -> None:
    """Tell the plugins above that links were made or removed (``relcore_contacts_links_changed``;
    ``action`` is ``"link"`` or ``"unlink"``)."""
    if links:
        _app(session).pm.hook.relcore_contacts_links_changed(
            session=session, links=links, action=action
        )


def relations_of(session: Any, contact_no: str) -> list[dict]:
    """The relation rows held by a contact (for a person: by its company), by code."""
    from relcore_contacts.lookups import get_contact

    contact = get_contact(session, contact_no)
    holder = _holder(contact)
    stmt = sa.select(R).where(R.c.contact_no == holder).order_by(R.c.business_relation_code)
    return [dict(r._mapping) for r in session.execute(stmt)]


def _holder(contact: dict) -> str:
    if contact["type"] == "person" and contact.get("company_no"):
        return contact["company_no"]
    return contact["no"]


def _check_code(session: Any, code: str) -> None:
    if not entities.exists(session, "contacts.business_relation", code):
        raise NotFoundError("does not exist", entity="Business Relation", key=code)


def assign_business_relation(session: Any, contact_no: str, code: str) -> dict:
    """Classify a company contact with a business relation (no link), e.g. ``PROSPECT`` (§3.1).

    Refused for persons, for a code the contact already has, and for the codes reserved in the
    setup for links with customers, vendors, bank accounts and employees.
    """
    from relcore_contacts.lookups import get_contact

    contact = get_contact(session, contact_no)
    code = code.strip().upper()
    _check_code(session, code)
    if contact["type"] != "company":
        raise ValidationError(
            "business relations can only be assigned to companies",
            entity="Contact",
            key=contact_no,
            field="business_relation_code",
        )
    for table, reserved in reserved_codes(session).items():
        if reserved == code:
            raise ValidationError(
                f"Business Relation Code {code} is used when a Contact is linked with a "
                f"{LINK_LABELS[table]}.",
                entity="Contact",
                key=contact_no,
                field="business_relation_code",
            )
    if session.execute(
        sa.select(R.c.contact_no).where(
            R.c.contact_no == contact_no, R.c.business_relation_code == code
        )
    ).first():
        raise ValidationError(
            f"already has business relation {code}",
            entity="Contact",
            key=contact_no,
            field="business_relation_code",
        )
    row = {
        "contact_no": contact_no,
        "business_relation_code": code,
        "link_to_table": "",
        "link_no": "",
    }
    session.execute(sa.insert(R).values(**row))
    update_business_relation(session, [contact_no])
    touch_contacts(session, [contact_no])
    return row


def unassign_business_relation(session: Any, contact_no: str, code: str) -> None:
    """Remove a business relation from a contact; a link is removed with :func:`unlink`."""
    code = code.strip().upper()
    row = session.execute(
        sa.select(R).where(R.c.contact_no == contact_no, R.c.business_relation_code == code)
    ).first()
    if row is None:
        raise NotFoundError(f"has no business relation {code}", entity="Contact", key=contact_no)
    if row.link_no:
        raise ValidationError(
            f"business relation {code} links to {LINK_LABELS.get(row.link_to_table, '?')} "
            f"{row.link_no}; remove it with 'unlink'",
            entity="Contact",
            key=contact_no,
            field="business_relation_code",
        )
    session.execute(
        sa.delete(R).where(R.c.contact_no == contact_no, R.c.business_relation_code == code)
    )
    update_business_relation(session, [contact_no])
    touch_contacts(session, [contact_no])


def link(session: Any, contact_no: str, link_to_table: str, link_no: str | None = None) -> dict:
    """Link a contact with a customer, vendor, bank account or employee (§3.2 "Link with existing").

    Without ``link_no`` the record is created through the ``relcore_contacts_create_linked_records``
    hook (an ERP connector); without a connector that is refused with a clear message.

    The relation is held by the company for customers, vendors and bank accounts (vendors and
    bank accounts require a company), by the person for employees (persons only). Refused when
    the setup code is blank, the contact is privacy blocked, the holder already has a link of
    that kind, or the record is already linked to another contact. An unlinked row with the same
    code is converted into the link.

    :returns: the relation row.
    """
    from relcore_contacts.lookups import ensure_usable, get_contact

    if link_to_table not in LINK_SETUP_KEYS:
        raise ValidationError(
            f"{link_to_table!r} is not one of: {', '.join(LINK_SETUP_KEYS)}",
            entity="Contact",
            key=contact_no,
            field="link_to_table",
        )
    label = LINK_LABELS[link_to_table]
    setup_key = LINK_SETUP_KEYS[link_to_table]
    code = _app(session).setup.get(session, setup_key)
    if not code:
        raise ValidationError(
            f"{setup_key} must have a value in the setup before contacts can be linked with a "
            f"{label.lower()} (relcore setup set {setup_key} CODE)",
        )
    _check_code(session, code)
    contact = ensure_usable(session, [contact_no])[contact_no]
    holder = _link_holder(session, contact, link_to_table)
    existing = session.execute(
        sa.select(R).where(R.c.contact_no == holder, R.c.link_to_table == link_to_table)
    ).first()
    if existing is not None:
        raise ValidationError(
            f"Contact {holder} already has a Contact Business Relation with {label} "
            f"{existing.link_no}.",
            entity="Contact",
            key=contact_no,
        )
    if not link_no:
        link_no = _create_linked_record(session, get_contact(session, holder), link_to_table)
    link_no = link_no.strip().upper()
    other = session.execute(
        sa.select(R.c.contact_no).where(R.c.link_to_table == link_to_table, R.c.link_no == link_no)
    ).first()
    if other is not None:
        raise ValidationError(
            f"{label} {link_no} is already linked to contact {other.contact_no}",
            entity="Contact",
            key=contact_no,
        )
    session.execute(
        sa.delete(R).where(R.c.contact_no == holder, R.c.business_relation_code == code)
    )
    row = {
        "contact_no": holder,
        "business_relation_code": code,
        "link_to_table": link_to_table,
        "link_no": link_no,
    }
    session.execute(sa.insert(R).values(**row))
    update_business_relation(session, [holder])
    touch_contacts(session, [holder])
    links_changed(session, [row], "link")
    return row


def _link_holder(session: Any, contact: dict, link_to_table: str) -> str:
    """Which contact holds the relation row of a link (§3.2)."""
    no = contact["no"]
    if link_to_table == "employee":
        if contact["type"] != "person":
            raise ValidationError(
                "only a person can be linked with an employee",
                entity="Contact",
                key=no,
                field="type",
            )
        return no
    if contact["type"] == "person":
        if contact.get("company_no"):
            return contact["company_no"]
        if link_to_table in ("vendor", "bank_account"):
            raise ValidationError(
                f"Company No. must have a value to link a {LINK_LABELS[link_to_table].lower()}",
                entity="Contact",
                key=no,
                field="company_no",
            )
    return no


def _create_linked_record(session: Any, contact: dict, link_to_table: str) -> str:
    created = _app(session).pm.hook.relcore_contacts_create_linked_records(
        session=session, contacts=[contact], link_to_table=link_to_table
    )
    created = (created or {}).get(contact["no"])
    if not created:
        label = LINK_LABELS[link_to_table].lower()
        raise PluginError(
            f"cannot create a {label} for contact {contact['no']}: no ERP connector plugin is "
            f"installed; link an existing {label} by giving its number instead"
        )
    return created


def unlink(session: Any, contact_no: str, link_to_table: str) -> dict:
    """Remove a contact's link with a customer/vendor/bank account/employee (§3.2 "Remove link").

    The linked record itself is untouched (§3.4). :returns: the removed relation row.
    """
    from relcore_contacts.lookups import get_contact

    contact = get_contact(session, contact_no)
    if link_to_table not in LINK_SETUP_KEYS:
        raise ValidationError(
            f"{link_to_table!r} is not one of: {', '.join(LINK_SETUP_KEYS)}",
            entity="Contact",
            key=contact_no,
            field="link_to_table",
        )
    holders = [contact_no]
    if contact["type"] == "person" and contact.get("company_no"):
        holders.append(contact["company_no"])
    row = session.execute(
        sa.select(R).where(R.c.contact_no.in_(holders), R.c.link_to_table == link_to_table)
    ).first()
    if row is None:
        raise NotFoundError(
            f"is not linked with a {LINK_LABELS[link_to_table].lower()}",
            entity="Contact",
            key=contact_no,
        )
    session.execute(
        sa.delete(R).where(
            R.c.contact_no == row.contact_no,
            R.c.business_relation_code == row.business_relation_code,
        )
    )
    update_business_relation(session, [row.contact_no])
    touch_contacts(session, [row.contact_no])
    removed = dict(row._mapping)
    links_changed(session, [removed], "unlink")
    return removed


def linked_contacts(session: Any, link_to_table: str, link_nos: Iterable[str]) -> dict[str, str]:
    """The contact linked with each of these customers/vendors/... (``{link_no: contact_no}``)."""
    nos = list(dict.fromkeys(link_nos))
    if not nos:
        return {}
    stmt = sa.select(R.c.link_no, R.c.contact_no).where(
        R.c.link_to_table == link_to_table, R.c.link_no.in_(nos)
    )
    return {r.link_no: r.contact_no for r in session.execute(stmt)}
