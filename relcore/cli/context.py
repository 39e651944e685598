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
        work_date: Any = None,
    ) -> None:
        self.db = db
        self.work_date = work_date
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
        """The :class:`relcore.app.App` for this invocation (built on first use).

        Outside ``init``, ``db``, ``demo`` and ``plugins``, a database that was never initialised
        is refused ("run `relcore init` first") before anything touches it — a SQLite file is not
        created. Read-only commands (:func:`is_read_only`) get deferred SQLite transactions.
        """
        if self._app is None:
            from relcore.app import App

            ctx = click.get_current_context(silent=True)
            app = App(self.db, config=self.config, work_date=self.work_date)
            if ctx is not None and _root_command(ctx) not in SETUP_COMMANDS:
                app.check_initialised()
            app.read_only = ctx is not None and is_read_only(ctx.command)
            self._app = app
        return self._app

    def set_work_date(self, value: Any) -> None:
        """Set BC's WorkDate (``--work-date``) for this invocation, also on an existing app."""
        self.work_date = value
        if self._app is not None:
            self._app.work_date = value

    def close(self) -> None:
        """Release the app's database connections."""
        if self._app is not None:
            self._app.dispose()


SETUP_COMMANDS = frozenset({"init", "db", "demo", "plugins"})
"""Root commands that may run against a database that was never initialised."""

READ_ONLY_VERBS = frozenset(
    {"show", "list", "stats", "export", "answers", "points", "errors", "status", "salutation"}
)
"""Command names that only read the database (unless marked otherwise with :func:`read_only`)."""


def read_only(flag: bool = True) -> Callable[[click.Command], click.Command]:
    """Mark a command as reading only (``True``) or writing (``False``), overriding its name.

    A read-only command's sessions use a deferred transaction on SQLite, so it reads while
    another process writes (WAL) instead of waiting for the write lock::

        @read_only()
        @click.command("report")
        def report(): ...
    """

    def mark(cmd: click.Command) -> click.Command:
        cmd.relcore_read_only = flag  # type: ignore[attr-defined]
        return cmd

    return mark


def is_read_only(cmd: click.Command) -> bool:
    """True when ``cmd`` only reads: its :func:`read_only` mark, else its name."""
    flag = getattr(cmd, "relcore_read_only", None)
    if flag is not None:
        return bool(flag)
    return cmd.name in READ_ONLY_VERBS


def _root_command(ctx: click.Context) -> str | None:
    """The name of the root group's subcommand this context runs under."""
    while ctx.parent is not None and ctx.parent.parent is not None:
        ctx = ctx.parent
    return ctx.info_name if ctx.parent is not None else None


pass_state = click.make_pass_decorator(State, ensure=True)
"""Decorator passing the :class:`State` as the first argument of a command."""


class IsoDate(click.ParamType):
    """An option or argument that is a date, typed ``YYYY-MM-DD``; a bad value is a one-line
    error (exit 1) like every other bad input."""

    name = "date"

    def get_metavar(self, param: Any, ctx: Any = None) -> str:
        return "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        import datetime as dt

        if isinstance(value, dt.date) or value is None:
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


DATE = IsoDate()
"""The date type of every date option (``@click.option("--date", type=DATE)``)."""


def console(stderr: bool = False) -> Any:
    """A rich console (imported lazily: rich is not needed for ``--help``).

    When the stream is not a terminal (piped, redirected, captured) the console is unbounded, so
    tables print every value in full instead of cutting them at 80 columns.
    """
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if _isatty(stream) else 100_000
    return Console(stderr=stderr, soft_wrap=False, width=width)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def output(state: State, data: Any, human: Callable[[Any], None] | str | None = None) -> None:
    """Print a result: JSON with ``--json`` (via the app's cattrs converter), else ``human``.

    :param data: attrs objects, dicts, lists, scalars.
    :param human: a function given a rich console, or a plain string; default: ``data`` through
        :func:`render` (a record as a field/value table, a list of records as a table).
    """
    if state.json:
        from relcore.convert import make_converter, to_jsonable

        converter = state._app.converter if state._app is not None else make_converter()
        click.echo(json.dumps(to_jsonable(converter, data), indent=2, ensure_ascii=False))
        return
    if human is None:
        render(console(), data)
    elif isinstance(human, str):
        click.echo(human)
    else:
        human(console())


# -- the one formatter of human output -----------------------------------------------------------

