"""Campaign statistics (§8.8; vectors CA4–CA6, CA16; §9.5 item 13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from relcore_campaigns.statistics import statistics

from relcore import hookimpl

from .conftest import WORK_DATE, log


def _targets(session, campaign, n, **kw):
    log(
        session,
        *(
            {"contact_no": "P1", "campaign_no": campaign, "campaign_target": True, **kw}
            for _ in range(n)
        ),
    )


def test_ca4_rates_and_averages(camp_app, campaign):
    with camp_app.session() as session:
        # 40 target entries with cost 12.50 / duration 30 each (= 500 / 1,200), 10 responses
        _targets(session, campaign, 40, cost=Decimal("12.50"), duration=Decimal(30))
        log(
            session,
            *(
                {
                    "contact_no": "P1",
                    "template_code": "RESP",
                    "campaign_no": campaign,
                    "cost": Decimal(0),
                    "duration": Decimal(0),
                }
                for _ in range(10)
            ),
        )
        stats = statistics(session, campaign)
    assert stats["target_contacts_contacted"] == 40
    assert stats["contacts_responded"] == 10
    assert stats["cost"] == Decimal("500.00") and stats["duration"] == Decimal("1200.00")
    assert stats["response_rate_pct"] == Decimal("25.0")
    assert stats["avg_cost_per_response"] == Decimal("50.00")
    assert stats["avg_duration_per_response"] == Decimal("120")


def test_ca5_rate_rounds_to_one_decimal(camp_app, campaign):
    with camp_app.session() as session:
        _targets(session, campaign, 3)
        log(session, {"contact_no": "P1", "template_code": "RESP", "campaign_no": campaign})
        stats = statistics(session, campaign)
    assert stats["response_rate_pct"] == Decimal("33.3")


def test_ca6_zero_targets(camp_app, campaign):
    with camp_app.session() as session:
        stats = statistics(session, campaign)
    assert stats["response_rate_pct"] == 0
    assert stats["avg_cost_per_response"] == 0 and stats["avg_duration_per_response"] == 0


def test_counts_entries_not_contacts_and_skips_canceled_postponed(camp_app, campaign):
    """§9.5 item 13 reproduced: the same contact twice counts twice."""
    from relcore_interactions.api import cancel

    with camp_app.session() as session:
        _targets(session, campaign, 2)
        entries = log(
            session, {"contact_no": "P3", "campaign_no": campaign, "campaign_target": True}
        )
        log(
            session,
            {
                "contact_no": "P3",
                "campaign_no": campaign,
                "campaign_target": True,
                "postponed": True,
            },
        )
        cancel(session, [entries[0]["entry_no"]])
        stats = statistics(session, campaign)
    assert stats["target_contacts_contacted"] == 2
    assert stats["cost"] == Decimal("4.00")


def test_date_filter(camp_app, campaign):
    with camp_app.session() as session:
        _targets(session, campaign, 1, date=dt.date(2024, 3, 2))
        _targets(session, campaign, 2, date=WORK_DATE)
        stats = statistics(session, campaign, dt.date(2024, 3, 10), dt.date(2024, 3, 31))
    assert stats["target_contacts_contacted"] == 2


class FakeOpportunities:
    """A stand-in for the opportunities plugin: active entry Estimated 10,000, Calcd 2,000."""

    requires = ("campaigns",)
    seen: list = []

    @staticmethod
    @hookimpl(optionalhook=True)
    def relcore_campaigns_opportunity_figures(session, campaign_nos, date_from, date_to):
        FakeOpportunities.seen.append((tuple(campaign_nos), date_from, date_to))
        return {
            no: {
                "no_of_opportunities": 1,
                "estimated_value": Decimal("10000"),
                "calcd_current_value": Decimal("2000"),
            }
            for no in campaign_nos
        }


def test_ca16_opportunity_figures_through_the_hook(make_app):
    from relcore_campaigns.campaigns import create_campaign

    app = make_app(
        "contacts",
        "interactions",
        "segments",
        "campaigns",
        extra=[("fake_opportunities", FakeOpportunities)],
    )
    with app.session() as session:
        no = create_campaign(session, {"description": "A"})["no"]
        stats = statistics(session, no, None, dt.date(2024, 12, 31))
    assert stats["no_of_opportunities"] == 1
    assert stats["estimated_value"] == Decimal("10000.00")
    assert stats["calcd_current_value"] == Decimal("2000.00")
    assert FakeOpportunities.seen[-1] == ((no,), None, dt.date(2024, 12, 31))


def test_no_opportunities_plugin_gives_zeros(camp_app, campaign):
    with camp_app.session() as session:
        stats = statistics(session, campaign)
    assert (stats["no_of_opportunities"], stats["estimated_value"]) == (0, Decimal("0.00"))
