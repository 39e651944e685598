"""The contacts plugin's hook implementations (thin: the work lives in the service modules).

Heavy imports happen inside the hooks, so ``relcore --help`` stays fast.
"""

from __future__ import annotations

from typing import Any

from relcore import hookimpl
from relcore.plugin_kit import standard_hooks

requires: tuple[str, ...] = ()


# The registration hooks of the usual plugin layout (entities, setup fields, hookspecs,
# migrations, commands), written once in the core.
globals().update(
    standard_hooks(
        "relcore_contacts",
        lineage="contacts",
        table_prefix="contacts_",
        commands="relcore_contacts.cli:contacts_group",
        hookspecs=True,
    )
)


@hookimpl
def relcore_register_number_series(register: Any) -> None:
    from relcore.numbering import DefaultSeries

    register(
        DefaultSeries(
            "CONT", "Contacts", "CT000001", ending_no="CT100000", setup_key="contacts.contact_nos"
        )
    )


@hookimpl
def relcore_contacts_register_classification_fields(register: Any) -> None:
    from relcore_contacts.classification import BUILT_IN_FIELDS

    for field in BUILT_IN_FIELDS:
        register(field)


@hookimpl
def relcore_contacts_merge(
    session: Any, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    from relcore_contacts.merge import move_contact_rows

    return move_contact_rows(session, merges, dry_run)


@hookimpl
def relcore_erase_personal_data(session: Any, contact_nos: list[str]) -> dict[str, int]:
    from relcore_contacts.erase import erase_contacts

    return erase_contacts(session, contact_nos)


@hookimpl
def relcore_load_demo_data(app: Any, session: Any) -> None:
    from relcore_contacts.demo import load_demo_data

    load_demo_data(app, session)


@hookimpl
def relcore_demo_tour(app: Any, session: Any) -> list[str]:
    from relcore_contacts.demo import demo_tour

    return demo_tour(app, session)
