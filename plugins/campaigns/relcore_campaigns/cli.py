"""``relcore campaigns ...``: the campaigns plugin's shell.

The group is assembled from small command modules; each has a ``register(group)`` function.
Command modules import only click at module level (services are imported when a command runs).
"""

from __future__ import annotations

import importlib

import click

COMMAND_MODULES = (
    "relcore_campaigns.cli_campaigns",
    "relcore_campaigns.cli_entries",
    "relcore_campaigns.cli_targets",
    "relcore_campaigns.cli_prices",
)


@click.group("campaigns")
def campaigns_group() -> None:
    """Campaigns: entries, target groups, campaign prices and statistics (BC §8)."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(campaigns_group)
