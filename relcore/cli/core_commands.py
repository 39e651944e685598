"""``relcore init`` and ``relcore plugins``."""

from __future__ import annotations

import click

from relcore.cli.context import State, output, pass_state, table


@click.command("init")
@pass_state
def init_command(state: State) -> None:
    """Create or upgrade the database, default number series and setup; safe to run twice."""
    result = state.app.init()
    output(
        state,
        result,
        human=lambda c: c.print(
            f"Database ready: {len(result['migrated'])} migration(s) applied, "
            f"{len(result['series_created'])} number series created."
        ),
    )


@click.command("plugins")
@pass_state
def plugins_command(state: State) -> None:
    """List the loaded plugins: name, version, requires and the hooks each implements."""
    from relcore.plugins import PluginSelection, load_plugins

    # Not state.app: the list must also show plugins that stop the app from starting.
    pm = (
        state._app.pm
        if state._app is not None
        else load_plugins(PluginSelection.from_env(state.config))
    )
    rows = []
    for name, info in pm.infos.items():
        hooks = sorted(hc.name for hc in pm.get_hookcallers(pm.get_plugin(name)) or [])
        rows.append(
            {
                "name": name,
                "version": info.version,
                "requires": list(info.requires),
                "hooks": hooks,
                "distribution": info.distribution,
            }
        )
    failures = [{"name": f.name, "error": f.error} for f in pm.failures]
    data = rows if not failures else {"plugins": rows, "failures": failures}
    if state.json:
        output(state, rows if not failures else data)
        return

    def human(console):
        console.print(
            table(
                "Plugins",
                ["name", "version", "requires", "hooks"],
                [
                    [r["name"], r["version"], ", ".join(r["requires"]), ", ".join(r["hooks"])]
                    for r in rows
                ],
            )
        )
        for f in failures:
            console.print(f"[red]failed:[/red] {f['name']}: {f['error']}")
        for m in pm.missing_requirements:
            console.print(f"[red]missing:[/red] {m}")

    output(state, data, human=human)
