"""A company's Primary Contact No. (BC Customer "Primary Contact No.", d365sales §A5
primarycontactid): set to a person of the company, cleared when that person leaves, is
deleted or is merged away; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from relcore_contacts import merge
from relcore_contacts.contacts import delete_contacts, insert_contacts, modify_contact

from relcore import entities
from relcore.errors import ValidationError


def _setup(app):
    with app.session() as s:
        a, b = (r["no"] for r in insert_contacts(s, [{"name": "Adatum"}, {"name": "Litware"}]))
        p, q, r = (
            x["no"]
            for x in insert_contacts(
                s,
                [
                    {"type": "person", "name": "Ann Lee", "company_no": a},
                    {"type": "person", "name": "Bob Ray", "company_no": a},
                    {"type": "person", "name": "Cat Day", "company_no": b},
                ],
            )
        )
    return a, b, p, q, r


def _primary(app, no):
    with app.session() as s:
        return entities.get(s, "contacts.contact", no)["primary_contact_no"]


def test_set_through_cli_and_refusals(capp, run_cli):
    a, b, p, q, r = _setup(capp)
    ok = run_cli(capp, "contacts", "edit", a, "--set", f"primary_contact_no={p.lower()}", json=True)
    assert ok.exit_code == 0, ok.output
    assert ok.json["primary_contact_no"] == p
    for no, value in ((a, r), (a, b), (a, "CT999999"), (p, q)):
        bad = run_cli(capp, "contacts", "edit", no, "--set", f"primary_contact_no={value}")
        assert bad.exit_code == 1
        assert "primary_contact_no" in bad.output
        assert len(bad.output.strip().splitlines()) == 1
    assert _primary(capp, a) == p
    cleared = run_cli(capp, "contacts", "edit", a, "--set", "primary_contact_no=", json=True)
    assert cleared.exit_code == 0 and cleared.json["primary_contact_no"] == ""


def test_cleared_when_the_person_leaves_or_is_deleted(capp):
    a, b, p, q, r = _setup(capp)
    with capp.session() as s:
        modify_contact(s, a, {"primary_contact_no": p})
        modify_contact(s, b, {"primary_contact_no": r})
    with capp.session() as s:
        modify_contact(s, p, {"company_no": b})
    assert _primary(capp, a) == ""
    with capp.session() as s:
        modify_contact(s, a, {"primary_contact_no": q})
        modify_contact(s, q, {"job_title": "Buyer"})
    assert _primary(capp, a) == q
    with capp.session() as s:
        delete_contacts(s, [q, r])
    assert (_primary(capp, a), _primary(capp, b)) == ("", "")


@pytest.mark.parametrize("same_company", [True, False])
def test_merge_repoints_to_the_survivor_of_the_same_company(capp, same_company):
    a, b, p, q, r = _setup(capp)
    with capp.session() as s:
        modify_contact(s, a, {"primary_contact_no": p})
    survivor = q if same_company else r
    with capp.session() as s:
        merge.merge(s, survivor, p)
    assert _primary(capp, a) == (q if same_company else "")


def test_a_company_refuses_a_person_of_another_company_rolls_back(capp):
    a, b, p, q, r = _setup(capp)
    with pytest.raises(ValidationError, match="not a person of company"), capp.session() as s:
        modify_contact(s, a, {"primary_contact_no": r, "city": "Oslo"})
    with capp.session() as s:
        assert entities.get(s, "contacts.contact", a)["city"] == ""
