"""Erasing personal data: the contacts plugin's rows, every plugin asked, the shell."""

from __future__ import annotations

import types

import sqlalchemy as sa
from relcore_contacts import model
from relcore_contacts.contacts import insert_contacts
from relcore_contacts.entities import PERSONAL_DATA_FIELDS

from relcore import entities, hookimpl


def crm_plugin(calls):
    @hookimpl
    def relcore_erase_personal_data(session, contact_nos):
        calls.append(list(contact_nos))
        return {}

    return types.SimpleNamespace(
        requires=("contacts",), relcore_erase_personal_data=relcore_erase_personal_data
    )


def setup(app):
    with app.session() as s:
        entities.insert(s, "contacts.web_source", [{"code": "LINKEDIN", "description": "L"}])
        entities.insert(s, "contacts.industry_group", [{"code": "RETAIL", "description": "R"}])
        (company,) = (
            r["no"]
            for r in insert_contacts(
                s,
                [
                    {
                        "name": "Ann Lee Consulting",
                        "address": "1 Road",
                        "city": "Oslo",
                        "phone_no": "+47 123",
                        "email": "ann@example.com",
                    }
                ],
            )
        )
        (person,) = (
            r["no"]
            for r in insert_contacts(
                s,
                [
                    {
                        "type": "person",
                        "first_name": "Ann",
                        "surname": "Lee",
                        "company_no": company,
                        "email": "ann.lee@example.com",
                        "mobile_phone_no": "+47 999",
                    }
                ],
            )
        )
        s.execute(
            sa.insert(model.alt_address),
            [{"contact_no": person, "code": "HOME", "address": "2 Lane", "city": "Oslo"}],
        )
        s.execute(
            sa.insert(model.contact_web_source),
            [{"contact_no": person, "web_source_code": "LINKEDIN", "search_word": "ann-lee"}],
        )
        s.execute(
            sa.insert(model.contact_industry_group),
            [{"contact_no": person, "industry_group_code": "RETAIL"}],
        )
    return company, person


def test_erase_blanks_personal_fields_and_blocks(make_app):
    from relcore_contacts import erase

    calls = []
    app = make_app("contacts", extra=[("crm", crm_plugin(calls))])
    company, person = setup(app)
    with app.session() as s:
        result = erase.erase(s, [person])
    assert (result["contacts"], result["plugins"]) == ([person], ["contacts", "crm"])
    assert result["rows"]["contacts_contact"] == 1
    assert calls == [[person]]
    with app.session() as s:
        row = entities.get(s, "contacts.contact", person)
        alt = s.execute(sa.select(model.alt_address)).one()._mapping
        web = s.execute(sa.select(model.contact_web_source)).one()._mapping
        kept = s.execute(sa.select(model.contact_industry_group)).all()
        other = entities.get(s, "contacts.contact", company)
    assert all(row[f] == "" for f in PERSONAL_DATA_FIELDS)
    assert row["privacy_blocked"] is True
    assert row["company_no"] == company  # relations stay
    assert alt["address"] == "" and alt["city"] == "" and alt["code"] == "HOME"
    assert web["search_word"] == ""
    assert len(kept) == 1  # statistics / links are kept
    assert other["email"] == "ann@example.com"  # the company is untouched


def test_erased_company_loses_index_strings(make_app):
    from relcore_contacts import duplicates, erase

    app = make_app("contacts")
    company, _ = setup(app)
    with app.session() as s:
        assert duplicates.index_of(s, company)
        erase.erase(s, [company])
        assert duplicates.index_of(s, company) == []


def test_cli_erase_asks_and_reports_plugins(make_app, run_cli):
    calls = []
    app = make_app("contacts", extra=[("crm", crm_plugin(calls))])
    _, person = setup(app)
    result = run_cli(app, "contacts", "erase", person, input="n\n")
    assert result.exit_code == 1 and "not erased" in result.output
    assert calls == []
    result = run_cli(app, "contacts", "erase", person, "--yes", json=True)
    assert result.exit_code == 0, result.output
    assert result.json["plugins"] == ["contacts", "crm"]
    assert result.json["rows"]["contacts_contact"] == 1
    result = run_cli(app, "contacts", "erase", "CT999999", "--yes")
    assert result.exit_code == 1 and "CT999999" in result.output
