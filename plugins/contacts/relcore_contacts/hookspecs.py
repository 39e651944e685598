"""Hooks the contacts plugin publishes for the plugins that build on it.

Published through ``relcore_addhooks``; each is documented in ``docs/plugin-hooks.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from relcore_contacts.classification import ClassificationField

hookspec = pluggy.HookspecMarker("relcore")


@hookspec
def relcore_contacts_check_type_change(
    session: Connection, contacts: list[dict], new_type: str
) -> None:
    """Veto a change of contact type (§2.4), e.g. "interaction log entries are linked".

    Raise :class:`relcore.errors.ValidationError` naming the contact to refuse.

    :param session: the current transaction.
    :param contacts: the contacts (rows) whose type is about to change.
    :param new_type: ``"company"`` or ``"person"``.
    """


@hookspec
def relcore_contacts_check_delete(session: Connection, contacts: list[dict]) -> None:
    """Refuse a deletion, or detach dependent rows, before contacts are deleted (§2.7).

    Raise :class:`relcore.errors.ValidationError` to refuse (e.g. "assigned one or more unlogged
    segments"); otherwise detach or re-point your rows (a person's rows go to its company).

    :param session: the current transaction.
    :param contacts: the rows about to be deleted (companies' persons included).
    """


@hookspec
def relcore_contacts_check_company_change(session: Connection, contact_nos: list[str]) -> None:
    """Veto attaching persons to another company (§2.5.1: unlogged segments refuse it).

    :param session: the current transaction.
    :param contact_nos: the persons whose company is about to change.
    """


@hookspec
def relcore_contacts_company_changed(
    session: Connection, moves: list[tuple[str, str, str]]
) -> None:
    """Re-point history after persons changed company (§2.5.1 ``UpdateCompanyNo``).

    Rows recorded as (company = old, contact = person) move to contact = old company; rows
    recorded as (company = '', contact = person) get company = new company.

    :param session: the current transaction.
    :param moves: ``(person_no, old_company_no, new_company_no)`` triples ('' = none).
    """


@hookspec
def relcore_contacts_merge(
    session: Connection, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    """Move a plugin's rows that point at each duplicate to its survivor (contact merge).

    :param session: the current transaction.
    :param merges: ``(survivor_no, duplicate_no)`` pairs; each duplicate is deleted afterwards.
    :param dry_run: count only, change nothing.
    :returns: rows moved (or that would move) per table, e.g. ``{"interactions_log_entry": 3}``.
    """


@hookspec
def relcore_contacts_register_classification_fields(
    register: Callable[[ClassificationField], None],
) -> None:
    """Register contact classification fields for profile questionnaires (§2.11).

    :param register: ``register(ClassificationField(name, description))``.
    """


@hookspec(firstresult=True)
def relcore_contacts_classification_values(
    session: Connection,
    field: str,
    contact_nos: list[str] | None,
    starting_date: dt.date,
    ending_date: dt.date,
) -> dict[str, Decimal] | None:
    """Values of a classification field per contact for a period (§2.11).

    :param session: the current transaction.
    :param field: the class field name (``"interaction_quantity"``).
    :param contact_nos: restrict to these contacts (``None`` = all).
    :param starting_date: first day of the period.
    :param ending_date: last day of the period.
    :returns: ``{contact_no: Decimal}`` when this plugin provides ``field``, else ``None``.
    """


@hookspec(firstresult=True)
def relcore_contacts_create_linked_records(
    session: Connection, contacts: list[dict], link_to_table: str
) -> dict[str, str] | None:
    """Create customers/vendors/bank accounts/employees for contacts in an ERP (§3.2).

    :param session: the current transaction.
    :param contacts: the contact rows (one record is created per contact).
    :param link_to_table: ``"customer"``, ``"vendor"``, ``"bank_account"`` or ``"employee"``.
    :returns: ``{contact_no: new record's number}``, or ``None`` when no connector handles it.
    """


@hookspec
def relcore_contacts_links_changed(session: Connection, links: list[dict], action: str) -> None:
    """Contacts were linked with, or unlinked from, customers/vendors/bank accounts/employees
    (§3.2 "Link with existing" / "Remove link"), in the same transaction, after the relation rows
    and the "Contact Business Relation" summaries were written.

    Called for every link change, also when the summary stays the same (a company with several
    relations), so a plugin keeping rows per customer (campaign target groups) can follow.

    :param session: the current transaction.
    :param links: the relation rows linked or unlinked — ``contact_no`` (the holder: the company,
        or the person for an employee), ``business_relation_code``, ``link_to_table``,
        ``link_no``.
    :param action: ``"link"`` or ``"unlink"``.
    """
