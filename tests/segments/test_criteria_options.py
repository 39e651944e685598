"""Criteria options, sources, undo, header propagation, languages, contact hooks (§5.2–§5.5)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from relcore_segments import criteria, languages, mailing, segments
from relcore_segments.contact_hooks import check_company_change, check_delete, merge

from relcore.errors import ValidationError
from tests.segments.conftest import add_contacts, link

PURCHASE = {"job_responsibility": {"code": "PURCHASE"}}


def contacts_of(session, no):
    return [r["contact_no"] for r in segments.segment_lines(session, no)]


def new_segment(session, **values):
    return segments.create_segment(session, {"description": "Test", **values})["no"]


def test_expand_companies_adds_persons(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, {"contact": {"no": "C1"}}, expand_companies=True)
        assert contacts_of(session, no) == ["C1", "P1", "P2"]
        crit = criteria.criteria_of(session, no)
    assert crit[0]["expand_contact"] is True


def test_ignore_exclusion(sg_app):
    with sg_app.session() as session:
        session.execute(
            sa.text("update contacts_contact set exclude_from_segment = true where no = 'P3'")
        )
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        assert contacts_of(session, no) == ["P1"]
        criteria.add_contacts(session, no, PURCHASE, ignore_exclusion=True)
        assert contacts_of(session, no) == ["P1", "P3"]


def test_allow_existing_contacts_adds_duplicates(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        result = criteria.add_contacts(session, no, PURCHASE, allow_existing_contacts=True)
        assert result.inserted == 2
        assert contacts_of(session, no) == ["P1", "P3", "P1", "P3"]


def test_add_without_filters_adds_everyone(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no)
        assert contacts_of(session, no) == ["C1", "P1", "P2", "C2", "P3"]


def test_two_sources_are_anded(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, {**PURCHASE, "contact": {"post_code": "2000..2999"}})
        assert contacts_of(session, no) == ["P3"]
        assert len(criteria.criteria_of(session, no)) == 3


def test_industry_group_evaluated_on_company(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, {"industry_group": {"code": "RETAIL"}})
        assert contacts_of(session, no) == ["C2", "P3"]


def test_mailing_group_and_profile_answer_sources(sg_app):
    with sg_app.session() as session:
        link(session, "contact_mailing_group", [{"contact_no": "P2", "mailing_group_code": "XMAS"}])
        no = new_segment(session)
        criteria.add_contacts(session, no, {"mailing_group": {"code": "xmas"}})
        assert contacts_of(session, no) == ["P2"]


def test_interaction_source(sg_app):
    from relcore.interactions import InteractionRecord, log_interactions

    with sg_app.session() as session:
        log_interactions(
            session, [InteractionRecord("P2", "BUS", salesperson_code="JO", date=sg_app.work_date)]
        )
        no = new_segment(session)
        criteria.add_contacts(
            session, no, {"interaction": {"template": "BUS", "date": "2024-01-01..2024-12-31"}}
        )
        assert contacts_of(session, no) == ["P2"]


def test_reduce_entire_companies(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no)
        # P1 is a purchaser: with Entire Companies every line of C1 goes
        criteria.reduce_contacts(session, no, PURCHASE, entire_companies=True)
        assert contacts_of(session, no) == []  # C2's P3 is a purchaser too


def test_refine_entire_companies_keeps_companies_with_a_match(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no)
        criteria.refine_contacts(session, no, {"contact": {"no": "P2"}}, entire_companies=True)
        assert contacts_of(session, no) == ["C1", "P1", "P2"]


def test_reduce_and_refine_without_filters(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        assert criteria.refine_contacts(session, no).deleted == 0
        assert criteria.reduce_contacts(session, no).deleted == 2


def test_undo_is_lifo(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        criteria.add_contacts(session, no, {"contact": {"type": "company"}})
        criteria.refine_contacts(session, no, {"contact": {"post_code": "1000"}})
        assert contacts_of(session, no) == ["P1", "C1"]
        criteria.go_back(session, no)
        assert sorted(contacts_of(session, no)) == ["C1", "C2", "P1", "P3"]
        criteria.go_back(session, no)
        assert sorted(contacts_of(session, no)) == ["P1", "P3"]
        criteria.go_back(session, no)
        assert contacts_of(session, no) == []
        assert criteria.criteria_of(session, no) == []
        with pytest.raises(ValidationError, match="no criteria actions to undo"):
            criteria.go_back(session, no)


def test_malformed_filter_points_at_position(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        with pytest.raises(ValidationError, match=r"contact.post_code: .*position \d+"):
            criteria.add_contacts(session, no, {"contact": {"post_code": "1000..(2000"}})
        with pytest.raises(ValidationError, match="no field 'nope'"):
            criteria.add_contacts(session, no, {"contact": {"nope": "1"}})
        with pytest.raises(ValidationError, match="unknown criteria source 'planet'"):
            criteria.add_contacts(session, no, {"planet": {"code": "1"}})


def test_line_initialisation(sg_app):
    from relcore_contacts import model as cm

    with sg_app.session() as session:
        session.execute(sa.insert(cm.alt_address), [{"contact_no": "P1", "code": "HOME"}])
        session.execute(
            sa.insert(cm.alt_address_date_range),
            [
                {
                    "contact_no": "P1",
                    "starting_date": sg_app.work_date.replace(day=1),
                    "ending_date": None,
                    "contact_alt_address_code": "HOME",
                }
            ],
        )
        no = new_segment(session, interaction_template_code="BUS", campaign_no="CP1")
        criteria.add_contacts(session, no, PURCHASE)
        p1, p3 = segments.segment_lines(session, no)
    assert p1["contact_alt_address_code"] == "HOME" and p3["contact_alt_address_code"] == ""
    assert p1["salesperson_code"] is None and p3["salesperson_code"] == "PS"  # contact's
    assert p1["correspondence_type"] == "email"  # the contact's own type
    assert p3["correspondence_type"] == "hard_copy"  # blank on the contact: the default
    assert (p1["interaction_template_code"], p1["campaign_no"], p1["cost_lcy"]) == ("BUS", "CP1", 2)
    assert p1["date"] == sg_app.work_date


def test_header_propagation_scope(sg_app):
    with sg_app.session() as session:
        no = new_segment(session, interaction_template_code="BUS")
        criteria.add_contacts(session, no, PURCHASE)
        session.execute(
            sa.text(
                "update segments_line set interaction_template_code = 'RESP' "
                "where contact_no = 'P3'"
            )
        )
        segments.update_segment(session, no, {"salesperson_code": "JO", "description": "Changed"})
        p1, p3 = segments.segment_lines(session, no)
        assert (p1["salesperson_code"], p1["description"]) == ("JO", "Changed")
        assert (p3["salesperson_code"], p3["description"]) == ("PS", "Test")
        # a template change applies to every line
        segments.update_segment(session, no, {"interaction_template_code": "RESP"})
        lines = segments.segment_lines(session, no)
        header = segments.get_segment(session, no)
    assert {r["interaction_template_code"] for r in lines} == {"RESP"}
    assert {r["information_flow"] for r in lines} == {"inbound"}
    assert header["campaign_response"] is True and header["initiated_by"] == "them"


def test_interaction_languages(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        languages.add_language(session, no, "ENU", subject="Hello")
        assert {r["language_code"] for r in segments.segment_lines(session, no)} == {"ENU"}
        assert segments.get_segment(session, no)["language_code_default"] == "ENU"
        languages.add_language(session, no, "DEU", subject="Hallo")
        assert {r["subject"] for r in segments.segment_lines(session, no)} == {"Hello"}
        languages.delete_language(session, no, "ENU")
        header = segments.get_segment(session, no)
        assert header["language_code_default"] == "DEU"
        assert {r["subject"] for r in segments.segment_lines(session, no)} == {"Hallo"}


def test_apply_mailing_group(sg_app):
    from relcore_contacts.model import contact_mailing_group as cmg

    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        assert mailing.apply_mailing_group(session, no, "xmas") == 2
        assert mailing.apply_mailing_group(session, no, "XMAS") == 0
        rows = session.execute(sa.select(cmg.c.contact_no).order_by(cmg.c.contact_no)).scalars()
        assert list(rows) == ["P1", "P3"]


def test_contact_hooks_refuse_while_on_segment(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        with pytest.raises(
            ValidationError,
            match="You cannot change Company No. because one or more unlogged segments",
        ):
            check_company_change(session, ["P1"])
        check_company_change(session, ["P2"])
        with pytest.raises(
            ValidationError,
            match="You cannot delete contact P3 because it is "
            "assigned one or more unlogged segments.",
        ):
            check_delete(session, [{"no": "P3"}])
        check_delete(session, [{"no": "P2"}])


def test_contact_hooks_are_called_through_the_plugin_manager(sg_app):
    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        with pytest.raises(ValidationError, match="unlogged segments"):
            sg_app.pm.hook.relcore_contacts_check_delete(
                session=session, contacts=[{"no": "P1", "type": "person", "company_no": ""}]
            )


def test_merge_repoints_lines(sg_app):
    with sg_app.session() as session:
        add_contacts(
            session,
            {
                "no": "P9",
                "type": "person",
                "name": "Ann dup",
                "company_no": "C2",
                "company_name": "Beta Inc",
            },
        )
        link(
            session,
            "contact_job_responsibility",
            [{"contact_no": "P9", "job_responsibility_code": "PURCHASE"}],
        )
        no = new_segment(session)
        criteria.add_contacts(session, no, PURCHASE)
        assert merge(session, [("P1", "P9")], True) == {"segments_line": 1, "segments_history": 1}
        assert "P9" in contacts_of(session, no)
        assert merge(session, [("P1", "P9")], False) == {"segments_line": 1, "segments_history": 1}
        lines = segments.segment_lines(session, no)
    assert [r["contact_no"] for r in lines].count("P1") == 2
    assert {r["contact_company_no"] for r in lines if r["contact_no"] == "P1"} == {"C1"}


def test_add_contacts_refuses_line_numbers_beyond_32_bits(sg_app):
    """Lines are numbered 10000 apart in a 32-bit Line No. (BC): when the new lines would not
    fit, Add Contacts is refused with one clear error on both backends (PostgreSQL raised a raw
    "integer out of range", SQLite stored the numbers), and nothing is written."""
    from relcore_segments import model

    with sg_app.session() as session:
        no = new_segment(session)
        criteria.add_contacts(session, no, {"contact": {"no": "C1"}})
        session.execute(
            sa.update(model.line)
            .where(model.line.c.segment_no == no)
            .values(line_no=2**31 - 15000)  # one more line fits, two do not
        )
    refused = pytest.raises(ValidationError, match="at most 1 more lines fit; split the segment")
    with refused, sg_app.session() as session:
        criteria.add_contacts(session, no, {"contact": {"no": "C2|P1"}})
    with sg_app.session() as session:
        assert contacts_of(session, no) == ["C1"]
        criteria.add_contacts(session, no, {"contact": {"no": "C2"}})  # one still fits
        assert contacts_of(session, no) == ["C1", "C2"]
