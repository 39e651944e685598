"""The opportunities plugin's hook implementations (thin: the work lives in the service modules).

Heavy imports happen inside the hooks, so ``relcore --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relcore import hookimpl

if TYPE_CHECKING:
    import pluggy
    import sqlalchemy

requires: tuple[str, ...] = ("contacts", "interactions")


@hookimpl
def relcore_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    """Publish the opportunities hookspecs (sales document values for ERP connectors)."""
    from relcore_opportunities import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def relcore_register_entities(register: Callable[[Any], None]) -> None:
    """Sales cycles, stages, close codes, opportunities and their entries."""
    from relcore_opportunities.entities import ENTITIES

    for entity in ENTITIES:
        register(entity)


@hookimpl
def relcore_register_setup(register: Callable[[Any], None]) -> None:
    """``opportunities.opportunity_nos``, ``default_sales_cycle``, ``salesperson_code``."""
    from relcore_opportunities.setup_fields import SETUP_FIELDS

    for field in SETUP_FIELDS:
        register(field)


@hookimpl
def relcore_register_number_series(register: Callable[[Any], None]) -> None:
    """The OPP series (OP000001…) for opportunities (§6.12)."""
    from relcore.numbering import DefaultSeries

    register(
        DefaultSeries(
            "OPP",
            "Opportunities",
            "OP000001",
            ending_no="OP999999",
            setup_key="opportunities.opportunity_nos",
        )
    )


@hookimpl
def relcore_register_migrations(register: Callable[[Any], None]) -> None:
    """The ``opportunities`` alembic lineage (tables ``opportunities_*``)."""
    from relcore.migrations_api import MigrationLineage

    register(
        MigrationLineage(
            "opportunities", str(Path(__file__).parent / "migrations"), "opportunities_"
        )
    )


@hookimpl
def relcore_register_commands(cli: Any) -> None:
    """``relcore opportunities ...``."""
    from relcore_opportunities.cli import opportunities_group

    cli.add_command(opportunities_group)


@hookimpl
def relcore_register_interaction_events(register: Callable[[Any], None]) -> None:
    """Events "opportunity created", "won" and "lost" (§4.6)."""
    from relcore_opportunities.events import EVENTS

    for event in EVENTS:
        register(event)


@hookimpl
def relcore_interactions_register_default_templates(register: Callable[[Any], None]) -> None:
    """The templates OPP-NEW, OPP-WON, OPP-LOST the events log with (§4.6)."""
    from relcore_opportunities.events import default_templates

    for template in default_templates():
        register(template)


# Published by segments, which this plugin does not require: an optional integration.
@hookimpl(optionalhook=True)
def relcore_segments_register_criteria_sources(register: Callable[[Any], None]) -> None:
    """The criteria source ``opportunity`` (status, cycle, stage, salesperson, values, dates)."""
    from relcore_opportunities.criteria import opportunity_source

    register(opportunity_source())


# Published by d365sales, which this plugin does not require: an optional integration.
@hookimpl(optionalhook=True)
def relcore_d365sales_register_mappings(register: Callable[[Any], None]) -> None:
    """The OPPORTUNITY mapping of the Dynamics 365 Sales sync (only when d365sales is
    installed)."""
    from relcore_opportunities.d365sales import opportunity_mapping

    register(opportunity_mapping())


@hookimpl
def relcore_contacts_check_type_change(
    session: sqlalchemy.engine.Connection, contacts: list[dict], new_type: str
) -> None:
    """Refuse a type change while opportunities exist (§2.4)."""
    from relcore_opportunities.contact_hooks import check_type_change

    check_type_change(session, contacts, new_type)


@hookimpl
def relcore_contacts_check_delete(
    session: sqlalchemy.engine.Connection, contacts: list[dict]
) -> None:
    """Refuse deleting contacts with open opportunities; re-point closed ones (§2.7)."""
    from relcore_opportunities.contact_hooks import check_delete

    check_delete(session, contacts)


@hookimpl
def relcore_contacts_merge(
    session: sqlalchemy.engine.Connection, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    """Move the duplicates' opportunities and entries to the survivors."""
    from relcore_opportunities.contact_hooks import merge

    return merge(session, merges, dry_run)


@hookimpl
def relcore_interactions_check_opportunities(
    session: sqlalchemy.engine.Connection, opportunity_nos: list[str]
) -> None:
    """Veto unknown opportunity numbers on interaction log entries and tasks."""
    from relcore_opportunities.contact_hooks import check_opportunities

    check_opportunities(session, opportunity_nos)


@hookimpl
def relcore_interactions_active_opportunity_entries(
    session: sqlalchemy.engine.Connection, opportunity_nos: list[str]
) -> dict[str, int]:
    """Opportunity no. → its active entry no. (tasks link the entry)."""
    from relcore_opportunities.contact_hooks import active_entry_nos

    return active_entry_nos(session, opportunity_nos)


@hookimpl
def relcore_interactions_task_defaults(
    session: sqlalchemy.engine.Connection, source: str, nos: list[str]
) -> dict[str, dict] | None:
    """§7.4: a task created from an opportunity takes its contact, company, campaign and
    salesperson."""
    if source != "opportunity":
        return None
    from relcore_opportunities.contact_hooks import task_defaults

    return task_defaults(session, nos)


# Published by campaigns, a sibling this plugin does not require: an optional integration.
@hookimpl(optionalhook=True)
def relcore_campaigns_opportunity_figures(
    session: sqlalchemy.engine.Connection,
    campaign_nos: list[str],
    date_from: Any,
    date_to: Any,
) -> dict[str, dict]:
    """Open opportunities and their values per campaign (campaign statistics, CA16)."""
    from relcore_opportunities.statistics import campaign_figures

    return campaign_figures(session, campaign_nos, date_from, date_to)


@hookimpl
def relcore_load_demo_data(app: Any, session: sqlalchemy.engine.Connection) -> None:
    """The Contoso sales cycles EXISTING and NEW, the close codes and a few opportunities."""
    from relcore_opportunities.demo import load_demo_data

    load_demo_data(app, session)


@hookimpl
def relcore_demo_tour(app: Any, session: sqlalchemy.engine.Connection) -> list[str]:
    """Lines about the demo opportunities."""
    from relcore_opportunities.demo import tour

    return tour(app, session)
