"""Alternative addresses of a contact and the date ranges they apply in (§2.8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from relcore.errors import NotFoundError, ValidationError
from relcore.fields import coerce_values
from relcore_contacts import model
from relcore_contacts.validation import check_email, check_phone

A = model.alt_address
D = model.alt_address_date_range
LABEL = "Contact Alt. Address"


def _contact(session: Any, contact_no: str) -> dict:
    from relcore_contacts.lookups import get_contact

    return get_contact(session, contact_no.strip().upper())


def _touch(session: Any, contact_no: str) -> None:
    from relcore_contacts.relations import touch_contacts

    touch_contacts(session, [contact_no])


def add_alt_address(session: Any, contact_no: str, code: str, values: dict | None = None) -> dict:
    """Add an alternative address ``code`` to a contact; ``values`` are its address fields."""
    contact = _contact(session, contact_no)
    key = f"{contact['no']} {code}"
    typed = coerce_values(
        A,
        {"code": code, **(values or {})},
        entity=LABEL,
        key=key,
        allowed=[c.name for c in A.c if c.name != "contact_no"],
    )
    if not typed.get("code"):
        raise ValidationError("must have a value", entity=LABEL, key=contact["no"], field="code")
    _check(typed, key)
    if session.execute(
        sa.select(A.c.code).where(A.c.contact_no == contact["no"], A.c.code == typed["code"])
    ).first():
        raise ValidationError(
            "already exists", entity=LABEL, key=f"{contact['no']} {typed['code']}"
        )
    row = {c.name: (c.default.arg if c.default is not None else "") for c in A.c}
    row.update(typed, contact_no=contact["no"])
    session.execute(sa.insert(A).values(**row))
    _touch(session, contact["no"])
    return row


def _check(values: dict, key: str) -> None:
    for field in ("phone_no", "mobile_phone_no", "fax_no"):
        if values.get(field):
            check_phone(values[field], key=key, field=field)
    if values.get("email"):
        check_email(values["email"], key=key, field="email", entity=LABEL)


def list_alt_addresses(session: Any, contact_no: str) -> list[dict]:
    """A contact's alternative addresses, by code."""
    contact = _contact(session, contact_no)
    stmt = sa.select(A).where(A.c.contact_no == contact["no"]).order_by(A.c.code)
    return [dict(r._mapping) for r in session.execute(stmt)]


def delete_alt_address(session: Any, contact_no: str, code: str) -> None:
    """Delete an alternative address and the date ranges that point at it."""
    contact = _contact(session, contact_no)
    code = code.strip().upper()
    where = sa.and_(A.c.contact_no == contact["no"], A.c.code == code)
    if session.execute(sa.delete(A).where(where)).rowcount == 0:
        raise NotFoundError("does not exist", entity=LABEL, key=f"{contact['no']} {code}")
    session.execute(
        sa.delete(D).where(D.c.contact_no == contact["no"], D.c.contact_alt_address_code == code)
    )
    _touch(session, contact["no"])


def add_date_range(
    session: Any,
    contact_no: str,
    alt_address_code: str,
    starting_date: dt.date,
    ending_date: dt.date | None = None,
) -> dict:
    """Use an alternative address from ``starting_date`` to ``ending_date`` (blank = open).

    The starting date must be given and unique per contact; it may not lie after the ending
    date (§2.8).
    """
    contact = _contact(session, contact_no)
    no = contact["no"]
    code = alt_address_code.strip().upper()
    key = f"{no} {starting_date}"
    if starting_date is None:
        raise ValidationError(
            "must have a value",
            entity="Contact Alt. Addr. Date Range",
            key=no,
            field="starting_date",
        )
    if ending_date is not None and starting_date > ending_date:
        raise ValidationError(
            f"Starting Date {starting_date} must not be after Ending Date {ending_date}",
            entity="Contact Alt. Addr. Date Range",
            key=key,
            field="starting_date",
        )
    if (
        session.execute(sa.select(A.c.code).where(A.c.contact_no == no, A.c.code == code)).first()
        is None
    ):
        raise NotFoundError("does not exist", entity=LABEL, key=f"{no} {code}")
    if session.execute(
        sa.select(D.c.starting_date).where(D.c.contact_no == no, D.c.starting_date == starting_date)
    ).first():
        raise ValidationError(
            "a date range with this starting date already exists",
            entity="Contact Alt. Addr. Date Range",
            key=key,
            field="starting_date",
        )
    row = {
        "contact_no": no,
        "starting_date": starting_date,
        "ending_date": ending_date,
        "contact_alt_address_code": code,
    }
    session.execute(sa.insert(D).values(**row))
    _touch(session, no)
    return row


def list_date_ranges(session: Any, contact_no: str) -> list[dict]:
    """A contact's alternative address date ranges, by starting date."""
    contact = _contact(session, contact_no)
    stmt = sa.select(D).where(D.c.contact_no == contact["no"]).order_by(D.c.starting_date)
    return [dict(r._mapping) for r in session.execute(stmt)]


def delete_date_range(session: Any, contact_no: str, starting_date: dt.date) -> None:
    """Delete the date range starting on ``starting_date``."""
    contact = _contact(session, contact_no)
    res = session.execute(
        sa.delete(D).where(D.c.contact_no == contact["no"], D.c.starting_date == starting_date)
    )
    if res.rowcount == 0:
        raise NotFoundError(
            "does not exist",
            entity="Contact Alt. Addr. Date Range",
            key=f"{contact['no']} {starting_date}",
        )


def active_alt_addresses(session: Any, contact_nos: Iterable[str], date: dt.date) -> dict[str, str]:
    """The alternative address active on ``date`` for each contact that has one (one query).

    A range applies when Starting Date ≤ date and (Ending Date ≥ date or blank); of several, the
    latest starting date wins (BC ``ActiveAltAddress``, §2.8).
    """
    nos = list(dict.fromkeys(contact_nos))
    if not nos:
        return {}
    stmt = (
        sa.select(D.c.contact_no, D.c.contact_alt_address_code)
        .where(
            D.c.contact_no.in_(nos),
            D.c.starting_date <= date,
            sa.or_(D.c.ending_date.is_(None), D.c.ending_date >= date),
        )
        .order_by(D.c.contact_no, D.c.starting_date)
    )
    return {r.contact_no: r.contact_alt_address_code for r in session.execute(stmt)}


def active_alt_address_expr(contact_no: Any, on: dt.date) -> Any:
    """``Contact.ActiveAltAddress(date)`` (§2.8) as a SQL expression ('' when none), for the
    contact number expression ``contact_no`` (a column of an outer query, or a literal).

    The one rule for manual interactions, event logging and segment lines (§4.4, §5.3): a
    range applies when Starting Date ≤ date and (Ending Date ≥ date or blank); the latest
    starting date wins.
    """
    code = (
        sa.select(D.c.contact_alt_address_code)
        .where(
            D.c.contact_no == contact_no,
            D.c.starting_date <= on,
            sa.or_(D.c.ending_date >= on, D.c.ending_date.is_(None)),
        )
        .order_by(D.c.starting_date.desc())
        .limit(1)
        .scalar_subquery()
    )
    return sa.func.coalesce(code, "")


def active_alt_address(session: Any, contact_no: str, date: dt.date) -> str:
    """The alternative address code active on ``date``, or '' (§2.8)."""
    no = contact_no.strip().upper()
    return session.execute(sa.select(active_alt_address_expr(sa.literal(no), date))).scalar_one()
