"""Optional integrations (#9 defect 6): a plugin contributes to segments when segments is
installed, without requiring it — ``@hookimpl(optionalhook=True)`` — and its migrations never
depend on the optional plugin's lineage."""

from __future__ import annotations

import re
import types

import pytest
import sqlalchemy as sa

from relcore import hookimpl
from relcore.app import App
from relcore.db import Code, metadata
from relcore.errors import ConfigError, PluginError
from relcore.migrations_api import (
    MigrationLineage,
    check,
    optional_references,
    revision,
    upgrade,
)
from relcore.plugins import PluginSelection


def badges_plugin(*, optional: bool = True, migrations: str | None = None) -> types.ModuleType:
    """A plugin that requires contacts and contributes a criteria source to segments."""
    module = types.ModuleType("relcore_badges_test")
    module.requires = ("contacts",)

    def relcore_segments_register_criteria_sources(register):
        from relcore_contacts.api import contact_table
        from relcore_segments.api import CriteriaSource

        register(
            CriteriaSource(
                "badge",
                "Contact Badge",
                {"no": contact_table.c.no},
                lambda conditions: sa.select(contact_table.c.no).where(*conditions),
            )
        )

    module.relcore_segments_register_criteria_sources = hookimpl(optionalhook=optional)(
        relcore_segments_register_criteria_sources
    )
    if migrations is not None:

        def relcore_register_migrations(register):
            register(MigrationLineage("badges", migrations, "badges_"))

        module.relcore_register_migrations = hookimpl(relcore_register_migrations)
    return module


def test_an_optional_hook_loads_without_the_publisher(make_app):
    app = make_app("contacts", extra=[("badges", badges_plugin())])
    assert app.has_plugin("badges") and not app.has_plugin("segments")


def test_without_optionalhook_the_missing_publisher_is_refused(make_app):
    with pytest.raises(PluginError, match="badges implements an unknown hook"):
        make_app("contacts", extra=[("badges", badges_plugin(optional=False))])


def test_an_optional_hook_contributes_when_the_publisher_is_installed(make_app):
    from relcore_segments.api import criteria_sources

    app = make_app("contacts", "interactions", "segments", extra=[("badges", badges_plugin())])
    assert criteria_sources(app)["badge"].plugin == "badges"


@pytest.fixture
def badge_table():
    table = sa.Table(
        "badges_badge",
        metadata,
        sa.Column("code", Code(20), primary_key=True),
        sa.Column("contact_no", Code(20), sa.ForeignKey("contacts_contact.no")),
        sa.Column("segment_no", Code(20)),  # the optional plugin's key: a plain column
    )
    yield table
    metadata.remove(table)


def test_the_revision_depends_on_required_lineages_only(tmp_path, badge_table):
    folder = tmp_path / "migrations"
    folder.mkdir()
    plugin = badges_plugin(migrations=str(folder))
    everything = App(f"sqlite:///{tmp_path / 'scratch.db'}", plugins=[("badges", plugin)])
    try:
        assert everything.has_plugin("segments")  # installed, but only optionally integrated
        path = revision(everything, "badges", "badges table")
    finally:
        everything.dispose()
    text = path.read_text(encoding="utf-8")
    depends = re.search(r"depends_on[^=]*= (.*)", text).group(1)
    assert "contacts_" in depends and "core_" in depends
    assert "segments" not in depends and "interactions" not in depends
    assert "badges_badge" in text
    # the lineage upgrades a database that has no segments (and no interactions) at all
    alone = App(
        f"sqlite:///{tmp_path / 'alone.db'}",
        plugins=[("badges", plugin)],
        selection=PluginSelection(allow=["contacts"]),
    )
    try:
        upgrade(alone)
        assert check(alone) == []
        assert "badges_badge" in sa.inspect(alone.engine).get_table_names()
    finally:
        alone.dispose()


def test_a_foreign_key_to_an_optional_plugins_table_is_refused(tmp_path, badge_table):
    folder = tmp_path / "migrations"
    folder.mkdir()
    table = sa.Table(
        "badges_segment_badge",
        metadata,
        sa.Column("segment_no", Code(20), sa.ForeignKey("segments_header.no"), primary_key=True),
    )
    app = App(
        f"sqlite:///{tmp_path / 'scratch.db'}",
        plugins=[("badges", badges_plugin(migrations=str(folder)))],
    )
    try:
        assert optional_references(app, "badges") == [
            "badges_segment_badge.segment_no references segments_header of plugin segments, "
            "which badges does not require"
        ]
        with pytest.raises(ConfigError, match="does not require: a revision may depend only"):
            revision(app, "badges", "badges table")
        assert list(folder.iterdir()) == []
    finally:
        app.dispose()
        metadata.remove(table)


def test_no_shipped_plugin_references_a_plugin_it_does_not_require():
    app = App("sqlite://")
    try:
        assert {name: optional_references(app, name) for name in app.plugin_names} == {
            name: [] for name in app.plugin_names
        }
    finally:
        app.dispose()
