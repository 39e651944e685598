"""Interaction statistics: BC's FlowFields on Contact, Interaction Group, Interaction Template
and Salesperson (§2.1, §4.1, §4.2), each computed by ONE SQL aggregate served by an index.

* No. of Interactions, Cost (LCY), Duration (Min.): entries not canceled, not postponed, Date
  within the date filter.
* Date of Last Interaction: latest Date of entries with Attempt Failed = false, not postponed.
* Last Date Attempted: latest Date of entries Initiated By = Us, not postponed.

As in BC, the two dates ignore Canceled and the date filter (§2.1 lists only the filters
above). A company aggregates itself and its persons (Contact Company No. = company); a person
only itself (Contact Company No. = its company, Contact No. = the person).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import sqlalchemy as sa

from relcore.db import Money
from relcore.errors import ValidationError
from relcore_interactions.model import log_entry

E = log_entry.c
ZERO = decimal.Decimal("0.00")


def contact_filter(session: Any, contact_no: str) -> list[sa.ColumnElement[bool]]:
    """The WHERE terms selecting a contact's entries with BC FlowField semantics (§2.1)."""
    from relcore_contacts.api import get_contact

    contact = get_contact(session, contact_no.upper())
    company_no = contact["company_no"] or None
    if contact["type"] == "company":
        return [E.contact_company_no == contact["no"]]
    company = (
        E.contact_company_no.is_(None)
        if company_no is None
        else (E.contact_company_no == company_no)
    )
    return [company, E.contact_no == contact["no"]]


def aggregate_select(
    where: list[sa.ColumnElement[bool]],
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> sa.Select:
    """The one aggregate statement of the statistics (for the given WHERE terms)."""
    counted = [E.canceled == sa.false()]
    if date_from is not None:
        counted.append(E.date >= date_from)
    if date_to is not None:
        counted.append(E.date <= date_to)
    cond = sa.and_(*counted)
    money = Money(2)
    one, zero = sa.literal_column("1"), sa.literal_column("0")  # inline: no per-row parameters
    return sa.select(
        sa.func.coalesce(sa.func.sum(sa.case((cond, one), else_=zero)), zero).label(
            "no_of_interactions"
        ),
        sa.type_coerce(
            sa.func.coalesce(sa.func.sum(sa.case((cond, E.cost), else_=zero)), 0), money
        ).label("cost"),
        sa.type_coerce(
            sa.func.coalesce(sa.func.sum(sa.case((cond, E.duration), else_=zero)), 0), money
        ).label("duration"),
        sa.func.max(sa.case((E.attempt_failed == sa.false(), E.date))).label(
            "date_of_last_interaction"
        ),
        sa.func.max(sa.case((E.initiated_by == sa.literal_column("'us'"), E.date))).label(
            "last_date_attempted"
        ),
    ).where(*where, E.postponed == sa.false())


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def statistics(
    session: Any,
    *,
    contact_no: str | None = None,
    group_code: str | None = None,
    template_code: str | None = None,
    salesperson_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict:
    """Statistics of a contact, group, template and/or salesperson (filters combine).

    :returns: ``{"no_of_interactions", "cost", "duration", "date_of_last_interaction",
        "last_date_attempted"}``.
    """
    where: list[sa.ColumnElement[bool]] = []
    if contact_no:
        where += contact_filter(session, contact_no)
    for col, value in (
        (E.interaction_group_code, group_code),
        (E.interaction_template_code, template_code),
        (E.salesperson_code, salesperson_code),
    ):
        if value:
            where.append(col == value.upper())
    if date_from and date_to and date_from > date_to:
        raise ValidationError("the date filter ends before it starts", field="date_from")
    row = session.execute(aggregate_select(where, date_from, date_to)).one()
    return {
        "no_of_interactions": int(row.no_of_interactions or 0),
        "cost": row.cost if row.cost is not None else ZERO,
        "duration": row.duration if row.duration is not None else ZERO,
        "date_of_last_interaction": _date(row.date_of_last_interaction),
        "last_date_attempted": _date(row.last_date_attempted),
    }


def per_contact(
    session: Any, contact_nos: list[str] | None, date_from: dt.date | None, date_to: dt.date | None
) -> dict[str, dict]:
    """Count, cost and duration per contact (companies aggregate their persons) — one grouped
    query plus one query for the contacts.

    :returns: ``{contact_no: {"count": int, "cost": Decimal, "duration": Decimal}}`` for every
        requested contact (all contacts when ``contact_nos`` is None).
    """
    from relcore_contacts.api import contact_table as ct

    stmt = sa.select(ct.c.no, ct.c.type, ct.c.company_no)
    if contact_nos is not None:
        stmt = stmt.where(ct.c.no.in_([n.upper() for n in contact_nos]))
    contacts = session.execute(stmt).all()
    where = [E.canceled == sa.false(), E.postponed == sa.false()]
    if date_from is not None:
        where.append(E.date >= date_from)
    if date_to is not None:
        where.append(E.date <= date_to)
    money = Money(2)
    grouped = session.execute(
        sa.select(
            E.contact_company_no,
            E.contact_no,
            sa.func.count().label("n"),
            sa.type_coerce(sa.func.sum(E.cost), money).label("cost"),
            sa.type_coerce(sa.func.sum(E.duration), money).label("duration"),
        )
        .where(*where)
        .group_by(E.contact_company_no, E.contact_no)
    ).all()
    by_pair: dict[tuple[Any, Any], tuple[int, decimal.Decimal, decimal.Decimal]] = {}
    by_company: dict[Any, list] = {}
    for r in grouped:
        values = (r.n, r.cost or ZERO, r.duration or ZERO)
        by_pair[(r.contact_company_no, r.contact_no)] = values
        acc = by_company.setdefault(r.contact_company_no, [0, ZERO, ZERO])
        acc[0] += values[0]
        acc[1] += values[1]
        acc[2] += values[2]
    out = {}
    for c in contacts:
        if c.type == "company":
            n, cost, duration = by_company.get(c.no, (0, ZERO, ZERO))
        else:
            n, cost, duration = by_pair.get((c.company_no or None, c.no), (0, ZERO, ZERO))
        out[c.no] = {"count": n, "cost": cost, "duration": duration}
    return out
