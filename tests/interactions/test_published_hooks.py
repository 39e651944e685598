"""The hooks the interactions plugin publishes reach other plugins (cancel, un-cancel, delete)."""

from __future__ import annotations

import pytest

from relcore import hookimpl
from relcore.errors import ValidationError
from relcore.interactions import InteractionRecord
from tests.interactions.conftest import WORK_DATE, add_contacts, add_templates


class CampaignsStandIn:
    """Records what a campaigns plugin would hear, and vetoes un-cancelling entry 2."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, list[int], object]] = []

    @hookimpl
    def relcore_interactions_canceled(self, session, entries, canceled):
        self.heard.append(("canceled", [e["entry_no"] for e in entries], canceled))

    @hookimpl
    def relcore_interactions_check_uncancel(self, session, entries):
        if any(e["entry_no"] == 2 for e in entries):
            raise ValidationError(
                "its campaign entry is canceled", entity="Interaction Log Entry", key=2
            )

    @hookimpl
    def relcore_interactions_deleted(self, session, entries):
        self.heard.append(("deleted", [e["entry_no"] for e in entries], None))


@pytest.fixture
def hooked(make_app):
    plugin = CampaignsStandIn()
    app = make_app("contacts", "interactions", extra=[("campaigns", plugin)], work_date=WORK_DATE)
    with app.session() as session:
        add_contacts(session)
        add_templates(session)
        app.log_interactions(
            session,
            [
                InteractionRecord("CT000010", "BUS", salesperson_code="JO"),
                InteractionRecord("CT000011", "BUS", salesperson_code="JO"),
            ],
        )
    return app, plugin


def test_cancel_uncancel_and_delete_are_announced(hooked):
    from relcore_interactions import maintenance

    app, plugin = hooked
    with app.session() as session:
        maintenance.cancel(session, [1, 2])
        maintenance.uncancel(session, [1])
        maintenance.cancel(session, [1])
        assert maintenance.delete_canceled(session, entry_nos=[1]) == 1
    assert plugin.heard == [
        ("canceled", [1, 2], True),
        ("canceled", [1], False),
        ("canceled", [1], True),
        ("deleted", [1], None),
    ]


def test_a_veto_keeps_the_entry_canceled(hooked, run_cli):
    from relcore_interactions import maintenance

    app, _ = hooked
    with app.session() as session:
        maintenance.cancel(session, [2])
    result = run_cli(app, "interactions", "uncancel", "2")
    assert result.exit_code == 1
    assert "its campaign entry is canceled" in result.output
    listed = run_cli(app, "interactions", "list", "--contact", "CT000011", json=True).json
    assert [e["canceled"] for e in listed] == [True]
