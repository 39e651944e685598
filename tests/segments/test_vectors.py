"""The BC segment test vectors SG1–SG12 (§5.9), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from relcore_interactions.model import log_entry
from relcore_segments import criteria, logged, saved_criteria, segment_log, segments

from relcore.errors import ValidationError
from tests.segments.conftest import WORK_DATE

PURCHASE = {"job_responsibility": {"code": "PURCHASE"}}

# SG1-SG12 on both logging paths (set-based and record by record), issue #15
pytestmark = pytest.mark.usefixtures("log_path")


def contacts_of(session, no):
    return [r["contact_no"] for r in segments.segment_lines(session, no)]


def new_segment(session, **values):
    return segments.create_segment(session, {"description": "Workshop", **values})["no"]


def test_sg1_new_header(seg_app):
    with seg_app.session() as session:
        seg_app.setup.set(session, "segments.salesperson_code", "JO")
        header = segments.create_segment(session, {"description": "Workshop"})
    assert header["no"] == "SM00001"
    assert header["date"] == WORK_DATE
    assert header["salesperson_code"] == "JO"


def test_sg2_add_by_job_responsibility(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        result = criteria.add_contacts(session, no, PURCHASE)
        lines = segments.segment_lines(session, no)
        crit = criteria.criteria_of(session, no)
        summary = segments.segment_summary(session, no)
    assert result.inserted == 2
    assert [(r["line_no"], r["contact_no"], r["contact_company_no"]) for r in lines] == [
        (10000, "P1", "C1"),
        (20000, "P3", "C2"),
    ]
    assert summary["no_of_criteria_actions"] == 1
    assert [(c["type"], c["source"]) for c in crit] == [
        ("action", ""),
        ("filter", "job_responsibility"),
    ]
    assert crit[0]["action"] == "add_contacts" and crit[0]["no_of_filters"] == 1


def test_sg3_allow_related_companies(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE, allow_related_companies=True)
        assert contacts_of(session, no) == ["C1", "P1", "C2", "P3"]


def test_sg4_reduce_on_company_relation(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        result = criteria.reduce_contacts(session, no, {"business_relation": {"code": "CUST"}})
        assert contacts_of(session, no) == ["P3"]
        history = session.execute(
            sa.text(
                "select segment_action_no, contact_no, action_taken from segments_history "
                "where segment_action_no = 2"
            )
        ).all()
    assert result.deleted == 1
    assert [tuple(h) for h in history] == [(2, "P1", "deletion")]


def test_sg5_go_back(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        criteria.reduce_contacts(session, no, {"business_relation": {"code": "CUST"}})
        criteria.go_back(session, no)
        lines = segments.segment_lines(session, no)
        assert sorted(r["contact_no"] for r in lines) == ["P1", "P3"]
        assert [r for r in lines if r["contact_no"] == "P1"][0]["line_no"] == 30000
        assert segments.no_of_criteria_actions(session, no) == 1
        assert len(criteria.criteria_of(session, no)) == 2
        left = session.execute(
            sa.text("select count(*) from segments_history where segment_action_no = 2")
        ).scalar()
    assert left == 0


def test_sg6_refine_type_company(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        result = criteria.refine_contacts(session, no, {"contact": {"type": "Company"}})
        assert contacts_of(session, no) == []
    assert result.deleted == 2


def test_sg7_add_again_without_existing(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        again = criteria.add_contacts(session, no, PURCHASE)
        assert again.inserted == 0
        assert len(contacts_of(session, no)) == 2
        assert segments.no_of_criteria_actions(session, no) == 2


def _two_line_segment(session, **values):
    no = new_segment(
        session, campaign_no="CP1", interaction_template_code="BUS", salesperson_code="JO", **values
    )
    criteria.add_contacts(session, no, PURCHASE)
    return no


def test_sg8_log(sg_app):
    calls = []

    class Campaigns:
        requires = ("segments",)

        @staticmethod
        def relcore_segments_logged(session, logged_segments):
            for logged_segment in logged_segments:
                nos = session.execute(
                    sa.select(log_entry.c.entry_no)
                    .where(log_entry.c.logged_segment_entry_no == logged_segment["entry_no"])
                    .order_by(log_entry.c.entry_no)
                ).scalars()
                calls.append((logged_segment["entry_no"], list(nos)))

    from relcore import hookimpl

    hookimpl(Campaigns.relcore_segments_logged)
    app = sg_app
    app.pm.register(Campaigns, name="campaigns")
    with app.session() as session:
        no = _two_line_segment(session)
        result = segment_log.log_segment(session, no)
        entries = session.execute(sa.select(log_entry).order_by(log_entry.c.entry_no)).all()
        assert session.execute(sa.text("select count(*) from segments_header")).scalar() == 0
        assert session.execute(sa.text("select count(*) from segments_line")).scalar() == 0
    assert result.logged_segment_entry_no == 1 and result.interactions == 2
    assert [
        (
            e.contact_no,
            e.logged_segment_entry_no,
            e.campaign_no,
            e.segment_no,
            e.interaction_template_code,
        )
        for e in entries
    ] == [("P1", 1, "CP1", no, "BUS"), ("P3", 1, "CP1", no, "BUS")]
    assert calls == [(1, [e.entry_no for e in entries])]


def test_sg9_log_same_no_again(sg_app):
    with sg_app.session() as session:
        no = _two_line_segment(session)
        segment_log.log_segment(session, no)
        segments.create_segment(
            session,
            {"description": "Again", "salesperson_code": "JO", "interaction_template_code": "BUS"},
            no=no,
        )
        criteria.add_contacts(session, no, PURCHASE)
        with pytest.raises(
            ValidationError, match=f"Logged Segment for Segment No. {no} already exists."
        ):
            segment_log.log_segment(session, no)


def test_sg10_follow_up(sg_app):
    with sg_app.session() as session:
        no = _two_line_segment(session)
        result = segment_log.log_segment(session, no, follow_up=True)
        follow = segments.get_segment(session, result.follow_up_segment_no)
        assert follow["description"] == f"Follow-up on segment {no}"
        assert follow["campaign_no"] == "CP1"
        assert contacts_of(session, follow["no"]) == ["P1", "P3"]


def test_sg11_empty_segment(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        with pytest.raises(ValidationError, match=f"Segment {no} is empty."):
            segment_log.log_segment(session, no)


def test_sg12_delete_canceled_logged_segment(sg_app):
    with sg_app.session() as session:
        no = _two_line_segment(session)
        segment_log.log_segment(session, no)
        logged.toggle_canceled(session, 1)
        assert all(session.execute(sa.select(log_entry.c.canceled)).scalars())
        assert logged.delete_canceled(session) == [1]
        assert logged.list_logged_segments(session) == []
        left = session.execute(sa.select(log_entry.c.logged_segment_entry_no)).scalars().all()
    assert left == [None, None]  # BC's "Logged Segment Entry No. 0"


def test_saved_criteria_roundtrip(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        criteria.reduce_contacts(session, no, {"business_relation": {"code": "CUST"}})
        saved_criteria.save_criteria(session, no, "WORKSHOP")
        other = new_segment(session)
        results = saved_criteria.reuse_criteria(session, other, "WORKSHOP")
        assert [r.action for r in results] == ["add_contacts", "remove_contacts_reduce"]
        assert contacts_of(session, other) == ["P3"]
