"""The rules of the ``relcore`` command tree (issue #9 "CLI consistency"), for every installed
plugin: new command groups are covered without being listed here. The rules are documented in
``docs/admin-shell.md`` and :mod:`relcore.cli.tree`."""

from __future__ import annotations

import datetime as dt
import pathlib

import click
import pytest

from relcore.cli import tree
from relcore.cli.context import IsoDate
from relcore.cli.fields_help import SetOption

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def commands():
    app = tree.reference_app()
    try:
        ctx = tree.root_context(app)
        yield ctx, list(tree.walk(ctx.command, ctx))
    finally:
        app.dispose()


def _options(command):
    return [p for p in command.params if isinstance(p, click.Option) and p.name != "help"]


def test_every_command_has_help(commands):
    _, walked = commands
    missing = [" ".join(path) for path, cmd in walked if path and not (cmd.help or "").strip()]
    assert missing == []


def test_every_option_has_help(commands):
    ctx, walked = commands
    missing = [
        f"{' '.join(path)} {option.opts[0]}"
        for path, cmd in walked
        for option in _options(cmd)
        if not tree.option_help(option, ctx).strip()
    ]
    assert missing == []


def test_every_command_is_registered_once(commands):
    _, walked = commands
    seen: dict[int, tuple[str, ...]] = {}
    twice = []
    for path, cmd in walked:
        if id(cmd) in seen:
            twice.append(f"{' '.join(path)} = {' '.join(seen[id(cmd)])}")
        seen[id(cmd)] = path
    assert twice == []


def test_one_verb_per_meaning_and_child_records_as_nested_nouns(commands):
    _, walked = commands
    wrong = []
    for path, cmd in walked:
        if not path or isinstance(cmd, click.Group):
            continue
        name = path[-1]
        if name.startswith(tree.FORBIDDEN_VERBS) and name not in tree.BC_ACTIONS:
            wrong.append(" ".join(path))
        verb, dash, _ = name.partition("-")
        if dash and verb in tree.RECORD_VERBS and name not in tree.BC_ACTIONS:
            wrong.append(" ".join(path))
    assert wrong == []


def test_set_options_list_fields_generated_from_the_tables(commands):
    """Issue #14 item 10: every ``--set FIELD=VALUE`` help lists the settable fields with
    their types, generated (``relcore.cli.fields_help.set_option``), never hand-written."""
    ctx, walked = commands
    wrong = []
    for path, cmd in walked:
        for option in _options(cmd):
            if "--set" not in option.opts:
                continue
            text = tree.option_help(option, ctx)
            if not isinstance(option, SetOption) or "Settable fields:" not in text:
                wrong.append(" ".join(path))
            elif "fields unavailable" in text or "(" not in text.split("Settable fields:")[1]:
                wrong.append(f"{' '.join(path)}: {text}")
    assert wrong == []


def test_fields_command(app, run_cli):
    fields = run_cli(app, "fields", "segments.line", json=True)
    assert fields.exit_code == 0, fields.output
    by_name = {f["field"]: f for f in fields.json}
    assert by_name["line_no"]["key"] == "yes" and by_name["line_no"]["type"] == "whole number"
    assert by_name["correspondence_type"]["type"] == "one of: '', hard_copy, email"
    assert by_name["contact_no"]["description"] == "refers to contacts_contact.no"
    assert "system_id" not in by_name
    listed = run_cli(app, "fields", json=True).json
    assert {"entity": "segments.segment", "label": "Segment", "plugin": "segments"} in listed
    unknown = run_cli(app, "fields", "nope")
    assert unknown.exit_code == 1 and "unknown entity 'nope'" in unknown.output


def test_date_options_are_typed(commands):
    """A date option parses its value, so a bad one is a one-line error (exit 1)."""
    _, walked = commands
    untyped = [
        f"{' '.join(path)} {param.name}"
        for path, cmd in walked
        for param in cmd.params
        if "date" in (param.name or "").split("_")
        and not (param.name or "").endswith("_formula")  # a date formula is not a date
        and not getattr(param, "is_flag", False)
        and not isinstance(param.type, (IsoDate, click.DateTime, click.Choice))
    ]
    assert untyped == []


def test_admin_shell_reference_matches_the_tree(commands):
    """docs/admin-shell.md lists every command; regenerate with
    ``python -m relcore.cli.tree --write docs/admin-shell.md``."""
    ctx, _ = commands
    page = (DOCS / "admin-shell.md").read_text(encoding="utf-8")
    assert tree.current_section(page) == tree.reference(ctx)


def test_bad_typed_option_value_is_a_one_line_error(app, run_cli):
    result = run_cli(app, "numbers", "next", "CONT", "--date", "2026-13-01")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: --date: '2026-13-01' is not a date (YYYY-MM-DD)"
    result = run_cli(
        app, "numbers", "lines", "add", "X", "--starting-no", "1", "--increment-by", "0"
    )
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("Error: --increment-by:")
    # a missing option stays click's usage error (exit 2)
    assert run_cli(app, "numbers", "next").exit_code == 2


def test_iso_date_type():
    assert IsoDate().convert("2026-12-06", None, None) == dt.date(2026, 12, 6)
    with pytest.raises(click.BadParameter, match="is not a date"):
        IsoDate().convert("06.12.2026", None, None)


def test_connection_settings_have_one_way_in(commands, app, run_cli):
    """A setting that a plugin's own ``setup`` command writes (checked there together with the
    others) is marked ``set_by`` that command, and ``relcore setup set`` refuses it with a
    one-line error naming the command: no connection setting can be set both ways."""
    ctx, walked = commands
    fields = app.setup.fields
    paths = {" ".join(path) for path, _ in walked}
    inconsistent = []
    for path, cmd in walked:
        if len(path) < 2 or path[-1] != "setup" or isinstance(cmd, click.Group):
            continue
        for option in _options(cmd):
            for key, field in fields.items():
                writes = key.split(".", 1)[1] in (option.name, f"{option.name}_path")
                if writes and field.set_by != " ".join(path):
                    inconsistent.append(f"{key}: written by {' '.join(path)} {option.opts[0]}")
    assert inconsistent == []
    owned = {key: field.set_by for key, field in fields.items() if field.set_by}
    assert "d365sales.org_url" in owned
    for key, set_by in owned.items():
        assert set_by in paths, f"{key}: no command {set_by!r}"
        refused = run_cli(app, "setup", "set", key, "https://example.com")
        assert refused.exit_code == 1, refused.output
        assert refused.output.strip() == (
            f"Error: Setup: field {key}: a connection setting, checked with the others: "
            f"set it with 'relcore {set_by}'"
        )
    # the other fields of such a plugin stay ``setup set`` fields
    assert run_cli(app, "setup", "set", "d365sales.page_size", "200").exit_code == 0
