"""The segments plugin's hook implementations (thin: the work lives in the service modules).

Heavy imports happen inside the hooks, so ``relcore --help`` stays fast.
"""

from __future__ import annotations

from typing import Any

from relcore import hookimpl
from relcore.plugin_kit import standard_hooks

requires: tuple[str, ...] = ("contacts", "interactions")


# The registration hooks of the usual plugin layout (entities, setup fields, hookspecs,
# migrations, commands), written once in the core.
globals().update(
    standard_hooks(
        "relcore_segments",
        lineage="segments",
        table_prefix="segments_",
        commands="relcore_segments.cli:segments_group",
        hookspecs=True,
    )
)


@hookimpl
def relcore_register_number_series(register: Any) -> None:
    from relcore.numbering import DefaultSeries

    register(
        DefaultSeries(
            "SEGM", "Segments", "SM00001", ending_no="SM99999", setup_key="segments.segment_nos"
        )
    )


@hookimpl
def relcore_segments_register_criteria_sources(register: Any) -> None:
    from relcore_segments.builtin_sources import contacts_sources, interactions_sources

    for source in (*contacts_sources(), *interactions_sources()):
        register(source)


@hookimpl
def relcore_contacts_check_company_change(session: Any, contact_nos: list[str]) -> None:
    from relcore_segments.contact_hooks import check_company_change

    check_company_change(session, contact_nos)


@hookimpl
def relcore_contacts_check_delete(session: Any, contacts: list[dict]) -> None:
    from relcore_segments.contact_hooks import check_delete

    check_delete(session, contacts)


@hookimpl
def relcore_contacts_merge(
    session: Any, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    from relcore_segments.contact_hooks import merge

    return merge(session, merges, dry_run)


@hookimpl
def relcore_interactions_check_uncancel(session: Any, entries: list[dict]) -> None:
    from relcore_segments.logged import check_uncancel

    check_uncancel(session, entries)


@hookimpl
def relcore_load_demo_data(app: Any, session: Any) -> None:
    from relcore_segments.demo import load_demo_data

    load_demo_data(app, session)


@hookimpl
def relcore_demo_tour(app: Any, session: Any) -> list[str]:
    from relcore_segments.demo import tour

    return tour(app, session)


# -- hooks published by the interactions plugin (segments requires interactions) ---------------


@hookimpl
def relcore_interactions_check_segments(session: Any, segment_nos: list[str]) -> None:
    from relcore_segments.interactions_hooks import check_segments

    check_segments(session, segment_nos)


@hookimpl
def relcore_interactions_segment_lines(session: Any, segment_no: str) -> Any:
    from relcore_segments.interactions_hooks import segment_lines

    return segment_lines(session, segment_no)
