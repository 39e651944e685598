"""The ``relcore d365`` group, assembled from the ``cli_*`` modules (each has ``register(group)``).

Only click is imported here; the engine, httpx and msal load when a command runs.
"""

from __future__ import annotations

import click

from relcore_d365sales import cli_connection, cli_coupling, cli_mappings, cli_sync


@click.group("d365")
def d365_group() -> None:
    """Synchronise with Dynamics 365 Sales (Dataverse): connection, sync, couplings, logs."""


for _module in (cli_connection, cli_sync, cli_coupling, cli_mappings):
    _module.register(d365_group)
