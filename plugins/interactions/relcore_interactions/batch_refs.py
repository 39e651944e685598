"""What a batch of interactions refers to, read once per batch (§4.5 ``CheckSegmentLine``).

Contacts, templates (with their language versions), salespeople and alternative-address e-mails
are read with one query each (contacts in chunks); each template's defaults are worked out once
(:class:`TemplateDefaults`) so the per-record work of :mod:`relcore_interactions.log_service` is
dictionary look-ups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from relcore.db import one_of

"""Contact numbers per ``IN`` list (keeps SQLite below its bound-parameter limit)."""

CONTACT_FIELDS = ("no", "company_no", "language_code", "correspondence_type", "email")
"""The contact fields logging uses (§4.4 language and correspondence type, §4.5 e-mail check),
in the order of the tuples :func:`usable_contacts` returns."""


def usable_contacts(session: Any, nos: Sequence[str]) -> dict[str, Sequence[Any]]:
    """The contacts ``nos`` by number, each a tuple of :data:`CONTACT_FIELDS`.

    When one is missing or privacy blocked, the contacts plugin's shared check
    (``relcore_contacts.api.ensure_usable``) is asked and raises its error naming the contact, so
    the rule and its message stay in one place (§2.1); the narrow read only spares the common case
    from reading every contact field.
    """
    from relcore_contacts.api import contact_table as ct
    from relcore_contacts.api import ensure_usable

    columns = [ct.c[name] for name in CONTACT_FIELDS]
    found: dict[str, Sequence[Any]] = {}
    blocked = False
    stmt = sa.select(*columns, ct.c.privacy_blocked).where(
        one_of(ct.c.no, nos, session.dialect.name)
    )
    for row in session.execute(stmt).all():  # fetchall, not a fetchone per row
        found[row[0]] = tuple(row)
        blocked = blocked or row[-1]
    if blocked or len(found) != len(nos):
        rows = ensure_usable(session, nos)  # raises naming the contact
        return {no: tuple(row[f] for f in CONTACT_FIELDS) for no, row in rows.items()}
    return found


def salespeople(session: Any, codes: Iterable[str]) -> dict[str, dict]:
    """Salesperson rows by code (one query)."""
    from relcore_contacts.api import salesperson_table as sp

    codes = set(codes)
    if not codes:
        return {}
    return {
        r.code: dict(r._mapping) for r in session.execute(sa.select(sp).where(sp.c.code.in_(codes)))
    }


def alt_emails(session: Any, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """E-mail of each ``(contact_no, alt_address_code)`` pair that exists (one query)."""
    if not pairs:
        return {}
    from relcore_contacts.api import alt_address_table as alt_address

    contact_nos = {p[0] for p in pairs}
    rows = session.execute(
        sa.select(alt_address.c.contact_no, alt_address.c.code, alt_address.c.email).where(
            alt_address.c.contact_no.in_(contact_nos)
        )
    )
    return {(r.contact_no, r.code): r.email for r in rows if (r.contact_no, r.code) in pairs}


class TemplateDefaults:
    """An interaction template with what every record using it inherits (§4.4), computed once.

    ``languages`` maps language code → template language row; ``attachment`` maps language code →
    ``(attachment_no, is_merge)`` for the language versions with an attachment.
    """

    __slots__ = (
        "code",
        "row",
        "languages",
        "attachment",
        "description",
        "information_flow",
        "initiated_by",
        "group_code",
        "unit_cost",
        "unit_duration",
        "campaign_no",
        "campaign_target",
        "campaign_response",
        "correspondence_type",
        "ignores_contact",
        "language_default",
    )

    def __init__(self, row: dict, languages: dict[str, dict]) -> None:
        self.code = row["code"]
        self.row = row
        self.languages = languages
        merge = row["wizard_action"] == "merge"
        self.attachment = {
            code: (lang["attachment_no"], merge)
            for code, lang in languages.items()
            if lang["attachment_no"]
        }
        self.description = row["description"]
        self.information_flow = row["information_flow"]
        self.initiated_by = row["initiated_by"]
        self.group_code = row["interaction_group_code"]
        self.unit_cost = row["unit_cost"]
        self.unit_duration = row["unit_duration"]
        self.campaign_no = row["campaign_no"]
        self.campaign_target = bool(row["campaign_target"])
        self.campaign_response = bool(row["campaign_response"])
        self.correspondence_type = row["correspondence_type"]
        self.ignores_contact = bool(row["ignore_contact_corres_type"])
        self.language_default = row["language_code_default"] or ""


def templates(session: Any, codes: set[str]) -> dict[str, TemplateDefaults]:
    """Templates with their language versions by code (two queries)."""
    from relcore_interactions.model import template, template_language

    if not codes:
        return {}
    rows = {
        r.code: dict(r._mapping)
        for r in session.execute(sa.select(template).where(template.c.code.in_(codes)))
    }
    langs: dict[str, dict] = defaultdict(dict)
    for r in session.execute(
        sa.select(template_language).where(template_language.c.interaction_template_code.in_(codes))
    ):
        langs[r.interaction_template_code][r.language_code] = dict(r._mapping)
    return {code: TemplateDefaults(row, langs.get(code, {})) for code, row in rows.items()}
