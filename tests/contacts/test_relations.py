"""Business relations, the summary value, links and classification codes (§1.3, §3)."""

from __future__ import annotations

import pytest
from relcore_contacts import api, memberships, reference, relations
from relcore_contacts import contacts as svc
from relcore_contacts.relations import summarize

from relcore import hookimpl
from relcore.errors import PluginError, ValidationError
from tests.contacts.conftest import seed_reference

RESERVED = {"customer": "CUST", "vendor": "VEND", "bank_account": "BANK", "employee": "EMP"}


def _r(code, table="", no=""):
    return {"business_relation_code": code, "link_to_table": table, "link_no": no}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], "none"),
        ([_r("PROSPECT")], "other"),
        ([_r("PROSPECT"), _r("LAWYER")], "multiple"),
        ([_r("CUST", "customer", "C00010")], "customer"),
        ([_r("CUST", "customer", "C00010"), _r("VEND", "vendor", "V00010")], "multiple"),
        ([_r("CUST", "customer", "C00010"), _r("PROSPECT")], "multiple"),
        ([_r("VEND", "vendor", "V1")], "vendor"),
    ],
)
def test_business_relation_summary_vectors(rows, expected):
    assert summarize(rows, RESERVED) == expected


def _setup_codes(app, s):
    for table, code in RESERVED.items():
        key = relations.LINK_SETUP_KEYS[table]
        app.setup.set(s, key, code)


def test_assign_and_summary_on_company_and_persons(capp):
    with capp.session() as s:
        _setup_codes(capp, s)
        c = svc.insert_contact(s, {"name": "Acme"})
        p = svc.insert_contact(s, {"type": "person", "name": "Ann", "company_no": c["no"]})
        relations.assign_business_relation(s, c["no"], "prospect")
        assert api.get_contact(s, c["no"])["contact_business_relation"] == "other"
        assert api.get_contact(s, p["no"])["contact_business_relation"] == "other"
        relations.link(s, p["no"], "customer", "C00010")  # a person's link goes to its company
        assert relations.relations_of(s, p["no"])[0]["contact_no"] == c["no"]
        assert api.get_contact(s, p["no"])["contact_business_relation"] == "multiple"
        relations.unassign_business_relation(s, c["no"], "PROSPECT")
        assert api.get_contact(s, c["no"])["contact_business_relation"] == "customer"
        assert api.get_contact(s, p["no"])["contact_business_relation"] == "customer"
        q = svc.insert_contact(s, {"type": "person", "name": "Bob", "company_no": c["no"]})
        assert q["contact_business_relation"] == "customer"
        assert api.link_of(s, "customer", ["C00010"]) == {"C00010": c["no"]}
        relations.unlink(s, p["no"], "customer")
        assert api.get_contact(s, q["no"])["contact_business_relation"] == "none"


def test_relation_rules(capp):
    with capp.session() as s:
        _setup_codes(capp, s)
        c = svc.insert_contact(s, {"name": "Acme"})
        other = svc.insert_contact(s, {"name": "Other"})
        p = svc.insert_contact(s, {"type": "person", "name": "Solo"})
        with pytest.raises(
            ValidationError,
            match="Business Relation Code CUST is used when a Contact is linked with a Customer",
        ):
            relations.assign_business_relation(s, c["no"], "CUST")
        with pytest.raises(ValidationError, match="only be assigned to companies"):
            relations.assign_business_relation(s, p["no"], "PROSPECT")
        relations.assign_business_relation(s, c["no"], "LAWYER")
        with pytest.raises(ValidationError, match="already has"):
            relations.assign_business_relation(s, c["no"], "LAWYER")
        relations.link(s, c["no"], "vendor", "V00010")
        with pytest.raises(
            ValidationError, match="already has a Contact Business Relation with Vendor V00010"
        ):
            relations.link(s, c["no"], "vendor", "V00020")
        with pytest.raises(ValidationError, match="already linked to contact"):
            relations.link(s, other["no"], "vendor", "V00010")
        with pytest.raises(ValidationError, match="unlink"):
            relations.unassign_business_relation(s, c["no"], "VEND")
        with pytest.raises(ValidationError, match="Company No. must have a value"):
            relations.link(s, p["no"], "bank_account", "B010")
        with pytest.raises(ValidationError, match="only a person"):
            relations.link(s, c["no"], "employee", "E1")
        relations.link(s, p["no"], "employee", "E1")
        relations.link(s, p["no"], "customer", "C00010")  # a person without company
        assert api.get_contact(s, p["no"])["contact_business_relation"] == "multiple"


