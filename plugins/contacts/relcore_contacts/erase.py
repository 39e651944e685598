"""Erasing a contact's personal data (GDPR), the contacts plugin's part.

:func:`erase_contacts` is the contacts plugin's ``relcore_erase_personal_data`` implementation:
it blanks the contact's personal fields (``entities.PERSONAL_DATA_FIELDS``), its alternative
addresses and web-source search words, drops its duplicate-index strings (they are pieces of
the same data) and sets Privacy Blocked. Statistics rows (profile answers, relations, links)
stay. :func:`erase` is the command's entry: it asks every plugin through the core facade.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore_contacts import model
from relcore_contacts.entities import PERSONAL_DATA_FIELDS

_ALT_ADDRESS_KEEP = {"contact_no", "code"}


def erase_contacts(session: Any, contact_nos: list[str]) -> dict[str, int]:
    """Anonymise the contacts plugin's rows of these contacts; returns rows changed per table."""
    nos = list(dict.fromkeys(contact_nos))
    if not nos:
        return {}
    blank: dict[str, Any] = {f: "" for f in PERSONAL_DATA_FIELDS}
    blank["privacy_blocked"] = True
    counts = {
        model.contact.name: entities.update_where(
            session, "contacts.contact", model.contact.c.no.in_(nos), blank
        )
    }
    persons = sa.and_(model.contact.c.company_no.in_(nos), model.contact.c.no.not_in(nos))
    counts["contacts_contact (company name of persons)"] = entities.update_where(
        session, "contacts.contact", persons, {"company_name": ""}
    )
    alt = model.alt_address
    alt_blank = {c.name: "" for c in alt.c if c.name not in _ALT_ADDRESS_KEEP}
    counts[alt.name] = session.execute(
        sa.update(alt).where(alt.c.contact_no.in_(nos)).values(**alt_blank)
    ).rowcount
    web = model.contact_web_source
    counts[web.name] = session.execute(
        sa.update(web).where(web.c.contact_no.in_(nos)).values(search_word="")
    ).rowcount
    strings = model.duplicate_search_string
    counts[strings.name] = session.execute(
        sa.delete(strings).where(strings.c.contact_company_no.in_(nos))
    ).rowcount
    return counts


def erase(session: Any, contact_nos: list[str]) -> dict:
    """Erase these contacts' personal data in every plugin (core ``erase_personal_data``).

    :returns: ``{"contacts": [...], "plugins": [names of the plugins that took part],
        "rows": {table name: rows scrubbed}}``.
    """
    from relcore.app import app_of
    from relcore.plugins import sum_counts
    from relcore_contacts.lookups import get_contacts

    nos = [no.upper() for no in contact_nos]
    get_contacts(session, nos)  # NotFoundError names a missing contact
    pm = app_of(session).pm
    results = pm.hook.relcore_erase_personal_data(session=session, contact_nos=nos)
    return {
        "contacts": nos,
        "plugins": pm.implementers("relcore_erase_personal_data"),
        "rows": sum_counts(results),
    }
