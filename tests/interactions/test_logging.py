"""Logging interactions: the core hook (§4.5), manual logging (§4.4), test vectors IL1/2/6/7."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
import sqlalchemy as sa

from relcore.errors import ValidationError
from relcore.interactions import InteractionRecord

WORK_DATE = dt.date(2025, 1, 20)


def _entries(app):
    from relcore_interactions.model import log_entry

    with app.session() as s:
        return [
            dict(r._mapping) for r in s.execute(sa.select(log_entry).order_by(log_entry.c.entry_no))
        ]


def test_il1_manual_interaction_takes_template_defaults(ia, run_cli):
    r = run_cli(ia, "interactions", "log", "--contact", "CT000010", "--template", "BUS", json=True)
    assert r.exit_code == 0, r.output
    e = r.json
    assert e["entry_no"] == 1
    assert (e["contact_no"], e["contact_company_no"]) == ("CT000010", "CT000001")
    assert (e["cost"], e["duration"]) == ("8.00", "30.00")
    assert (e["information_flow"], e["initiated_by"]) == ("outbound", "us")
    assert e["interaction_group_code"] == "LETTER"
    assert e["date"] == WORK_DATE.isoformat()
    assert e["postponed"] is False and e["canceled"] is False and e["attempt_failed"] is False
    assert e["description"] == "Business letter" and e["subject"] == "Business letter"
    assert e["salesperson_code"] == "JO"  # the contact's salesperson (§4.4)
    # wizard time: rounded up to a whole minute
    assert e["time_of_interaction"].endswith(":00")


def test_il2_postponed_entry_is_excluded_from_statistics(ia, run_cli):
    r = run_cli(
        ia,
        "interactions",
        "log",
        "--contact",
        "CT000010",
        "--template",
        "BUS",
        "--postpone",
        json=True,
    )
    assert r.exit_code == 0, r.output
    assert r.json["postponed"] is True
    r = run_cli(ia, "interactions", "stats", "--contact", "CT000010", json=True)
    assert r.json["no_of_interactions"] == 0
    r = run_cli(ia, "interactions", "list", "--postponed", json=True)
    assert [x["entry_no"] for x in r.json] == [1]


def test_resume_finishes_the_same_entry(ia, run_cli):
    r = run_cli(
        ia,
        "interactions",
        "log",
        "--contact",
        "CT000010",
        "--template",
        "BUS",
        "--postpone",
        "--set",
        "date=2025-01-01",
        "--comment",
        "call back",
        json=True,
    )
    no = r.json["entry_no"]
    ia.work_date = dt.date(2025, 2, 3)
    r = run_cli(ia, "interactions", "resume", str(no), "--set", "description=Offer sent", json=True)
    assert r.exit_code == 0, r.output
    assert r.json["entry_no"] == no and r.json["postponed"] is False
    assert r.json["date"] == "2025-02-03"  # Date := WorkDate on resume
    assert r.json["description"] == "Offer sent"
    assert len(_entries(ia)) == 1
    r = run_cli(ia, "interactions", "stats", "--contact", "CT000010", json=True)
    assert r.json["no_of_interactions"] == 1
    r = run_cli(ia, "interactions", "resume", str(no))
    assert r.exit_code == 1 and "is not postponed" in r.output
    r = run_cli(ia, "interactions", "show", str(no), json=True)
    assert [c["comment"] for c in r.json["comments"]] == ["call back"]


def test_il6_template_ignoring_contact_type_wins(ia):
    from relcore_interactions import templates as t

    with ia.session() as s:
        t.import_attachment(s, "GOLF", "", b"Golf day!", "golf.txt")
        rows = ia.log_interactions(
            s, [InteractionRecord("CT000010", "GOLF", salesperson_code="JO")]
        )
    # CT000010 prefers hard copy; GOLF is Email with Ignore Contact Corres. Type
    assert rows[0]["correspondence_type"] == "email"


def test_il7_blank_contact_type_and_blank_template_default_keep_blank(ia):
    with ia.session() as s:
        rows = ia.log_interactions(
            s, [InteractionRecord("CT000001", "INHOUSE", salesperson_code="JO")]
        )
    assert rows[0]["correspondence_type"] == ""


def test_correspondence_type_resolution_rules():
    from relcore_interactions.correspondence import resolve_correspondence_type as r

    assert (
        r(template_default="email", template_ignores_contact=True, contact_type="hard_copy")
        == "email"
    )
    assert r(template_default="email", template_ignores_contact=False, contact_type="") == "email"
    assert (
        r(template_default="email", template_ignores_contact=False, contact_type="hard_copy")
        == "hard_copy"
    )
    assert (
        r(
            template_default="",
            template_ignores_contact=False,
            contact_type="",
            previous="hard_copy",
        )
        == "hard_copy"
    )
    assert (
        r(
            template_default="email",
            template_ignores_contact=True,
            contact_type="",
            segment_ignores_contact=True,
            segment_default="hard_copy",
        )
        == "hard_copy"
    )


def test_batch_is_one_insert_and_checks_name_the_record(ia):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO interactions_log_entry"):
            statements.append(executemany)

    sa.event.listen(ia.engine, "before_cursor_execute", count)
    try:
        with ia.session() as s:
            records = [
                InteractionRecord(no, "INHOUSE", salesperson_code="PS", comment=f"note {no}")
                for no in ("CT000001", "CT000010", "CT000011", "CT000020")
            ]
            rows = ia.log_interactions(s, records)
    finally:
        sa.event.remove(ia.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert [r["entry_no"] for r in rows] == [1, 2, 3, 4]
    assert [r["contact_company_no"] for r in rows] == ["CT000001", "CT000001", "CT000001", None]
    with ia.session() as s, pytest.raises(ValidationError) as err:
        ia.log_interactions(
            s,
            [
                InteractionRecord("CT000001", "INHOUSE", salesperson_code="JO"),
                InteractionRecord("CT000010", "NOPE", salesperson_code="JO"),
            ],
        )
    assert str(err.value).startswith(
        "Interaction row 2 (contact CT000010): field interaction_template_code:"
    )
    assert len(_entries(ia)) == 4  # nothing half-written


def test_checks_of_log_interaction(ia):
    with ia.session() as s:
        with pytest.raises(ValidationError, match="blocked due to privacy"):
            ia.log_interactions(s, [InteractionRecord("CT000099", "BUS", salesperson_code="JO")])
        with pytest.raises(ValidationError, match="Contact CT000404: does not exist"):
            ia.log_interactions(s, [InteractionRecord("CT000404", "BUS", salesperson_code="JO")])
        with pytest.raises(ValidationError, match="must select a contact"):
            ia.log_interactions(s, [InteractionRecord("", "BUS", salesperson_code="JO")])
        with pytest.raises(ValidationError, match="field salesperson_code: You must fill in"):
            ia.log_interactions(s, [InteractionRecord("CT000010", "BUS")])
        with pytest.raises(ValidationError, match="salesperson 'XX' does not exist"):
            ia.log_interactions(s, [InteractionRecord("CT000010", "BUS", salesperson_code="XX")])
        with pytest.raises(ValidationError, match="privacy blocked"):
            ia.log_interactions(s, [InteractionRecord("CT000010", "BUS", salesperson_code="BLK")])
        with pytest.raises(ValidationError, match="field cost: must not be negative"):
            ia.log_interactions(
                s,
                [
                    InteractionRecord(
                        "CT000010", "BUS", salesperson_code="JO", cost=decimal.Decimal("-1")
                    )
                ],
            )
        # a document may be logged without salesperson (§4.5); postponed skips the checks
        rows = ia.log_interactions(
            s,
            [
                InteractionRecord("CT000010", "BUS", document_type="sales_inv", document_no="1"),
                InteractionRecord("CT000010", "BUS", postponed=True),
            ],
        )
        assert [r["salesperson_code"] for r in rows] == [None, None]


def test_email_without_address_becomes_blank_or_refuses_delivery(ia, run_cli):
    from relcore_interactions import templates as t

    with ia.session() as s:
        t.add_template(
            s,
            "MAIL",
            "EMAIL",
            {
                "correspondence_type": "email",
                "description": "Mail",
                "ignore_contact_corres_type": True,
            },
        )
        t.import_attachment(s, "MAIL", "", b"Hello", "mail.txt")
        rows = ia.log_interactions(
            s, [InteractionRecord("CT000011", "MAIL", salesperson_code="JO")]
        )
    assert rows[0]["correspondence_type"] == ""  # CT000011 has no e-mail (§4.5)
    r = run_cli(ia, "interactions", "log", "--contact", "CT000011", "--template", "MAIL")
    assert r.exit_code == 1
    assert "Make sure that the Email field is specified for either contact no. CT000011" in r.output


def test_finish_checks_of_the_wizard(ia, run_cli):
    from relcore_interactions import templates as t

    with ia.session() as s:
        t.add_template(
            s,
            "MAIL",
            "EMAIL",
            {
                "correspondence_type": "email",
                "description": "Mail",
                "ignore_contact_corres_type": True,
            },
        )
        t.add_template(
            s,
            "IMP",
            "LETTER",
            {"wizard_action": "import", "description": "Imp", "correspondence_type": ""},
        )
    r = run_cli(ia, "interactions", "log", "--contact", "CT000010", "--template", "MAIL")
    assert r.exit_code == 1 and "The correspondence type for this interaction is Email" in r.output
    r = run_cli(ia, "interactions", "log", "--contact", "CT000020", "--template", "BUS")
    assert r.exit_code == 1 and "field salesperson_code: You must fill in" in r.output
    r = run_cli(
        ia,
        "interactions",
        "log",
        "--contact",
        "CT000010",
        "--template",
        "BUS",
        "--set",
        "description=",
    )
    assert r.exit_code == 1 and "You must fill in the description field" in r.output
    r = run_cli(ia, "interactions", "log", "--contact", "CT000010", "--template", "IMP")
    assert r.exit_code == 1 and "--attachment" in r.output


def test_attempt_failed_and_set_fields(ia, run_cli):
    r = run_cli(
        ia,
        "interactions",
        "log",
        "--contact",
        "CT000010",
        "--template",
        "OUTGOING",
        "--set",
        "interaction_successful=no",
        "--set",
        "cost=2.5",
        "--set",
        "salesperson_code=ps",
        "--set",
        "evaluation=positive",
        json=True,
    )
    assert r.exit_code == 0, r.output
    e = r.json
    assert e["attempt_failed"] is True and e["cost"] == "2.50" and e["salesperson_code"] == "PS"
    assert e["evaluation"] == "positive"
    r = run_cli(
        ia,
        "interactions",
        "log",
        "--contact",
        "CT000010",
        "--template",
        "BUS",
        "--set",
        "colour=red",
    )
    assert r.exit_code == 1 and "field colour" in r.output


def test_entry_numbers_are_never_reused_after_a_rollback(ia):
    with ia.session() as s:
        first = ia.log_interactions(
            s, [InteractionRecord("CT000001", "INHOUSE", salesperson_code="JO")]
        )[0]
    with pytest.raises(RuntimeError), ia.session() as s:
        lost = ia.log_interactions(
            s, [InteractionRecord("CT000001", "INHOUSE", salesperson_code="JO")] * 3
        )
        raise RuntimeError("roll back")
    with ia.session() as s:
        after = ia.log_interactions(
            s, [InteractionRecord("CT000001", "INHOUSE", salesperson_code="JO")]
        )[0]
    assert first["entry_no"] == 1
    assert after["entry_no"] > max(r["entry_no"] for r in lost)
    assert [e["entry_no"] for e in _entries(ia)] == [1, after["entry_no"]]


def test_language_follows_the_contact_when_the_template_has_it(ia):
    from relcore_interactions import templates as t

    from relcore import entities

    with ia.session() as s:
        entities.update(s, "contacts.contact", "CT000010", {"language_code": "DEU"})
        t.edit_template(s, "BUS", {"language_code_default": "ENU"})
        t.add_language(s, "BUS", "DEU")
        t.add_template(
            s, "OTHER", "LETTER", {"language_code_default": "ENU", "correspondence_type": ""}
        )
        rows = ia.log_interactions(
            s,
            [
                InteractionRecord("CT000010", "BUS", salesperson_code="JO"),
                InteractionRecord("CT000010", "OTHER", salesperson_code="JO"),
                InteractionRecord("CT000011", "BUS", salesperson_code="JO"),
            ],
        )
    assert [r["language_code"] for r in rows] == ["DEU", "ENU", "ENU"]


def test_list_of_a_company_includes_its_persons(ia, run_cli):
    with ia.session() as s:
        ia.log_interactions(
            s,
            [
                InteractionRecord(no, "INHOUSE", salesperson_code="JO")
                for no in ("CT000001", "CT000010", "CT000002", "CT000020")
            ],
        )
    r = run_cli(ia, "interactions", "list", "--contact", "CT000001", json=True)
    assert sorted(x["contact_no"] for x in r.json) == ["CT000001", "CT000010"]
    r = run_cli(ia, "interactions", "list", "--contact", "CT000010", json=True)
    assert [x["contact_no"] for x in r.json] == ["CT000010"]
    r = run_cli(ia, "interactions", "list", json=True)
    assert r.exit_code == 0 and len(r.json) == 4
    assert run_cli(ia, "interactions", "list").exit_code == 0
