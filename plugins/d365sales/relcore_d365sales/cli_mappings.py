"""``relcore d365 mappings | mapping NAME [--set F=V] | option-map``: the mapping data (§A2–§A3,
§A14)."""

from __future__ import annotations

import click

from relcore.cli.context import State, output, pass_state, record_table, table
from relcore.cli.fields_help import columns, set_option

EDITABLE = (
    "direction",
    "only_coupled",
    "update_conflict",
    "deletion_conflict",
    "dependency_filter",
    "dv_filter",
    "enabled",
    "use_change_tracking",
    "priority",
)


def register(group: click.Group) -> None:
    """Add the mapping commands to ``group``."""
    for command in (mappings_command, mapping_command, option_map_command):
        group.add_command(command)


@click.command("mappings")
@click.option(
    "--reset-defaults",
    is_flag=True,
    help="Rewrite every mapping and its fields from the plugins' defaults.",
)
@pass_state
def mappings_command(state: State, reset_defaults: bool) -> None:
    """List the table mappings (BC "Integration Table Mappings") with their state; a known
    mapping that is out (OPPORTUNITY without the opportunities plugin…) is listed as
    "not available" with the reason."""
    import sqlalchemy as sa

    from relcore_d365sales import model
    from relcore_d365sales.mappings import ensure_mappings, registry, unavailable, why_out

    reg = registry(state.app)
    missing = unavailable(state.app)
    with state.app.session() as session:
        ensure_mappings(session, reset=reset_defaults)
        t = model.table_mapping
        rows = [
            dict(r._mapping) for r in session.execute(sa.select(t).order_by(t.c.priority, t.c.name))
        ]
    for r in rows:
        available = r["name"] in reg
        r["state"] = ("enabled" if r["enabled"] else "disabled") if available else "not available"
        r["reason"] = "" if available else why_out(state.app, r["name"])
    listed = {r["name"] for r in rows}
    rows += [
        {"name": name, "state": "not available", "reason": reason}
        for name, reason in sorted(missing.items())
        if name not in listed
    ]
    cols = [
        "name",
        "local_entity",
        "dv_entity_set",
        "direction",
        "only_coupled",
        "update_conflict",
        "deletion_conflict",
        "dependency_filter",
        "state",
    ]

    def human(console):
        console.print(table("Table mappings", cols, [[r.get(k, "") for k in cols] for r in rows]))
        for r in rows:
            if r["reason"]:
                console.print(f"{r['name']} not available: {r['reason']}")

    output(state, rows, human=human)


@click.command("mapping")
@click.argument("name")
@set_option(
    columns("relcore_d365sales.model:table_mapping", EDITABLE), "Change table mapping options."
)
@pass_state
def mapping_command(state: State, name: str, assignments: tuple[str, ...]) -> None:
    """Show a mapping with its field mappings, or change its options."""
    import sqlalchemy as sa

    from relcore import entities
    from relcore.fields import coerce_values, parse_assignments
    from relcore_d365sales import model
    from relcore_d365sales.mappings import ensure_mappings

    name = name.upper()
    with state.app.session() as session:
        ensure_mappings(session)
        entities.get(session, "d365sales.table_mapping", name)
        if assignments:
            values = coerce_values(
                model.table_mapping,
                parse_assignments(assignments),
                entity="Integration Table Mapping",
                key=name,
                allowed=EDITABLE,
            )
            entities.update(session, "d365sales.table_mapping", name, values)
        row = entities.get(session, "d365sales.table_mapping", name)
        f = model.field_mapping
        fields = [
            dict(r._mapping)
            for r in session.execute(sa.select(f).where(f.c.mapping_name == name).order_by(f.c.id))
        ]
    data = {**row, "fields": fields}
    cols = [
        "id",
        "local_field",
        "dv_column",
        "direction",
        "constant_value",
        "transformation_rule",
        "not_null",
        "clear_on_failure",
        "lookup_mapping",
        "match_priority",
        "enabled",
    ]

    def human(console):
        console.print(record_table(row, f"Mapping {name}"))
        console.print(table("Field mappings", cols, [[x[k] for k in cols] for x in fields]))

    output(state, data, human=human)


@click.command("option-map")
@click.argument("dv_column", required=False)
@click.argument("option_value", type=int, required=False)
@click.argument("local_code", required=False)
@pass_state
def option_map_command(
    state: State, dv_column: str | None, option_value: int | None, local_code: str | None
) -> None:
    """List the choice-value map, or map ``<entity set>.<column>`` VALUE to a local code
    (e.g. ``accounts.paymenttermscode 1 NET30``; §A14)."""
    import sqlalchemy as sa

    from relcore import entities
    from relcore_d365sales import model

    o = model.option_map
    with state.app.session() as session:
        if dv_column and option_value is not None and local_code:
            key = (dv_column, option_value)
            if entities.exists(session, "d365sales.option_map", key):
                entities.update(session, "d365sales.option_map", key, {"local_code": local_code})
            else:
                entities.insert(
                    session,
                    "d365sales.option_map",
                    [
                        {
                            "dv_column": dv_column,
                            "option_value": option_value,
                            "local_code": local_code,
                        }
                    ],
                )
        rows = [
            dict(r._mapping)
            for r in session.execute(sa.select(o).order_by(o.c.dv_column, o.c.option_value))
        ]
    cols = ["dv_column", "option_value", "local_code"]
    output(
        state,
        rows,
        human=lambda c: c.print(table("Option map", cols, [[r[k] for k in cols] for r in rows])),
    )
