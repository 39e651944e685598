"""Hooks the segments plugin publishes for the plugins that build on it.

Published through ``relcore_addhooks``; each is documented in ``docs/segments.md``.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("relcore")


@hookspec
def relcore_segments_register_criteria_sources(register: Any) -> None:
    """Contribute criteria sources: what segment criteria may filter on (§5.5.1 data items).

    :param register: ``register(CriteriaSource(...))``; see
        :class:`relcore_segments.sources.CriteriaSource`. A name registered twice is refused,
        naming both plugins.
    """


@hookspec
def relcore_segment_logging(session: Any, logged_segment: dict, entries: list[Any]) -> None:
    """React while a segment is logged, in its transaction (§5.6 step 4: campaign entries).

    Called once per batch of interaction entries (up to 10,000 each), in line order; raising
    rolls the whole log back. A campaigns plugin creates (or reuses, per campaign and segment
    no.) its Campaign Entries here and points the entries' ``campaign_entry_no`` at them.

    :param session: the current transaction.
    :param logged_segment: the Logged Segment row (``entry_no``, ``segment_no``,
        ``description``, ``creation_date``, ``user_id``, ``canceled``).
    :param entries: the interaction log entries just created for this batch, as returned by
        ``relcore_log_interactions``.
    """


@hookspec
def relcore_segment_logged_canceled(session: Any, entry_no: int, canceled: bool) -> None:
    """A logged segment's Canceled mark was switched (§5.7 ``ToggleCanceledCheckmark``).

    The segments plugin has already switched the logged segment and its interaction entries; a
    campaigns plugin switches its Campaign Entries with Register No. = ``entry_no``.

    :param session: the current transaction.
    :param entry_no: the logged segment's entry no.
    :param canceled: the new value.
    """


@hookspec
def relcore_segment_logged_deleted(session: Any, entry_nos: list[int]) -> None:
    """Canceled logged segments are being deleted (§5.7 report 5191 "Delete Logged Segments").

    Their interaction entries are kept with no logged segment; a campaigns plugin clears
    "Register No." on its Campaign Entries.

    :param session: the current transaction.
    :param entry_nos: the logged segments' entry nos.
    """