WRAPPING_COLUMNS = (
    "description",
    "name",
    "message",
    "error",
    "comment",
    "text",
    "subject",
    "address",
    "filters",
    "hooks",
    "value",
    "meaning",
    "title",
    "formula",
    "reason",
)
"""Column names (or parts of them) whose values may wrap; every other column (keys, numbers,
codes, dates) is never wrapped nor cut."""


def format_value(value: Any) -> str:
    """A value as a person reads it: ISO dates and times, decimals as amounts (at least two
    places, not grouped, so they can be typed back), yes/no, lists comma-separated, records as
    ``field=value``; never a Python repr."""
    import datetime as dt
    import decimal
    import enum

    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, decimal.Decimal):
        exponent = value.as_tuple().exponent
        places = max(2, -exponent) if isinstance(exponent, int) else 2
        return f"{value:.{places}f}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return format_value(value.value)
    if isinstance(value, (list, tuple, set, frozenset)):
        records = [v for v in value if isinstance(v, dict) or _as_record(v) is not None]
        return ("; " if records else ", ").join(format_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={format_value(v)}" for k, v in value.items())
    record = _as_record(value)
    if record is not None:
        return ", ".join(f"{k}={format_value(v)}" for k, v in record.items())
    return str(value)


def _as_record(value: Any) -> dict[str, Any] | None:
    """An attrs instance or a SQLAlchemy row as a dict (else None)."""
    import attrs

    if attrs.has(type(value)):
        return attrs.asdict(value, recurse=False)
    mapping = getattr(value, "_mapping", None)
    if mapping is not None:
        return dict(mapping)
    return None


def render(target: Any, data: Any, title: str | None = None) -> None:
    """Print ``data`` on a rich console: a record as a field/value table (nested lists of
    records as their own tables), a list of records as one table, anything else as one line."""
    record = data if isinstance(data, dict) else _as_record(data)
    if record is not None:
        scalars = {k: v for k, v in record.items() if not _is_records(v)}
        target.print(record_table(scalars, title=title))
        for key, value in record.items():
            if _is_records(value):
                render(target, value, title=key)
        return
    if _is_records(data):
        rows = [r if isinstance(r, dict) else _as_record(r) for r in data]
        columns = list(dict.fromkeys(k for r in rows for k in r))
        target.print(table(title, columns, [[r.get(c) for c in columns] for r in rows]))
        return
    target.print(format_value(data), markup=False, highlight=False)


def _is_records(value: Any) -> bool:
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(v, dict) or _as_record(v) is not None for v in value)
    )


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Any:
    """A rich table with these columns and rows, every cell through :func:`format_value`.

    Keys, codes, numbers and dates are never cut or wrapped; only text columns (descriptions,
    names, messages: :data:`WRAPPING_COLUMNS`) wrap when the terminal is narrow.
    """
    from rich.table import Table

    cells = [[format_value(v) for v in row] for row in rows]
    t = Table(title=title, show_lines=False)
    for i, col in enumerate(columns):
        if any(part in col.lower() for part in WRAPPING_COLUMNS):
            t.add_column(col, overflow="fold")
        else:
            widest = max([len(col), *(len(r[i]) for r in cells if i < len(r))])
            t.add_column(col, no_wrap=True, min_width=widest)
    for row in cells:
        t.add_row(*row)
    return t


def output_table(
    state: State,
    rows: list[Any],
    title: str | None,
    columns: dict[str, str | Callable[[Any], Any]],
    data: Any = None,
) -> None:
    """Print a list of records: ``data`` (default: ``rows``) as JSON with ``--json``, else one
    table titled ``title``.

    :param columns: table header → the row's key (``row[key]``, or an attribute of an attrs
        object or SQLAlchemy row), or a function of the row returning the cell value. Cells go
        through :func:`format_value`; ``None`` prints empty.
    """

    def cell(row: Any, source: str | Callable[[Any], Any]) -> Any:
        if callable(source):
            return source(row)
        if isinstance(row, dict):
            return row.get(source)
        return getattr(row, source, None)

    output(
        state,
        rows if data is None else data,
        human=lambda target: target.print(
            table(title, list(columns), [[cell(r, src) for src in columns.values()] for r in rows])
        ),
    )


def record_table(record: dict[str, Any], title: str | None = None) -> Any:
    """A two-column rich table of one record's fields (the field names are never cut)."""
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
