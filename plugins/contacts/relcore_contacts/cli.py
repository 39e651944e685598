"""``relcore contacts ...``: the contacts plugin's shell.

The group is assembled from small command modules; each has a ``register(group)`` function.
Command modules import only click at module level (services are imported when a command runs).
"""

from __future__ import annotations

import importlib

import click

COMMAND_MODULES = (
    "relcore_contacts.cli_contacts",
    "relcore_contacts.cli_reference",
    "relcore_contacts.cli_relations",
    "relcore_contacts.cli_duplicates",
    "relcore_contacts.cli_profiles",
    "relcore_contacts.cli_transfer",
)


@click.group("contacts")
def contacts_group() -> None:
    """Contacts: companies and persons, reference data, relations, duplicates, profiles."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(contacts_group)
