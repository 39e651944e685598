"""Plugin-shipped defaults (#9 defect 7): a plugin ships the template its event logs with, so
automatic logging works without an admin; an admin's choices are never overwritten."""

from __future__ import annotations

import types
from decimal import Decimal

import pytest
import sqlalchemy as sa
from relcore_interactions.api import DefaultTemplate, log_entry_table, log_event

from relcore import entities, hookimpl
from relcore.errors import PluginError
from relcore.interactions import InteractionEvent
from tests.interactions.conftest import WORK_DATE, add_contacts


def quotes_plugin(code: str = "QUOTE", event: str = "quotes.sent") -> types.SimpleNamespace:
    @hookimpl
    def relcore_register_interaction_events(register):
        register(InteractionEvent(event, "Quote sent", default_template=code))

    @hookimpl(optionalhook=True)
    def relcore_interactions_register_default_templates(register):
        register(
            DefaultTemplate(
                code,
                "Sales quote sent",
                "QUOTES",
                group_description="Sales quotes",
                unit_cost=Decimal("1.50"),
                information_flow="outbound",
                initiated_by="us",
            )
        )

    return types.SimpleNamespace(
        requires=("contacts",),
        relcore_register_interaction_events=relcore_register_interaction_events,
        relcore_interactions_register_default_templates=relcore_interactions_register_default_templates,
    )


@pytest.fixture
def qa(make_app):
    app = make_app(
        "contacts", "interactions", extra=[("quotes", quotes_plugin())], work_date=WORK_DATE
    )
    with app.session() as s:
        add_contacts(s)
    return app


def test_the_event_logs_with_the_shipped_template_without_any_setup(qa):
    with qa.session() as s:
        entry = log_event(s, "quotes.sent", "CT000001", document_no="Q-1")
        template = entities.get(s, "interactions.template", "QUOTE")
        group = entities.get(s, "interactions.group", "QUOTES")
    assert (entry["interaction_template_code"], entry["description"]) == (
        "QUOTE",
        "Sales quote sent",
    )
    assert entry["cost"] == Decimal("1.50") and entry["information_flow"] == "outbound"
    assert (template["description"], group["description"]) == ("Sales quote sent", "Sales quotes")


def test_init_again_keeps_the_admins_choices(qa):
    with qa.session() as s:
        entities.update(s, "interactions.template", "QUOTE", {"unit_cost": Decimal("9")})
        entities.delete(s, "interactions.template_setup", ["quotes.sent"])
    with qa.session() as s:
        qa.pm.hook.relcore_init_defaults(session=s)
        assert log_event(s, "quotes.sent", "CT000001") is None  # the admin switched it off
        assert entities.get(s, "interactions.template", "QUOTE")["unit_cost"] == Decimal("9")
        assert s.execute(sa.select(sa.func.count()).select_from(log_entry_table)).scalar() == 0


def test_a_template_code_shipped_twice_names_both_plugins(make_app):
    with pytest.raises(
        PluginError, match="default interaction template 'QUOTE' registered twice: by one and two"
    ):
        make_app(
            "contacts",
            "interactions",
            extra=[("one", quotes_plugin()), ("two", quotes_plugin(event="two.sent"))],
        )


def test_without_interactions_the_optional_hook_is_not_called(make_app):
    app = make_app("contacts", extra=[("quotes", quotes_plugin())])
    assert app.registries.interaction_events["quotes.sent"].default_template == "QUOTE"
