"""Classifying contacts with codes: industry groups, job responsibilities, mailing groups and
web sources (§1.3). Business relations are in :mod:`.relations`.

Industry groups and web sources belong to companies, job responsibilities to persons, mailing
groups to any contact. Every change stamps the contact as modified (``TouchContact``).
"""

from __future__ import annotations

from typing import Any

import attrs
import sqlalchemy as sa

from relcore.entities import plural_of
from relcore.errors import NotFoundError, ValidationError
from relcore_contacts import model


@attrs.frozen
class Membership:
    """One kind of contact ↔ code link."""

    kind: str
    label: str
    table: sa.Table
    code_column: str
    code_entity: str
    contact_type: str | None  # "company", "person" or None (any)


MEMBERSHIPS = {
    m.kind: m
    for m in (
        Membership(
            "industry_group",
            "Industry Group",
            model.contact_industry_group,
            "industry_group_code",
            "contacts.industry_group",
            "company",
        ),
        Membership(
            "job_responsibility",
            "Job Responsibility",
            model.contact_job_responsibility,
            "job_responsibility_code",
            "contacts.job_responsibility",
            "person",
        ),
        Membership(
            "mailing_group",
            "Mailing Group",
            model.contact_mailing_group,
            "mailing_group_code",
            "contacts.mailing_group",
            None,
        ),
        Membership(
            "web_source",
            "Web Source",
            model.contact_web_source,
            "web_source_code",
            "contacts.web_source",
            "company",
        ),
    )
}


def _membership(kind: str) -> Membership:
    try:
        return MEMBERSHIPS[kind]
    except KeyError:
        raise ValidationError(f"{kind!r} is not one of: {', '.join(MEMBERSHIPS)}") from None


def assign(session: Any, contact_no: str, kind: str, code: str, search_word: str = "") -> dict:
    """Link a contact with a code of ``kind`` (``industry_group``, ``job_responsibility``,
    ``mailing_group``, ``web_source``; the latter with a search word).

    Refused when the code does not exist, the contact has the wrong type ("industry groups can
    only be assigned to companies") or already has the code.
    """
    from relcore import entities
    from relcore_contacts.lookups import get_contact
    from relcore_contacts.relations import touch_contacts

    m = _membership(kind)
    contact = get_contact(session, contact_no.strip().upper())
    no = contact["no"]
    code = code.strip().upper()
    if not entities.exists(session, m.code_entity, code):
        raise NotFoundError("does not exist", entity=m.label, key=code)
    if m.contact_type and contact["type"] != m.contact_type:
        plural = "companies" if m.contact_type == "company" else "persons"
        raise ValidationError(
            f"{plural_of(m.label).lower()} can only be assigned to {plural}",
            entity="Contact",
            key=no,
            field=m.code_column,
        )
    t = m.table
    if session.execute(
        sa.select(t.c.contact_no).where(t.c.contact_no == no, t.c[m.code_column] == code)
    ).first():
        raise ValidationError(
            f"already has {m.label.lower()} {code}", entity="Contact", key=no, field=m.code_column
        )
    row = {"contact_no": no, m.code_column: code}
    if kind == "web_source":
        row["search_word"] = search_word or ""
    session.execute(sa.insert(t).values(**row))
    touch_contacts(session, [no])
    return row


def unassign(session: Any, contact_no: str, kind: str, code: str) -> None:
    """Remove a contact's link with a code of ``kind``."""
    from relcore_contacts.relations import touch_contacts

    m = _membership(kind)
    no, code = contact_no.strip().upper(), code.strip().upper()
    t = m.table
    res = session.execute(sa.delete(t).where(t.c.contact_no == no, t.c[m.code_column] == code))
    if res.rowcount == 0:
        raise NotFoundError(f"has no {m.label.lower()} {code}", entity="Contact", key=no)
    touch_contacts(session, [no])


def codes_of(session: Any, contact_no: str) -> dict[str, list[str]]:
    """A contact's codes per kind (``{"mailing_group": ["NEWS"], ...}``) plus business relations
    (for a person: its company's)."""
    from relcore_contacts.relations import relations_of

    no = contact_no.strip().upper()
    out: dict[str, list[str]] = {}
    for kind, m in MEMBERSHIPS.items():
        t = m.table
        stmt = (
            sa.select(t.c[m.code_column]).where(t.c.contact_no == no).order_by(t.c[m.code_column])
        )
        out[kind] = [r[0] for r in session.execute(stmt)]
    out["business_relation"] = [r["business_relation_code"] for r in relations_of(session, no)]
    return out
