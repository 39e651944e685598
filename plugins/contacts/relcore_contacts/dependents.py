"""Helpers for other plugins' rows that name contacts: the §2.4/§2.7 vetoes and the §2.7
re-pointing every ``relcore_contacts_check_delete`` / ``relcore_contacts_check_type_change``
implementation needs, written once.

A dependent table names a contact in ``contact_no`` and its company in ``contact_company_no``
(BC's "Contact No." / "Contact Company No." pair).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from relcore.db import one_of
from relcore.errors import ValidationError


def refuse_if_linked(
    session: Any,
    columns: Sequence[sa.Column[Any]],
    contact_nos: Sequence[str],
    message: str,
    where: sa.ColumnElement[bool] | None = None,
    field: str | None = None,
) -> None:
    """Raise a :class:`ValidationError` on the first contact of ``contact_nos`` (in key order)
    that one of ``columns`` names (in rows also matching ``where``, when given).

    ``message`` may name the contact as ``{no}`` and the first such row's fields as
    ``{record[field]}``: "You cannot delete contact {no} because there are one or more tasks
    open." (§2.7), "Type cannot be changed because …" (§2.4, with ``field="type"``). One query
    per column, however many contacts.
    """
    nos = sorted({n for n in contact_nos if n})
    if not nos:
        return
    dialect = session.dialect.name
    found = []
    for column in columns:
        stmt = sa.select(column.table).where(one_of(column, nos, dialect))
        if where is not None:
            stmt = stmt.where(where)
        row = session.execute(stmt.order_by(column).limit(1)).first()
        if row is not None:
            found.append((row._mapping[column.name], row._mapping))
    if found:
        no, record = min(found, key=lambda item: item[0])
        raise ValidationError(
            message.format(no=no, record=record), entity="Contact", key=no, field=field
        )


def detach_deleted_contacts(session: Any, table: sa.Table, contacts: Sequence[dict]) -> int:
    """Re-point ``table``'s rows before ``contacts`` are deleted (§2.7): a person's rows go to
    its company (``contact_no`` := its company no.); the rows of deleted companies, and of
    persons without a company, are detached (``contact_no`` and ``contact_company_no``
    cleared). Returns the rows changed. Call it from ``relcore_contacts_check_delete`` after
    your vetoes.
    """
    nos = [c["no"] for c in contacts]
    if not nos:
        return 0
    col = table.c
    moves = [
        {"b_person": c["no"], "b_company": c["company_no"]}
        for c in contacts
        if c.get("type") == "person" and c.get("company_no")
    ]
    changed = 0
    if moves:
        changed += session.execute(
            sa.update(table)
            .where(col.contact_no == sa.bindparam("b_person"))
            .values(contact_no=sa.bindparam("b_company")),
            moves,
        ).rowcount
    dialect = session.dialect.name
    changed += session.execute(
        sa.update(table)
        .where(
            sa.or_(
                one_of(col.contact_no, nos, dialect), one_of(col.contact_company_no, nos, dialect)
            )
        )
        .values(contact_no=None, contact_company_no=None)
    ).rowcount
    return changed
