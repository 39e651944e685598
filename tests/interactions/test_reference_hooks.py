"""The reference hooks interactions publishes: §4.5 "the campaign must exist" on every logging
path through ``relcore_interactions_check_campaigns``, and plain references without a plugin."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from relcore_interactions import references
from relcore_interactions.api import check_campaigns
from relcore_interactions.api import log_entry_table as E

from relcore import hookimpl
from relcore.errors import ValidationError
from relcore.interactions import InteractionRecord, log_interactions
from tests.interactions.conftest import WORK_DATE, add_contacts, add_templates


class HigherPluginsStandIn:
    """What campaigns and opportunities would answer: campaign CP1 and opportunity OP1 exist,
    OP1's active entry is 7."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, list[str]]] = []

    @hookimpl
    def relcore_interactions_check_campaigns(self, session, campaign_nos):
        self.asked.append(("campaigns", campaign_nos))
        for no in campaign_nos:
            if no != "CP1":
                raise ValidationError("does not exist", entity="Campaign", key=no)

    @hookimpl
    def relcore_interactions_check_opportunities(self, session, opportunity_nos):
        self.asked.append(("opportunities", opportunity_nos))
        for no in opportunity_nos:
            if no != "OP1":
                raise ValidationError("does not exist", entity="Opportunity", key=no)

    @hookimpl
    def relcore_interactions_active_opportunity_entries(self, session, opportunity_nos):
        return {no: 7 for no in opportunity_nos if no == "OP1"}


@pytest.fixture
def hooked(make_app):
    plugin = HigherPluginsStandIn()
    app = make_app("contacts", "interactions", extra=[("campaigns", plugin)], work_date=WORK_DATE)
    with app.session() as session:
        add_contacts(session)
        add_templates(session)
    return app, plugin


def _count(app):
    with app.session() as session:
        return session.execute(sa.select(sa.func.count()).select_from(E)).scalar_one()


def test_logging_with_an_unknown_campaign_is_refused_and_nothing_written(hooked):
    app, plugin = hooked
    refused = pytest.raises(ValidationError, match="Campaign CP9: does not exist")
    with refused, app.session() as session:
        log_interactions(
            session,
            [InteractionRecord("CT000010", "BUS", salesperson_code="JO", campaign_no="cp9")],
        )
    assert _count(app) == 0
    assert plugin.asked == [("campaigns", ["CP9"])]


def test_a_batch_asks_once_with_the_distinct_campaigns(hooked):
    app, plugin = hooked
    records = [
        InteractionRecord("CT000010", "BUS", salesperson_code="JO", campaign_no="CP1"),
        InteractionRecord("CT000011", "BUS", salesperson_code="JO", campaign_no="CP1"),
        InteractionRecord("CT000020", "BUS", salesperson_code="JO"),
    ]
    with app.session() as session:
        log_interactions(session, records)
    assert plugin.asked == [("campaigns", ["CP1"])]
    with pytest.raises(ValidationError, match="Campaign CP2"), app.session() as session:
        log_interactions(
            session,
            [
                *records,
                InteractionRecord("CT000020", "BUS", salesperson_code="JO", campaign_no="CP2"),
            ],
        )
    assert _count(app) == 3


def test_without_a_campaigns_plugin_a_campaign_no_is_a_plain_reference(ia):
    with ia.session() as session:
        rows = log_interactions(
            session, [InteractionRecord("CT000010", "BUS", salesperson_code="JO", campaign_no="X")]
        )
        check_campaigns(session, ["ANY"])
        assert references.active_opportunity_entries(session, ["OP1"]) == {}
        references.check_opportunities(session, ["OP1"])
        references.check_segments(session, ["SM1"])
        assert references.segment_lines(session, "SM1") is None
    assert rows[0]["campaign_no"] == "X"


def test_opportunity_references_go_through_the_hooks(hooked):
    app, plugin = hooked
    with app.session() as session:
        assert references.active_opportunity_entries(session, ["op1", "OP2", ""]) == {"OP1": 7}
        references.check_opportunities(session, ["OP1", None])
        with pytest.raises(ValidationError, match="Opportunity OP2: does not exist"):
            references.check_opportunities(session, ["OP2"])
