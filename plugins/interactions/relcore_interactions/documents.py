"""Automatic logging of sales, purchase and service documents (§4.6, BC ``LogDocument``).

BC's Interaction Template Setup has one template field per document type (26 of them, enum
"Interaction Log Entry Document Type"); each is an interaction event here
(``interactions.sales_quotes``, ...) that an admin maps to a template with
``relcore interactions setup set EVENT TEMPLATE``. An ERP connector logs a printed or posted
document with :func:`relcore_interactions.events.log_document`; unknown document types are
refused.
"""

from __future__ import annotations

from typing import Any

import attrs

from relcore.errors import ValidationError
from relcore.interactions import InteractionEvent


@attrs.frozen
class DocumentType:
    """One document type of BC's Interaction Template Setup.

    :param code: the ``document_type`` stored on log entries (BC enum value, snake_case).
    :param setup_field: BC's setup field name (the event is ``interactions.<setup_field>``).
    :param label: BC's caption of the enum value.
    :param logged_when: what logs it in BC.
    """

    code: str
    setup_field: str
    label: str
    logged_when: str

    @property
    def event_code(self) -> str:
        """The interaction event mapped to a template for this type."""
        return f"interactions.{self.setup_field}"


DOCUMENT_TYPES: dict[str, DocumentType] = {
    d.code: d
    for d in (
        DocumentType("sales_qte", "sales_quotes", "Sales Qte.", "printing a sales quote"),
        DocumentType("sales_blnkt_ord", "sales_blnkt_ord", "Sales Blnkt. Ord", "blanket order"),
        DocumentType(
            "sales_ord_cnfrmn", "sales_ord_cnfrmn", "Sales Ord. Cnfrmn.", "order confirmation"
        ),
        DocumentType("sales_inv", "sales_invoices", "Sales Inv.", "a posted sales invoice"),
        DocumentType("sales_shpt_note", "sales_shpt_note", "Sales Shpt. Note", "a shipment"),
        DocumentType("sales_cr_memo", "sales_cr_memo", "Sales Cr. Memo", "a credit memo"),
        DocumentType("sales_stmnt", "sales_statement", "Sales Stmnt.", "a customer statement"),
        DocumentType("sales_rmdr", "sales_rmdr", "Sales Rmdr.", "an issued reminder"),
        DocumentType(
            "serv_ord_create", "serv_ord_create", "Serv. Ord. Create", "creating a service order"
        ),
        DocumentType(
            "serv_ord_post", "serv_ord_post", "Serv. Ord. Post", "posting a service order"
        ),
        DocumentType("purch_qte", "purch_quotes", "Purch.Qte.", "a purchase quote"),
        DocumentType(
            "purch_blnkt_ord", "purch_blnkt_ord", "Purch. Blnkt. Ord.", "a blanket purchase order"
        ),
        DocumentType("purch_ord", "purch_orders", "Purch. Ord.", "a purchase order"),
        DocumentType("purch_inv", "purch_invoices", "Purch. Inv.", "a posted purchase invoice"),
        DocumentType("purch_rcpt", "purch_rcpt", "Purch. Rcpt.", "a posted receipt"),
        DocumentType(
            "purch_cr_memo", "purch_cr_memos", "Purch. Cr. Memo", "a posted purchase credit memo"
        ),
        DocumentType("cover_sheet", "cover_sheets", "Cover Sheet", "a contact cover sheet"),
        DocumentType(
            "sales_return_order", "sales_return_order", "Sales Return Order", "a return order"
        ),
        DocumentType(
            "sales_finance_charge_memo",
            "sales_finance_charge_memo",
            "Sales Finance Charge Memo",
            "an issued finance charge memo",
        ),
        DocumentType(
            "sales_return_receipt",
            "sales_return_receipt",
            "Sales Return Receipt",
            "a posted return receipt",
        ),
        DocumentType(
            "purch_return_shipment",
            "purch_return_shipment",
            "Purch. Return Shipment",
            "a posted return shipment",
        ),
        DocumentType(
            "purch_return_ord_cnfrmn",
            "purch_return_ord_cnfrmn",
            "Purch. Return Ord. Cnfrmn.",
            "a purchase return order",
        ),
        DocumentType("service_contract", "service_contract", "Service Contract", "a contract"),
        DocumentType(
            "service_contract_quote",
            "service_contract_quote",
            "Service Contract Quote",
            "a service contract quote",
        ),
        DocumentType("service_quote", "service_quote", "Service Quote", "a service quote"),
        DocumentType(
            "sales_draft_invoice",
            "sales_draft_invoices",
            "Sales Draft Invoice",
            "printing an unposted sales invoice",
        ),
    )
}
"""The 26 document types of BC's Interaction Template Setup (§4.6), by ``document_type``."""

DOCUMENT_EVENTS = [
    InteractionEvent(d.event_code, f"{d.label}: logged for {d.logged_when} (§4.6).")
    for d in DOCUMENT_TYPES.values()
]
"""The interaction events of the document types (registered by the interactions plugin)."""

ACCOUNT_TABLES = ("contact", "customer", "vendor")
"""What ``account_table`` may name (§4.6 step 4): a contact itself, or a customer/vendor whose
contact is found through the contact business relation."""


def document_types() -> dict[str, str]:
    """The 26 document types: ``document_type`` → the event an admin maps to a template
    (``relcore interactions setup set EVENT TEMPLATE``)."""
    return {code: d.event_code for code, d in DOCUMENT_TYPES.items()}


def check_document_type(document_type: str | None, *, entity: str, key: Any) -> str:
    """``document_type`` when blank or one of :data:`DOCUMENT_TYPES`, else a ValidationError
    listing them."""
    if not document_type:
        return ""
    if document_type not in DOCUMENT_TYPES:
        raise ValidationError(
            f"unknown document type {document_type!r} (types: {', '.join(DOCUMENT_TYPES)})",
            entity=entity,
            key=key,
            field="document_type",
        )
    return document_type
