"""Automatic logging of the 26 sales, purchase and service document types (§4.6; issue #14
item 6): ``log_document`` for ERP connectors, the language rule (step 2), contact resolution
through business relations (step 4), unknown types refused."""

from __future__ import annotations

import pytest

from relcore import entities
from relcore.errors import ValidationError


@pytest.fixture
def doc_app(make_app, seed):
    app = make_app("contacts", "interactions")
    with app.session() as s:
        seed(s)
        entities.insert(s, "contacts.business_relation", [{"code": "CUST"}, {"code": "VEND"}])
        from relcore_contacts.model import contact_business_relation

        s.execute(
            contact_business_relation.insert(),
            [
                {
                    "contact_no": "CT000001",
                    "business_relation_code": "CUST",
                    "link_to_table": "customer",
                    "link_no": "C00010",
                },
                {
                    "contact_no": "CT000010",
                    "business_relation_code": "VEND",
                    "link_to_table": "vendor",
                    "link_no": "V00020",
                },
            ],
        )
    return app


def test_all_26_document_types_are_events_of_the_template_setup(doc_app, run_cli):
    from relcore_interactions.api import document_types

    types = document_types()
    assert len(types) == 26
    assert types["sales_inv"] == "interactions.sales_invoices"
    assert types["cover_sheet"] == "interactions.cover_sheets"
    assert {"purch_ord", "serv_ord_post", "service_contract_quote", "sales_draft_invoice"} <= set(
        types
    )
    shown = run_cli(doc_app, "interactions", "setup", "show", json=True).json
    assert set(types.values()) <= {r["event_code"] for r in shown}
    listed = run_cli(doc_app, "interactions", "document-types", json=True).json
    assert [r["document_type"] for r in listed] == list(types)


def test_log_document_through_customer_and_vendor_relations(doc_app, run_cli):
    from relcore_interactions.api import log_document

    with doc_app.session() as s:
        # no template set up for purchase orders yet: nothing logged
        assert (
            log_document(s, "purch_ord", "106001", account_table="vendor", account_no="V00020")
            is None
        )
    assert (
        run_cli(
            doc_app, "interactions", "setup", "set", "interactions.purch_orders", "BUS"
        ).exit_code
        == 0
    )
    assert (
        run_cli(
            doc_app, "interactions", "setup", "set", "interactions.sales_invoices", "S_INVOICE"
        ).exit_code
        == 0
    )
    with doc_app.session() as s:
        order = log_document(
            s, "purch_ord", "106001", account_table="vendor", account_no="V00020", version_no=2
        )
        invoice = log_document(
            s, "sales_inv", "103001", account_table="customer", account_no="C00010"
        )
        assert (
            log_document(s, "sales_inv", "103002", account_table="customer", account_no="C99")
            is None
        )
    assert (
        order["contact_no"],
        order["document_type"],
        order["document_no"],
        order["version_no"],
    ) == (
        "CT000010",
        "purch_ord",
        "106001",
        2,
    )
    assert order["interaction_template_code"] == "BUS"
    assert order["event_code"] == "interactions.purch_orders"
    assert (invoice["contact_no"], invoice["description"]) == ("CT000001", "Sales Invoice")
    assert invoice["salesperson_code"] == "JO"  # the contact's
    # the shell does what a connector does
    r = run_cli(
        doc_app,
        "interactions",
        "document",
        "sales_inv",
        "103003",
        "--account-table",
        "customer",
        "--account",
        "C00010",
        json=True,
    )
    assert r.exit_code == 0, r.output
    assert (r.json["document_no"], r.json["contact_no"]) == ("103003", "CT000001")


def test_template_with_languages_is_refused_for_documents(doc_app):
    from relcore_interactions import templates as t
    from relcore_interactions.api import log_document
    from relcore_interactions.events import set_template

    with doc_app.session() as s:
        set_template(s, "interactions.sales_quotes", "S_INVOICE")
        t.add_language(s, "S_INVOICE", "ENU")
        with pytest.raises(ValidationError, match="It is not allowed to have languages assigned"):
            log_document(s, "sales_qte", "1001", account_no="CT000001")


def test_unknown_document_types_are_refused(doc_app, run_cli):
    from relcore_interactions.api import log_document

    with doc_app.session() as s:
        with pytest.raises(ValidationError, match="unknown document type 'no_such_type'"):
            log_document(s, "no_such_type", "1", account_no="CT000001")
        with pytest.raises(ValidationError, match="account table"):
            log_document(s, "sales_inv", "1", account_table="bank", account_no="B1")
    r = run_cli(
        doc_app,
        "interactions",
        "event",
        "interactions.emails",
        "--contact",
        "CT000010",
        "--document-type",
        "no_such_type",
    )
    assert r.exit_code == 1 and "unknown document type 'no_such_type'" in r.output
    assert len(r.output.strip().splitlines()) == 1
