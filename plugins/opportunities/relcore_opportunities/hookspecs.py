"""Hooks the opportunities plugin publishes (for ERP connectors and other plugins).

Implement them with ``@hookimpl`` (``optionalhook=True`` when your plugin does not require
opportunities). Documented with exact signatures in ``docs/plugin-hooks.md``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from relcore.hookspecs import hookspec

if TYPE_CHECKING:  # for the annotations only: `relcore --help` must not load SQLAlchemy
    import sqlalchemy


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
