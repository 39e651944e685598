"""Company → person inheritance: attaching (§2.5.1) and propagation (§2.5.2), vectors IN1–IN8."""

from __future__ import annotations

import pytest
from relcore_contacts import contacts as svc

from relcore import hookimpl
from tests.contacts.conftest import seed_reference


def _company(s, **values):
    return svc.insert_contact(s, {"name": "Contoso", **values})


def _person(s, company_no, **values):
    return svc.insert_contact(
        s, {"type": "person", "name": "Pat Doe", "company_no": company_no, **values}
    )


def test_in1_salesperson_inherited_at_attach(capp):
    with capp.session() as s:
        c = _company(s, salesperson_code="JO")
        assert _person(s, c["no"])["salesperson_code"] == "JO"


def test_in2_company_change_follows_when_person_had_old_value(capp):
    with capp.session() as s:
        c = _company(s, salesperson_code="JO")
        p = _person(s, c["no"])
        svc.modify_contact(s, c["no"], {"salesperson_code": "PS"})
        assert _get(s, p["no"])["salesperson_code"] == "PS"


def _get(s, no):
    from relcore_contacts.api import get_contact

    return get_contact(s, no)


def test_in3_manual_deviation_kept(capp):
    with capp.session() as s:
        c = _company(s, salesperson_code="JO")
        p = _person(s, c["no"])
        svc.modify_contact(s, p["no"], {"salesperson_code": "MH"})
        svc.modify_contact(s, c["no"], {"salesperson_code": "PS"})
        assert _get(s, p["no"])["salesperson_code"] == "MH"


def test_in4_address_follows_when_identical(capp):
    with capp.session() as s:
        c = _company(s, address="1 Main St", city="Leeds", post_code="LS1")
        p = _person(s, c["no"])
        assert (p["address"], p["city"]) == ("1 Main St", "Leeds")
        svc.modify_contact(s, c["no"], {"address": "2 Main St", "county": "Yorks"})
        p = _get(s, p["no"])
        assert (p["address"], p["city"], p["county"]) == ("2 Main St", "Leeds", "Yorks")


def test_in5_own_address_kept(capp):
    with capp.session() as s:
        c = _company(s, address="1 Main St")
        p = _person(s, c["no"], address="9 Side Rd")
        svc.modify_contact(s, c["no"], {"address": "2 Main St"})
        assert _get(s, p["no"])["address"] == "9 Side Rd"


def test_in6_phone_inherited_at_attach_and_communication_propagates(capp):
    with capp.session() as s:
        c = _company(s, phone_no="111", email="a@b.com")
        p = _person(s, c["no"])
        q = _person(s, c["no"], email="own@b.com")
        assert p["phone_no"] == "111" and p["email"] == "a@b.com" and q["email"] == "own@b.com"
        svc.modify_contact(s, c["no"], {"phone_no": "222", "email": "new@b.com"})
        assert (_get(s, p["no"])["phone_no"], _get(s, p["no"])["email"]) == ("222", "new@b.com")
        assert _get(s, q["no"])["email"] == "own@b.com"


def test_in7_company_language_beats_setup_default(capp):
    with capp.session() as s:
        capp.setup.set(s, "contacts.default_language_code", "ENU")
        c = _company(s, language_code="DEU")
        p = _person(s, c["no"])
        assert p["language_code"] == "DEU" and p["format_region"] == "de-DE"


def test_in8_inherit_flag_off_keeps_default(capp):
    with capp.session() as s:
        capp.setup.set(s, "contacts.default_language_code", "ENU")
        capp.setup.set(s, "contacts.inherit_language_code", False)
        c = _company(s, language_code="DEU")
        p = _person(s, c["no"])
        assert p["language_code"] == "ENU"
        svc.modify_contact(s, c["no"], {"language_code": "ENU"})
        svc.modify_contact(s, c["no"], {"language_code": "DEU"})
        assert _get(s, p["no"])["language_code"] == "ENU"


