"""Hooks the opportunities plugin publishes (for ERP connectors and other plugins).

Implement them with ``@hookimpl`` (``optionalhook=True`` when your plugin does not require
opportunities). Documented with exact signatures in ``docs/plugin-hooks.md``.
"""

from __future__ import annotations

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
