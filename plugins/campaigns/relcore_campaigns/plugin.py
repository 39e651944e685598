"""The campaigns plugin's hook implementations (thin: the work lives in the service modules).

Heavy imports happen inside the hooks, so ``relcore --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from relcore import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    import click
    import pluggy
    from sqlalchemy.engine import Connection

    from relcore.app import App

requires: tuple[str, ...] = ("contacts", "interactions", "segments")


# -- registration -----------------------------------------------------------------------------


@hookimpl
def relcore_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    """Publish the campaigns hooks (opportunity figures, item check, price sources)."""
    from relcore_campaigns import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def relcore_register_entities(register: Callable[[Any], None]) -> None:
    """Campaigns, statuses, campaign entries, target groups, price lines."""
    from relcore_campaigns.entities import ENTITIES

    for entity in ENTITIES:
        register(entity)


@hookimpl
def relcore_register_setup(register: Callable[[Any], None]) -> None:
    """``campaigns.campaign_nos``, ``campaigns.salesperson_code``."""
    from relcore_campaigns.setup_fields import SETUP_FIELDS

    for field in SETUP_FIELDS:
        register(field)


@hookimpl
def relcore_register_number_series(register: Callable[[Any], None]) -> None:
    """CAMP: CP0001..CP9999 (§8.1, CA1)."""
    from relcore.numbering import DefaultSeries

    register(
        DefaultSeries(
            "CAMP", "Campaigns", "CP0001", ending_no="CP9999", setup_key="campaigns.campaign_nos"
        )
    )


@hookimpl
def relcore_register_migrations(register: Callable[[Any], None]) -> None:
    """The ``campaigns`` alembic lineage (tables ``campaigns_*``)."""
    from relcore.migrations_api import MigrationLineage

    register(MigrationLineage("campaigns", str(Path(__file__).parent / "migrations"), "campaigns_"))


@hookimpl
def relcore_register_commands(cli: click.Group) -> None:
    """``relcore campaigns ...``."""
    from relcore_campaigns.cli import campaigns_group

    cli.add_command(campaigns_group)


@hookimpl
def relcore_register_interaction_events(register: Callable[[Any], None]) -> None:
    """Posted sales invoices (BC Interaction Template Setup "Invoices", §8.3), logged with the
    shipped template ``SALESINV`` until an admin maps another."""
    from relcore.interactions import InteractionEvent
    from relcore_campaigns.invoices import DEFAULT_TEMPLATE, EVENT

    register(
        InteractionEvent(
            EVENT,
            "Sales invoices posted by an ERP, for campaigns (Invoices).",
            default_template=DEFAULT_TEMPLATE,
        )
    )


@hookimpl
def relcore_interactions_register_default_templates(register: Callable[[Any], None]) -> None:
    """The template of posted sales invoices (group CAMPAIGNS, outbound, initiated by us)."""
    from relcore_campaigns.invoices import default_template

    register(default_template())


# -- interactions -----------------------------------------------------------------------------


@hookimpl
def relcore_interactions_logged(session: Connection, entries: list[Any]) -> None:
    """Campaign entries for single interactions and documents; target groups kept current."""
    from relcore_campaigns.entries import on_interactions_logged
    from relcore_campaigns.target_groups import on_entries

    on_interactions_logged(session, entries)
    on_entries(session, entries)


@hookimpl
def relcore_interactions_check_campaigns(session: Connection, campaign_nos: list[str]) -> None:
    """§4.5: a campaign no. on an interaction (or task, opportunity) must exist."""
    from relcore_campaigns.campaigns import ensure_exist

    ensure_exist(session, campaign_nos)


@hookimpl(optionalhook=True)
def relcore_opportunities_check_campaigns(
    session: Connection, campaign_nos: list[str], creation_date: date
) -> None:
    """§6.4.2, §9.5 item 2 (OP24): an opportunity's campaign is activated and runs on its
    Creation Date."""
    from relcore_campaigns.opportunity_check import check_for_opportunities

    check_for_opportunities(session, campaign_nos, creation_date)


@hookimpl
def relcore_interactions_task_defaults(
    session: Connection, source: str, nos: list[str]
) -> dict[str, dict] | None:
    """§7.4: a task created from a campaign takes the campaign's salesperson."""
    if source != "campaign":
        return None
    from relcore_campaigns.campaigns import task_defaults

    return task_defaults(session, nos)


