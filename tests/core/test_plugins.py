"""The plugin manager: entry points, requires ordering, allow/block lists, failures, tracing."""

from __future__ import annotations

import types

import pytest
from click.testing import CliRunner

from relcore import hookimpl
from relcore import plugins as plugins_mod
from relcore.app import App
from relcore.errors import PluginError
from relcore.plugins import PluginSelection, load_plugins


def make_module(name: str, requires: tuple[str, ...] = (), **hooks) -> types.ModuleType:
    module = types.ModuleType(f"fake_{name}")
    module.requires = requires
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    return module


class FakeEntryPoint:
    """Stands in for importlib.metadata.EntryPoint."""

    def __init__(
        self, name: str, module: types.ModuleType | None = None, error: Exception | None = None
    ) -> None:
        self.name = name
        self._module = module
        self._error = error
        self.dist = None

    def load(self) -> types.ModuleType:
        if self._error is not None:
            raise self._error
        return self._module


@pytest.fixture
def fake_entry_points(monkeypatch):
    """Replace the installed plugins by fakes: ``fake_entry_points(ep, ...)``."""

    def install(*eps: FakeEntryPoint) -> None:
        monkeypatch.setattr(plugins_mod, "_entry_points", lambda: list(eps))

    monkeypatch.delenv("RELCORE_PLUGINS", raising=False)
    monkeypatch.delenv("RELCORE_DISABLED_PLUGINS", raising=False)
    return install


def test_plugins_register_in_dependency_order(fake_entry_points):
    fake_entry_points(
        FakeEntryPoint("segments", make_module("segments", ("contacts", "interactions"))),
        FakeEntryPoint("interactions", make_module("interactions", ("contacts",))),
        FakeEntryPoint("contacts", make_module("contacts")),
    )
    pm = load_plugins()
    assert pm.ordered_names == ["contacts", "interactions", "segments"]


def test_missing_requirement_refuses_to_start_naming_the_distribution(fake_entry_points):
    fake_entry_points(FakeEntryPoint("segments", make_module("segments", ("contacts",))))
    with pytest.raises(
        PluginError, match="segments requires contacts: pip install relcore-contacts"
    ):
        App("sqlite://")


def test_a_plugin_that_fails_to_import_is_reported_and_the_rest_load(fake_entry_points):
    fake_entry_points(
        FakeEntryPoint("broken", error=ImportError("No module named 'nowhere'")),
        FakeEntryPoint("contacts", make_module("contacts")),
    )
    pm = load_plugins()
    assert pm.ordered_names == ["contacts"]
    assert [(f.name, f.error) for f in pm.failures] == [
        ("broken", "ImportError: No module named 'nowhere'")
    ]


def test_allow_and_block_lists_from_the_environment(fake_entry_points, monkeypatch):
    fake_entry_points(
        FakeEntryPoint("a", make_module("a")),
        FakeEntryPoint("b", make_module("b")),
        FakeEntryPoint("c", make_module("c")),
    )
    monkeypatch.setenv("RELCORE_PLUGINS", "a,b")
    assert load_plugins().ordered_names == ["a", "b"]
    monkeypatch.setenv("RELCORE_DISABLED_PLUGINS", "b")
    assert load_plugins().ordered_names == ["a"]


def test_allow_and_block_lists_from_the_config_file(fake_entry_points, tmp_path):
    fake_entry_points(
        FakeEntryPoint("a", make_module("a")),
        FakeEntryPoint("b", make_module("b")),
    )
    config = tmp_path / "relcore.toml"
    config.write_text('[relcore]\ndisabled_plugins = ["b"]\n')
    from relcore.app import load_config

    selection = PluginSelection.from_env(load_config(config))
    assert load_plugins(selection).ordered_names == ["a"]


def test_a_plugin_implementing_an_unknown_hook_is_refused_by_name(fake_entry_points):
    def relcore_no_such_hook():
        """Misspelt."""

    fake_entry_points(
        FakeEntryPoint("typo", make_module("typo", relcore_no_such_hook=relcore_no_such_hook))
    )
    with pytest.raises(PluginError, match="typo"):
        App("sqlite://")


def test_trace_env_prints_hook_calls(fake_entry_points, monkeypatch, capsys):
    def relcore_register_setup(register):
        """Registers nothing."""

    monkeypatch.setenv("RELCORE_TRACE_PLUGINS", "1")
    fake_entry_points(
        FakeEntryPoint("a", make_module("a", relcore_register_setup=relcore_register_setup))
    )
    pm = load_plugins()
    pm.hook.relcore_register_setup(register=lambda field: None)
    assert "relcore_register_setup" in capsys.readouterr().err


def test_help_survives_a_broken_plugin_and_says_which(fake_entry_points):
    fake_entry_points(FakeEntryPoint("broken", error=RuntimeError("boom")))
    from relcore.cli import RelcoreGroup, cli

    fresh = RelcoreGroup(name="relcore", params=cli.params, callback=cli.callback)
    result = CliRunner().invoke(fresh, ["--help"])
    assert result.exit_code == 0
    assert "numbers" in result.stdout
    assert "plugin broken failed to load: RuntimeError: boom" in result.stderr


def test_help_survives_a_plugin_whose_command_hook_raises(fake_entry_points):
    def relcore_register_commands(cli):
        raise RuntimeError("bad commands")

    fake_entry_points(
        FakeEntryPoint(
            "bad", make_module("bad", relcore_register_commands=relcore_register_commands)
        )
    )
    from relcore.cli import RelcoreGroup, cli

    fresh = RelcoreGroup(name="relcore", params=cli.params, callback=cli.callback)
    result = CliRunner().invoke(fresh, ["--help"])
    assert result.exit_code == 0
    assert "plugin bad failed to add its commands" in result.stderr


def test_addhooks_lets_a_plugin_publish_hooks_for_others(fake_entry_points):
    spec_module = types.ModuleType("spec")
    import pluggy

    @pluggy.HookspecMarker("relcore")
    def relcore_base_announce(items):
        """A hook the base plugin publishes."""

    spec_module.relcore_base_announce = relcore_base_announce

    def relcore_addhooks(pluginmanager):
        pluginmanager.add_hookspecs(spec_module)

    def relcore_base_announce_impl(items):
        items.append("heard")

    user = types.ModuleType("user")
    user.requires = ("base",)
    user.relcore_base_announce = hookimpl(specname="relcore_base_announce")(
        relcore_base_announce_impl
    )
    fake_entry_points(
        FakeEntryPoint("user", user),
        FakeEntryPoint("base", make_module("base", relcore_addhooks=relcore_addhooks)),
    )
    app = App("sqlite://")
    items: list[str] = []
    app.pm.hook.relcore_base_announce(items=items)
    assert items == ["heard"]


def test_plugins_command_lists_name_version_requires_hooks(app, run_cli):
    result = run_cli(app, "plugins", json=True)
    assert result.exit_code == 0, result.output
    by_name = {p["name"]: p for p in result.json}
    assert set(app.plugin_names) <= set(by_name)
    contacts = by_name["contacts"]
    assert contacts["version"]
    assert contacts["requires"] == []
    assert "relcore_register_entities" in contacts["hooks"]
