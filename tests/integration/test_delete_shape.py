"""One ``--json`` shape for every delete (issue #9 "CLI consistency"): each command named
``delete*`` of every installed plugin prints ``{"deleted": [KEY objects]}`` — a list of the
deleted records' primary keys, empty when nothing was deleted. The commands are found by walking
the command tree on the demo database, so a new plugin's delete commands are covered too."""

from __future__ import annotations

import click
import pytest

from relcore.app import App
from relcore.cli import tree
from relcore.demo import build_demo
from relcore.plugins import PluginSelection
from relcore.testing import invoke_cli


@pytest.fixture
def demo(tmp_path):
    app = App(
        f"sqlite:///{tmp_path / 'demo.db'}",
        selection=PluginSelection(block=list(tree.EXAMPLE_PLUGINS)),
    )
    build_demo(app)
    (tmp_path / "letter.txt").write_text("Dear customer", encoding="utf-8")
    app.test_file = str(tmp_path / "letter.txt")
    yield app
    app.dispose()


CT = "CT000001"
NESTED = {
    "contacts alt-address date-range delete": (
        [
            ["contacts", "alt-address", "add", CT, "ZDR"],
            ["contacts", "alt-address", "date-range", "add", CT, "ZDR", "--from", "2026-01-01"],
        ],
        [CT, "2026-01-01"],
    ),
    "contacts alt-address delete": ([["contacts", "alt-address", "add", CT, "ZDEL"]], [CT, "ZDEL"]),
    "contacts duplicates setup delete": ([], ["mobile_phone_no", "last"]),
    "contacts profiles lines delete": (
        [
            ["contacts", "profiles", "add", "ZPL", "--description", "To delete"],
            ["contacts", "profiles", "lines", "add", "ZPL", "Q", "--type", "question"]
            + ["--line-no", "10000"],
        ],
        ["ZPL", "10000"],
    ),
    "contacts salutations formulas delete": ([], ["U", "--informal", "--language", "NOR"]),
    "contacts teams members delete": ([], ["SALES", "PS"]),
    "interactions templates attachments delete": (
        [["interactions", "templates", "attachments", "import", "GOLF", "{file}"]],
        ["GOLF"],
    ),
    "interactions templates languages delete": (
        [["interactions", "templates", "languages", "add", "GOLF", "ENG"]],
        ["GOLF", "ENG"],
    ),
    "opportunities stages delete": (
        [
            ["opportunities", "stages", "add", "NEW", "9", "--description", "To delete"]
            + ["--completed-pct", "90", "--chances-pct", "50"]
        ],
        ["NEW", "9"],
    ),
    "segments lines delete": (
        [
            ["segments", "add", "--no", "ZSEG", "--description", "To delete"],
            ["segments", "add-contacts", "ZSEG", "--where", f"contact.no={CT}"],
        ],
        ["ZSEG", "10000"],
    ),
}
"""Child records (which no ``list`` of their own shows): the command lines that add one to the
demo database, and the delete's arguments. A new delete command whose record can be neither
found nor made this way fails the test until it is added here."""


def _arguments(command: click.Command) -> list[str]:
    return [p.name for p in command.params if isinstance(p, click.Argument)]


def _add_fresh(app, ctx, path):
    """A record nothing refers to, through the sibling ``add CODE`` (the demo's own records are
    mostly in use, and a delete refuses those)."""
    add = ctx.command
    for name in (*path[:-1], "add"):
        add = add.get_command(ctx, name) if isinstance(add, click.Group) else None
    if add is None or _arguments(add) != ["code"]:
        return
    options = {o.name for o in add.params if isinstance(o, click.Option)}
    extra = ["--description", "To delete"] if "description" in options else []
    invoke_cli(app, *path[:-1], "add", "ZDEL", *extra)


def _candidates(app, path, names):
    """Argument values for a ``delete`` taken from the rows of its sibling ``list --json``
    (the record's key fields carry the argument's name, or ``no``/``code`` for the parent)."""
    listed = invoke_cli(app, *path[:-1], "list", json=True)
    if listed.exit_code != 0 or not isinstance(listed.json, list):
        return []
    out = []
    for row in reversed(listed.json):  # the newest records are the least referenced
        if all(row.get(name) not in (None, "") for name in names):
            out.append([str(row[name]) for name in names])
    return out


def _check(result, where):
    assert result.exit_code == 0, f"{where}: {result.output}"
    deleted = result.json
    assert isinstance(deleted, dict) and list(deleted) == ["deleted"], f"{where}: {deleted}"
    assert isinstance(deleted["deleted"], list), f"{where}: {deleted}"
    assert all(isinstance(k, dict) and k for k in deleted["deleted"]), f"{where}: {deleted}"
    return deleted["deleted"]


def test_every_delete_command_prints_the_deleted_keys(demo):
    ctx = tree.root_context(demo)
    deletes = [
        (path, cmd)
        for path, cmd in tree.walk(ctx.command, ctx)
        if path and path[-1].startswith("delete") and not isinstance(cmd, click.Group)
    ]
    assert len(deletes) > 20
    checked, unchecked = [], []
    for path, cmd in deletes:
        names = _arguments(cmd)
        where = " ".join(path)
        if not names:
            _check(invoke_cli(demo, *path, json=True), where)
            checked.append(where)
            continue
        _add_fresh(demo, ctx, path)
        result = None
        candidates = _candidates(demo, path, names)
        if where in NESTED:
            lines, values = NESTED[where]
            for line in lines:
                made = invoke_cli(demo, *(w.format(file=demo.test_file) for w in line))
                assert made.exit_code == 0, f"{line}: {made.output}"
            candidates.append(values)
        for values in candidates:
            result = invoke_cli(demo, *path, *values, json=True)
            if result.exit_code == 1:  # refused (still referenced): try another record
                continue
            keys = _check(result, where)
            key_values = {str(v).upper() for v in keys[0].values()}
            assert len(keys) == 1 and values[0].upper() in key_values, f"{where} {values}: {keys}"
            checked.append(where)
            break
        else:
            unchecked.append(f"{where}: {result.output.strip() if candidates else 'no record'}")
    assert unchecked == []