def test_link_needs_setup_code(capp):
    with capp.session() as s:
        c = svc.insert_contact(s, {"name": "Acme"})
    with capp.session() as s, pytest.raises(ValidationError, match="bus_rel_code_for_customers"):
        relations.link(s, c["no"], "customer", "C00010")


def test_create_linked_record_without_connector_is_refused(capp):
    with capp.session() as s:
        _setup_codes(capp, s)
        c = svc.insert_contact(s, {"name": "Acme"})
    with capp.session() as s, pytest.raises(PluginError, match="no ERP connector"):
        relations.link(s, c["no"], "customer")


def test_create_linked_record_through_connector(make_app):
    class Erp:
        requires = ("contacts",)

        @hookimpl
        def relcore_contacts_create_linked_records(self, session, contacts, link_to_table):
            if link_to_table == "customer":
                return {c["no"]: f"C0099{i}" for i, c in enumerate(contacts)}
            return None

    app = make_app("contacts", extra=[("erp", Erp())])
    with app.session() as s:
        seed_reference(s)
        _setup_codes(app, s)
        c = svc.insert_contact(s, {"name": "Acme"})
        row = relations.link(s, c["no"], "customer")
        assert row["link_no"] == "C00990"
        assert api.get_contact(s, c["no"])["contact_business_relation"] == "customer"


def test_classification_codes_by_contact_type(capp):
    with capp.session() as s:
        for kind, code in (
            ("industry-groups", "RETAIL"),
            ("job-responsibilities", "BUYER"),
            ("mailing-groups", "NEWS"),
            ("web-sources", "WEB"),
        ):
            reference.add(s, kind, code, code.title())
        c = svc.insert_contact(s, {"name": "Acme"})
        p = svc.insert_contact(s, {"type": "person", "name": "Ann", "company_no": c["no"]})
        memberships.assign(s, c["no"], "industry_group", "retail")
        memberships.assign(s, c["no"], "web_source", "WEB", "acme")
        memberships.assign(s, p["no"], "job_responsibility", "BUYER")
        memberships.assign(s, p["no"], "mailing_group", "NEWS")
        memberships.assign(s, c["no"], "mailing_group", "NEWS")
        with pytest.raises(ValidationError, match="only be assigned to companies"):
            memberships.assign(s, p["no"], "industry_group", "RETAIL")
        with pytest.raises(ValidationError, match="only be assigned to companies"):
            memberships.assign(s, p["no"], "web_source", "WEB")
        with pytest.raises(ValidationError, match="only be assigned to persons"):
            memberships.assign(s, c["no"], "job_responsibility", "BUYER")
        with pytest.raises(ValidationError, match="already has"):
            memberships.assign(s, p["no"], "mailing_group", "NEWS")
        codes = memberships.codes_of(s, p["no"])
        assert codes["job_responsibility"] == ["BUYER"] and codes["mailing_group"] == ["NEWS"]
        assert memberships.codes_of(s, c["no"])["industry_group"] == ["RETAIL"]
        memberships.unassign(s, p["no"], "mailing_group", "NEWS")
        assert memberships.codes_of(s, p["no"])["mailing_group"] == []
        with pytest.raises(ValidationError, match="in use"):
            reference.delete(s, "industry-groups", "RETAIL")
