"""Set-based segment logging (issue #15) against the record-by-record path, and delivery without
an e-mail address (issue #14 item 4, §4.5, §5.6)."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from relcore_interactions.api import template_language_table
from relcore_interactions.model import log_entry
from relcore_segments import model, segment_log, segments

from relcore import entities
from relcore.errors import ValidationError

CONTACTS = ("P1", "P2", "P3", "C1", "C2")
IGNORED = {"entry_no", "logged_segment_entry_no", "segment_no", "logged_at"}


def _segment(session, lines: list[dict], **header) -> str:
    """A segment with exactly these lines (line no. 10000, 20000, …), written as plain rows."""
    no = segments.create_segment(session, {"description": "Mailing", **header})["no"]
    base = {
        "contact_alt_address_code": "",
        "description": "Mailing",
        "campaign_no": None,
        "salesperson_code": "JO",
        "interaction_template_code": "BUS",
        "interaction_group_code": "LETTER",
        "cost_lcy": decimal.Decimal("2"),
        "duration_min": decimal.Decimal("5"),
        "date": None,
        "campaign_target": False,
        "information_flow": "outbound",
        "initiated_by": "us",
        "campaign_response": False,
        "correspondence_type": "",
        "language_code": None,
        "subject": "",
        "evaluation": "",
        "interaction_successful": True,
        "contact_via": "",
        "send_word_doc_as_attmt": False,
        "document_type": "",
        "document_no": "",
    }
    rows = [
        {**base, **line, "segment_no": no, "line_no": 10000 * (i + 1)}
        for i, line in enumerate(lines)
    ]
    rows = [{**r, "contact_company_no": r.get("contact_company_no")} for r in rows]
    if rows:
        session.execute(sa.insert(model.line), rows)
    return no


def _entries(session, logged_entry_no: int) -> list[dict]:
    rows = session.execute(
        sa.select(log_entry)
        .where(log_entry.c.logged_segment_entry_no == logged_entry_no)
        .order_by(log_entry.c.entry_no)
    )
    return [{k: v for k, v in r._mapping.items() if k not in IGNORED} for r in rows]


class _Rollback(Exception):
    pass


def _setup_languages(session) -> None:
    """Template BUS gets language versions DEU (with an attachment) and FRA; P2 speaks DEU and
    has an alternative address HOME with an e-mail."""
    from relcore_contacts import model as contacts_model
    from relcore_interactions import attachments

    languages = [{"code": "DEU", "name": "German"}, {"code": "FRA", "name": "French"}]
    entities.insert(session, "contacts.language", languages)
    (attachment_no,) = attachments.store_many(session, [(b"Hallo", "brief.txt")])
    session.execute(
        sa.insert(template_language_table),
        [
            {
                "interaction_template_code": "BUS",
                "language_code": "DEU",
                "description": "Brief",
                "attachment_no": attachment_no,
            },
            {
                "interaction_template_code": "BUS",
                "language_code": "FRA",
                "description": "Lettre",
                "attachment_no": None,
            },
        ],
    )
    session.execute(
        sa.update(contacts_model.contact)
        .where(contacts_model.contact.c.no == "P2")
        .values(language_code="DEU")
    )
    session.execute(
        sa.insert(contacts_model.alt_address),
        [{"contact_no": "P2", "code": "HOME", "email": "bob@home.test"}],
    )


_line = st.fixed_dictionaries(
    {
        "contact_no": st.sampled_from(CONTACTS),
        "interaction_template_code": st.sampled_from(["BUS", "RESP"]),
        "salesperson_code": st.sampled_from(["JO", "PS"]),
        "correspondence_type": st.sampled_from(["", "hard_copy", "email"]),
        "language_code": st.sampled_from([None, "", "DEU", "FRA"]),
        "description": st.sampled_from(["", "Mailing", "Sommerbrief"]),
        "subject": st.sampled_from(["", "Hello"]),
        "cost_lcy": st.decimals(0, 50, places=2),
        "duration_min": st.decimals(0, 90, places=2),
        "date": st.sampled_from([None, dt.date(2024, 2, 1)]),
        "information_flow": st.sampled_from(["", "outbound", "inbound"]),
        "initiated_by": st.sampled_from(["", "us", "them"]),
        "campaign_no": st.sampled_from([None, "CP1"]),
        "campaign_target": st.booleans(),
        "campaign_response": st.booleans(),
        "interaction_successful": st.booleans(),
        "evaluation": st.sampled_from(["", "positive", "negative"]),
        "contact_alt_address_code": st.sampled_from(["", "HOME"]),
        "contact_via": st.sampled_from(["", "+47 1234"]),
    }
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=st.lists(_line, min_size=1, max_size=12))
def test_both_paths_write_the_same_entries(sg_app, lines):
    """Random segments logged set-based and record by record (the latter with the interactions
    plugin's own per-record checks, not the shared validation queries) give the same entries,
    or the same refusal (same field and message, the same line)."""
    import relcore_interactions.api as interactions

    def outcome(session, no, set_based):
        try:
            result = segment_log.log_segment(session, no, set_based=set_based)
        except ValidationError as error:
            # the record path names the row by its contact, the set path the line too
            return ("refused", error.field, error.message, error.key.split()[-1])
        return ("logged", result.interactions, _entries(session, result.logged_segment_entry_no))

    with pytest.raises(_Rollback), sg_app.session() as session:
        _setup_languages(session)
        set_no = _segment(session, lines)
        record_no = _segment(session, lines)
        by_set = outcome(session, set_no, True)
        checks = interactions.check_lines
        interactions.check_lines = lambda *a, **k: None  # the record path's own checks only
        try:
            by_record = outcome(session, record_no, False)
        finally:
            interactions.check_lines = checks
        assert by_set == by_record
        raise _Rollback


@pytest.mark.usefixtures("log_path")
def test_deliver_refuses_email_line_without_address(sg_app):
    """#14.4: BC refuses (§4.5); nothing is written, the segment stays."""
    with sg_app.session() as session:
        no = _segment(
            session,
            [
                {"contact_no": "P1", "correspondence_type": "email"},
                {"contact_no": "P3", "correspondence_type": "email"},
            ],
        )
    with pytest.raises(ValidationError) as caught, sg_app.session() as session:
        segment_log.log_segment(session, no, deliver=True)
    assert str(caught.value) == (
        f"Segment Line {no} 20000 (contact P3): field correspondence_type: Make sure that the "
        "Email field is specified for either contact no. P3 or the contact alternative address."
    )
    with sg_app.session() as session:
        assert segments.segment_summary(session, no)["no_of_lines"] == 2
        assert session.execute(sa.select(sa.func.count()).select_from(log_entry)).scalar() == 0


@pytest.mark.usefixtures("log_path")
def test_without_delivery_email_line_without_address_is_logged_untyped(sg_app):
    with sg_app.session() as session:
        no = _segment(session, [{"contact_no": "P3", "correspondence_type": "email"}])
        segment_log.log_segment(session, no)
        entry = session.execute(sa.select(log_entry)).one()
    assert (entry.correspondence_type, entry.delivery_status) == ("", "")


@pytest.mark.usefixtures("log_path")
def test_first_failing_line_is_named(sg_app):
    with sg_app.session() as session:
        no = _segment(
            session,
            [
                {"contact_no": "P1"},
                {"contact_no": "P2", "salesperson_code": "NOBODY"},
                {"contact_no": "P3", "salesperson_code": "GHOST"},
            ],
        )
    with pytest.raises(ValidationError) as caught, sg_app.session() as session:
        segment_log.log_segment(session, no)
    assert str(caught.value) == (
        f"Segment Line {no} 20000 (contact P2): field salesperson_code: "
        "salesperson 'NOBODY' does not exist"
    )


def test_set_based_path_writes_one_statement_for_the_entries(sg_app):
    """The set-based path does not build a record per line: one INSERT for all entries."""
    statements: list[str] = []
    with sg_app.session() as session:
        no = _segment(session, [{"contact_no": c} for c in CONTACTS])

        @sa.event.listens_for(session, "before_cursor_execute")
        def _seen(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("INSERT INTO INTERACTIONS_LOG_ENTRY"):
                statements.append(statement)

        result = segment_log.log_segment(session, no, set_based=True)
    assert result.interactions == len(CONTACTS)
    assert len(statements) == 1 and "SELECT" in statements[0].upper()


@pytest.mark.usefixtures("log_path")
def test_campaign_check_hook_refuses_an_unknown_campaign(sg_app):
    """§4.5: the campaign of a line must exist (``relcore_interactions_check_campaigns``)."""
    from relcore import hookimpl

    asked = []

    class Campaigns:
        @staticmethod
        @hookimpl
        def relcore_interactions_check_campaigns(session, campaign_nos):
            asked.append(list(campaign_nos))
            if "NOPE" in campaign_nos:
                raise ValidationError("does not exist", entity="Campaign", key="NOPE")

    sg_app.pm.register(Campaigns, name="campaign_check")
    with sg_app.session() as session:
        ok = _segment(session, [{"contact_no": "P1", "campaign_no": "CP1"}])
        bad = _segment(session, [{"contact_no": "P1", "campaign_no": "CP1"}, {"contact_no": "P3"}])
        session.execute(
            sa.update(model.line).where(model.line.c.line_no == 20000).values(campaign_no="NOPE")
        )
        segment_log.log_segment(session, ok)
    with pytest.raises(ValidationError, match="Campaign NOPE"), sg_app.session() as session:
        segment_log.log_segment(session, bad)
    assert ["CP1"] in asked and ["CP1", "NOPE"] in asked


def test_entry_numbers_with_gaps_follow_line_order(sg_app, monkeypatch):
    """PostgreSQL's sequence may hand out numbers with gaps (concurrent writers): the entries
    still get them in line order."""
    from relcore_interactions import set_log

    monkeypatch.setattr(set_log, "next_entry_nos", lambda session, table, n: [5, 9, 10, 40][:n])
    with sg_app.session() as session:
        no = _segment(session, [{"contact_no": c} for c in ("P3", "P1", "C2", "P2")])
        segment_log.log_segment(session, no, set_based=True)
        rows = session.execute(
            sa.select(log_entry.c.entry_no, log_entry.c.contact_no).order_by(log_entry.c.entry_no)
        ).all()
    assert [tuple(r) for r in rows] == [(5, "P3"), (9, "P1"), (10, "C2"), (40, "P2")]
