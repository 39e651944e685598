"""The helpers other plugins use for their rows that name contacts (§2.4, §2.7):
``api.refuse_if_linked`` and ``api.detach_deleted_contacts``, as a third-party plugin would call
them from ``relcore_contacts_check_delete``."""

from __future__ import annotations

import types

import pytest
import sqlalchemy as sa
from relcore_contacts import api
from relcore_contacts import contacts as svc

from relcore import hookimpl
from relcore.errors import ValidationError

META = sa.MetaData()  # a third-party plugin's table, kept off relcore's metadata
VISIT = sa.Table(
    "test_dependent_visit",
    META,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("contact_no", sa.String(20)),
    sa.Column("contact_company_no", sa.String(20)),
    sa.Column("open", sa.Boolean, nullable=False, default=False),
)


@hookimpl
def relcore_contacts_check_delete(session, contacts):
    api.refuse_if_linked(
        session,
        [VISIT.c.contact_no],
        [c["no"] for c in contacts],
        "You cannot delete contact {no} because visit {record[id]} is open.",
        where=VISIT.c.open.is_(True),
    )
    api.detach_deleted_contacts(session, VISIT, contacts)


@pytest.fixture
def vapp(make_app):
    app = make_app(
        "contacts",
        extra=[
            (
                "dependents",
                types.SimpleNamespace(relcore_contacts_check_delete=relcore_contacts_check_delete),
            )
        ],
    )
    with app.session() as session:
        META.create_all(session)
    return app


def _people(session):
    company, loose = svc.insert_contacts(
        session, [{"name": "Cronus", "type": "company"}, {"name": "Loose", "type": "person"}]
    )
    (person,) = svc.insert_contacts(
        session, [{"name": "Ann", "type": "person", "company_no": company["no"]}]
    )
    return company["no"], person["no"], loose["no"]


def _visits(session):
    rows = session.execute(
        sa.select(VISIT.c.id, VISIT.c.contact_no, VISIT.c.contact_company_no).order_by(VISIT.c.id)
    )
    return [tuple(r) for r in rows]


def test_deleting_a_person_moves_its_rows_to_its_company_and_detaches_the_rest(vapp):
    with vapp.session() as s:
        company, person, loose = _people(s)
        s.execute(
            sa.insert(VISIT),
            [
                {"id": 1, "contact_no": person, "contact_company_no": company},
                {"id": 2, "contact_no": loose, "contact_company_no": loose},
                {"id": 3, "contact_no": company, "contact_company_no": company},
            ],
        )
        svc.delete_contacts(s, [person, loose])
        assert _visits(s) == [(1, company, company), (2, None, None), (3, company, company)]
        svc.delete_contacts(s, [company])
        assert _visits(s) == [(1, None, None), (2, None, None), (3, None, None)]


def test_an_open_row_refuses_the_delete_naming_contact_and_record(vapp):
    with vapp.session() as s:
        company, person, _loose = _people(s)
        s.execute(sa.insert(VISIT), [{"id": 7, "contact_no": person, "open": True}])
    with pytest.raises(ValidationError) as err, vapp.session() as s:
        svc.delete_contacts(s, [company])  # the company's persons go with it: refused
    assert err.value.key == person
    assert f"You cannot delete contact {person} because visit 7 is open." in str(err.value)
    with vapp.session() as s:
        assert api.get_contact(s, company)["no"] == company  # nothing deleted


def test_refuse_if_linked_names_the_first_contact_in_key_order_over_several_columns(vapp):
    with vapp.session() as s:
        company, person, loose = _people(s)
        s.execute(
            sa.insert(VISIT),
            [
                {"id": 1, "contact_no": loose, "contact_company_no": None},
                {"id": 2, "contact_no": None, "contact_company_no": company},
            ],
        )
        with pytest.raises(ValidationError) as err:
            api.refuse_if_linked(
                s,
                [VISIT.c.contact_no, VISIT.c.contact_company_no],
                [loose, company, person],
                "Type cannot be changed for {no}.",
                field="type",
            )
        assert err.value.key == min(loose, company) and err.value.field == "type"
        api.refuse_if_linked(s, [VISIT.c.contact_no], [person], "never raised")
