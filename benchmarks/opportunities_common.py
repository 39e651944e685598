"""Shared set-up of the opportunities benchmarks: a SQLite file with contacts, interactions,
(segments,) opportunities and the Contoso sales cycles."""

from __future__ import annotations

import datetime as dt
from typing import Any

WORK_DATE = dt.date(2024, 1, 15)


def build(target: Any, plugins: tuple[str, ...]) -> Any:
    """An App on the benchmark database with the Contoso cycles NEW and EXISTING and a
    salesperson JO."""
    from relcore_opportunities.demo import load_setup

    from relcore import entities

    app = target.app(list(plugins), work_date=WORK_DATE)
    with app.session() as session:
        entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        load_setup(session)
    return app
