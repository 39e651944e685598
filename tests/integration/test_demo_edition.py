"""The whole edition on a migrated database: init, every plugin's demo data, the tour, db check.

This is the path a user takes (`relcore init` / `relcore demo`), so it runs on the schema the
migrations build, not on `metadata.create_all`.
"""

from __future__ import annotations

from relcore.app import App
from relcore.demo import build_demo
from relcore.migrations_api import check


def test_demo_on_a_migrated_database(relcore_db_url):
    app = App(relcore_db_url)
    try:
        summary = build_demo(app)
        assert set(summary["loaded"]) >= {"contacts", "interactions", "segments"}
        tour = {section["plugin"]: section["lines"] for section in summary["tour"]}
        assert tour["core"] and tour["contacts"]
        assert check(app) == []
        assert app.init() == {"migrated": [], "series_created": []}
    finally:
        app.dispose()
