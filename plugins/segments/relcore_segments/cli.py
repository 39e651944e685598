"""``relcore segments ...``: the segments plugin's shell.

The group is assembled from small command modules; each has a ``register(group)`` function.
Command modules import only click at module level (services are imported when a command runs).
"""

from __future__ import annotations

import importlib

import click

COMMAND_MODULES = (
    "relcore_segments.cli_segments",
    "relcore_segments.cli_criteria",
    "relcore_segments.cli_log",
)


@click.group("segments")
def segments_group() -> None:
    """Segments: contact lists built from criteria, logged as interactions (BC §5)."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(segments_group)
