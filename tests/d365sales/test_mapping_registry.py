"""Mappings come from ``relcore_d365sales_register_mappings`` through the core's keyed registry:
names are upper-cased, bad directions and clashes are refused naming the plugins."""

from __future__ import annotations

import types

import pytest
from relcore_d365sales.api import MappingDef, mapping_registry

from relcore import hookimpl
from relcore.errors import ConfigError, PluginError


def sync_plugin(name: str, direction: str = "to_integration") -> types.SimpleNamespace:
    @hookimpl
    def relcore_d365sales_register_mappings(register):
        register(MappingDef(name, "contacts.contact", "leads", "leadid", dict, direction=direction))

    return types.SimpleNamespace(
        requires=("d365sales",),
        relcore_d365sales_register_mappings=relcore_d365sales_register_mappings,
    )


def test_a_plugin_adds_a_mapping_found_by_any_case(make_app):
    app = make_app("contacts", "d365sales", extra=[("leads", sync_plugin("lead"))])
    mappings = mapping_registry(app)
    assert mappings["Lead"].name == "LEAD" and mappings["LEAD"].plugin == "leads"
    assert {"SALESPEOPLE", "CUSTOMER", "CONTACT", "LEAD"} <= set(mappings)
    with pytest.raises(ConfigError, match="no d365sales mapping named 'NOPE'"):
        mappings["NOPE"]


def test_a_mapping_name_registered_twice_names_both_plugins(make_app):
    app = make_app("contacts", "d365sales", extra=[("leads", sync_plugin("CONTACT"))])
    with pytest.raises(
        PluginError, match="d365sales mapping 'CONTACT' registered twice: by d365sales and leads"
    ):
        mapping_registry(app)


def test_an_unknown_direction_is_refused(make_app):
    app = make_app("contacts", "d365sales", extra=[("leads", sync_plugin("LEAD", "sideways"))])
    with pytest.raises(PluginError, match="unknown direction 'sideways'"):
        mapping_registry(app)
