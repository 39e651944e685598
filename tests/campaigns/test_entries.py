"""Campaign entries (§8.3; vectors CA12, CA13): from segment logging and single interactions,
the Canceled toggle both ways, report 5189."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from relcore_campaigns.entries import delete_canceled, list_entries, toggle_canceled
from relcore_campaigns.statistics import statistics

from relcore.errors import ValidationError

from .conftest import log


def _ile(session, **where):
    from relcore_interactions.api import log_entry_table as e

    stmt = sa.select(e).where(*(e.c[k] == v for k, v in where.items())).order_by(e.c.entry_no)
    return [dict(r._mapping) for r in session.execute(stmt)]


def _logged_segment(app, campaign, contacts=("C1", "P1", "P3")):
    """A segment with campaign CP0001 (Campaign Target) and 3 lines, logged."""
    from relcore_segments.criteria import add_contacts
    from relcore_segments.segment_log import log_segment
    from relcore_segments.segments import create_segment

    with app.session() as session:
        seg = create_segment(
            session,
            {
                "description": "Spring mailing",
                "campaign_no": campaign,
                "campaign_target": "yes",
                "interaction_template_code": "BUS",
                "salesperson_code": "JO",
            },
        )
        add_contacts(session, seg["no"], {"contact": {"no": "|".join(contacts)}})
        result = log_segment(session, seg["no"])
    return seg["no"], result.logged_segment_entry_no


def test_ca12_one_entry_per_logged_segment(camp_app, campaign):
    segment_no, logged_no = _logged_segment(camp_app, campaign)
    with camp_app.session() as session:
        entries = list_entries(session, campaign)
        assert len(entries) == 1
        entry = entries[0]
        assert (entry["segment_no"], entry["register_no"]) == (segment_no, logged_no)
        assert entry["description"] == "Spring mailing"
        assert entry["no_of_interactions"] == 3
        assert {r["campaign_entry_no"] for r in _ile(session, campaign_no=campaign)} == {
            entry["entry_no"]
        }


def test_single_interactions_share_one_entry_per_document_type(camp_app, campaign):
    with camp_app.session() as session:
        log(session, {"contact_no": "P1", "campaign_no": campaign})
        log(
            session,
            {"contact_no": "P3", "campaign_no": campaign},
            {
                "contact_no": "C1",
                "campaign_no": campaign,
                "document_type": "sales_qte",
                "document_no": "SQ1",
            },
        )
        log(session, {"contact_no": "C2"})  # no campaign: no entry
        entries = list_entries(session, campaign)
    assert [(e["description"], e["segment_no"], e["no_of_interactions"]) for e in entries] == [
        ("Interactions", "", 2),
        ("Sales Quotes", "", 1),
    ]


def test_ca13_cancel_toggles_interactions_and_statistics(camp_app, campaign):
    with camp_app.session() as session:
        log(
            session,
            *(
                {"contact_no": "P1", "campaign_no": campaign, "campaign_target": True}
                for _ in range(3)
            ),
        )
        entry_no = list_entries(session, campaign)[0]["entry_no"]
        assert statistics(session, campaign)["target_contacts_contacted"] == 3
        toggle_canceled(session, entry_no)
        assert all(r["canceled"] for r in _ile(session, campaign_no=campaign))
        stats = statistics(session, campaign)
        assert (stats["target_contacts_contacted"], stats["cost"]) == (0, 0)
        # a canceled campaign entry sums its canceled interactions (§8.3 FlowFields)
        assert list_entries(session, campaign)[0]["no_of_interactions"] == 3
        toggle_canceled(session, entry_no)
        assert statistics(session, campaign)["target_contacts_contacted"] == 3


def test_uncancel_of_interactions_refused_while_entry_canceled(camp_app, campaign):
    from relcore_interactions.maintenance import uncancel

    with camp_app.session() as session:
        entries = log(session, {"contact_no": "P1", "campaign_no": campaign})
        toggle_canceled(session, list_entries(session, campaign)[0]["entry_no"])
    with (
        pytest.raises(ValidationError, match="Campaign Entry 1: is canceled"),
        camp_app.session() as session,
    ):
        uncancel(session, [entries[0]["entry_no"]])


def test_logged_segment_cancel_cascades_to_campaign_entries(camp_app, campaign):
    from relcore_segments.logged import toggle_canceled as toggle_logged

    _, logged_no = _logged_segment(camp_app, campaign)
    with camp_app.session() as session:
        toggle_logged(session, logged_no)
        assert list_entries(session, campaign)[0]["canceled"] is True
        toggle_logged(session, logged_no)
        assert list_entries(session, campaign)[0]["canceled"] is False


def test_delete_canceled_removes_entries_with_their_interactions(camp_app, campaign):
    with camp_app.session() as session:
        log(session, {"contact_no": "P1", "campaign_no": campaign})
        log(session, {"contact_no": "P1", "campaign_no": campaign, "document_type": "sales_qte"})
        first, second = (e["entry_no"] for e in list_entries(session, campaign))
        toggle_canceled(session, first)
        assert len(delete_canceled(session, campaign)["campaign_entries"]) == 1
        assert [e["entry_no"] for e in list_entries(session, campaign)] == [second]
        assert len(_ile(session, campaign_no=campaign)) == 1
        assert delete_canceled(session) == {"campaign_entries": [], "interactions": 0}
