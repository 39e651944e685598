"""The d365sales plugin's hook implementations (thin: the work lives in the service modules).

Heavy imports (httpx, msal, the engine) happen inside the hooks, so ``relcore --help`` stays fast.
"""

from __future__ import annotations

from typing import Any

from relcore import hookimpl
from relcore.plugin_kit import standard_hooks

requires: tuple[str, ...] = ("contacts",)


# The registration hooks of the usual plugin layout (entities, setup fields, hookspecs,
# migrations, commands), written once in the core.
globals().update(
    standard_hooks(
        "relcore_d365sales",
        lineage="d365sales",
        table_prefix="d365_",
        commands="relcore_d365sales.cli:d365_group",
        hookspecs=True,
    )
)


@hookimpl
def relcore_d365sales_register_mappings(register: Any) -> None:
    from relcore_d365sales.mappings import default_mappings

    for definition in default_mappings():
        register(definition)


@hookimpl
def relcore_contacts_merge(
    session: Any, merges: list[tuple[str, str]], dry_run: bool
) -> dict[str, int]:
    from relcore_d365sales.couplings import merge_couplings

    return merge_couplings(session, merges, dry_run)


@hookimpl
def relcore_contacts_check_delete(session: Any, contacts: list[dict]) -> None:
    from relcore_d365sales.couplings import contacts_deleted

    contacts_deleted(session, [c["no"] for c in contacts])


@hookimpl
def relcore_before_write(session: Any, entity: str, action: str, rows: list[dict]) -> None:
    if entity == "contacts.salesperson" and action == "delete":
        from relcore_d365sales.couplings import local_records_deleted

        local_records_deleted(session, "contacts.salesperson", [r["code"] for r in rows])


@hookimpl
def relcore_erase_personal_data(session: Any, contact_nos: list[str]) -> dict[str, int]:
    from relcore_d365sales.couplings import contacts_erased

    return contacts_erased(session, contact_nos)


@hookimpl
def relcore_load_demo_data(app: Any, session: Any) -> None:
    from relcore_d365sales.demo import load_demo

    load_demo(app, session)


@hookimpl
def relcore_demo_tour(app: Any, session: Any) -> list[str] | None:
    from relcore_d365sales.demo import tour

    return tour(app, session)
