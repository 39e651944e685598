"""The segments plugin's hook implementations (thin: the work lives in the service modules).

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
    import sqlalchemy as sa

    from relcore.entities import EntityType
    from relcore.migrations_api import MigrationLineage
    from relcore.setup import SetupField

requires: tuple[str, ...] = ("contacts", "interactions")


# -- publishing hooks and registering what the plugin brings ---------------------------------


@hookimpl
def relcore_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    from relcore_segments import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def relcore_register_entities(register: Callable[[EntityType], None]) -> None:
    from relcore_segments.entities import ENTITIES

    for entity in ENTITIES:
        register(entity)


@hookimpl
def relcore_register_setup(register: Callable[[SetupField], None]) -> None:
    from relcore_segments.setup_fields import SETUP_FIELDS

    for field in SETUP_FIELDS:
        register(field)


@hookimpl
def relcore_register_migrations(register: Callable[[MigrationLineage], None]) -> None:
    from relcore.migrations_api import MigrationLineage

    register(MigrationLineage("segments", str(Path(__file__).parent / "migrations"), "segments_"))


@hookimpl
def relcore_register_commands(cli: click.Group) -> None:
    from relcore_segments.cli import segments_group

    cli.add_command(segments_group)


@hookimpl
def relcore_register_number_series(register: Any) -> None:
    from relcore.numbering import DefaultSeries

    register(
        DefaultSeries(
            "SEGM", "Segments", "SM00001", ending_no="SM99999", setup_key="segments.segment_nos"
        )
    )


@hookimpl
def relcore_segments_register_criteria_sources(register: Any) -> None:
    from relcore_segments.builtin_sources import contacts_sources, interactions_sources

    for source in (*contacts_sources(), *interactions_sources()):
        register(source)


@hookimpl
def relcore_contacts_check_company_change(session: Any, contact_nos: list[str]) -> None:
    from relcore_segments.contact_hooks import check_company_change

    check_company_change(session, contact_nos)


@hookimpl
def relcore_contacts_check_delete(session: Any, contacts: list[dict]) -> None:
    from relcore_segments.contact_hooks import check_delete

    check_delete(session, contacts)


@hookimpl
def relcore_contacts_merge(
    session: Any, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    from relcore_segments.contact_hooks import merge

    return merge(session, merges, dry_run)


@hookimpl
def relcore_interactions_check_uncancel(session: Any, entries: list[dict]) -> None:
    from relcore_segments.logged import check_uncancel

    check_uncancel(session, entries)


@hookimpl
def relcore_load_demo_data(app: Any, session: Any) -> None:
    from relcore_segments.demo import load_demo_data

    load_demo_data(app, session)


@hookimpl
def relcore_demo_tour(app: Any, session: Any) -> list[str]:
    from relcore_segments.demo import tour

    return tour(app, session)


# -- hooks published by the interactions plugin (segments requires interactions) ---------------


@hookimpl
def relcore_interactions_check_segments(session: Any, segment_nos: list[str]) -> None:
    from relcore_segments.interactions_hooks import check_segments

    check_segments(session, segment_nos)


@hookimpl
def relcore_interactions_segment_lines(session: Any, segment_no: str) -> sa.Select | None:
    from relcore_segments.interactions_hooks import segment_lines

    return segment_lines(session, segment_no)


@hookimpl
def relcore_interactions_task_defaults(
    session: Any, source: str, nos: list[str]
) -> dict[str, dict] | None:
    """§7.4: a task created from a segment takes the header's campaign and salesperson."""
    if source != "segment":
        return None
    from relcore_segments.interactions_hooks import task_defaults

    return task_defaults(session, nos)


# -- hooks published by the opportunities plugin (optional: segments does not require it) ----


@hookimpl(optionalhook=True)
def relcore_opportunities_segments(session: Any, segment_nos: list[str]) -> dict[str, dict]:
    """§6.4.2: an opportunity's segment — its description and campaign."""
    from relcore_segments.opportunities_hooks import segments

    return segments(session, segment_nos)


@hookimpl(optionalhook=True)
def relcore_opportunities_campaign_segments(
    session: Any, campaign_nos: list[str]
) -> dict[str, list[str]]:
    """§6.4.2 ``SetDefaultSegmentNo``: the segments of each campaign."""
    from relcore_segments.opportunities_hooks import campaign_segments

    return campaign_segments(session, campaign_nos)
