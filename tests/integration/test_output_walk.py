"""Every read command of the shell on the demo database, for every installed plugin (issue #14
item 9): human output goes through the one formatter, so no Python repr ever shows, and every
``--json`` output is JSON.

The walk is generic: read commands are found by their verb; their arguments come from the first
row of the nearest ``list`` above them, so new plugins' commands are covered without being
listed here.
"""

from __future__ import annotations

import json
import re

import click
import pytest

from relcore.app import App
from relcore.cli import tree
from relcore.demo import build_demo
from relcore.testing import invoke_cli

REPR = re.compile(r"datetime\.|Decimal\(|Job\(|<[^<>\n]* object at 0x|\bUUID\(|\{'[a-z_]+': |\[\{'")
"""What must never appear in human output: reprs of dates, decimals, jobs, objects, UUIDs,
dicts and lists of dicts."""

READ_VERBS = frozenset(
    {"list", "show", "stats", "status", "errors", "jobs", "pending", "check", "mappings"}
    | {"plugins", "fields", "document-types", "active", "answers", "option-map"}
)
"""Leaf command names that only read."""

KEY_NAMES = ("no", "code", "entry_no", "contact_no")
ROWS_PER_LIST = 25
"""Read commands with arguments run for up to this many rows of the list above them."""


@pytest.fixture
def demo_app(relcore_db_url):
    app = App(relcore_db_url)
    try:
        build_demo(app)
        # what the demo lacks but the issue saw as reprs: an interaction with comment lines
        logged = invoke_cli(
            app,
            *("interactions", "log", "--contact", "CT000001", "--template", "BUS"),
            *("--comment", "Called back", "--no-deliver"),
        )
        assert logged.exit_code == 0, logged.output
        yield app
    finally:
        app.dispose()


def _first_rows(app, ctx, walked):
    """Path of each group → the first row its no-argument ``list --json`` returns (None when
    empty)."""
    rows = {}
    for path, cmd in walked:
        if path and path[-1] == "list" and not _required(cmd):
            result = invoke_cli(app, *path, json=True)
            assert result.exit_code == 0, (path, result.output)
            data = result.json
            listed = data if isinstance(data, list) else []
            rows[path[:-1]] = [r for r in listed if isinstance(r, dict)][:ROWS_PER_LIST]
    return rows


def _required(cmd):
    return [p for p in cmd.params if p.required]


def _argument_sets(path, cmd, rows):
    """Argument lists for ``cmd``: ``[[]]`` without required arguments, else one per row of the
    nearest list above it whose fields fill them ([] when none can)."""
    required = _required(cmd)
    if not required:
        return [[]]
    if any(isinstance(p, click.Option) for p in required):
        return []
    for depth in range(len(path) - 1, 0, -1):
        if path[:depth] not in rows:
            continue  # no list here: look further up
        sets = []
        for row in rows[path[:depth]]:
            values = []
            for i, param in enumerate(required):
                if param.name in row:
                    values.append(str(row[param.name]))
                elif i == 0 and any(k in row for k in KEY_NAMES):
                    values.append(str(next(row[k] for k in KEY_NAMES if k in row)))
                else:
                    break
            else:
                sets.append(values)
        return sets
    return []


def test_read_commands_print_no_python_reprs(demo_app):
    ctx = tree.root_context(demo_app)
    walked = list(tree.walk(ctx.command, ctx))
    rows = _first_rows(demo_app, ctx, walked)
    ran = []
    for path, cmd in walked:
        if not path:
            continue
        helped = invoke_cli(demo_app, *path, "--help")
        assert helped.exit_code == 0 and not REPR.search(helped.output), path
        if isinstance(cmd, click.Group) or path[-1] not in READ_VERBS:
            continue
        for args in _argument_sets(path, cmd, rows):
            human = invoke_cli(demo_app, *path, *args)
            if human.exit_code == 1 and human.output.startswith("Error:"):
                # a read command that needs a filter option (stats --cycle ...): one line is fine
                assert len(human.output.strip().splitlines()) == 1, (path, human.output)
                continue
            assert human.exit_code == 0, (path, args, human.output)
            found = REPR.search(human.output)
            assert found is None, (path, args, human.output[max(0, found.start() - 200) :][:400])
            machine = invoke_cli(demo_app, *path, *args, json=True)
            assert machine.exit_code == 0, (path, args, machine.output)
            json.loads(machine.stdout)
            ran.append(" ".join(path))
    # the walk reaches every plugin's read commands (not just the core's)
    for expected in (
        "contacts show",
        "contacts salutations show",
        "interactions show",
        "interactions templates show",
        "segments show",
        "d365 status",
        "setup show",
    ):
        assert expected in ran, (expected, ran)


def test_formatter_never_prints_reprs():
    import datetime as dt
    import decimal

    import attrs

    from relcore.cli.context import format_value

    @attrs.define
    class Job:
        id: int
        started: dt.datetime

    job = Job(7, dt.datetime(2026, 12, 6, 20, 1, 2, tzinfo=dt.UTC))
    assert format_value(job) == "id=7, started=2026-12-06 20:01:02+00:00"
    assert format_value(dt.date(2026, 12, 6)) == "2026-12-06"
    assert format_value(decimal.Decimal("5")) == "5.00"
    assert format_value(decimal.Decimal("1234.5678")) == "1234.5678"
    assert format_value([dt.date(2026, 1, 2), None, True]) == "2026-01-02, , yes"
    assert format_value({"total": decimal.Decimal("1.5")}) == "total=1.50"
