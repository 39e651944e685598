"""The plugin contract: every hook a relcore plugin may implement.

A plugin is a module (found through the ``relcore`` entry-point group) that implements some of
these hooks with :data:`relcore.hookimpl`. Collector hooks receive a ``register`` callback, so the
core validates each item, detects clashes and remembers which plugin contributed it. Hooks that
carry data take batches (lists), never one record per call.

Each hook is documented, with its exact signature, in ``docs/plugin-hooks.md``; a test keeps the
two in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import cattrs
    import click
    from sqlalchemy.engine import Connection

    from relcore.app import App
    from relcore.entities import EntityType
    from relcore.interactions import InteractionEvent, InteractionRecord
    from relcore.migrations_api import MigrationLineage
    from relcore.numbering import DefaultSeries
    from relcore.setup import SetupField

hookspec = pluggy.HookspecMarker("relcore")

# --------------------------------------------------------------------------------------------
# Start-up: publishing hooks and registering what a plugin brings
# --------------------------------------------------------------------------------------------


@hookspec(historic=True)
def relcore_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    """Publish a plugin's own hookspecs for the plugins that build on it.

    Called once for every plugin, also for plugins registered later (historic).

    :param pluginmanager: the plugin manager; call ``pluginmanager.add_hookspecs(module)``.
    """


@hookspec
def relcore_register_entities(register: Callable[[EntityType], None]) -> None:
    """Register the entities (record types) a plugin owns.

    :param register: ``register(EntityType(...))``; see :class:`relcore.entities.EntityType`.
        Registering a name twice is refused, naming both plugins.
    """


@hookspec
def relcore_register_number_series(register: Callable[[DefaultSeries], None]) -> None:
    """Register the default number series a plugin needs (created by ``relcore init``).

    :param register: ``register(DefaultSeries(code, description, starting_no, ..., setup_key))``;
        see :class:`relcore.numbering.DefaultSeries`. The setup key, when given, is filled with the
        series code unless already set.
    """


@hookspec
def relcore_register_setup(register: Callable[[SetupField], None]) -> None:
    """Register typed setup fields (the Marketing Setup, split by owner plugin).

    :param register: ``register(SetupField(key, type, default, description))``; keys are
        ``<plugin>.<field>`` and unique; see :class:`relcore.setup.SetupField`.
    """


@hookspec
def relcore_register_interaction_events(
    register: Callable[[InteractionEvent], None],
) -> None:
    """Register events that may log interactions automatically (BC "Interaction Template Setup").

    :param register: ``register(InteractionEvent(code, description))``; see
        :class:`relcore.interactions.InteractionEvent`.
    """


@hookspec
def relcore_register_commands(cli: click.Group) -> None:
    """Add click commands or groups to the ``relcore`` shell.

    Keep the module that defines them light (import services inside command functions), so
    ``relcore --help`` stays fast.

    :param cli: the root click group; call ``cli.add_command(group)``.
    """


@hookspec
def relcore_register_migrations(register: Callable[[MigrationLineage], None]) -> None:
    """Register a plugin's alembic lineage.

    :param register: ``register(MigrationLineage(branch_label, version_location, table_prefix))``;
        see :class:`relcore.migrations_api.MigrationLineage`.
    """


@hookspec
def relcore_configure_converter(converter: cattrs.Converter) -> None:
    """Register cattrs structure/unstructure hooks for a plugin's types.

    :param converter: the app's :class:`cattrs.Converter` (JSON boundary of the shell and APIs).
    """


# --------------------------------------------------------------------------------------------
# Numbering and interaction logging: one provider decides
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def relcore_next_number(session: Connection, series_code: str, usage_date: dt.date) -> str | None:
    """Draw the next number of a series from an alternative implementation.

    Return ``None`` to leave the draw to the core's engine (BC §1.2).

    :param session: the current transaction.
    :param series_code: the number series code.
    :param usage_date: the usage date (``datetime.date``).
    """


@hookspec(firstresult=True)
def relcore_log_interactions(
    session: Connection, records: list[InteractionRecord]
) -> list[dict] | None:
    """Persist a batch of interactions (implemented by the interactions plugin).

    :param session: the current transaction.
    :param records: :class:`relcore.interactions.InteractionRecord` values.
    :returns: the created entries (one per record, in order), or ``None`` when not handled.
    """


# --------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------


@hookspec
def relcore_interactions_logged(session: Connection, entries: list[dict]) -> None:
    """React to logged interactions (campaigns, opportunities, sync).

    :param session: the current transaction.
    :param entries: the entries just created, as returned by ``relcore_log_interactions``.
    """


@hookspec
def relcore_before_write(session: Connection, entity: str, action: str, rows: list[dict]) -> None:
    """Validate or veto a write before it happens (BC's ``OnBefore...`` events).

    Raise :class:`relcore.errors.ValidationError` to refuse; the transaction rolls back.

    :param session: the current transaction.
    :param entity: the entity name (``"contacts.contact"``).
    :param action: ``"insert"``, ``"update"`` or ``"delete"``.
    :param rows: the rows about to be written (for updates: the key and the changed values; for
        deletes: the full rows).
    """


@hookspec
def relcore_after_write(session: Connection, entity: str, action: str, rows: list[dict]) -> None:
    """React to a write that happened (same transaction).

    :param session: the current transaction.
    :param entity: the entity name.
    :param action: ``"insert"``, ``"update"`` or ``"delete"``.
    :param rows: the rows written (for updates: the key and the changed values).
    """


@hookspec
def relcore_erase_personal_data(session: Connection, contact_nos: list[str]) -> dict[str, int]:
    """Anonymise every copy of these contacts' personal data a plugin holds (GDPR erasure).

    Statistics rows are kept; only personal fields are scrubbed.

    :param session: the current transaction.
    :param contact_nos: the contacts being erased.
    :returns: rows scrubbed per table name (``{}`` when the plugin holds none of them).
    """


@hookspec
def relcore_init_defaults(session: Connection) -> None:
    """Create the default records a plugin ships (``relcore init``, after the number series).

    Create only what is missing and never change what exists: ``init`` runs again after every
    upgrade. ``relcore.testing``'s ``make_app`` calls it too.

    :param session: the current transaction.
    """


@hookspec
def relcore_load_demo_data(app: App, session: Connection) -> None:
    """Add a plugin's demo data (called in dependency order, after ``relcore init``).

    :param app: the :class:`relcore.app.App`.
    :param session: the current transaction.
    """


@hookspec
def relcore_demo_tour(app: App, session: Connection) -> list[str] | None:
    """Lines a plugin adds to the printed tour at the end of ``relcore demo``.

    :param app: the :class:`relcore.app.App`.
    :param session: a transaction for reading.
    :returns: lines of text (shown under the plugin's name), or ``None``.
    """
