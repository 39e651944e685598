"""Automatic logging (§4.6, IL3, IL4) and phone calls (§4.7)."""

from __future__ import annotations

import datetime as dt

import pytest

from relcore import entities, hookimpl
from relcore.errors import ValidationError
from relcore.interactions import InteractionEvent


class SalesPlugin:
    """A plugin registering a document event, as an ERP connector would."""

    requires = ("interactions",)

    @staticmethod
    @hookimpl
    def relcore_register_interaction_events(register):
        register(InteractionEvent("sales.invoices", "Posted sales invoices"))


@pytest.fixture
def sales_app(make_app, seed):
    app = make_app("contacts", "interactions", extra=[("sales", SalesPlugin)])
    with app.session() as s:
        seed(s)
        entities.insert(s, "contacts.business_relation", [{"code": "CUST"}])
        from relcore_contacts.model import contact_business_relation

        s.execute(
            contact_business_relation.insert().values(
                contact_no="CT000001",
                business_relation_code="CUST",
                link_to_table="customer",
                link_no="C00010",
            )
        )
    return app


def test_il3_document_logged_for_the_linked_contact(sales_app, run_cli):
    from relcore_interactions.api import log_event

    app = sales_app
    with app.session() as s:
        assert (
            log_event(s, "sales.invoices", account_table="customer", account_no="C00010") is None
        )  # no template set up: nothing logged
    r = run_cli(app, "interactions", "setup", "set", "sales.invoices", "s_invoice")
    assert r.exit_code == 0, r.output
    r = run_cli(app, "interactions", "setup", "show", json=True)
    assert {
        "event_code": "sales.invoices",
        "plugin": "sales",
        "template_code": "S_INVOICE",
        "description": "Posted sales invoices",
    } in r.json
    with app.session() as s:
        e = log_event(
            s,
            "sales.invoices",
            account_table="customer",
            account_no="C00010",
            document_type="sales_inv",
            document_no="103001",
        )
        assert (
            log_event(s, "sales.invoices", account_table="customer", account_no="C99999") is None
        )  # no linked contact
    assert (e["document_type"], e["document_no"], e["contact_no"]) == (
        "sales_inv",
        "103001",
        "CT000001",
    )
    assert e["date"] == dt.date.today()  # Today, not the work date (§9.4)
    assert (str(e["cost"]), str(e["duration"])) == ("8.00", "1.00")
    assert e["description"] == "Sales Invoice"
    assert e["salesperson_code"] == "JO"  # the contact's
    assert e["event_code"] == "sales.invoices"


def test_il4_template_with_languages_is_refused(sales_app):
    from relcore_interactions import templates as t
    from relcore_interactions.api import log_event

    app = sales_app
    with app.session() as s:
        from relcore_interactions.events import set_template

        set_template(s, "sales.invoices", "S_INVOICE")
        t.add_language(s, "S_INVOICE", "ENU")
        with pytest.raises(
            ValidationError,
            match="It is not allowed to have languages assigned "
            "to templates used for system document logging",
        ):
            log_event(s, "sales.invoices", "CT000001", document_type="sales_inv")


def test_setup_refuses_unknown_events_and_templates_with_attachments(sales_app, run_cli):
    from relcore_interactions import templates as t

    app = sales_app
    r = run_cli(app, "interactions", "setup", "set", "nope.event", "BUS")
    assert r.exit_code == 1 and "is not a registered interaction event" in r.output
    with app.session() as s:
        t.import_attachment(s, "BUS", "", b"x", "x.txt")
    r = run_cli(app, "interactions", "setup", "set", "interactions.emails", "BUS")
    assert r.exit_code == 1 and "only templates without attachments" in r.output
    r = run_cli(app, "interactions", "setup", "set", "interactions.meeting_invitation", "BUS")
    assert r.exit_code == 0, r.output
    r = run_cli(app, "interactions", "event", "interactions.emails", "--contact", "CT000010")
    assert r.exit_code == 0 and "Nothing logged" in r.output


def test_phone_call(sales_app, run_cli):
    app = sales_app
    r = run_cli(app, "interactions", "call", "CT000010")
    assert r.exit_code == 1 and "no template is set up for outgoing calls" in r.output
    run_cli(app, "interactions", "setup", "set", "interactions.outgoing_calls", "OUTGOING")
    r = run_cli(app, "interactions", "call", "CT000010", json=True)
    assert r.exit_code == 0, r.output
    e = r.json
    assert (e["contact_via"], e["interaction_template_code"], e["attempt_failed"]) == (
        "555-0110",
        "OUTGOING",
        False,
    )
    assert e["cost"] == "1.00" and e["initiated_by"] == "us"
    r = run_cli(
        app, "interactions", "call", "CT000010", "--phone", "555-9999", "--failed", json=True
    )
    assert r.json["contact_via"] == "555-9999" and r.json["attempt_failed"] is True
    r = run_cli(app, "interactions", "call", "CT000011")
    assert r.exit_code == 1 and "You must fill in the phone number." in r.output
    r = run_cli(app, "interactions", "call", "CT000020", "--phone", "1")
    assert r.exit_code == 1 and "salesperson_code" in r.output
