"""``relcore interactions ...``: the interactions plugin's shell.

The group is assembled from small command modules; each has a ``register(group)`` function.
Command modules import only click at module level (services are imported when a command runs).
"""

from __future__ import annotations

import importlib

import click

COMMAND_MODULES = (
    "relcore_interactions.cli_groups",
    "relcore_interactions.cli_templates",
    "relcore_interactions.cli_log",
    "relcore_interactions.cli_maintenance",
    "relcore_interactions.cli_stats",
    "relcore_interactions.cli_setup",
)


@click.group("interactions")
def interactions_group() -> None:
    """Interactions: groups, templates, the interaction log, delivery, statistics."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(interactions_group)
