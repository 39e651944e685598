"""Hooks the segments plugin publishes for the plugins that build on it.

Published through ``relcore_addhooks``; each is documented in ``docs/plugin-hooks.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from relcore_segments.sources import CriteriaSource

hookspec = pluggy.HookspecMarker("relcore")


@hookspec
def relcore_segments_register_criteria_sources(
    register: Callable[[CriteriaSource], None],
) -> None:
    """Contribute criteria sources: what segment criteria may filter on (§5.5.1 data items).

    :param register: ``register(CriteriaSource(...))``; see
        :class:`relcore_segments.api.CriteriaSource`. A name registered twice is refused,
        naming both plugins.
    """


@hookspec
def relcore_segments_logged(session: Connection, logged_segments: list[dict]) -> None:
    """Segments were logged (§5.6 step 4: campaign entries), in the same transaction.

    Called once per logged segment batch, after ALL its interaction log entries are written;
    raising rolls the whole log back. Work set-based on the interaction log entries whose
    ``logged_segment_entry_no`` is a logged segment's ``entry_no``: a campaigns plugin creates
    (or reuses, per campaign and segment no.) its Campaign Entries here and sets the entries'
    ``campaign_entry_no``.

    :param session: the current transaction.
    :param logged_segments: the Logged Segment rows (``entry_no``, ``segment_no``,
        ``description``, ``creation_date``, ``user_id``, ``canceled``).
    """


@hookspec
def relcore_segments_logged_canceled(
    session: Connection, entry_nos: list[int], canceled: bool
) -> None:
    """Logged segments' Canceled mark was switched (§5.7 ``ToggleCanceledCheckmark``).

    The segments plugin has already switched the logged segments and their interaction entries;
    a campaigns plugin switches its Campaign Entries with Register No. in ``entry_nos``.

    :param session: the current transaction.
    :param entry_nos: the logged segments' entry nos.
    :param canceled: the new value.
    """


@hookspec
def relcore_segments_logged_deleted(session: Connection, entry_nos: list[int]) -> None:
    """Canceled logged segments are being deleted (§5.7 report 5191 "Delete Logged Segments").

    Their interaction entries are kept with no logged segment; a campaigns plugin clears
    "Register No." on its Campaign Entries.

    :param session: the current transaction.
    :param entry_nos: the logged segments' entry nos.
    """


@hookspec
def relcore_segments_lines_changed(session: Connection, segment_nos: list[str]) -> None:
    """Segment lines were inserted, changed or deleted set-based (Add Contacts, Reduce, Refine,
    Go Back, header → line propagation, segment deletion and logging), in the same transaction.

    Single-line edits go through ``relcore.entities`` and reach ``relcore_after_write``
    instead. A campaigns plugin keeps activated campaigns' target groups current here (§8.5).

    :param session: the current transaction.
    :param segment_nos: the segments whose lines changed (their lines may be gone).
    """
