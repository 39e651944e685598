"""An ERP connector: it supplies sales document values
(``relcore_opportunities_sales_document_value``) and creates customers
(``relcore_contacts_create_linked_records``) — OP19's customer on Won."""

from __future__ import annotations

import types
from decimal import Decimal

from relcore import entities, hookimpl
from tests.opportunities.conftest import WORK_DATE, add_contacts


def _erp_module() -> types.ModuleType:
    erp = types.ModuleType("fake_erp")
    erp.requires = ("opportunities",)
    erp.created = []

    @hookimpl
    def relcore_opportunities_sales_document_value(session, document_type, document_no):
        return {"SQ100": Decimal("8000")}.get(document_no) if document_type == "quote" else None

    @hookimpl
    def relcore_contacts_create_linked_records(session, contacts, link_to_table):
        erp.created += [(c["no"], link_to_table) for c in contacts]
        return {c["no"]: f"CU-{c['no']}" for c in contacts}

    erp.relcore_opportunities_sales_document_value = relcore_opportunities_sales_document_value
    erp.relcore_contacts_create_linked_records = relcore_contacts_create_linked_records
    return erp


def test_connector_values_and_customer_on_won(make_app, run_cli):
    from relcore_opportunities.demo import load_setup

    erp = _erp_module()
    app = make_app(
        "contacts", "interactions", "opportunities", extra=[("fake_erp", erp)], work_date=WORK_DATE
    )
    with app.session() as session:
        entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        entities.insert(session, "contacts.business_relation", [{"code": "CUST"}])
        add_contacts(session)
        load_setup(session)
    assert (
        run_cli(app, "setup", "set", "contacts.bus_rel_code_for_customers", "CUST").exit_code == 0
    )
    made = run_cli(
        app,
        "opportunities",
        "add",
        "--contact",
        "P1",
        "--description",
        "Desks",
        "--cycle",
        "NEW",
        "--activate-first-stage",
        "--estimated-value",
        "100",
        "--chances-pct",
        "10",
        "--estimated-close-date",
        "2024-03-01",
        json=True,
    )
    no = made.json["no"]
    # the connector's value (8,000) wins over the value typed with the link (1)
    assert (
        run_cli(
            app, "opportunities", "document", no, "--type", "quote", "--no", "SQ100", "--value", "1"
        ).exit_code
        == 0
    )
    moved = run_cli(app, "opportunities", "update", no, "--action", "next", json=True).json
    assert Decimal(moved["estimated_value"]) == 8000
    closed = run_cli(app, "opportunities", "close", no, "--won", "--code", "PRICE_W", json=True)
    assert closed.exit_code == 0, closed.output
    data = closed.json
    assert Decimal(data["calcd_current_value"]) == 8000
    # the person's company C1 had no customer: the connector created one and it is linked
    assert (data["customer_no"], data["customer_created"]) == ("CU-C1", True)
    assert erp.created == [("C1", "customer")]
    from relcore_contacts.api import business_relation_table as r

    with app.session() as session:
        links = session.execute(r.select().where(r.c.link_to_table == "customer")).all()
    assert [(x.contact_no, x.link_no) for x in links] == [("C1", "CU-C1")]
