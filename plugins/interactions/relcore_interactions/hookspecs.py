"""Hooks the interactions plugin publishes for the plugins that build on it (segments,
campaigns, opportunities).

Published through ``relcore_addhooks``; each is documented in ``docs/interactions.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

hookspec = pluggy.HookspecMarker("relcore")


@hookspec
def relcore_interactions_check_uncancel(session: Connection, entries: list[dict]) -> None:
    """Veto un-cancelling entries whose logged segment or campaign entry is canceled (§4.8).

    Raise :class:`relcore.errors.ValidationError` naming the entry to refuse.

    :param session: the current transaction.
    :param entries: the entry rows about to be un-canceled.
    """


@hookspec
def relcore_interactions_canceled(session: Connection, entries: list[dict], canceled: bool) -> None:
    """React to entries being canceled or un-canceled (§4.8).

    :param session: the current transaction.
    :param entries: the entry rows (before the change).
    :param canceled: the new value.
    """


@hookspec
def relcore_interactions_deleted(session: Connection, entries: list[dict]) -> None:
    """React to canceled entries being deleted, e.g. campaign target groups (§4.8, §8.5).

    :param session: the current transaction.
    :param entries: the deleted entry rows.
    """
