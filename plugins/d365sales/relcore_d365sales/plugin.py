"""The d365sales plugin's hook implementations (thin: the work lives in the service modules).

Heavy imports (httpx, msal, the engine) happen inside the hooks, so ``relcore --help`` stays fast.
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

requires: tuple[str, ...] = ("contacts",)


# -- publishing hooks and registering what the plugin brings ---------------------------------


@hookimpl
def relcore_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    from relcore_d365sales import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def relcore_register_entities(register: Callable[[EntityType], None]) -> None:
    from relcore_d365sales.entities import ENTITIES

    for entity in ENTITIES:
        register(entity)


@hookimpl
def relcore_register_setup(register: Callable[[SetupField], None]) -> None:
    from relcore_d365sales.setup_fields import SETUP_FIELDS

    for field in SETUP_FIELDS:
        register(field)


@hookimpl
def relcore_register_migrations(register: Callable[[MigrationLineage], None]) -> None:
    from relcore.migrations_api import MigrationLineage

    register(MigrationLineage("d365sales", str(Path(__file__).parent / "migrations"), "d365_"))


@hookimpl
def relcore_register_commands(cli: click.Group) -> None:
    from relcore_d365sales.cli import d365_group

    cli.add_command(d365_group)


@hookimpl
def relcore_d365sales_register_mappings(register: Any) -> None:
    from relcore_d365sales.mappings import default_mappings

    for definition in default_mappings():
        register(definition)


@hookimpl
def relcore_contacts_merge(
    session: Any, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    from relcore_d365sales.couplings import merge_couplings

    return merge_couplings(session, merges, dry_run)


@hookimpl
def relcore_contacts_check_delete(session: Any, contacts: list[dict]) -> None:
    from relcore_d365sales.couplings import contacts_deleted

    contacts_deleted(session, [c["no"] for c in contacts])


@hookimpl
def relcore_before_write(session: Any, entity: str, action: str, rows: list[dict]) -> None:
    if entity == "contacts.salesperson" and action == "delete":
        from relcore_d365sales.couplings import local_records_deleted

        local_records_deleted(session, "contacts.salesperson", [r["code"] for r in rows])


@hookimpl
def relcore_erase_personal_data(session: Any, contact_nos: list[str]) -> dict[str, int]:
    from relcore_d365sales.couplings import contacts_erased

    return contacts_erased(session, contact_nos)


@hookimpl(trylast=True)  # after every other plugin's demo data, so the demo sync carries it all
def relcore_load_demo_data(app: Any, session: Any) -> None:
    from relcore_d365sales.demo import load_demo

    load_demo(app, session)


@hookimpl
def relcore_demo_tour(app: Any, session: Any) -> list[str] | None:
    from relcore_d365sales.demo import tour

    return tour(app, session)
