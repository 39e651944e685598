"""The visits plugin's hooks: an entity, a number series, a setup field, commands, a lineage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from relcore import hookimpl

requires: tuple[str, ...] = ()


@hookimpl
def relcore_register_entities(register: Any) -> None:
    from relcore.entities import EntityType
    from relcore_visits.model import visit

    register(EntityType("visits.visit", visit, "Visit", number_series_setup_key="visits.visit_nos"))


@hookimpl
def relcore_register_number_series(register: Any) -> None:
    from relcore.numbering import DefaultSeries

    register(
        DefaultSeries("VISIT", "Visits", "VS0001", ending_no="VS9999", setup_key="visits.visit_nos")
    )


@hookimpl
def relcore_register_setup(register: Any) -> None:
    from relcore.setup import SetupField

    register(SetupField("visits.visit_nos", "series", None, "Number series for visits."))
    register(
        SetupField(
            "visits.default_purpose", "str", "Meeting", "Purpose of new visits.", max_length=50
        )
    )


@hookimpl
def relcore_register_commands(cli: Any) -> None:
    from relcore_visits.cli import visits_group

    cli.add_command(visits_group)


@hookimpl
def relcore_register_migrations(register: Any) -> None:
    from relcore.migrations_api import MigrationLineage

    register(MigrationLineage("visits", str(Path(__file__).parent / "migrations"), "visits_"))


@hookimpl
def relcore_load_demo_data(app: Any, session: Any) -> None:
    from relcore_visits.service import record_visit

    record_visit(session, "Ada Lovelace", "Workshop")


@hookimpl
def relcore_demo_tour(app: Any, session: Any) -> list[str]:
    from relcore_visits.service import list_visits

    return [f"{len(list_visits(session))} visit(s) in the visitor log"]