@pytest.mark.parametrize(
    ("flag", "field", "old", "new", "newer"),
    [
        ("inherit_salesperson_code", "salesperson_code", "JO", "PS", "MH"),
        ("inherit_territory_code", "territory_code", None, "NORTH", None),
        ("inherit_country_region_code", "country_region_code", "GB", "DE", "GB"),
        ("inherit_format_region", "format_region", "x-A", "x-B", "x-C"),
        ("inherit_address_details", "address", "1 Main", "2 Main", "3 Main"),
        ("inherit_communication_details", "fax_no", "1", "2", "3"),
    ],
)
def test_every_inherit_flag_is_honoured(capp, flag, field, old, new, newer):
    with capp.session() as s:
        c = _company(s, **({field: old} if old else {}))
        on = _person(s, c["no"])
        assert on[field] == old
        svc.modify_contact(s, c["no"], {field: new})
        assert _get(s, on["no"])[field] == new  # flag on: follows the company
        capp.setup.set(s, f"contacts.{flag}", False)
        off = _person(s, c["no"])
        assert off[field] in (None, "")  # flag off: not inherited at attach
        svc.modify_contact(s, c["no"], {field: newer or ""})
        assert _get(s, on["no"])[field] == new  # flag off: does not follow
        assert _get(s, off["no"])[field] in (None, "")


def test_company_name_follows_always(capp):
    with capp.session() as s:
        c = _company(s)
        p = _person(s, c["no"])
        svc.modify_contact(s, c["no"], {"name": "Contoso Group"})
        assert _get(s, p["no"])["company_name"] == "Contoso Group"


def test_moving_a_person_inherits_from_new_company_and_keeps_own_values(capp):
    with capp.session() as s:
        a = _company(s, salesperson_code="JO", address="1 A St", phone_no="111")
        b = svc.insert_contact(
            s, {"name": "Beta", "salesperson_code": "PS", "address": "2 B St", "phone_no": "222"}
        )
        p = _person(s, a["no"], mobile_phone_no="999")
        q = _person(s, a["no"], address="own", phone_no="333")
        p = svc.modify_contact(s, p["no"], {"company_no": b["no"]})
        q = svc.modify_contact(s, q["no"], {"company_name": "beta"})
    assert (p["company_name"], p["salesperson_code"], p["address"], p["phone_no"]) == (
        "Beta",
        "PS",
        "2 B St",
        "222",
    )
    assert p["mobile_phone_no"] == "999"
    assert (q["company_no"], q["address"], q["phone_no"]) == (b["no"], "own", "333")


class _Recorder:
    requires = ("contacts",)

    def __init__(self):
        self.checked, self.moves = [], []

    @hookimpl
    def relcore_contacts_check_company_change(self, session, contact_nos):
        self.checked.append(list(contact_nos))

    @hookimpl
    def relcore_contacts_company_changed(self, session, moves):
        self.moves.extend(moves)


def test_company_change_hooks_called_before_and_after(make_app):
    rec = _Recorder()
    app = make_app("contacts", extra=[("rec", rec)])
    with app.session() as s:
        seed_reference(s)
        a = _company(s)
        b = svc.insert_contact(s, {"name": "Beta"})
        p = svc.insert_contact(s, {"type": "person", "name": "Pat"})
        svc.modify_contact(s, p["no"], {"company_no": a["no"]})
        svc.modify_contact(s, p["no"], {"company_no": b["no"]})
        svc.modify_contact(s, p["no"], {"company_no": ""})
        svc.modify_contact(s, p["no"], {"city": "x"})
    assert rec.checked == [[p["no"]]] * 3
    assert rec.moves == [
        (p["no"], "", a["no"]),
        (p["no"], a["no"], b["no"]),
        (p["no"], b["no"], ""),
    ]
    with app.session() as s:
        assert _get(s, p["no"])["company_name"] == ""


def test_company_change_vetoed(make_app):
    from relcore.errors import ValidationError

    class Veto:
        requires = ("contacts",)

        @hookimpl
        def relcore_contacts_check_company_change(self, session, contact_nos):
            raise ValidationError(
                "You cannot change Company No. because one or more unlogged "
                "segments are assigned to the contact."
            )

    app = make_app("contacts", extra=[("veto", Veto())])
    with app.session() as s:
        a = _company(s)
        p = svc.insert_contact(s, {"type": "person", "name": "Pat"})
    with app.session() as s, pytest.raises(ValidationError, match="unlogged segments"):
        svc.modify_contact(s, p["no"], {"company_no": a["no"]})
    with app.session() as s:
        assert _get(s, p["no"])["company_no"] is None


def test_company_fields_refused_on_company(capp):
    from relcore.errors import ValidationError

    with capp.session() as s:
        a = _company(s)
        b = svc.insert_contact(s, {"name": "Beta"})
    with capp.session() as s, pytest.raises(ValidationError, match="own number"):
        svc.modify_contact(s, a["no"], {"company_no": b["no"]})
