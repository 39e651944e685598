"""The interaction-logging contract (the types only; the interactions plugin stores them).

Any plugin that records something that happened between the company and a contact builds
:class:`InteractionRecord` values and calls :meth:`relcore.app.App.log_interactions` (or
:func:`log_interactions`), which goes through the ``relcore_log_interactions`` hook. Without the
interactions plugin, logging fails with a message naming it.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import attrs

INFORMATION_FLOWS = ("", "outbound", "inbound")
INITIATED_BY = ("", "us", "them")
EVALUATIONS = ("", "very_positive", "positive", "neutral", "negative", "very_negative")


@attrs.define(slots=False)
class InteractionRecord:
    """One interaction to log (BC Interaction Log Entry, §4.3, before it has an entry no.).

    Blank fields are filled from the template by the storing plugin (§4.4, §4.5).
    """

    contact_no: str
    template_code: str
    date: dt.date | None = None
    time_of_interaction: dt.time | None = None
    description: str | None = None
    information_flow: str | None = None
    initiated_by: str | None = None
    cost: decimal.Decimal | None = None
    duration: int | None = None
    salesperson_code: str | None = None
    campaign_no: str | None = None
    campaign_entry_no: int | None = None
    campaign_target: bool = False
    campaign_response: bool = False
    opportunity_no: str | None = None
    segment_no: str | None = None
    logged_segment_entry_no: int | None = None
    document_type: str | None = None
    document_no: str | None = None
    attempt_failed: bool = False
    evaluation: str | None = None
    correspondence_type: str | None = None
    language_code: str | None = None
    subject: str | None = None
    comment: str | None = None
    postponed: bool = False
    extra: dict[str, Any] = attrs.Factory(dict)


@attrs.frozen
class InteractionEvent:
    """An event that may log an interaction automatically (BC Interaction Template Setup, §4.6).

    :param code: ``<plugin>.<event>`` (``"campaigns.sales_quote"``).
    :param description: what happens.
    :param default_template: the code of a template the plugin ships (the interactions plugin's
        ``relcore_interactions_register_default_templates``): ``relcore init`` creates it and maps
        the event to it, so the event logs before an admin sets anything up.
    :param plugin: filled in with the registering plugin's name.
    """

    code: str
    description: str = ""
    default_template: str | None = None
    plugin: str | None = None


def log_interactions(session: Any, records: list[InteractionRecord]) -> list[dict]:
    """Log a batch of interactions in the session's transaction (see :class:`InteractionRecord`).

    Calls ``relcore_log_interactions`` (the storing plugin), then ``relcore_interactions_logged``
    with the created entries.

    :returns: the created log entry rows, one per record, in order (``[]`` for no records).
    :raises PluginError: no plugin stores interactions (the interactions plugin is missing).
    :raises ValidationError: a record is refused (the storing plugin names record and field).
    """
    from relcore.app import app_of
    from relcore.errors import PluginError

    if not records:
        return []
    hook = app_of(session).pm.hook
    entries = hook.relcore_log_interactions(session=session, records=records)
    if entries is None:
        raise PluginError(
            "cannot log interactions: no plugin stores them "
            "(install the interactions plugin: pip install relcore-interactions)"
        )
    hook.relcore_interactions_logged(session=session, entries=entries)
    return entries
