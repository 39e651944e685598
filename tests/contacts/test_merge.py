"""Merging duplicate contacts: every plugin's rows move, conflicts deduplicate, refusals."""

from __future__ import annotations

import types

import pytest
import sqlalchemy as sa
from relcore_contacts import merge, model
from relcore_contacts.contacts import insert_contacts

from relcore import entities, hookimpl
from relcore.errors import ValidationError


def erp_plugin(calls):
    @hookimpl
    def relcore_contacts_merge(session, merges, dry_run):
        calls.extend((survivor_no, duplicate_no, dry_run) for survivor_no, duplicate_no in merges)
        return {"erp_customer": 2}

    return types.SimpleNamespace(
        requires=("contacts",), relcore_contacts_merge=relcore_contacts_merge
    )


def setup_pair(app):
    with app.session() as s:
        for entity, codes in (
            ("contacts.industry_group", ["RETAIL", "WHOLESALE"]),
            ("contacts.mailing_group", ["XMAS"]),
        ):
            entities.insert(s, entity, [{"code": c, "description": c} for c in codes])
        a, b = (
            r["no"]
            for r in insert_contacts(
                s,
                [
                    {"name": "Contoso", "city": "Oslo", "phone_no": "111"},
                    {"name": "Contoso AS", "city": "Bergen", "phone_no": "222"},
                ],
            )
        )
        p1, p2 = (
            r["no"]
            for r in insert_contacts(
                s,
                [
                    {"type": "person", "name": "Ann Lee", "company_no": b},
                    {"type": "person", "name": "Bo Ek", "company_no": b},
                ],
            )
        )
        s.execute(
            sa.insert(model.contact_industry_group),
            [
                {"contact_no": a, "industry_group_code": "RETAIL"},
                {"contact_no": b, "industry_group_code": "RETAIL"},
                {"contact_no": b, "industry_group_code": "WHOLESALE"},
            ],
        )
        s.execute(
            sa.insert(model.contact_mailing_group),
            [{"contact_no": b, "mailing_group_code": "XMAS"}],
        )
        s.execute(
            sa.insert(model.alt_address), [{"contact_no": b, "code": "HQ", "address": "1 Road"}]
        )
    return a, b, p1, p2


def codes(app, table, column, no):
    with app.session() as s:
        return sorted(
            s.execute(sa.select(table.c[column]).where(table.c.contact_no == no)).scalars()
        )


def test_merge_moves_every_row_and_deletes_duplicate(make_app):
    calls = []
    app = make_app("contacts", extra=[("erp", erp_plugin(calls))])
    a, b, p1, p2 = setup_pair(app)
    with app.session() as s:
        result = merge.merge(s, a, b, take=["city"])
    assert result["survivor"] == a and result["duplicate"] == b and not result["dry_run"]
    moved = result["moved"]
    assert moved["erp_customer"] == 2
    assert moved["contacts_contact_industry_group"] == 1  # RETAIL deduplicated
    assert moved["contacts_contact_mailing_group"] == 1
    assert moved["contacts_alt_address"] == 1
    assert moved["contacts_contact (persons)"] == 2
    assert result["taken"] == ["city"]
    assert calls == [(a, b, False)]
    assert codes(app, model.contact_industry_group, "industry_group_code", a) == [
        "RETAIL",
        "WHOLESALE",
    ]
    assert codes(app, model.alt_address, "code", a) == ["HQ"]
    with app.session() as s:
        assert not entities.exists(s, "contacts.contact", b)
        survivor = entities.get(s, "contacts.contact", a)
        persons = s.execute(
            sa.select(model.contact.c.company_no, model.contact.c.company_name).where(
                model.contact.c.no.in_([p1, p2])
            )
        ).all()
    assert survivor["city"] == "Bergen" and survivor["name"] == "Contoso"
    assert set(persons) == {(a, "Contoso")}


def test_dry_run_changes_nothing(make_app):
    calls = []
    app = make_app("contacts", extra=[("erp", erp_plugin(calls))])
    a, b, _, _ = setup_pair(app)
    with app.session() as s:
        result = merge.merge(s, a, b, dry_run=True)
    assert result["dry_run"] is True
    assert result["moved"]["contacts_contact_industry_group"] == 1
    assert calls == [(a, b, True)]
    with app.session() as s:
        assert entities.exists(s, "contacts.contact", b)
    assert codes(app, model.contact_industry_group, "industry_group_code", b) == [
        "RETAIL",
        "WHOLESALE",
    ]


def test_separated_pairs_follow_the_survivor(make_app):
    from relcore_contacts import duplicates

    app = make_app("contacts")
    same = {
        "name": "Same Name",
        "address": "5 Main Street",
        "city": "Oslo",
        "phone_no": "1234567",
        "post_code": "0150",
    }
    with app.session() as s:
        a, b, c = (r["no"] for r in insert_contacts(s, [{"name": "Survivor"}, same, same]))
        duplicates.mark_separate(s, b, c)
        merge.merge(s, a, b)
        rows = duplicates.list_duplicates(s)
    assert [(r["contact_no"], r["duplicate_contact_no"], r["separate_contacts"]) for r in rows] == [
        (a, c, True)
    ]


def test_refusals(make_app):
    app = make_app("contacts")
    with app.session() as s:
        a, b = (r["no"] for r in insert_contacts(s, [{"name": "A"}, {"name": "B"}]))
        (p,) = (
            r["no"]
            for r in insert_contacts(s, [{"type": "person", "name": "P Q", "company_no": a}])
        )
        (blocked,) = (r["no"] for r in insert_contacts(s, [{"name": "C", "privacy_blocked": True}]))
    cases = [
        ((a, a), "cannot be merged with itself"),
        ((a, p), "is a person and cannot be merged into company"),
        ((a, blocked), "blocked due to privacy"),
        ((a, "CT999999"), "does not exist"),
        ((a, b, ["no"]), "cannot be taken"),
    ]
    for args, message in cases:
        with app.session() as s, pytest.raises(ValidationError, match=message):
            merge.merge(s, *args[:2], take=args[2] if len(args) > 2 else None)


def test_cli_merge_json(make_app, run_cli):
    app = make_app("contacts")
    a, b, _, _ = setup_pair(app)
    result = run_cli(app, "contacts", "merge", a, b, "--dry-run", json=True)
    assert result.exit_code == 0, result.output
    assert result.json["dry_run"] is True and result.json["taken"] == []
    result = run_cli(app, "contacts", "merge", a, b, "--take", "phone_no", json=True)
    assert result.exit_code == 0, result.output
    assert result.json["taken"] == ["phone_no"]
    assert result.json["moved"]["contacts_contact (persons)"] == 2
    result = run_cli(app, "contacts", "merge", a, a)
    assert result.exit_code == 1 and "merged with itself" in result.output
