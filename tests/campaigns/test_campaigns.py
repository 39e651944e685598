"""Campaigns (§8.1, §8.2): numbering, date rules, salesperson, status, delete; the §4.5 veto."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from relcore_campaigns import model
from relcore_campaigns.campaigns import (
    add_status,
    create_campaign,
    delete_campaign,
    get_campaign,
    update_campaign,
)

from relcore import entities
from relcore.errors import NotFoundError, ValidationError

from .conftest import log


def test_ca1_number_and_salesperson_from_user_setup(camp_app):
    with camp_app.session() as session:
        camp_app.setup.set(session, "campaigns.salesperson_code", "JO")
        first = create_campaign(session, {"description": "A"})
        second = create_campaign(session, {"description": "B"})
    assert (first["no"], second["no"]) == ("CP0001", "CP0002")
    assert first["salesperson_code"] == "JO"
    assert first["no_series"] == "CAMP"


def test_ca2_ending_before_starting(camp_app):
    with camp_app.session() as session:
        no = create_campaign(session, {"description": "A", "starting_date": "2024-03-01"})["no"]
    with (
        pytest.raises(ValidationError, match="Ending Date must be after Starting Date.") as err,
        camp_app.session() as session,
    ):
        update_campaign(session, no, {"ending_date": "2024-02-01"})
    assert err.value.field == "ending_date" and err.value.key == no
    with camp_app.session() as session:
        assert get_campaign(session, no)["ending_date"] is None


def test_ca3_starting_after_ending(camp_app):
    with camp_app.session() as session:
        no = create_campaign(session, {"description": "A", "ending_date": "2024-03-31"})["no"]
    with (
        pytest.raises(ValidationError, match="Starting Date must be before Ending Date."),
        camp_app.session() as session,
    ):
        update_campaign(session, no, {"starting_date": "2024-04-01"})


def test_blocked_salesperson_and_unknown_status_refused(camp_app):
    with (
        pytest.raises(ValidationError, match="salesperson BL is blocked"),
        camp_app.session() as session,
    ):
        create_campaign(session, {"description": "A", "salesperson_code": "BL"})
    with (
        pytest.raises(ValidationError, match="campaign status 1-PLAN does not exist"),
        camp_app.session() as session,
    ):
        create_campaign(session, {"description": "A", "status_code": "1-PLAN"})
    with camp_app.session() as session:
        add_status(session, "1-PLAN", "Planned")
        row = create_campaign(session, {"description": "A", "status_code": "1-plan"})
    assert row["status_code"] == "1-PLAN"


def test_last_date_modified_is_today(camp_app, campaign):
    with camp_app.session() as session:
        row = update_campaign(session, campaign, {"description": "Renamed"})
    assert row["last_date_modified"] == dt.datetime.now(dt.UTC).date()


def test_delete_removes_entries_and_targets_keeps_interactions(camp_app, campaign):
    from relcore_campaigns.pricing import add_price_line
    from relcore_campaigns.target_groups import activate
    from relcore_interactions.api import log_entry_table as e

    with camp_app.session() as session:
        log(session, {"contact_no": "P1", "campaign_no": campaign, "campaign_target": True})
        add_price_line(session, campaign, {"item_code": "X", "unit_price": "8"})
        activate(session, campaign, lambda q: True)
        removed = delete_campaign(session, campaign)
    assert removed == {"campaign_entries": 1, "target_groups": 1, "price_lines": 1}
    with camp_app.session() as session:
        assert not entities.exists(session, "campaigns.campaign", campaign)
        assert session.execute(sa.select(sa.func.count()).select_from(model.entry)).scalar() == 0
        assert (
            session.execute(
                sa.select(sa.func.count()).select_from(e).where(e.c.campaign_no == campaign)
            ).scalar()
            == 1
        )


def test_interactions_veto_unknown_campaign(camp_app, campaign):
    """§4.5 "campaign must exist", through relcore_interactions_check_campaigns."""
    hook = camp_app.pm.hook.relcore_interactions_check_campaigns
    with camp_app.session() as session:
        hook(session=session, campaign_nos=[campaign])
        with pytest.raises(NotFoundError, match="Campaign CP0999: does not exist"):
            hook(session=session, campaign_nos=[campaign, "CP0999"])


def test_logging_with_unknown_campaign_is_refused(camp_app, campaign):
    """§4.5 through interactions' logging path: nothing is written."""
    with (
        pytest.raises(ValidationError, match="Campaign CP0999: does not exist"),
        camp_app.session() as session,
    ):
        log(session, {"contact_no": "P1", "campaign_no": "CP0999"})


def test_contact_merge_moves_target_group_rows(camp_app, campaign):
    """Merging C2 into C1: C2's interactions move (interactions plugin), then its target-group
    row becomes C1's customer row."""
    from relcore_campaigns.target_groups import activate, on_contacts_merged, target_groups
    from relcore_contacts.merge import merge

    with camp_app.session() as session:
        log(session, {"contact_no": "C2", "campaign_no": campaign, "campaign_target": True})
        activate(session, campaign, lambda q: True)
        assert on_contacts_merged(session, [("C1", "C2")], True) == {"campaigns_target_group": 1}
        merge(session, "C1", "C2", dry_run=True)
        assert [r["no"] for r in target_groups(session, campaign)] == ["C2"]
        merge(session, "C1", "C2")
        assert [(r["type"], r["no"]) for r in target_groups(session, campaign)] == [
            ("customer", "10000")
        ]
