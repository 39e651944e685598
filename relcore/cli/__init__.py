"""The ``relcore`` admin shell: a click group with lazily resolved core and plugin commands.

Global options come first: ``relcore --db URL --json contacts show CT000001``. Core commands are
imported only when named; plugin commands come from ``relcore_register_commands``. A plugin that
fails to load is reported on stderr and skipped, so ``relcore --help`` always works.

Errors a user can cause print one line (``Error: ...``) and exit 1; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from relcore.cli.context import State

CORE_COMMANDS = {
    "init": "relcore.cli.core_commands:init_command",
    "plugins": "relcore.cli.core_commands:plugins_command",
    "demo": "relcore.cli.demo:demo_command",
    "db": "relcore.cli.db_commands:db_group",
    "setup": "relcore.cli.setup_commands:setup_group",
    "numbers": "relcore.cli.numbers:numbers_group",
    "fields": "relcore.cli.fields_help:fields_command",
}


class _Collector:
    """Receives ``cli.add_command`` calls from plugins' ``relcore_register_commands``."""

    def __init__(self) -> None:
        self.commands: dict[str, click.Command] = {}

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        self.commands[name or cmd.name or ""] = cmd

    command = click.Group.command
    group = click.Group.group


class RelcoreGroup(click.Group):
    """The root group: lazy commands and one-line errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plugin_commands: dict[str, click.Command] | None = None
        self._plugin_warnings: list[str] = []

    def _plugins(self, ctx: click.Context) -> dict[str, click.Command]:
        state = ctx.find_object(State)
        if state is not None and state._app is not None:
            return self._commands_of(state._app.pm)
        if self._plugin_commands is None:
            from relcore.plugins import PluginSelection, load_plugins

            self._plugin_commands = {}
            try:
                pm = load_plugins(PluginSelection.from_env())
            except Exception as exc:  # keep --help alive whatever a plugin does
                self._plugin_warnings.append(f"plugins could not be loaded: {exc}")
                return self._plugin_commands
            for failure in pm.failures:
                self._plugin_warnings.append(
                    f"plugin {failure.name} failed to load: {failure.error}"
                )
            self._plugin_commands = self._commands_of(pm)
            for warning in self._plugin_warnings:
                click.echo(f"warning: {warning}", err=True)
        return self._plugin_commands

    def _commands_of(self, pm: Any) -> dict[str, click.Command]:
        commands: dict[str, click.Command] = {}
        for name, call in pm.plugin_callers("relcore_register_commands"):
            collector = _Collector()
            try:
                call(cli=collector)
            except Exception as exc:
                self._plugin_warnings.append(
                    f"plugin {name} failed to add its commands: {type(exc).__name__}: {exc}"
                )
                continue
            commands.update(collector.commands)
        return commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*CORE_COMMANDS, *self.commands, *self._plugins(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name in CORE_COMMANDS:
            module_name, attr = CORE_COMMANDS[cmd_name].split(":")
            try:
                return getattr(importlib.import_module(module_name), attr)
            except Exception as exc:
                return _broken_command(cmd_name, exc)
        return self._plugins(ctx).get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.BadParameter as exc:
            if isinstance(exc, click.MissingParameter):
                raise
            # a bad value of a typed option is bad input like any other: one line, exit 1
            raise click.ClickException(_bad_value(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as exc:
            state = ctx.find_object(State)
            if state is not None and state.debug:
                raise
            raise click.ClickException(_one_line(exc)) from None
        finally:
            state = ctx.find_object(State)
            if state is not None:
                state.close()


def _bad_value(exc: click.BadParameter) -> str:
    """``--date: '2026-13-01' is not a valid date (YYYY-MM-DD)`` from click's message."""
    param = exc.param
    name = param.opts[-1] if param is not None and getattr(param, "opts", None) else "value"
    if param is not None and isinstance(param, click.Argument):
        name = param.human_readable_name
    return f"{name}: {exc.message}".replace("\n", " ")


def _broken_command(name: str, exc: Exception) -> click.Command:
    """A stand-in for a command whose module failed to import: it says so, and exits 1."""
    message = f"the {name} command is unavailable: {type(exc).__name__}: {exc}"

    def callback() -> None:
        raise click.ClickException(message)

    return click.Command(name, callback=callback, help=f"(unavailable: {type(exc).__name__})")


def _one_line(exc: BaseException) -> str:
    from relcore.errors import describe

    return describe(exc)


@click.group(cls=RelcoreGroup)
@click.option(
    "--db",
    "db",
    envvar="RELCORE_DATABASE_URL",
    metavar="URL",
    help="Database URL (default sqlite:///relcore.db; env RELCORE_DATABASE_URL).",
)
@click.option(
    "--config",
    "config_path",
    envvar="RELCORE_CONFIG",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="TOML config file (plugins, database_url).",
)
@click.option(
    "--work-date",
    "work_date",
    envvar="RELCORE_WORK_DATE",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="BC's WorkDate for every plugin (default today, UTC; env RELCORE_WORK_DATE).",
)
@click.option("--json", "json_output", is_flag=True, help="Machine-readable JSON output.")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.version_option(package_name="relcore", prog_name="relcore")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    config_path: str | None,
    work_date: Any,
    json_output: bool,
    debug: bool,
) -> None:
    """relcore: relationship management, from Business Central's playbook, as open plugins."""
    day = work_date.date() if work_date is not None else None
    if isinstance(ctx.obj, State):  # preset by an embedding program or the testing kit
        ctx.obj.json = ctx.obj.json or json_output
        ctx.obj.debug = ctx.obj.debug or debug
        if day is not None:
            ctx.obj.set_work_date(day)
        return
    ctx.obj = State(
        db=db, config_path=config_path, json_output=json_output, debug=debug, work_date=day
    )


def main() -> None:
    """The console-script entry point."""
    cli(prog_name="relcore")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
