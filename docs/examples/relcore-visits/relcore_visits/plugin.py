"""The visits plugin's hooks: an entity, a number series, setup fields, commands, a lineage, an
interaction event with a shipped template, a segment criteria source (optional: only when
segments is installed) and the contacts lifecycle (delete, merge, erase)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from relcore import hookimpl

requires: tuple[str, ...] = ("contacts",)


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


# -- automatic interaction logging: an event and the template it ships ----------------------------


@hookimpl
def relcore_register_interaction_events(register: Any) -> None:
    from relcore.interactions import InteractionEvent

    register(
        InteractionEvent(
            "visits.visit_recorded", "A contact's visit was recorded", default_template="VISIT"
        )
    )


@hookimpl(optionalhook=True)
def relcore_interactions_register_default_templates(register: Any) -> None:
    from relcore_interactions.api import DefaultTemplate

    register(
        DefaultTemplate(
            "VISIT",
            "Visit at our office",
            "VISITS",
            group_description="Visits at our office",
            unit_duration=Decimal(60),
            information_flow="inbound",
            initiated_by="them",
        )
    )


# -- optional integration: a segment criteria source when segments is installed -------------------


@hookimpl(optionalhook=True)
def relcore_segments_register_criteria_sources(register: Any) -> None:
    from relcore_segments.api import CriteriaSource

    from relcore_visits.model import visit
    from relcore_visits.service import contact_nos_of_visits

    fields = {"date": visit.c.visit_date, "purpose": visit.c.purpose}
    register(CriteriaSource("visit", "Visit", fields, contact_nos_of_visits))


# -- the contacts lifecycle ------------------------------------------------------------------


@hookimpl
def relcore_contacts_check_delete(session: Any, contacts: list[dict]) -> None:
    from relcore_visits.service import detach_contacts

    detach_contacts(session, contacts)


@hookimpl
def relcore_contacts_merge(
    session: Any, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    from relcore_visits.service import merge_contacts

    return merge_contacts(session, merges, dry_run)


@hookimpl
def relcore_erase_personal_data(session: Any, contact_nos: list[str]) -> dict[str, int]:
    from relcore_visits.service import erase_contacts

    return erase_contacts(session, contact_nos)


# -- demo ---------------------------------------------------------------------------------


@hookimpl
def relcore_load_demo_data(app: Any, session: Any) -> None:
    from relcore_visits.service import record_visit

    record_visit(session, "Ada Lovelace", "Workshop")


@hookimpl
def relcore_demo_tour(app: Any, session: Any) -> list[str]:
    from relcore_visits.service import list_visits

    return [f"{len(list_visits(session))} visit(s) in the visitor log"]
