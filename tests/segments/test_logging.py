"""Logging segments (§5.6): one transaction, batches, the campaigns hook, delivery, cancel."""

from __future__ import annotations

import types

import pytest
import sqlalchemy as sa
from relcore_interactions.api import log_entry_table as E
from relcore_segments import criteria, logged, segment_log, segments

from relcore import hookimpl
from relcore.errors import ValidationError
from tests.segments.conftest import WORK_DATE, add_contacts

pytestmark = pytest.mark.usefixtures("log_path")


def _campaigns_plugin(calls: list, fail_on: int | None = None) -> types.ModuleType:
    """A stand-in campaigns plugin: records (or refuses) the segment logging hooks."""
    module = types.ModuleType("fake_campaigns")
    module.requires = ("segments",)

    @hookimpl
    def relcore_segments_logged(session, logged_segments):
        for logged_segment in logged_segments:
            written = session.execute(
                sa.select(sa.func.count())
                .select_from(E)
                .where(E.c.logged_segment_entry_no == logged_segment["entry_no"])
            ).scalar_one()
            calls.append(("logged", logged_segment["entry_no"], written))
        if fail_on is not None and len(calls) >= fail_on:
            raise ValidationError("campaign entry refused")

    @hookimpl
    def relcore_segments_logged_canceled(session, entry_nos, canceled):
        calls.append(("canceled", entry_nos, canceled))

    @hookimpl
    def relcore_segments_logged_deleted(session, entry_nos):
        calls.append(("deleted", entry_nos))

    module.relcore_segments_logged = relcore_segments_logged
    module.relcore_segments_logged_canceled = relcore_segments_logged_canceled
    module.relcore_segments_logged_deleted = relcore_segments_logged_deleted
    return module


def _app(make_app, plugin):
    app = make_app(
        "contacts", "interactions", "segments", extra=[("campaigns", plugin)], work_date=WORK_DATE
    )
    with app.session() as session:
        from relcore import entities

        entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        entities.insert(session, "interactions.group", [{"code": "LETTER"}])
        entities.insert(
            session,
            "interactions.template",
            [{"code": "BUS", "interaction_group_code": "LETTER", "correspondence_type": ""}],
        )
        add_contacts(
            session,
            *(
                {"no": f"C{i:05d}", "name": f"Company {i}", "company_name": f"Company {i}"}
                for i in range(25)
            ),
        )
        segments.create_segment(
            session,
            {
                "description": "Mailing",
                "campaign_no": "CP1",
                "interaction_template_code": "BUS",
                "salesperson_code": "JO",
            },
        )
        criteria.add_contacts(session, "SM00001")
    return app


def test_campaign_hook_called_once_after_every_batch_is_written(make_app, monkeypatch):
    calls: list = []
    app = _app(make_app, _campaigns_plugin(calls))
    monkeypatch.setattr(segment_log, "BATCH_SIZE", 10)
    with app.session() as session:
        result = segment_log.log_segment(session, "SM00001")
        count = session.execute(sa.select(sa.func.count()).select_from(E)).scalar_one()
    assert result.interactions == 25 and count == 25
    assert calls == [("logged", 1, 25)]


def test_failing_hook_mid_log_leaves_segment_intact(make_app, monkeypatch):
    calls: list = []
    app = _app(make_app, _campaigns_plugin(calls, fail_on=1))
    monkeypatch.setattr(segment_log, "BATCH_SIZE", 10)
    with pytest.raises(ValidationError, match="campaign entry refused"), app.session() as s:
        segment_log.log_segment(s, "SM00001")
    with app.session() as session:
        assert segments.segment_summary(session, "SM00001")["no_of_lines"] == 25
        assert session.execute(sa.select(sa.func.count()).select_from(E)).scalar_one() == 0
        assert logged.list_logged_segments(session) == []


def test_cancel_toggle_cascades(make_app):
    calls: list = []
    app = _app(make_app, _campaigns_plugin(calls))
    with app.session() as session:
        segment_log.log_segment(session, "SM00001")
        assert logged.toggle_canceled(session, 1)["canceled"] is True
        assert set(session.execute(sa.select(E.c.canceled)).scalars()) == {True}
        assert logged.toggle_canceled(session, 1)["canceled"] is False
        assert set(session.execute(sa.select(E.c.canceled)).scalars()) == {False}
        assert logged.delete_canceled(session) == []
        logged.toggle_canceled(session, 1)
        assert logged.delete_canceled(session) == [1]
    assert calls[1:] == [
        ("canceled", [1], True),
        ("canceled", [1], False),
        ("canceled", [1], True),
        ("deleted", [1]),
    ]


def test_uncancel_refused_while_logged_segment_canceled(sg_app):
    from relcore_interactions.maintenance import uncancel

    with sg_app.session() as session:
        no = segments.create_segment(
            session,
            {"description": "X", "salesperson_code": "JO", "interaction_template_code": "BUS"},
        )["no"]
        criteria.add_contacts(session, no, {"job_responsibility": {"code": "PURCHASE"}})
        segment_log.log_segment(session, no)
        logged.toggle_canceled(session, 1)
        nos = list(session.execute(sa.select(E.c.entry_no)).scalars())
        with pytest.raises(ValidationError, match="Logged Segment 1"):
            uncancel(session, nos)


def test_log_requires_description_and_template(sg_app):
    with sg_app.session() as session:
        no = segments.create_segment(session, {"description": "X"})["no"]
        criteria.add_contacts(session, no, {"contact": {"no": "P1"}})
        with pytest.raises(ValidationError, match="interaction_template_code: must have"):
            segment_log.log_segment(session, no)
        segments.update_segment(session, no, {"description": ""})
        with pytest.raises(ValidationError, match="field description: must have a value"):
            segment_log.log_segment(session, no)


def test_log_fields_reach_the_entries(sg_app):
    with sg_app.session() as session:
        no = segments.create_segment(
            session,
            {
                "description": "Letters",
                "salesperson_code": "JO",
                "interaction_template_code": "BUS",
                "campaign_no": "CP9",
            },
        )["no"]
        criteria.add_contacts(session, no, {"contact": {"no": "P1"}})
        segment_log.log_segment(session, no)
        entry = session.execute(sa.select(E)).one()
    assert (
        entry.contact_no,
        entry.description,
        entry.cost,
        entry.duration,
        entry.date,
        entry.information_flow,
        entry.salesperson_code,
        entry.campaign_no,
        entry.correspondence_type,
    ) == ("P1", "Letters", 2, 5, WORK_DATE, "outbound", "JO", "CP9", "email")


def test_deliver_hands_entries_to_the_interactions_plugin(sg_app, monkeypatch):
    import relcore_interactions.api as api

    seen = []
    monkeypatch.setattr(api, "deliver", lambda session, nos: seen.append(list(nos)) or {})
    with sg_app.session() as session:
        no = segments.create_segment(
            session,
            {"description": "Mail", "salesperson_code": "JO", "interaction_template_code": "BUS"},
        )["no"]
        criteria.add_contacts(session, no, {"job_responsibility": {"code": "PURCHASE"}})
        result = segment_log.log_segment(session, no, deliver=True)
        statuses = list(
            session.execute(sa.select(E.c.delivery_status).order_by(E.c.entry_no)).scalars()
        )
    assert result.delivered == 2 and len(seen[0]) == 2
    assert statuses == ["in_progress", "in_progress"]