@hookimpl
def relcore_interactions_check_uncancel(session: Connection, entries: list[dict]) -> None:
    """§4.8: entries of a canceled campaign entry cannot be un-canceled one by one."""
    from relcore_campaigns.entries import check_uncancel

    check_uncancel(session, entries)


@hookimpl
def relcore_interactions_deleted(session: Connection, entries: list[dict]) -> None:
    """Deleted campaign-target entries leave the target groups (§8.5)."""
    from relcore_campaigns.target_groups import on_entries

    on_entries(session, entries)


# -- segments ---------------------------------------------------------------------------------


@hookimpl
def relcore_segments_logged(session: Connection, logged_segments: list[dict]) -> None:
    """Campaign entries for logged segments (§5.6 step 4, CA12)."""
    from relcore_campaigns.entries import on_segments_logged

    on_segments_logged(session, logged_segments)


@hookimpl
def relcore_segments_register_criteria_sources(register: Callable[[Any], None]) -> None:
    """The criteria source ``campaign``: target groups, campaign entries, responses."""
    from relcore_campaigns.criteria_source import campaign_source

    register(campaign_source())


@hookimpl
def relcore_segments_lines_changed(session: Connection, segment_nos: list[str]) -> None:
    """Criteria actions, Go Back, header changes, deletion: target groups kept current."""
    from relcore_campaigns.target_groups import on_segment_lines_changed

    on_segment_lines_changed(session, segment_nos)


@hookimpl
def relcore_segments_logged_canceled(
    session: Connection, entry_nos: list[int], canceled: bool
) -> None:
    """A logged segment's Canceled mark switches its campaign entries too (§5.7)."""
    from relcore_campaigns.entries import on_logged_segments_canceled

    on_logged_segments_canceled(session, entry_nos, canceled)


@hookimpl
def relcore_segments_logged_deleted(session: Connection, entry_nos: list[int]) -> None:
    """Deleted logged segments: campaign entries lose their Register No."""
    from relcore_campaigns.entries import on_logged_segments_deleted

    on_logged_segments_deleted(session, entry_nos)


# -- contacts -----------------------------------------------------------------------------------


@hookimpl
def relcore_contacts_merge(
    session: Connection, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    """Merged contacts: the target-group rows of duplicates and survivors are re-derived from
    their (already moved) sources."""
    from relcore_campaigns.target_groups import on_contacts_merged

    return on_contacts_merged(session, merges, dry_run)


@hookimpl
def relcore_contacts_check_delete(session: Connection, contacts: list[dict]) -> None:
    """Contacts being deleted leave the target groups (Contact rows of their company)."""
    from relcore_campaigns.target_groups import on_contacts_deleted

    on_contacts_deleted(session, [c["no"] for c in contacts])


# -- writes of other plugins: target groups kept current (§8.5) --------------------------------


@hookimpl
def relcore_before_write(session: Connection, entity: str, action: str, rows: list[dict]) -> None:
    """Remember segment lines' campaign and company before they change."""
    if entity == "segments.line":
        from relcore_campaigns.target_groups import before_line_write

        before_line_write(session, action, rows)


@hookimpl
def relcore_after_write(session: Connection, entity: str, action: str, rows: list[dict]) -> None:
    """Segment lines inserted, changed or deleted one by one."""
    if entity == "segments.line":
        from relcore_campaigns.target_groups import after_line_write

        after_line_write(session, action, rows)


@hookimpl
def relcore_contacts_links_changed(session: Connection, links: list[dict], action: str) -> None:
    """Companies linked with or unlinked from customers: their target-group rows switch between
    Contact and Customer (§8.5)."""
    from relcore_campaigns.target_groups import on_links_changed

    on_links_changed(session, links)


# -- demo -------------------------------------------------------------------------------------


@hookimpl
def relcore_load_demo_data(app: App, session: Connection) -> None:
    """Contoso campaign statuses, a campaign with a logged segment, a target group, a price."""
    from relcore_campaigns.demo import load_demo_data

    load_demo_data(app, session)


@hookimpl
def relcore_demo_tour(app: App, session: Connection) -> list[str]:
    """A line on the demo campaign."""
    from relcore_campaigns.demo import tour

    return tour(app, session)


# -- optional integrations ----------------------------------------------------------------------


@hookimpl(optionalhook=True)
def relcore_d365sales_register_mappings(register: Callable[[Any], None]) -> None:
    """The CAMPAIGN mapping of the Dynamics 365 Sales sync (only when d365sales is installed)."""
    from relcore_campaigns.d365sales import campaign_mapping

    register(campaign_mapping())
