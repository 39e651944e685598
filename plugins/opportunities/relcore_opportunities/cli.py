"""``relcore opportunities ...``: the opportunities plugin's shell.

The group is assembled from small command modules; each has a ``register(group)`` function.
Command modules import only click at module level (services are imported when a command runs).
"""

from __future__ import annotations

import importlib

import click

COMMAND_MODULES = (
    "relcore_opportunities.cli_setup",
    "relcore_opportunities.cli_opportunities",
    "relcore_opportunities.cli_stats",
)


@click.group("opportunities")
def opportunities_group() -> None:
    """Opportunities: sales cycles and stages, the opportunity ledger, statistics (BC §6)."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(opportunities_group)
