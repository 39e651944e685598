"""The contacts plugin's public API: what other plugins may call.

Other plugins import this module only (never the contacts plugin's internals).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from relcore.errors import NotFoundError, ValidationError
from relcore_contacts import model
from relcore_contacts.classification import ClassificationField, classification_fields

__all__ = [
    "ClassificationField",
    "active_alt_address",
    "active_alt_addresses",
    "classification_fields",
    "contact_company_no",
    "contact_table",
    "ensure_salesperson_usable",
    "ensure_usable",
    "get_contact",
    "get_contacts",
    "insert_contacts",
    "link_of",
    "modify_contact",
    "resolve_contact_no",
    "salesperson_table",
    "salutation",
]

contact_table = model.contact
"""The contacts table, for joins in other plugins' set-based SQL (read only)."""

salesperson_table = model.salesperson
"""The salespeople table (read only)."""


def get_contact(session: Any, no: str) -> dict:
    """The contact row, or :class:`NotFoundError` naming it."""
    row = session.execute(sa.select(model.contact).where(model.contact.c.no == no)).first()
    if row is None:
        raise NotFoundError("does not exist", entity="Contact", key=no)
    return dict(row._mapping)


def get_contacts(session: Any, nos: Iterable[str]) -> dict[str, dict]:
    """Rows of these contacts by number, in one query; missing numbers raise NotFoundError."""
    wanted = list(dict.fromkeys(nos))
    rows = (
        {
            r.no: dict(r._mapping)
            for r in session.execute(sa.select(model.contact).where(model.contact.c.no.in_(wanted)))
        }
        if wanted
        else {}
    )
    for no in wanted:
        if no not in rows:
            raise NotFoundError("does not exist", entity="Contact", key=no)
    return rows


def ensure_usable(session: Any, contact_nos: Iterable[str]) -> dict[str, dict]:
    """The one shared privacy check: refuse contacts that are missing or privacy blocked (§2.1).

    :returns: the contacts' rows by number (so callers need no second query).
    :raises ValidationError: "You cannot use contact CT000001 Name because they are marked as
        blocked due to privacy."
    """
    rows = get_contacts(session, contact_nos)
    for no, row in rows.items():
        if row["privacy_blocked"]:
            raise ValidationError(
                f"You cannot use contact {no} {row['name']} because they are marked as blocked "
                "due to privacy.",
                entity="Contact",
                key=no,
                field="privacy_blocked",
            )
    return rows


def ensure_salesperson_usable(session: Any, code: str) -> dict:
    """Refuse a salesperson that does not exist or is privacy blocked (§1.3)."""
    row = session.execute(
        sa.select(model.salesperson).where(model.salesperson.c.code == code)
    ).first()
    if row is None:
        raise NotFoundError("does not exist", entity="Salesperson", key=code)
    if row.privacy_blocked:
        raise ValidationError(
            "is privacy blocked and cannot be used",
            entity="Salesperson",
            key=code,
            field="privacy_blocked",
        )
    return dict(row._mapping)


def contact_company_no(session: Any, contact_nos: Iterable[str]) -> dict[str, str]:
    """The company of each contact: its own number for a company, its employer (or '') for a
    person — BC's "Contact Company No." stored on interactions, opportunities, tasks (one query).
    """
    rows = get_contacts(session, contact_nos)
    return {
        no: (no if r["type"] == "company" else (r["company_no"] or "")) for no, r in rows.items()
    }


def active_alt_address(session: Any, contact_no: str, date: Any) -> str:
    """The contact's alternative address code active on ``date``, or '' (§2.8)."""
    from relcore_contacts.alt_addresses import active_alt_address as _active

    return _active(session, contact_no, date)


def active_alt_addresses(session: Any, contact_nos: Iterable[str], date: Any) -> dict[str, str]:
    """The active alternative address per contact on ``date`` (contacts without one left out)."""
    from relcore_contacts.alt_addresses import active_alt_addresses as _active

    return _active(session, contact_nos, date)


def salutation(
    session: Any, contact_no: str, salutation_type: str = "formal", language_code: str | None = None
) -> str:
    """The contact's formal/informal salutation text (default: in the contact's language) (§2.6).

    :raises ValidationError: when no formula is set up for the salutation, type and language.
    """
    from relcore_contacts.salutations import salutation_text

    return salutation_text(session, contact_no, salutation_type, language_code)


def insert_contacts(
    session: Any, rows: list[dict], row_labels: list[str] | None = None
) -> list[dict]:
    """Insert contacts in one batch with every rule of §2.2 (see
    :func:`relcore_contacts.contacts.insert_contacts`)."""
    from relcore_contacts.contacts import insert_contacts as _insert

    return _insert(session, rows, row_labels)


def modify_contact(session: Any, no: str, values: dict) -> dict:
    """Change a contact's fields with every rule of §2.3–§2.5 (see
    :func:`relcore_contacts.contacts.modify_contact`)."""
    from relcore_contacts.contacts import modify_contact as _modify

    return _modify(session, no, values)


def resolve_contact_no(session: Any, text: str) -> str:
    """The company contact a free text names (BC ``GetCompNo``: number, name, "starts with",
    "contains"); see :func:`relcore_contacts.contacts.resolve_company_no`."""
    from relcore_contacts.contacts import resolve_company_no

    return resolve_company_no(session, text)


def link_of(session: Any, link_to_table: str, link_nos: Iterable[str]) -> dict[str, str]:
    """The contact linked with each customer/vendor/bank account/employee number (§3.1)."""
    from relcore_contacts.relations import linked_contacts

    return linked_contacts(session, link_to_table, link_nos)


business_relation_table = model.contact_business_relation
"""Contact business relations and links (``link_to_table``, ``link_no``: the customer, vendor,
... a company is linked with, §3.1), for joins in other plugins' set-based SQL (read only)."""
