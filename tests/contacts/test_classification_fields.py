"""Contact classification fields come from ``relcore_contacts_register_classification_fields``
through the core's keyed registry: a clash names both plugins (§2.11)."""

from __future__ import annotations

import types

import pytest
from relcore_contacts.api import ClassificationField, classification_fields

from relcore import hookimpl
from relcore.errors import PluginError


def erp(name: str) -> types.SimpleNamespace:
    @hookimpl
    def relcore_contacts_register_classification_fields(register):
        register(ClassificationField("customer.sales_lcy", f"Sales (LCY) from {name}"))

    return types.SimpleNamespace(
        requires=("contacts",),
        relcore_contacts_register_classification_fields=relcore_contacts_register_classification_fields,
    )


def test_fields_are_collected_with_their_plugin(make_app):
    app = make_app("contacts", extra=[("erp", erp("erp"))])
    fields = classification_fields(app)
    assert fields["customer.sales_lcy"].description == "Sales (LCY) from erp"
    assert fields.plugin_of("customer.sales_lcy") == "erp"
    assert fields.plugin_of("rating") == "contacts"


def test_a_field_registered_twice_is_refused_naming_both_plugins(make_app):
    app = make_app("contacts", extra=[("erp", erp("erp")), ("other", erp("other"))])
    with pytest.raises(
        PluginError,
        match="classification field 'customer.sales_lcy' registered twice: by erp and other",
    ):
        classification_fields(app)
