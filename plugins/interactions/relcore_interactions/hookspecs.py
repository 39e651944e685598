"""Hooks the interactions plugin publishes for the plugins that build on it (segments,
campaigns, opportunities).

Published through ``relcore_addhooks``; each is documented in ``docs/interactions.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Callable

    import sqlalchemy as sa
    from sqlalchemy.engine import Connection

    from relcore_interactions.defaults import DefaultTemplate

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


# -- references to higher plugins (campaigns, opportunities, segments; §4.5, §7.1) ---------------
# Interactions never imports the plugins above it: what it needs from them comes through these
# hooks. With no implementation installed, the columns are plain references (nothing checked).


@hookspec
def relcore_interactions_check_campaigns(session: Connection, campaign_nos: list[str]) -> None:
    """Veto: raise :class:`relcore.errors.ValidationError` for a campaign that does not exist.

    Called when interaction log entries with a campaign no. are logged (§4.5) and when a task gets
    a campaign no. (§7.1); opportunities calls it too. Implemented by campaigns.

    :param session: the current transaction.
    :param campaign_nos: the distinct campaign numbers (upper-case, none blank).
    """


@hookspec
def relcore_interactions_check_opportunities(
    session: Connection, opportunity_nos: list[str]
) -> None:
    """Veto: raise :class:`relcore.errors.ValidationError` for an opportunity that does not exist.

    Called when a task gets an opportunity no. (§7.1). Implemented by opportunities.

    :param session: the current transaction.
    :param opportunity_nos: the distinct opportunity numbers (upper-case, none blank).
    """


@hookspec
def relcore_interactions_check_segments(session: Connection, segment_nos: list[str]) -> None:
    """Veto: raise :class:`relcore.errors.ValidationError` for a segment that does not exist.

    Called when a task gets a segment no. (§7.1). Implemented by segments.

    :param session: the current transaction.
    :param segment_nos: the distinct segment numbers (upper-case, none blank).
    """


@hookspec(firstresult=True)
def relcore_interactions_active_opportunity_entries(
    session: Connection, opportunity_nos: list[str]
) -> dict[str, int]:
    """Opportunity no. → the entry no. of its active opportunity entry (§7.1 "Opportunity Entry
    No.": the active entry when the task's opportunity is set). Opportunities without an active
    entry are left out (the task stores 0). Implemented by opportunities.

    :param session: the current transaction.
    :param opportunity_nos: the distinct opportunity numbers.
    :returns: a dict; ``None`` (no implementation) counts as empty.
    """


@hookspec
def relcore_interactions_task_defaults(
    session: Connection, source: str, nos: list[str]
) -> dict[str, dict] | None:
    """The values a new task takes from a campaign, opportunity or segment (§7.4
    ``SetFilterFromTask``): campaign → ``salesperson_code``; opportunity → ``contact_no``,
    ``contact_company_no``, ``campaign_no``, ``salesperson_code``; segment → ``campaign_no``,
    ``salesperson_code`` (the header's). Fields the user gave win; blank values are not used.

    Implemented by campaigns, opportunities and segments, each answering only its own
    ``source`` (return ``None`` for the others); the answers are merged.

    :param session: the current transaction.
    :param source: ``"campaign"``, ``"opportunity"`` or ``"segment"``.
    :param nos: the distinct numbers (upper-case, none blank).
    :returns: number → {task field: value}; numbers that do not exist are left out.
    """


@hookspec(firstresult=True)
def relcore_interactions_segment_lines(session: Connection, segment_no: str) -> sa.Select | None:
    """A SELECT of the segment's lines, for set-based ``INSERT … SELECT`` (one task per contact
    of a segment, §7.4; opportunities per segment line).

    The select has at least the columns ``line_no, contact_no, contact_company_no,
    salesperson_code, campaign_no`` (labelled so), one row per segment line, in line order.
    Implemented by segments.

    :param session: the current transaction.
    :param segment_no: the segment's number.
    :returns: the select, or ``None`` when the segment does not exist.
    """


@hookspec
def relcore_interactions_register_default_templates(
    register: Callable[[DefaultTemplate], None],
) -> None:
    """Ship interaction templates (§4.4) for a plugin's events (§4.6 Interaction Template Setup).

    ``relcore init`` creates each missing template (and its group) and maps the events whose
    ``InteractionEvent.default_template`` names it; an existing template is left alone.

    :param register: ``register(DefaultTemplate(code, description, interaction_group_code,
        ...))``; see :class:`relcore_interactions.api.DefaultTemplate`. A code registered twice
        is refused, naming both plugins.
    """
