"""The contacts plugin's hook implementations (thin: the work lives in the service modules).

Heavy imports happen inside the hooks, so ``relcore --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relcore import hookimpl

if TYPE_CHECKING:
    import click
    import pluggy

    from relcore.entities import EntityType
    from relcore.migrations_api import MigrationLineage
    from relcore.setup import SetupField

requires: tuple[str, ...] = ()


# -- publishing hooks and registering what the plugin brings ---------------------------------


@hookimpl
def relcore_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    from relcore_contacts import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def relcore_register_entities(register: Callable[[EntityType], None]) -> None:
    from relcore_contacts.entities import ENTITIES

    for entity in ENTITIES:
        register(entity)


@hookimpl
def relcore_register_setup(register: Callable[[SetupField], None]) -> None:
    from relcore_contacts.setup_fields import SETUP_FIELDS

    for field in SETUP_FIELDS:
        register(field)


@hookimpl
def relcore_register_migrations(register: Callable[[MigrationLineage], None]) -> None:
    from relcore.migrations_api import MigrationLineage

    register(MigrationLineage("contacts", str(Path(__file__).parent / "migrations"), "contacts_"))


@hookimpl
def relcore_register_commands(cli: click.Group) -> None:
    from relcore_contacts.cli import contacts_group

    cli.add_command(contacts_group)


@hookimpl
def relcore_register_number_series(register: Any) -> None:
    from relcore.numbering import DefaultSeries

    register(
        DefaultSeries(
            "CONT", "Contacts", "CT000001", ending_no="CT100000", setup_key="contacts.contact_nos"
        )
    )


@hookimpl
def relcore_contacts_register_classification_fields(register: Any) -> None:
    from relcore_contacts.classification import BUILT_IN_FIELDS

    for field in BUILT_IN_FIELDS:
        register(field)


@hookimpl
def relcore_contacts_merge(
    session: Any, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    from relcore_contacts.merge import move_contact_rows

    return move_contact_rows(session, merges, dry_run)


@hookimpl
def relcore_erase_personal_data(session: Any, contact_nos: list[str]) -> dict[str, int]:
    from relcore_contacts.erase import erase_contacts

    return erase_contacts(session, contact_nos)


@hookimpl
def relcore_load_demo_data(app: Any, session: Any) -> None:
    from relcore_contacts.demo import load_demo_data

    load_demo_data(app, session)


@hookimpl
def relcore_demo_tour(app: Any, session: Any) -> list[str]:
    from relcore_contacts.demo import demo_tour

    return demo_tour(app, session)
