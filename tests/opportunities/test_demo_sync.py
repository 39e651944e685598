"""The demo's Dynamics 365 sync runs after every plugin's demo data, so it carries the demo
opportunities too (d365sales' demo hook is ``trylast``)."""

from __future__ import annotations

import pytest


def test_demo_sync_sends_the_open_demo_opportunities(tmp_path, run_cli):
    from relcore.app import App

    app = App(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        if not app.has_plugin("d365sales"):
            pytest.skip("relcore-d365sales is not installed")
        result = run_cli(app, "demo", json=True)
        assert result.exit_code == 0, result.output
        tour = {section["plugin"]: section["lines"] for section in result.json["tour"]}
        sent = [
            line for line in tour["d365sales"] if "OPPORTUNITY" in line and "to_integration" in line
        ]
        assert sent and "inserted 2," in sent[0] and "failed 0" in sent[0]
        errors = run_cli(app, "d365", "errors", json=True).json
        assert [e for e in errors if e["mapping_name"] == "OPPORTUNITY"] == []
    finally:
        app.dispose()
