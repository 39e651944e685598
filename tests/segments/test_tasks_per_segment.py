"""One task per segment contact (§7.4, TK9), set-based through the segments plugin's
``relcore_interactions_segment_lines`` select; and activities assigned to a segment."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from relcore_interactions import activities, task_service, tasks
from relcore_interactions.api import assign_activity
from relcore_segments import criteria, segments

from relcore import entities, numbering
from relcore.errors import ValidationError


def _segment(session, **header):
    header.setdefault("description", "Mailing")
    segments.create_segment(session, header)
    criteria.add_contacts(session, "SM00001", {"contact": {"type": "person"}})


def test_tk9_one_task_per_segment_contact(sg_app):
    with sg_app.session() as session:
        _segment(session, salesperson_code="PS", campaign_no="CP1")
        rows = task_service.create_task(
            session,
            {"description": "Call", "segment_no": "SM00001", "date": "2024-02-01"},
            comments=["ask about the fair"],
        )
        shown = tasks.show_task(session, rows[2]["no"])
    assert [r["no"] for r in rows] == ["TD000001", "TD000002", "TD000003"]
    assert [r["contact_no"] for r in rows] == ["P1", "P2", "P3"]
    assert [r["contact_company_no"] for r in rows] == ["C1", "C1", "C2"]
    assert {r["segment_no"] for r in rows} == {"SM00001"}
    assert {(r["salesperson_code"], r["campaign_no"]) for r in rows} == {("PS", "CP1")}
    assert all(r["organizer_to_do_no"] == r["no"] for r in rows)
    assert all(r["system_to_do_type"] == "organizer" and r["version"] == 1 for r in rows)
    assert shown["comments"] == ["ask about the fair"]
    assert shown["ending_date"] is not None


def test_given_owner_wins_and_privacy_blocked_contact_refuses_all(sg_app):
    with sg_app.session() as session:
        _segment(session, salesperson_code="PS")
        rows = task_service.create_task(
            session, {"description": "Call", "segment_no": "SM00001", "salesperson_code": "JO"}
        )
        assert {r["salesperson_code"] for r in rows} == {"JO"}
        entities.update(session, "contacts.contact", "P2", {"privacy_blocked": True})
    refused = pytest.raises(ValidationError, match="You cannot use contact P2")
    with refused, sg_app.session() as session:
        task_service.create_task(session, {"description": "Again", "segment_no": "SM00001"})
    with sg_app.session() as session:
        assert len(tasks.list_tasks(session, segment_no="SM00001")) == 3


def test_segment_lines_without_salesperson_need_an_owner(sg_app):
    with sg_app.session() as session:
        _segment(session)
        with pytest.raises(ValidationError, match="You must fill in either the Team Code"):
            task_service.create_task(session, {"description": "Call", "segment_no": "SM00001"})


def test_unknown_or_empty_segment(sg_app):
    with sg_app.session() as session:
        with pytest.raises(ValidationError, match="Segment SM00009: does not exist"):
            task_service.create_task(
                session, {"description": "x", "segment_no": "SM00009", "salesperson_code": "JO"}
            )
        segments.create_segment(session, {"description": "Empty"})
        rows = task_service.create_task(
            session, {"description": "x", "segment_no": "SM00001", "salesperson_code": "JO"}
        )
    assert [(r["segment_no"], r["contact_no"]) for r in rows] == [("SM00001", None)]


def test_numbers_not_computable_in_sql_are_mapped_by_line(sg_app, monkeypatch):
    from relcore_interactions import task_segments

    monkeypatch.setattr(task_segments, "_number_expr", lambda *args: None)
    with sg_app.session() as session:
        _segment(session, salesperson_code="JO")
        rows = task_service.create_task(session, {"description": "x", "segment_no": "SM00001"})
    assert [(r["no"], r["contact_no"]) for r in rows] == [
        ("TD000001", "P1"),
        ("TD000002", "P2"),
        ("TD000003", "P3"),
    ]


def test_a_series_with_increment_and_suffix_is_computed_in_sql(sg_app):
    with sg_app.session() as session:
        numbering.add_series(session, "TSTEP", "Stepped task numbers")
        numbering.add_line(session, "TSTEP", "T0010-X", ending_no="T9990-X", increment_by=10)
        sg_app.setup.set(session, "interactions.to_do_nos", "TSTEP")
        _segment(session, salesperson_code="JO")
        rows = task_service.create_task(session, {"description": "x", "segment_no": "SM00001"})
    assert [r["no"] for r in rows] == ["T0010-X", "T0020-X", "T0030-X"]


def test_activity_assigned_to_a_segment(sg_app):
    with sg_app.session() as session:
        _segment(session, salesperson_code="JO")
        activities.add_activity(session, "FOLLOW", "Follow up")
        activities.add_step(session, "FOLLOW", description="Letter")
        activities.add_step(
            session, "FOLLOW", type="phone_call", description="Call", date_formula="1W"
        )
        rows = assign_activity(session, "FOLLOW", sg_app.work_date, segment_no="SM00001")
        n = session.execute(sa.text("select count(*) from interactions_task")).scalar()
    assert n == 6
    assert sorted((r["contact_no"], r["type"]) for r in rows) == [
        ("P1", ""),
        ("P1", "phone_call"),
        ("P2", ""),
        ("P2", "phone_call"),
        ("P3", ""),
        ("P3", "phone_call"),
    ]


def test_task_criteria_source(sg_app, run_cli):
    """Interactions contributes the segment criteria source ``task`` (optional integration
    through relcore_segments_register_criteria_sources)."""
    with sg_app.session() as session:
        task_service.create_task(
            session, {"description": "Call", "salesperson_code": "JO", "contact_no": "P1"}
        )
        task_service.create_task(
            session,
            {
                "description": "Meet",
                "salesperson_code": "PS",
                "contact_no": "P3",
                "priority": "high",
            },
        )
        segments.create_segment(session, {"description": "Open tasks of JO"})
    r = run_cli(
        sg_app, "segments", "add-contacts", "SM00001", "--where", "task.salesperson=JO",
        "--where", "task.closed=no", json=True,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    with sg_app.session() as session:
        assert [r["contact_no"] for r in segments.segment_lines(session, "SM00001")] == ["P1"]
    r = run_cli(sg_app, "segments", "add-contacts", "SM00001", "--where", "task.priority=high")
    assert r.exit_code == 0, r.output
    with sg_app.session() as session:
        assert [r["contact_no"] for r in segments.segment_lines(session, "SM00001")] == ["P1", "P3"]
