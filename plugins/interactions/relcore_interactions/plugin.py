"""The interactions plugin's hook implementations (thin: the work lives in the service modules).

Heavy imports happen inside the hooks, so ``relcore --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
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
    from relcore_interactions import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def relcore_register_entities(register: Callable[[EntityType], None]) -> None:
    from relcore_interactions.entities import ENTITIES

    for entity in ENTITIES:
        register(entity)


@hookimpl
def relcore_register_setup(register: Callable[[SetupField], None]) -> None:
    from relcore_interactions.setup_fields import SETUP_FIELDS

    for field in SETUP_FIELDS:
        register(field)


@hookimpl
def relcore_register_migrations(register: Callable[[MigrationLineage], None]) -> None:
    from relcore.migrations_api import MigrationLineage

    register(
        MigrationLineage("interactions", str(Path(__file__).parent / "migrations"), "interactions_")
    )


@hookimpl
def relcore_register_commands(cli: click.Group) -> None:
    from relcore_interactions.cli import interactions_group
    from relcore_interactions.cli_tasks import tasks_group

    cli.add_command(interactions_group)
    cli.add_command(tasks_group)


@hookimpl
def relcore_register_number_series(register: Any) -> None:
    from relcore.numbering import DefaultSeries

    register(
        DefaultSeries(
            "TASK", "Tasks", "TD000001", ending_no="TD999999", setup_key="interactions.to_do_nos"
        )
    )


@hookimpl
def relcore_register_interaction_events(register: Any) -> None:
    from relcore_interactions.events import OWN_EVENTS

    for event in OWN_EVENTS:
        register(event)


@hookimpl
def relcore_init_defaults(session: Any) -> None:
    from relcore_interactions.defaults import ensure_defaults

    ensure_defaults(session)


@hookimpl
def relcore_log_interactions(session: Any, records: list[Any]) -> list[dict]:
    from relcore_interactions.log_service import log_records

    return log_records(session, records)


@hookimpl
def relcore_erase_personal_data(session: Any, contact_nos: list[str]) -> dict[str, int]:
    from relcore_interactions.contact_hooks import erase_personal_data

    return erase_personal_data(session, contact_nos)


@hookimpl
def relcore_load_demo_data(app: Any, session: Any) -> None:
    from relcore_interactions.demo import load_demo_data

    load_demo_data(app, session)


@hookimpl
def relcore_demo_tour(app: Any, session: Any) -> list[str]:
    from relcore_interactions.demo import tour

    return tour(app, session)


# -- hooks published by the contacts plugin ------------------------------------------------------


@hookimpl
def relcore_contacts_check_type_change(session: Any, contacts: list[dict], new_type: str) -> None:
    from relcore_interactions.contact_hooks import check_type_change

    check_type_change(session, contacts, new_type)


@hookimpl
def relcore_contacts_check_delete(session: Any, contacts: list[dict]) -> None:
    from relcore_interactions.contact_hooks import check_delete

    check_delete(session, contacts)


@hookimpl
def relcore_contacts_company_changed(session: Any, moves: list[tuple[str, str, str]]) -> None:
    from relcore_interactions.contact_hooks import company_changed

    company_changed(session, moves)


@hookimpl
def relcore_contacts_merge(
    session: Any, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    from relcore_interactions.contact_hooks import merge

    return merge(session, merges, dry_run)


@hookimpl
def relcore_contacts_register_classification_fields(register: Any) -> None:
    from relcore_interactions.classification import register_fields

    register_fields(register)


@hookimpl
def relcore_contacts_classification_values(
    session: Any, field: str, contact_nos: list[str] | None, starting_date: Any, ending_date: Any
) -> dict[str, Decimal] | None:
    from relcore_interactions.classification import values

    return values(session, field, contact_nos, starting_date, ending_date)


# -- optional integration with the segments plugin (it requires us; we do not require it) -------


@hookimpl(optionalhook=True)
def relcore_segments_register_criteria_sources(register: Any) -> None:
    from relcore_interactions.task_criteria import register_sources

    register_sources(register)
