"""Deleting opportunities (§6.4.1, report 5182) and linking external sales documents (§6.10)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.db import one_of
from relcore.errors import ValidationError
from relcore_opportunities.entries import lock_opportunity
from relcore_opportunities.model import DOCUMENT_TYPES, entry, opportunity

O = opportunity.c  # noqa: E741
DOCUMENT_LABELS = {"quote": "Quote", "order": "Order", "posted_invoice": "Posted Invoice"}


def _delete(session: Any, nos: list[str]) -> int:
    if not nos:
        return 0
    session.execute(
        sa.delete(entry).where(one_of(entry.c.opportunity_no, nos, session.dialect.name))
    )
    return entities.delete(session, "opportunities.opportunity", nos)


def delete_opportunity(session: Any, no: str) -> None:
    """Delete an opportunity and its entries; refused while In Progress (§6.4.1, OP23).

    Not Started, Won and Lost opportunities can be deleted, as BC's code allows (§9.5 item 1).
    """
    opp = lock_opportunity(session, no)
    if opp["status"] == "in_progress":
        raise ValidationError(
            "You cannot delete this opportunity while it is active.",
            entity="Opportunity",
            key=opp["no"],
        )
    _delete(session, [opp["no"]])


def delete_closed(session: Any, to_date: dt.date | None = None) -> list[str]:
    """Report "Delete Opportunities" (5182): delete closed opportunities (Date Closed up to
    ``to_date``) with their entries, in one transaction.

    :returns: the deleted numbers.
    """
    stmt = sa.select(O.no).where(O.closed.is_(True)).order_by(O.no)
    if to_date is not None:
        stmt = stmt.where(O.date_closed <= to_date)
    nos = list(session.execute(stmt).scalars())
    _delete(session, nos)
    return nos


def set_document(
    session: Any, no: str, document_type: str, document_no: str, value: Decimal | None
) -> dict:
    """Link an external quote/order/posted invoice to an opportunity (§6.10, §6.4.2).

    A document can be linked to one opportunity only: "Sales Quote X is already assigned to
    opportunity Y."; linking replaces the opportunity's previous document.
    """
    opp = lock_opportunity(session, no)
    if document_type not in DOCUMENT_TYPES or not document_type:
        raise ValidationError(
            f"must be one of {', '.join(DOCUMENT_LABELS)}",
            entity="Opportunity",
            key=opp["no"],
            field="sales_document_type",
        )
    document_no = document_no.strip().upper()
    if not document_no:
        raise ValidationError(
            "must have a value", entity="Opportunity", key=opp["no"], field="sales_document_no"
        )
    other = session.execute(
        sa.select(O.no).where(
            O.sales_document_type == document_type,
            O.sales_document_no == document_no,
            O.no != opp["no"],
        )
    ).scalar()
    if other:
        raise ValidationError(
            f"Sales {DOCUMENT_LABELS[document_type]} {document_no} is already assigned to "
            f"opportunity {other}.",
            entity="Opportunity",
            key=opp["no"],
            field="sales_document_no",
        )
    if value is not None and Decimal(value) < 0:
        raise ValidationError(
            "must not be negative",
            entity="Opportunity",
            key=opp["no"],
            field="sales_document_value",
        )
    return entities.update(
        session,
        "opportunities.opportunity",
        opp["no"],
        {
            "sales_document_type": document_type,
            "sales_document_no": document_no,
            "sales_document_value": None if value is None else Decimal(value),
        },
    )


def clear_document(session: Any, no: str) -> dict:
    """Remove the opportunity's sales document link (Sales Document No. blank → type blank)."""
    opp = lock_opportunity(session, no)
    return entities.update(
        session,
        "opportunities.opportunity",
        opp["no"],
        {"sales_document_type": "", "sales_document_no": "", "sales_document_value": None},
    )
