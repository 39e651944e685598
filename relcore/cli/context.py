"""What every ``relcore`` command shares: the global options, the app, and output.

Plugin commands use these helpers so all commands behave alike::

    from relcore.cli.context import pass_state, output

    @click.command()
    @pass_state
    def show(state, no):
        with state.app.session() as session:
            record = service.get(session, no)
        output(state, record, human=lambda console: console.print(record["name"]))

This module imports only click: heavy modules are imported when a command runs.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click


class State:
    """The global options of one ``relcore`` invocation, and the app built from them lazily."""

    def __init__(
        self,
        db: str | None = None,
        config_path: str | None = None,
        json_output: bool = False,
        debug: bool = False,
    ) -> None:
        self.db = db
        self.config_path = config_path
        self.json = json_output
        self.debug = debug
        self._app: Any = None
        self._config: dict[str, Any] | None = None

    @property
    def config(self) -> dict[str, Any]:
        """The parsed ``--config`` file (empty without one)."""
        if self._config is None:
            from relcore.app import load_config

            self._config = load_config(self.config_path or os.environ.get("RELCORE_CONFIG"))
        return self._config

    @property
    def app(self) -> Any:
        """The :class:`relcore.app.App` for this invocation (built on first use)."""
        if self._app is None:
            from relcore.app import App

            self._app = App(self.db, config=self.config)
        return self._app

    def close(self) -> None:
        """Release the app's database connections."""
        if self._app is not None:
            self._app.dispose()


pass_state = click.make_pass_decorator(State, ensure=True)
"""Decorator passing the :class:`State` as the first argument of a command."""


def console(stderr: bool = False) -> Any:
    """A rich console (imported lazily: rich is not needed for ``--help``)."""
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=False)


def output(state: State, data: Any, human: Callable[[Any], None] | str | None = None) -> None:
    """Print a result: JSON with ``--json`` (via the app's cattrs converter), else ``human``.

    :param data: attrs objects, dicts, lists, scalars.
    :param human: a function given a rich console, or a plain string; default prints ``data``.
    """
    if state.json:
        from relcore.convert import make_converter, to_jsonable

        converter = state._app.converter if state._app is not None else make_converter()
        click.echo(json.dumps(to_jsonable(converter, data), indent=2, ensure_ascii=False))
        return
    if human is None:
        click.echo(str(data))
    elif isinstance(human, str):
        click.echo(human)
    else:
        human(console())


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Any:
    """A rich table with these columns and rows (cells rendered with ``str``, ``None`` blank)."""
    from rich.table import Table

    t = Table(title=title, show_lines=False)
    for col in columns:
        t.add_column(col)
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    return t


def record_table(record: dict[str, Any], title: str | None = None) -> Any:
    """A two-column rich table of one record's fields."""
    return table(title, ["field", "value"], [[k, v] for k, v in record.items()])


def progress(total: int | None, description: str) -> Any:
    """A rich progress bar on a terminal, a no-op elsewhere; use as a context manager.

    The returned object has ``advance(n)``.
    """
    if not sys.stderr.isatty():
        return _NoProgress()
    from rich.progress import Progress

    return _RichProgress(Progress(console=console(stderr=True), transient=True), total, description)


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def advance(self, n: int = 1) -> None:
        return None


class _RichProgress:
    def __init__(self, progress: Any, total: int | None, description: str) -> None:
        self._progress = progress
        self._total = total
        self._description = description
        self._task: Any = None

    def __enter__(self) -> _RichProgress:
        self._progress.__enter__()
        self._task = self._progress.add_task(self._description, total=self._total)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._progress.__exit__(*exc)

    def advance(self, n: int = 1) -> None:
        self._progress.advance(self._task, n)
