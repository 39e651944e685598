"""The ``relcore`` command tree: walking it, its rules, and its reference in docs/admin-shell.md.

The rules every command follows (checked by ``tests/core/test_command_tree.py`` for every
installed plugin, so new command groups are covered without listing them):

* every group, command and option has help text;
* a command is registered once (one object under one path);
* one verb per meaning: ``add``, ``edit``, ``delete``, ``list``, ``show`` (never ``modify``,
  ``update``, ``change``, ``remove`` for a record);
* child records are nested nouns (``numbers lines add``, ``contacts teams members add``), not
  ``add-line`` / ``remove-member``; BC action names stay (:data:`BC_ACTIONS`);
* a date option has the type :data:`relcore.cli.context.DATE`, so a bad value is a one-line
  error (exit 1).

``python -m relcore.cli.tree --write docs/admin-shell.md`` regenerates the command reference
between the markers of that page; the test fails when the page and the tree differ.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

import click

START = "<!-- command-tree:start -->"
END = "<!-- command-tree:end -->"

RECORD_VERBS = ("add", "edit", "delete", "list", "show", "set")
"""The verbs for records; a leaf named VERB-NOUN with one of them is a child record that must
be a nested noun instead."""

FORBIDDEN_VERBS = ("modify", "update", "change", "remove-member", "alter")
"""Synonyms of ``edit`` (or of ``delete`` for a child record) that must not be used."""

BC_ACTIONS = frozenset(
    {
        "add-contacts",  # Segment: "Add Contacts" (§5.5.1)
        "delete-canceled",  # "Delete Canceled Interaction Log Entries" / "Delete Logged Segments"
        "delete-closed",  # Opportunity: report "Delete Opportunities" on closed ones (§6.4.1)
        "update",  # Opportunity: "Update" (Update Opportunity page, §6.8), a new ledger entry
    }
)
"""Leaf names of the VERB-NOUN shape that are Business Central action names, kept as such."""


EXAMPLE_PLUGINS = ("visits",)
"""Installed in the test environment as the documentation's example; not in the reference."""


def walk(
    command: click.Command, ctx: click.Context, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command under ``command`` (itself first) with its path of names."""
    yield path, command
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from walk(sub, ctx, (*path, name))


def root_context(app: Any) -> click.Context:
    """A context of the root group whose plugin commands are those of ``app``."""
    from relcore.cli import cli
    from relcore.cli.context import State

    state = State(db=app.database_url)
    state._app = app
    return click.Context(cli, obj=state)


def option_help(option: click.Parameter, ctx: click.Context) -> str:
    """An option's own help text ('' when it has none; click's ``[required]`` or
    ``[default: …]`` decorations do not count). A generated ``--set`` computes it here."""
    if not isinstance(option, click.Option):
        return ""
    option.get_help_record(ctx)  # SetOption fills its help from the table here
    return option.help or ""


def _usage(path: tuple[str, ...], command: click.Command, ctx: click.Context) -> str:
    pieces = [" ".join(path)]
    for param in command.params:
        if isinstance(param, click.Argument):
            name = param.human_readable_name
            pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, click.Group):
        pieces.append("…")
    return " ".join(pieces)


def reference(ctx: click.Context) -> str:
    """The Markdown table of every command with its first help line (the docs section); build
    ``ctx`` with :func:`reference_app` so the documentation's example plugins stay out."""
    lines = ["| command | what it does |", "|---|---|"]
    for path, command in walk(ctx.command, ctx):
        if not path:
            continue
        summary = (command.get_short_help_str(limit=200) or "").replace("|", "\\|")
        lines.append(f"| `relcore {_usage(path, command, ctx)}` | {summary} |")
    return "\n".join(lines)


def reference_app() -> Any:
    """An App (in-memory SQLite) of every installed plugin but :data:`EXAMPLE_PLUGINS`."""
    from relcore.app import App
    from relcore.plugins import PluginSelection

    return App("sqlite://", selection=PluginSelection(block=list(EXAMPLE_PLUGINS)))


def replace_section(text: str, section: str) -> str:
    """``text`` with the part between :data:`START` and :data:`END` replaced by ``section``."""
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{section}\n{END}{tail}"


def current_section(text: str) -> str:
    """The part of ``text`` between the markers."""
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n")


def main(argv: list[str] | None = None) -> int:
    """``python -m relcore.cli.tree [--write FILE]``: print (or write) the command reference,
    from every installed plugin but the documentation's examples."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--write", metavar="FILE", help="update the section of this Markdown file")
    args = parser.parse_args(argv)
    app = reference_app()
    try:
        section = reference(root_context(app))
    finally:
        app.dispose()
    if args.write:
        with open(args.write, encoding="utf-8") as fh:
            text = fh.read()
        with open(args.write, "w", encoding="utf-8") as fh:
            fh.write(replace_section(text, section))
    else:
        sys.stdout.write(section + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
