"""Reading contacts and salespeople, and the shared usability checks (re-exported by
:mod:`relcore_contacts.api` for other plugins)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from relcore.errors import NotFoundError, ValidationError
from relcore_contacts import model


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
                f"You cannot use contact {' '.join(filter(None, (no, row['name'])))} because "
                "they are marked as blocked due to privacy.",
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
