"""The bad-input matrix of the shell (issue #13 item 13), on SQLite and PostgreSQL.

Every command of the shell is run with missing arguments and with each bad value (wrong type,
over-long, control characters, NaN, impossible dates, unknown keys) in every argument and in
``--set``. The test fails on any output line naming a Python exception class or showing a
traceback, and on any change to the database dump by a command that failed.
"""

from __future__ import annotations

import re

import click
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from relcore import entities
from relcore.cli import cli
from relcore.cli.context import State
from relcore.db import metadata

BAD_VALUES = ("x" * 300, "A\tB\x01C", "NaN", "2024-02-30", "1e999", "-Infinity", "ghost")
BAD_SETS = ("no_such_field=1", "name=" + "y" * 300, "name=a\x00b", "amount=NaN", "date=2024-13-01")
SKIPPED = {
    ("demo",),  # builds a whole demo database
    ("init",),
    ("db", "revision"),  # writes migration files into the source tree
    ("d365", "emulator"),  # serves until stopped
}
EXCEPTION_NAME = re.compile(
    r"\b[A-Z][A-Za-z]*(Error|Exception|Warning)\b|\bInvalidOperation\b|Traceback|"
    r"\b(KeyboardInterrupt|StopIteration|SystemExit)\b"
)


def _leaves(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()):
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        sub = (*path, name)
        if cmd is None or sub in SKIPPED:
            continue
        if isinstance(cmd, click.Group):
            yield from _leaves(cmd, click.Context(cmd, parent=ctx, info_name=name), sub)
        else:
            yield sub, cmd


def _invocations(cmd: click.Command):
    arguments = [p for p in cmd.params if isinstance(p, click.Argument)]
    yield []  # missing arguments
    for bad in BAD_VALUES:
        args = []
        for p in arguments:
            args += [bad] * (1 if p.nargs == 1 else 2 if p.nargs == -1 else p.nargs)
        yield args
    options = {o for p in cmd.params if isinstance(p, click.Option) for o in p.opts}
    if "--set" in options:
        for assignment in BAD_SETS:
            yield [*(["CT000001"] * len(arguments)), "--set", assignment]


def _dump(app) -> dict:
    """Every table's content: rows on SQLite, one checksum query over all tables on PostgreSQL."""
    with app.session(read_only=True) as s:
        existing = set(sa.inspect(s).get_table_names())
        tables = [t.name for t in metadata.sorted_tables if t.name in existing]
        if s.dialect.name == "postgresql":
            sql = " UNION ALL ".join(
                f"SELECT '{name}', md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), ''))"
                f' FROM "{name}" x'
                for name in tables
            )
            return dict(s.exec_driver_sql(sql).all())
        return {
            name: sorted(map(repr, s.execute(sa.select(metadata.tables[name])).all()))
            for name in tables
        }


@pytest.fixture
def seeded(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # commands that write files write them here
    with app.session() as s:
        entities.insert(s, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
    runner = CliRunner()
    state = State(db=app.database_url)
    state._app = app
    state.close = lambda: None
    runner.invoke(cli, ["contacts", "add", "--name", "Ada Ltd"], obj=state)
    return app


def test_bad_input_never_shows_exception_names_or_changes_data_on_failure(seeded):
    app = seeded
    state = State(db=app.database_url)
    state._app = app
    state.close = lambda: None
    runner = CliRunner()
    leaves = list(_leaves(cli, click.Context(cli, obj=state)))
    assert len(leaves) > 100  # the whole shell, plugins included
    problems = []
    before = _dump(app)
    for path, cmd in leaves:
        for args in _invocations(cmd):
            result = runner.invoke(cli, [*path, *args], obj=state, input="")
            line = " ".join([*path, *map(repr, args)])[:160]
            for out in result.output.splitlines():
                if EXCEPTION_NAME.search(out):
                    problems.append(f"{line}: {out[:200]}")
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                problems.append(f"{line}: raised {type(result.exception).__name__}")
            after = _dump(app)
            if result.exit_code != 0 and after != before:
                changed = sorted(k for k in after if after[k] != before.get(k))
                problems.append(f"{line}: failed but changed {', '.join(changed)}")
            before = after
    assert problems == []
