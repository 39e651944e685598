"""Salutations: the greeting of a contact from its salutation formula (§2.6 ``GetSalutation``)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore.errors import ValidationError
from relcore_contacts import model

F = model.salutation_formula


def format_salutation(formula: dict, contact: dict) -> str:
    """Fill a formula's placeholders ``%1``..``%5`` with the contact's name parts (§2.6).

    For every name part that is empty, ``%i `` (the placeholder and one blank) is removed first,
    so ``Dear %1 %2`` gives ``Dear Smith`` for a contact without first name.
    """
    text = formula["salutation"] or ""
    parts = {}
    for i in range(1, 6):
        field = formula.get(f"name_{i}") or ""
        parts[i] = (contact.get(field) or "") if field else ""
        if not parts[i]:
            text = text.replace(f"%{i} ", "")
    for i in range(5, 0, -1):  # %5 before %1 is harmless: placeholders are one digit
        text = text.replace(f"%{i}", parts[i])
    return text.strip()


def salutation_text(
    session: Any,
    contact_no: str,
    salutation_type: str = "formal",
    language_code: str | None = None,
) -> str:
    """The contact's formal or informal salutation in a language (default: the contact's).

    :raises ValidationError: "You have to set up the salutation formula of the type Formal in
        DEU language for the CT000001 contact." when no formula exists.
    """
    from relcore_contacts.lookups import get_contact

    if salutation_type not in model.SALUTATION_TYPES:
        raise ValidationError(
            f"{salutation_type!r} is not one of: formal, informal",
            entity="Salutation Formula",
            field="salutation_type",
        )
    contact = get_contact(session, contact_no)
    language = (contact["language_code"] or "") if language_code is None else language_code
    language = language.strip().upper()
    row = session.execute(
        sa.select(F).where(
            F.c.salutation_code == (contact["salutation_code"] or ""),
            F.c.language_code == language,
            F.c.salutation_type == salutation_type,
        )
    ).first()
    if row is None:
        raise ValidationError(
            f"You have to set up the salutation formula of the type "
            f"{salutation_type.capitalize()} in {language or 'blank'} language for the "
            f"{contact['no']} contact.",
            entity="Contact",
            key=contact["no"],
            field="salutation_code",
        )
    return format_salutation(dict(row._mapping), contact)
