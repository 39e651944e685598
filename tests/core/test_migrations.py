"""Migrations: every lineage upgrades an empty database to exactly the declared schema."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from relcore.app import App
from relcore.migrations_api import check, pending, upgrade
from relcore.plugins import PluginSelection


def _app(url: str, plugins: list[str] | None) -> App:
    return App(url, selection=PluginSelection(allow=plugins))


@pytest.mark.parametrize("plugins", [[], ["contacts"], None], ids=["core", "core+contacts", "all"])
def test_upgrading_an_empty_database_yields_exactly_the_models(relcore_db_url, plugins):
    app = _app(relcore_db_url, plugins)
    try:
        assert check(app), "an empty database should differ from the models"
        upgrade(app)
        assert check(app) == []
        assert pending(app) == []
    finally:
        app.dispose()


def test_init_twice_changes_nothing(relcore_db_url):
    app = _app(relcore_db_url, None)
    try:
        first = app.init()
        assert first["migrated"]
        assert "CONT" in first["series_created"]
        with app.session() as s:
            assert app.setup.get(s, "contacts.contact_nos") == "CONT"
        second = app.init()
        assert second == {"migrated": [], "series_created": []}
    finally:
        app.dispose()


def test_db_commands(relcore_db_url, run_cli):
    app = _app(relcore_db_url, None)
    try:
        assert run_cli(app, "db", "check").exit_code == 1
        listed = run_cli(app, "db", "pending", json=True)
        assert {"core", "contacts"} <= {item["branch"] for item in listed.json}
        assert run_cli(app, "db", "upgrade").exit_code == 0
        assert run_cli(app, "db", "pending", json=True).json == []
        ok = run_cli(app, "db", "check", json=True)
        assert ok.exit_code == 0 and ok.json == {"in_step": True, "differences": []}
    finally:
        app.dispose()


def test_check_reports_a_table_changed_behind_the_models_back(relcore_db_url):
    app = _app(relcore_db_url, [])
    try:
        upgrade(app)
        with app.engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE core_setup ADD COLUMN stray INTEGER"))
        diffs = check(app)
        assert any("stray" in d for d in diffs)
    finally:
        app.dispose()
