"""Target groups and activation (§8.4, §8.5; vectors CA7–CA11; §9.5 items 11 and 12)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from relcore_campaigns.pricing import add_price_line
from relcore_campaigns.target_groups import (
    NO_PRICES_QUESTION,
    NOTHING_TO_ACTIVATE,
    activate,
    deactivate,
    is_activated,
    target_groups,
)
from relcore_contacts.api import contact_table

from relcore import entities
from relcore.errors import ValidationError

from .conftest import link_customer, log


def _groups(session, campaign):
    return [(r["type"], r["no"]) for r in target_groups(session, campaign)]


def _yes(question):
    return True


def _line(session, segment_no, line_no, contact_no, company_no, campaign, target=True):
    entities.insert(
        session,
        "segments.line",
        [
            {
                "segment_no": segment_no,
                "line_no": line_no,
                "contact_no": contact_no,
                "contact_company_no": company_no,
                "campaign_no": campaign,
                "campaign_target": target,
            }
        ],
    )


@pytest.fixture
def segment(camp_app, campaign):
    from relcore_segments.segments import create_segment

    with camp_app.session() as session:
        return create_segment(session, {"description": "Targets"})["no"]


def test_ca7_person_of_customer_company_gives_customer_row(camp_app, campaign, segment):
    with camp_app.session() as session:
        add_price_line(session, campaign, {"item_code": "X", "unit_price": "8"})
        _line(session, segment, 10000, "P1", "C1", campaign)
        result = activate(session, campaign, _yes)
        assert result["message"] == f"Campaign {campaign} is now activated."
        assert _groups(session, campaign) == [("customer", "10000")]


def test_ca8_company_without_customer_gives_contact_row(camp_app, campaign, segment):
    with camp_app.session() as session:
        _line(session, segment, 10000, "C2", "C2", campaign)
        activate(session, campaign, _yes)
        assert _groups(session, campaign) == [("contact", "C2")]


def test_ca9_no_prices_asks_and_no_stops(camp_app, campaign, segment):
    asked = []

    def no(question):
        asked.append(question)
        return False

    with camp_app.session() as session:
        _line(session, segment, 10000, "C2", "C2", campaign)
        result = activate(session, campaign, no)
        assert asked == [NO_PRICES_QUESTION]
        assert result["activated"] is False and not is_activated(session, campaign)


def test_ca10_nothing_qualifies(camp_app, campaign, segment):
    with camp_app.session() as session:
        _line(session, segment, 10000, "C2", "C2", campaign, target=False)
        log(session, {"contact_no": "C2", "campaign_no": campaign, "template_code": "RESP"})
    with (
        pytest.raises(ValidationError, match="To activate the sales prices") as err,
        camp_app.session() as session,
    ):
        activate(session, campaign, _yes)
    assert NOTHING_TO_ACTIVATE in str(err.value)


def test_ca11_deactivate(camp_app, campaign, segment):
    with camp_app.session() as session:
        _line(session, segment, 10000, "C2", "C2", campaign)
        activate(session, campaign, _yes)
        result = deactivate(session, campaign)
        assert result["message"] == f"Campaign {campaign} is now deactivated."
        assert _groups(session, campaign) == [] and not is_activated(session, campaign)


def test_interaction_sources_canceled_count_postponed_do_not(camp_app, campaign):
    """§9.5 item 12 reproduced: canceled target entries activate, postponed ones do not."""
    from relcore_interactions.api import cancel

    with camp_app.session() as session:
        entries = log(
            session, {"contact_no": "P3", "campaign_no": campaign, "campaign_target": True}
        )
        cancel(session, [entries[0]["entry_no"]])
        log(
            session,
            {
                "contact_no": "P1",
                "campaign_no": campaign,
                "campaign_target": True,
                "postponed": True,
            },
        )
        activate(session, campaign, _yes)
        assert _groups(session, campaign) == [("contact", "C2")]


def test_kept_current_while_activated_interactions(camp_app, campaign):
    from relcore_interactions.api import cancel, delete_canceled

    with camp_app.session() as session:
        first = log(session, {"contact_no": "P3", "campaign_no": campaign, "campaign_target": True})
        activate(session, campaign, _yes)
        second = log(
            session, {"contact_no": "P1", "campaign_no": campaign, "campaign_target": True}
        )
        assert _groups(session, campaign) == [("customer", "10000"), ("contact", "C2")]
        cancel(session, [second[0]["entry_no"], first[0]["entry_no"]])
        delete_canceled(session, [second[0]["entry_no"]])
        assert _groups(session, campaign) == [("contact", "C2")]


def test_not_activated_campaign_is_left_alone(camp_app, campaign):
    with camp_app.session() as session:
        log(session, {"contact_no": "P3", "campaign_no": campaign, "campaign_target": True})
        assert _groups(session, campaign) == []


def test_kept_current_on_segment_line_changes_person_rows_removed(camp_app, campaign, segment):
    """§9.5 item 11 fixed: removing a person's line removes its company's Contact row."""
    with camp_app.session() as session:
        _line(session, segment, 10000, "P3", "C2", campaign)
        activate(session, campaign, _yes)
        _line(session, segment, 20000, "P1", "C1", campaign)
        assert _groups(session, campaign) == [("customer", "10000"), ("contact", "C2")]
        entities.update(session, "segments.line", (segment, 20000), {"campaign_target": False})
        assert _groups(session, campaign) == [("contact", "C2")]
        entities.update(session, "segments.line", (segment, 20000), {"campaign_target": True})
        entities.delete(session, "segments.line", [(segment, 10000)])
        assert _groups(session, campaign) == [("customer", "10000")]


def test_customer_link_and_unlink_convert_rows(camp_app, campaign, segment):
    """ConverttoCustomer / ConverttoContact (§8.5)."""
    from relcore_contacts.relations import unlink

    with camp_app.session() as session:
        _line(session, segment, 10000, "P3", "C2", campaign)
        _line(session, segment, 20000, "P1", "C1", campaign)
        activate(session, campaign, _yes)
        link_customer(session, "C2", "20000")
        assert _groups(session, campaign) == [("customer", "10000"), ("customer", "20000")]
        unlink(session, "C1", "customer")
        assert _groups(session, campaign) == [("customer", "20000"), ("contact", "C1")]


def test_customer_link_converts_row_of_company_with_several_relations(camp_app, campaign, segment):
    """A company with a vendor link and another relation (summary "multiple" before and after)
    gaining or losing its customer link converts its row (``relcore_contacts_links_changed``)."""
    from relcore_contacts.relations import assign_business_relation, link, unlink

    with camp_app.session() as session:
        entities.insert(
            session,
            "contacts.business_relation",
            [
                {"code": "VEND", "description": "Vendor"},
                {"code": "PROS", "description": "Prospect"},
            ],
        )
        camp_app.setup.set(session, "contacts.bus_rel_code_for_vendors", "VEND")
        link(session, "C2", "vendor", "V1")
        assign_business_relation(session, "C2", "PROS")
        _line(session, segment, 10000, "P3", "C2", campaign)
        activate(session, campaign, _yes)
        assert _groups(session, campaign) == [("contact", "C2")]
        summary = sa.select(contact_table.c.contact_business_relation).where(
            contact_table.c.no == "C2"
        )
        assert session.execute(summary).scalar_one() == "multiple"
        link(session, "P3", "customer", "20000")
        assert session.execute(summary).scalar_one() == "multiple"
        assert _groups(session, campaign) == [("customer", "20000")]
        unlink(session, "C2", "customer")
        assert session.execute(summary).scalar_one() == "multiple"
        assert _groups(session, campaign) == [("contact", "C2")]
        unlink(session, "C2", "vendor")  # a vendor link leaves the row alone
        assert _groups(session, campaign) == [("contact", "C2")]


def test_links_changed_hook_reaches_plugins(camp_app):
    """Contacts publishes every link and unlink through ``relcore_contacts_links_changed``."""
    from relcore_contacts.relations import link, unlink

    from relcore import hookimpl

    seen = []

    class Spy:
        @hookimpl
        def relcore_contacts_links_changed(self, session, links, action):
            seen.append(
                (action, [(r["contact_no"], r["link_to_table"], r["link_no"]) for r in links])
            )

    camp_app.pm.register(Spy())
    with camp_app.session() as session:
        link(session, "P3", "customer", "20000")
        unlink(session, "C2", "customer")
    assert seen == [
        ("link", [("C2", "customer", "20000")]),
        ("unlink", [("C2", "customer", "20000")]),
    ]


def test_activation_is_one_statement_per_source(camp_app, campaign, segment):
    """Set-based: 2 INSERT … SELECT whatever the number of lines."""
    import sqlalchemy as sa

    statements = []
    with camp_app.session() as session:
        for i in range(50):
            _line(
                session,
                segment,
                10000 * (i + 1),
                "P1" if i % 2 else "C2",
                "C1" if i % 2 else "C2",
                campaign,
            )
        log(session, {"contact_no": "P3", "campaign_no": campaign, "campaign_target": True})

        def count(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("INSERT"):
                statements.append(statement)

        sa.event.listen(session, "before_cursor_execute", count)
        try:
            activate(session, campaign, _yes)
        finally:
            sa.event.remove(session, "before_cursor_execute", count)
    assert len(statements) == 2


def test_kept_current_on_criteria_actions_propagation_and_logging(camp_app, campaign):
    """relcore_segments_lines_changed: Add Contacts, Reduce, Go Back, header propagation and
    logging keep an activated campaign's target group current (§8.5)."""
    from relcore_segments.criteria import add_contacts, go_back, reduce_contacts
    from relcore_segments.segment_log import log_segment
    from relcore_segments.segments import create_segment, update_segment

    with camp_app.session() as session:
        log(session, {"contact_no": "C2", "campaign_no": campaign, "campaign_target": True})
        activate(session, campaign, _yes)
        seg = create_segment(
            session,
            {
                "description": "More",
                "campaign_no": campaign,
                "campaign_target": True,
                "interaction_template_code": "BUS",
                "salesperson_code": "JO",
            },
        )["no"]
        add_contacts(session, seg, {"contact": {"no": "P1"}})
        assert _groups(session, campaign) == [("customer", "10000"), ("contact", "C2")]
        reduce_contacts(session, seg, {"contact": {"no": "P1"}})
        assert _groups(session, campaign) == [("contact", "C2")]
        go_back(session, seg)
        assert _groups(session, campaign) == [("customer", "10000"), ("contact", "C2")]
        update_segment(session, seg, {"campaign_target": False})
        assert _groups(session, campaign) == [("contact", "C2")]
        update_segment(session, seg, {"campaign_target": True})
        log_segment(session, seg)  # lines deleted, their interactions keep the row
        assert _groups(session, campaign) == [("customer", "10000"), ("contact", "C2")]
