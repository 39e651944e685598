"""Hooks the opportunities plugin publishes (for ERP connectors and other plugins).

Implement them with ``@hookimpl`` (``optionalhook=True`` when your plugin does not require
opportunities). Documented with exact signatures in ``docs/plugin-hooks.md``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy

from relcore.hookspecs import hookspec


@hookspec(firstresult=True)
def relcore_opportunities_sales_document_value(
    session: sqlalchemy.engine.Connection, document_type: str, document_no: str
) -> Decimal | None:
    """The value (LCY, excluding VAT) of an external sales document an opportunity links (§6.10).

    relcore has no sales quotes; an ERP connector plugin answers from its system. Without an
    answer the value entered with ``relcore opportunities document --value`` is used.

    :param session: the current transaction.
    :param document_type: ``"quote"``, ``"order"`` or ``"posted_invoice"``.
    :param document_no: the document's number in the ERP.
    :returns: the value, or ``None`` when this implementation does not know the document.
    """


@hookspec
def relcore_opportunities_check_campaigns(
    session: sqlalchemy.engine.Connection, campaign_nos: list[str], creation_date: dt.date
) -> None:
    """Veto: may opportunities created on ``creation_date`` carry these campaign nos.? (§6.4.2,
    §9.5 item 2, OP24).

    Called after ``relcore_interactions_check_campaigns`` (existence) wherever opportunities
    validates a campaign no. (creating, creating per segment line, ``edit --set campaign_no``).
    BC's ``CheckCampaign``: Starting Date ≤ Creation Date ≤ Ending Date (a blank Ending Date
    fails, a blank Starting Date passes) and the campaign is Activated (has target-group rows).

    :param session: the current transaction.
    :param campaign_nos: distinct, non-blank, upper-case campaign numbers.
    :param creation_date: the opportunities' Creation Date.
    :raises ValidationError: for the first campaign that fails; nothing is written then.
    """


@hookspec(firstresult=True)
def relcore_opportunities_segments(
    session: sqlalchemy.engine.Connection, segment_nos: list[str]
) -> dict[str, dict] | None:
    """The segments an opportunity names (§6.4.2 Segment No. validate): what opportunities
    checks and copies.

    Called after ``relcore_interactions_check_segments`` (existence) when an opportunity gets a
    segment no. (creating, ``edit --set segment_no``): a segment that has a campaign must have
    the opportunity's campaign (BC ``CheckSegmentCampaignNo``), and the segment's description
    becomes the opportunity's Segment Description. Implemented by the segments plugin
    (``optionalhook``); without an implementation no segment no. gets past the existence check.

    :param session: the current transaction.
    :param segment_nos: distinct, non-blank, upper-case segment numbers.
    :returns: segment no. → ``{"description": str, "campaign_no": str | None}`` for each that
        exists, or ``None`` when this implementation does not know segments.
    """


@hookspec(firstresult=True)
def relcore_opportunities_campaign_segments(
    session: sqlalchemy.engine.Connection, campaign_nos: list[str]
) -> dict[str, list[str]] | None:
    """The segments of campaigns, for BC's ``SetDefaultSegmentNo`` (§6.4.2 Campaign No.
    validate): when an existing opportunity's campaign changes, its Segment No. becomes the
    campaign's only segment when it has exactly one, else blank.

    Implemented by the segments plugin (``optionalhook``); without an implementation a campaign
    has no segments.

    :param session: the current transaction.
    :param campaign_nos: distinct, non-blank, upper-case campaign numbers.
    :returns: campaign no. → the numbers of the segments whose header has that campaign (in
        number order; campaigns without segments may be left out), or ``None`` when this
        implementation does not know segments.
    """
