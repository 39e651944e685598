"""Inserting, modifying, changing type and deleting contacts (§2.1–§2.4, §2.7)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from relcore_contacts import api, model
from relcore_contacts import contacts as svc

from relcore import hookimpl, numbering
from relcore.errors import NumberSeriesError, ValidationError


def test_numbers_come_from_the_contact_series(capp):
    with capp.session() as s:
        rows = svc.insert_contacts(s, [{"name": "A"}, {"name": "B"}])
    assert [r["no"] for r in rows] == ["CT000001", "CT000002"]
    assert rows[0]["no_series"] == "CONT"


def test_drawn_numbers_skip_numbers_already_used(capp):
    with capp.session() as s:
        svc.insert_contact(s, {"no": "CT000002", "name": "Manual"})
        rows = svc.insert_contacts(
            s, [{"name": "A"}, {"name": "B"}, {"no": "CT000004", "name": "M2"}]
        )
    assert [r["no"] for r in rows] == ["CT000001", "CT000003", "CT000004"]
    with capp.session() as s:
        assert svc.insert_contact(s, {"name": "C"})["no"] == "CT000005"


def test_manual_number_refused_when_series_has_no_manual_nos(capp):
    with capp.session() as s:
        numbering.update_series(s, "CONT", manual_nos=False)
    with capp.session() as s, pytest.raises(NumberSeriesError, match="Manual Nos"):
        svc.insert_contact(s, {"no": "X1", "name": "A"})


def test_duplicate_manual_number_refused(capp):
    with capp.session() as s:
        svc.insert_contact(s, {"no": "X1", "name": "A"})
    with capp.session() as s, pytest.raises(ValidationError, match="X1.*already exists"):
        svc.insert_contact(s, {"no": "x1", "name": "B"})


def test_blank_series_in_setup_refuses_automatic_number(capp):
    with capp.session() as s:
        capp.setup.set(s, "contacts.contact_nos", None)
    with capp.session() as s, pytest.raises(NumberSeriesError, match="contact_nos"):
        svc.insert_contact(s, {"name": "A"})


def test_setup_defaults_fill_blanks_on_insert(capp):
    with capp.session() as s:
        for key, value in (
            ("default_salesperson_code", "JO"),
            ("default_territory_code", "NORTH"),
            ("default_country_region_code", "GB"),
            ("default_language_code", "ENU"),
            ("default_correspondence_type", "email"),
            ("def_company_salutation_code", "COMPANY"),
            ("default_person_salutation_code", "UNISEX"),
        ):
            capp.setup.set(s, f"contacts.{key}", value)
        company = svc.insert_contact(s, {"name": "Acme"})
        person = svc.insert_contact(
            s, {"type": "person", "name": "Ann Lee", "salesperson_code": "PS"}
        )
    assert company["salesperson_code"] == "JO" and company["territory_code"] == "NORTH"
    assert company["country_region_code"] == "GB" and company["language_code"] == "ENU"
    assert company["format_region"] == "en-US"  # from the language
    assert company["correspondence_type"] == "email"
    assert company["salutation_code"] == "COMPANY" and person["salutation_code"] == "UNISEX"
    assert person["salesperson_code"] == "PS"  # given values are kept


def test_company_fields_on_insert(capp):
    with capp.session() as s:
        c = svc.insert_contact(
            s,
            {
                "name": "Acme Ltd",
                "first_name": "x",
                "job_title": "y",
                "email": "Info@Acme.com",
                "vat_registration_no": "gb123",
            },
        )
    assert c["type"] == "company" and c["company_no"] == c["no"]
    assert c["company_name"] == "Acme Ltd" and c["lookup_contact_no"] == ""
    assert c["first_name"] == "" and c["job_title"] == ""
    assert c["search_name"] == "ACME LTD" and c["search_email"] == "INFO@ACME.COM"
    assert c["vat_registration_no"] == "GB123"
    assert c["contact_business_relation"] == "none"


def test_person_name_is_broken_down_and_parts_make_the_name(capp):
    with capp.session() as s:
        p = svc.insert_contact(s, {"type": "person", "name": "Mary Ann Lee Smith"})
        q = svc.insert_contact(s, {"type": "person", "middle_name": "Q", "surname": "Public"})
    assert (p["first_name"], p["middle_name"], p["surname"]) == ("Mary Ann", "Lee", "Smith")
    assert p["lookup_contact_no"] == p["no"] and p["company_no"] is None
    assert q["name"] == "Q Public" and q["search_name"] == "Q PUBLIC"


def test_modify_name_keeps_a_chosen_search_name(capp):
    with capp.session() as s:
        c = svc.insert_contact(s, {"name": "Acme"})
        c = svc.modify_contact(s, c["no"], {"name": "Acme Two"})
        assert c["search_name"] == "ACME TWO" and c["company_name"] == "Acme Two"
        svc.modify_contact(s, c["no"], {"search_name": "mine"})
        c = svc.modify_contact(s, c["no"], {"name": "Acme Three"})
    assert c["search_name"] == "MINE"


def test_modify_person_parts_recompute_name(capp):
    with capp.session() as s:
        p = svc.insert_contact(s, {"type": "person", "name": "John Q Public"})
        p = svc.modify_contact(s, p["no"], {"first_name": ""})
        assert p["name"] == "Q Public"
        p = svc.modify_contact(s, p["no"], {"name": "Anna Smith"})
    assert (p["first_name"], p["middle_name"], p["surname"]) == ("Anna", "", "Smith")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone_no", "555-CALL", "must not contain letters"),
        ("mobile_phone_no", "abc", "must not contain letters"),
        ("email", "not-an-address", "not valid"),
        ("registration_number", "1" * 21, "more than 20"),
        ("salesperson_code", "XX", "does not exist"),
        ("language_code", "ZZZ", "does not exist"),
        ("type", "robot", "not one of"),
        ("colour", "red", "unknown or read-only"),
        ("contact_business_relation", "customer", "unknown or read-only"),
    ],
)
def test_field_rules_on_insert_and_modify(capp, field, value, message):
    with capp.session() as s, pytest.raises(ValidationError, match=message) as err:
        svc.insert_contact(s, {"name": "A", field: value})
    assert f"field {field}" in str(err.value)
    with capp.session() as s:
        no = svc.insert_contact(s, {"name": "B"})["no"]
    with capp.session() as s, pytest.raises(ValidationError, match=message):
        svc.modify_contact(s, no, {field: value})
    with capp.session() as s:
        assert api.get_contact(s, no)["name"] == "B"


def test_email_and_vat_on_modify(capp):
    with capp.session() as s:
        no = svc.insert_contact(s, {"name": "B"})["no"]
        c = svc.modify_contact(s, no, {"email": "a@b.com;c@d.org", "vat_registration_no": "de1"})
    assert c["search_email"] == "A@B.COM;C@D.ORG" and c["vat_registration_no"] == "DE1"


def test_privacy_blocked_salesperson_refused(capp):
    with capp.session() as s:
        from relcore_contacts import reference

        reference.edit(s, "salespeople", "MH", values={"privacy_blocked": "yes"})
    with capp.session() as s, pytest.raises(ValidationError, match="privacy blocked"):
        svc.insert_contact(s, {"name": "A", "salesperson_code": "MH"})


def test_country_change_clears_post_code_city_county(capp):
    with capp.session() as s:
        no = svc.insert_contact(
            s,
            {
                "name": "A",
                "country_region_code": "GB",
                "post_code": "W1",
                "city": "London",
                "county": "Gtr",
            },
        )["no"]
        c = svc.modify_contact(s, no, {"country_region_code": "DE"})
        assert (c["post_code"], c["city"], c["county"]) == ("", "", "")
        c = svc.modify_contact(s, no, {"country_region_code": "GB", "city": "Leeds"})
    assert c["city"] == "Leeds"


def test_batch_errors_name_the_line_and_write_nothing(capp):
    rows = [{"name": "A"}, {"name": "B", "phone_no": "x1"}]
    with capp.session() as s, pytest.raises(ValidationError, match="Contact line 2: field phone"):
        svc.insert_contacts(s, rows)
    with capp.session() as s, pytest.raises(ValidationError, match="Contact row 7"):
        svc.insert_contacts(s, rows, row_labels=["row 6", "row 7"])
    with capp.session() as s:
        assert api.get_contacts(s, []) == {}
        assert s.execute(sa.select(sa.func.count()).select_from(model.contact)).scalar() == 0


def test_batch_resolves_companies_in_db_and_earlier_in_batch(capp):
    with capp.session() as s:
        db_company = svc.insert_contact(s, {"name": "Old Co", "salesperson_code": "JO"})
        rows = svc.insert_contacts(
            s,
            [
                {"name": "New Co", "salesperson_code": "PS", "phone_no": "222"},
                {"type": "person", "name": "Ann Lee", "company_name": "New Co"},
                {"type": "person", "name": "Bob Roe", "company_name": "old co"},
                {"type": "person", "name": "Cy Doe", "company_no": db_company["no"]},
            ],
        )
    assert rows[1]["company_no"] == rows[0]["no"] and rows[1]["salesperson_code"] == "PS"
    assert rows[1]["phone_no"] == "222"
    assert rows[2]["company_no"] == db_company["no"] and rows[2]["company_name"] == "Old Co"
    assert rows[3]["salesperson_code"] == "JO"


def test_batch_refuses_unknown_or_later_company(capp):
    with capp.session() as s, pytest.raises(ValidationError, match="line 1: field company_name"):
        svc.insert_contacts(
            s, [{"type": "person", "name": "A B", "company_name": "Later"}, {"name": "Later"}]
        )
    with capp.session() as s:
        p = svc.insert_contact(s, {"type": "person", "name": "P"})
    with capp.session() as s, pytest.raises(ValidationError, match="is not a company"):
        svc.insert_contact(s, {"type": "person", "name": "Q", "company_no": p["no"]})


# -- type change (§2.4) ------------------------------------------------------------------------


def test_company_becomes_person_and_back(capp):
    with capp.session() as s:
        capp.setup.set(s, "contacts.def_company_salutation_code", "COMPANY")
        capp.setup.set(s, "contacts.default_person_salutation_code", "UNISEX")
        c = svc.insert_contact(s, {"name": "John Q Public"})
        p = svc.change_type(s, c["no"], "person")
        assert p["company_no"] is None and p["company_name"] == ""
        assert (p["first_name"], p["middle_name"], p["surname"]) == ("John", "Q", "Public")
        assert p["salutation_code"] == "UNISEX" and p["lookup_contact_no"] == p["no"]
        c = svc.change_type(s, c["no"], "company")
    assert c["company_no"] == c["no"] and c["company_name"] == "John Q Public"
    assert c["first_name"] == "" and c["salutation_code"] == "COMPANY"
    assert c["lookup_contact_no"] == ""


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("persons", "related people"),
        ("relation", "business relations"),
        ("industry", "industry groups"),
        ("vat", "vat_registration_no"),
    ],
)
def test_company_cannot_become_person(capp, setup, message):
    from relcore_contacts import memberships, reference, relations

    with capp.session() as s:
        c = svc.insert_contact(s, {"name": "Acme"})
        if setup == "persons":
            svc.insert_contact(s, {"type": "person", "name": "P", "company_no": c["no"]})
        elif setup == "relation":
            relations.assign_business_relation(s, c["no"], "PROSPECT")
        elif setup == "industry":
            reference.add(s, "industry-groups", "RETAIL", "Retail")
            memberships.assign(s, c["no"], "industry_group", "RETAIL")
        else:
            svc.modify_contact(s, c["no"], {"vat_registration_no": "GB1"})
    with capp.session() as s, pytest.raises(ValidationError, match=message):
        svc.change_type(s, c["no"], "person")


def test_person_with_job_responsibility_or_level_cannot_become_company(capp):
    from relcore_contacts import memberships, reference

    with capp.session() as s:
        reference.add(s, "job-responsibilities", "BUYER", "Buyer")
        reference.add(s, "organizational-levels", "CEO", "Chief")
        p = svc.insert_contact(
            s, {"type": "person", "name": "P", "organizational_level_code": "CEO"}
        )
        q = svc.insert_contact(s, {"type": "person", "name": "Q"})
        memberships.assign(s, q["no"], "job_responsibility", "BUYER")
    with capp.session() as s, pytest.raises(ValidationError, match="organizational_level"):
        svc.change_type(s, p["no"], "company")
    with capp.session() as s, pytest.raises(ValidationError, match="job responsibilities"):
        svc.change_type(s, q["no"], "company")
    with capp.session() as s, pytest.raises(ValidationError, match="organizational_level"):
        svc.insert_contact(s, {"name": "Co", "organizational_level_code": "CEO"})


class _Veto:
    """A plugin that refuses type changes and deletions, and records company moves."""

    requires = ("contacts",)

    def __init__(self):
        self.moves = []
        self.checked = []
        self.deleted = []

    @hookimpl
    def relcore_contacts_check_type_change(self, session, contacts, new_type):
        if contacts[0]["name"] == "Locked":
            raise ValidationError(
                "Type cannot be changed because one or more interaction log "
                "entries are linked to the contact.",
                entity="Contact",
                key=contacts[0]["no"],
            )

    @hookimpl
    def relcore_contacts_check_company_change(self, session, contact_nos):
        self.checked.append(list(contact_nos))

    @hookimpl
    def relcore_contacts_company_changed(self, session, moves):
        self.moves.extend(moves)

    @hookimpl
    def relcore_contacts_check_delete(self, session, contacts):
        if any(c["name"] == "Locked" for c in contacts):
            raise ValidationError(
                "You cannot delete contact because there are one or more tasks open."
            )
        self.deleted.extend(c["no"] for c in contacts)


def _veto_plugin():
    return _Veto()


def test_other_plugins_can_veto_a_type_change(make_app):
    veto = _veto_plugin()
    app = make_app("contacts", extra=[("veto", veto)])
    with app.session() as s:
        c = svc.insert_contact(s, {"name": "Locked"})
    with app.session() as s, pytest.raises(ValidationError, match="interaction log entries"):
        svc.change_type(s, c["no"], "person")


# -- delete (§2.7) -----------------------------------------------------------------------------


def test_deleting_a_company_deletes_its_persons_and_links(make_app):
    from relcore_contacts import alt_addresses, memberships, reference, relations

    from tests.contacts.conftest import seed_reference

    veto = _veto_plugin()
    app = make_app("contacts", extra=[("veto", veto)])
    with app.session() as s:
        seed_reference(s)
        reference.add(s, "mailing-groups", "NEWS", "News")
        c = svc.insert_contact(s, {"name": "Acme"})
        p = svc.insert_contact(s, {"type": "person", "name": "P", "company_no": c["no"]})
        other = svc.insert_contact(s, {"name": "Other"})
        relations.assign_business_relation(s, c["no"], "PROSPECT")
        memberships.assign(s, p["no"], "mailing_group", "NEWS")
        alt_addresses.add_alt_address(s, p["no"], "HOME", {"city": "Leeds"})
        deleted = svc.delete_contacts(s, [c["no"]])
    assert deleted == [c["no"], p["no"]] and veto.deleted == deleted
    with app.session() as s:
        assert list(api.get_contacts(s, [other["no"]])) == [other["no"]]
        for table in (
            model.contact_business_relation,
            model.contact_mailing_group,
            model.alt_address,
        ):
            assert s.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
        assert s.execute(sa.select(sa.func.count()).select_from(model.contact)).scalar() == 1


def test_delete_refused_by_another_plugin_changes_nothing(make_app):
    app = make_app("contacts", extra=[("veto", _veto_plugin())])
    with app.session() as s:
        c = svc.insert_contact(s, {"name": "Locked"})
    with app.session() as s, pytest.raises(ValidationError, match="tasks open"):
        svc.delete_contacts(s, [c["no"]])
    with app.session() as s:
        assert api.get_contact(s, c["no"])["name"] == "Locked"


def test_list_groups_persons_under_their_company_and_searches(capp):
    with capp.session() as s:
        b = svc.insert_contact(s, {"name": "Beta"})
        a = svc.insert_contact(s, {"name": "Alpha", "city": "Oslo"})
        pb = svc.insert_contact(s, {"type": "person", "name": "Zed", "company_no": b["no"]})
        pa = svc.insert_contact(s, {"type": "person", "name": "Yan", "company_no": a["no"]})
        assert [r["no"] for r in svc.list_contacts(s)] == [a["no"], pa["no"], b["no"], pb["no"]]
        assert [r["no"] for r in svc.list_contacts(s, search="ALPH")] == [a["no"]]
        assert [r["no"] for r in svc.list_contacts(s, type="person")] == [pa["no"], pb["no"]]
        assert [r["no"] for r in svc.list_contacts(s, company_no=b["no"])] == [b["no"], pb["no"]]


def test_resolve_company_no_steps(capp):
    with capp.session() as s:
        a = svc.insert_contact(s, {"name": "Alpine Ski House", "city": "Zermatt"})
        svc.insert_contact(s, {"name": "Alpine Tours"})
        assert svc.resolve_company_no(s, a["no"].lower()) == a["no"]
        assert svc.resolve_company_no(s, "alpine ski house") == a["no"]
        assert svc.resolve_company_no(s, "zermatt") == a["no"]
        with pytest.raises(ValidationError, match="several companies"):
            svc.resolve_company_no(s, "Alpine")
        with pytest.raises(ValidationError, match="no company contact matches"):
            svc.resolve_company_no(s, "nothing")
