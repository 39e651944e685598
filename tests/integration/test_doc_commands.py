"""Every ``relcore`` command line in docs/ and in the demo tour against the shell (issue #14
item 11), so the documentation and the demo never suggest a command that does not work.

* Every ``relcore …`` in docs/ (lines of code blocks and inline code) must name an existing
  command, and each ``--option`` it shows must be an option of that command; global options
  go before the command (``relcore --json segments show NO``).
* A code-block line without placeholders (argument names such as ``NO``/``CODE``, metavars
  such as ``TEXT``, ``[…]``, ``|``, ``...``, ``<…>``) is an example: it runs, in page order,
  against the demo database and must succeed. One that must fail ends with the comment
  ``# fails`` (exit 1 and one line expected); one that cannot run here ends with
  ``# not run: <why>`` (network, other databases, files) and is still checked.
* Every ``relcore …`` the demo tour suggests runs and succeeds.
"""

from __future__ import annotations

import pathlib
import re
import shlex

import click
import pytest

from relcore.app import App
from relcore.cli import tree
from relcore.demo import build_demo
from relcore.testing import invoke_cli

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
GLOBAL_OPTIONS = {"--db", "--config", "--json", "--debug", "--work-date", "--help"}
GLOBAL_WITH_VALUE = {"--db", "--config", "--work-date"}
PLACEHOLDER = re.compile(r"[\[\]|…<>]|\.\.\.")
METAVARS = {"TEXT", "FIELD=VALUE", "F=V", "N", "D", "FILE", "URL", "YYYY-MM-DD", "COMMAND"} | {
    "NO",
    "CODE",
    "LINE_NO",
    "ENTRY_NO",
    "KEY",
    "VALUE",
    "NAME",
    "ID",
    "DATE",
    "FIELD",
    "TYPE",
}
"""Option values that are placeholders in a synopsis (arguments' names come from click)."""
INLINE = re.compile(r"`(relcore [^`]+)`")
SERVERS = {("d365", "emulator")}
"""Tour suggestions that start a server (run until stopped): checked, not run."""


def doc_lines() -> list[tuple[str, int, str, bool]]:
    """``(file, line no., command text, in a code block)`` for every ``relcore`` command."""
    found = []
    for path in sorted(DOCS.glob("*.md")):
        in_block = False
        pending = ""
        for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if raw.lstrip().startswith("```"):
                in_block = not in_block
                continue
            if in_block:
                line = pending + raw.strip()
                if line.endswith("\\"):
                    pending = line[:-1] + " "
                    continue
                pending = ""
                if line.startswith("relcore "):
                    found.append((path.name, no, line, True))
            else:
                for match in INLINE.finditer(raw):
                    found.append((path.name, no, match.group(1), False))
    return found


def split(line: str) -> tuple[list[str], str]:
    """The words of a command line and its trailing ``#`` comment."""
    comment = ""
    if " #" in line:
        line, comment = line.split(" #", 1)
    return shlex.split(line, posix=True), comment.strip()


def resolve(ctx: click.Context, words: list[str]) -> tuple[click.Command, list[str], list[str]]:
    """The command the words name, its path, and the remaining words."""
    command: click.Command = ctx.command
    path: list[str] = []
    rest = words[1:]
    while rest and rest[0].startswith("--") and rest[0] in GLOBAL_OPTIONS:
        rest = rest[2:] if rest[0] in GLOBAL_WITH_VALUE else rest[1:]
    while isinstance(command, click.Group) and rest and not rest[0].startswith(("-", "[")):
        name = rest[0]
        if (PLACEHOLDER.search(name) or name.isupper()) and "|" not in name:
            break  # COMMAND, …: a placeholder, not a name
        alternatives = name.split("|")
        subs = [command.get_command(ctx, alt) for alt in alternatives]
        if any(s is None for s in subs):
            raise AssertionError(f"no command {' '.join([*path, name])!r}")
        command, path, rest = subs[0], [*path, alternatives[0]], rest[1:]
    return command, path, rest


def option_names(command: click.Command) -> set[str]:
    """The options a command takes (global options go before the command: ``relcore --json
    segments show NO``, never after it)."""
    names = {"--help"}
    for param in command.params:
        names.update(getattr(param, "opts", []))
        names.update(getattr(param, "secondary_opts", []))
    return names


def is_example(ctx: click.Context, words: list[str], in_block: bool) -> bool:
    """A code-block line whose words are all real values (no synopsis placeholders)."""
    if not in_block:
        return False
    command, _, rest = resolve(ctx, words)
    names = {p.human_readable_name for p in command.params} | METAVARS
    return not any(PLACEHOLDER.search(w) or w in names for w in rest)


@pytest.fixture(scope="module")
def checked():
    from relcore.plugins import PluginSelection

    app = App("sqlite://", selection=PluginSelection())  # the docs' example plugin too
    try:
        yield tree.root_context(app)
    finally:
        app.dispose()


@pytest.mark.parametrize(
    "where,line,in_block", [(f"{f}:{n}", text, b) for f, n, text, b in doc_lines()]
)
def test_doc_command_names_existing_commands_and_options(checked, where, line, in_block):
    words, _ = split(line)
    command, path, rest = resolve(checked, words)
    known = option_names(command)
    for word in rest:
        for part in word.strip("[]").split("|"):
            option = part.split("=", 1)[0].strip("[]")
            if option.startswith("--"):
                assert option in known, f"{where}: {' '.join(path)} has no option {option}"


@pytest.fixture
def demo_app(relcore_db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files the examples write stay in the test's directory
    app = App(relcore_db_url)
    try:
        summary = build_demo(app)
        yield app, summary
    finally:
        app.dispose()


def test_doc_examples_and_the_demo_tour_run_on_the_demo_database(demo_app):
    app, summary = demo_app
    ctx = tree.root_context(app)
    ran = []
    for name, no, line, in_block in doc_lines():
        words, comment = split(line)
        if not is_example(ctx, words, in_block) or comment.startswith("not run"):
            continue
        result = invoke_cli(app, *words[1:])
        if comment.startswith("fails"):
            assert result.exit_code == 1, (name, no, line, result.output)
            assert len(result.output.strip().splitlines()) == 1, result.output
        else:
            assert result.exit_code == 0, (name, no, line, result.output)
        ran.append(line)
    assert len(ran) >= 5  # the docs keep runnable examples
    tour = [
        piece[piece.index("relcore ") :].strip()
        for section in summary["tour"]
        for text in section["lines"]
        for piece in re.split(r"\s*[;/,]\s+(?=relcore )", text)
        if "relcore " in piece
    ]
    assert tour
    for line in tour:
        words = shlex.split(line)
        while len(words) > 1 and words[1] in GLOBAL_WITH_VALUE:
            words = [words[0], *words[3:]]
        if tuple(words[1:3]) in SERVERS:
            resolve(ctx, words)  # named right, but it serves until stopped
            continue
        result = invoke_cli(app, *words[1:])
        assert result.exit_code == 0, (line, result.output)
