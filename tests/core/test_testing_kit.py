"""The testing kit for plugin authors (#9 docs): ``make_app`` pulls in required plugins itself;
a requirement that is installed but not selected is named as such (not "pip install")."""

from __future__ import annotations

import types

import pytest

from relcore.app import App
from relcore.errors import PluginError
from relcore.plugins import PluginSelection


def test_make_app_loads_the_plugins_a_named_plugin_requires(make_app):
    app = make_app("segments")
    assert app.plugin_names[:3] == ["contacts", "interactions", "segments"]
    assert not app.has_plugin("campaigns")


def test_make_app_loads_what_an_extra_plugin_requires(make_app):
    extra = types.SimpleNamespace(requires=("interactions",))
    app = make_app(extra=[("mine", extra)])
    assert app.plugin_names == ["contacts", "interactions", "mine"]


def test_an_installed_but_unselected_requirement_is_not_reported_as_missing():
    with pytest.raises(PluginError) as caught:
        App("sqlite://", selection=PluginSelection(allow=["segments"]))
    message = str(caught.value)
    assert "segments requires contacts, which is installed but not selected" in message
    assert "pip install" not in message


def test_work_date_and_cli_result(make_app, run_cli):
    import datetime as dt

    app = make_app("contacts", work_date=dt.date(2026, 1, 30))
    assert app.work_date == dt.date(2026, 1, 30)
    result = run_cli(app, "contacts", "show", "CT404404", json=True)
    assert result.exit_code == 1 and "CT404404" in result.output and result.exception is not None
