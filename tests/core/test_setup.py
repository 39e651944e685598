"""Typed setup fields: defaults, typed set/get, refusals with nothing changed."""

from __future__ import annotations

import decimal

import pytest

from relcore import hookimpl
from relcore.errors import ConfigError, ValidationError
from relcore.setup import SetupField


class SetupPlugin:
    @hookimpl
    def relcore_register_setup(self, register):
        register(SetupField("demo.hit_pct", "int", 60, "Hit %", min_value=1, max_value=100))
        register(SetupField("demo.enabled", "bool", True, "On?"))
        register(SetupField("demo.rate", "decimal", decimal.Decimal("1.5"), "Rate"))
        register(SetupField("demo.kind", "choice", "email", "Kind", choices=("email", "hard_copy")))
        register(SetupField("demo.code", "code", None, "A code", max_length=10))
        register(SetupField("demo.series", "series", None, "Series"))


@pytest.fixture
def setup_app(make_app):
    return make_app(extra=[("demo", SetupPlugin())])


def test_unset_fields_read_as_their_defaults(setup_app):
    with setup_app.session() as s:
        assert setup_app.setup.get_many(s, ["demo.hit_pct", "demo.enabled", "demo.rate"]) == {
            "demo.hit_pct": 60,
            "demo.enabled": True,
            "demo.rate": decimal.Decimal("1.5"),
        }


def test_values_keep_their_types(setup_app):
    with setup_app.session() as s:
        setup_app.setup.set_text(s, "demo.rate", "2.25")
        setup_app.setup.set_text(s, "demo.enabled", "no")
        setup_app.setup.set_text(s, "demo.code", "abc ")
    with setup_app.session() as s:
        assert setup_app.setup.get(s, "demo.rate") == decimal.Decimal("2.25")
        assert setup_app.setup.get(s, "demo.enabled") is False
        assert setup_app.setup.get(s, "demo.code") == "ABC"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("demo.hit_pct", "abc", "'abc' is not a valid int"),
        ("demo.hit_pct", "101", "above the maximum 100"),
        ("demo.enabled", "maybe", "expected yes/no"),
        ("demo.kind", "fax", "'fax' is not one of email, hard_copy"),
        ("demo.code", "ABCDEFGHIJK", "longer than 10 characters"),
        ("demo.series", "NOPE", "number series 'NOPE' does not exist"),
    ],
)
def test_wrong_values_are_refused_naming_the_key(setup_app, key, value, message):
    with (
        pytest.raises(ValidationError, match=f"field {key}: .*{message}"),
        setup_app.session() as s,
    ):
        setup_app.setup.set_text(s, key, value)


def test_unknown_key_is_refused(setup_app):
    with (
        pytest.raises(ConfigError, match="unknown setup key 'demo.nope'"),
        setup_app.session() as s,
    ):
        setup_app.setup.get(s, "demo.nope")


def test_shell_set_and_show(setup_app, run_cli):
    assert run_cli(setup_app, "setup", "set", "demo.hit_pct", "75").exit_code == 0
    shown = run_cli(setup_app, "setup", "show", json=True)
    assert shown.json["demo.hit_pct"] == 75
    one = run_cli(setup_app, "setup", "show", "demo.kind", json=True)
    assert one.json == {"demo.kind": "email"}


def test_shell_refuses_a_wrong_type_with_one_line_and_changes_nothing(setup_app, run_cli):
    result = run_cli(setup_app, "setup", "set", "demo.hit_pct", "lots")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: Setup: field demo.hit_pct: 'lots' is not a valid int"
    ]
    assert run_cli(setup_app, "setup", "show", "demo.hit_pct", json=True).json == {
        "demo.hit_pct": 60
    }
    unknown = run_cli(setup_app, "setup", "set", "demo.nope", "1")
    assert unknown.exit_code == 1 and "unknown setup key" in unknown.output
