"""Where the contact service keeps the duplicate index up to date (§2.2, §2.3, §2.4, §2.7).

The index itself belongs to :mod:`relcore_contacts.duplicates`; this module only decides *when*
(setup ``contacts.maintain_dupl_search_strings``) and calls it.
"""

from __future__ import annotations

import contextlib
import importlib
from typing import Any

_MODULE = "relcore_contacts.duplicates"


def _duplicates() -> Any:
    try:
        return importlib.import_module(_MODULE)
    except ModuleNotFoundError as exc:  # the duplicates module is optional for the service
        if exc.name != _MODULE:
            raise
        return None


def maintained(session: Any) -> bool:
    """True when the setup asks to keep the duplicate index up to date."""
    from relcore.app import app_of

    return bool(app_of(session).setup.get(session, "contacts.maintain_dupl_search_strings"))


def make(session: Any, company_nos: list[str]) -> None:
    """Rebuild the index of these companies, when the setup maintains it."""
    module = _duplicates()
    if company_nos and module is not None and maintained(session):
        module.make_index(session, company_nos)


def add_new(session: Any, companies: list[dict]) -> None:
    """Index companies inserted just now (rows as written), when the setup maintains it."""
    module = _duplicates()
    if companies and module is not None and maintained(session):
        module.index_new_companies(session, companies)


def pairs_deferred(session: Any) -> contextlib.AbstractContextManager[None]:
    """``duplicates.pairs_deferred``: pairs of companies indexed in the block found at its end."""
    module = _duplicates()
    return contextlib.nullcontext() if module is None else module.pairs_deferred(session)


def remove(session: Any, contact_nos: list[str], *, always: bool = False) -> None:
    """Drop the index rows of these contacts (``always`` on delete: the rows point at them)."""
    if not contact_nos:
        return
    module = _duplicates()
    if module is not None:
        if always or maintained(session):
            module.remove_index(session, contact_nos)
        return
    if always:
        import sqlalchemy as sa

        from relcore_contacts import model

        d = model.contact_duplicate
        session.execute(
            sa.delete(d).where(
                sa.or_(d.c.contact_no.in_(contact_nos), d.c.duplicate_contact_no.in_(contact_nos))
            )
        )
        s = model.duplicate_search_string
        session.execute(sa.delete(s).where(s.c.contact_company_no.in_(contact_nos)))
