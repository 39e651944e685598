"""Rendering stored rows as Dataverse JSON (Part B5, Part E3 items 12 and 16).

Adds ``@odata.etag``, applies ``$select`` (the primary key is always returned), and with
``odata.include-annotations`` adds FormattedValue / lookuplogicalname /
associatednavigationproperty annotations for lookups and FormattedValue for choices.
"""

from __future__ import annotations

from fnmatch import fnmatch

from . import schema
from .store import Store
from .values import to_json

FORMATTED = "OData.Community.Display.V1.FormattedValue"
LOOKUP_LOGICAL = "Microsoft.Dynamics.CRM.lookuplogicalname"
ASSOCIATED_NAV = "Microsoft.Dynamics.CRM.associatednavigationproperty"


def etag(row: dict) -> str:
    """The weak ETag ``W/"<versionnumber>"`` (Part B12)."""
    return f'W/"{row["versionnumber"]}"'


def _wanted(pattern: str | None, annotation: str) -> bool:
    if not pattern:
        return False
    return any(fnmatch(annotation, p.strip()) for p in pattern.split(","))


def render_row(
    store: Store,
    table: schema.TableDef,
    row: dict,
    select: list[str] | None,
    annotations: str | None = None,
    expand: list[tuple[str, list[str] | None]] = (),
) -> dict:
    """Return the JSON object for ``row`` honouring ``$select``, annotations and ``$expand``."""
    out: dict = {"@odata.etag": etag(row)}
    columns = select if select is not None else table.all_columns()
    if table.primary_key not in columns:
        columns = [*columns, table.primary_key]
    for name in columns:
        value = row.get(name)
        out[name] = to_json(value)
        if value is None or not annotations:
            continue
        lookup = table.lookup_by_value_column(name)
        if lookup is not None:
            target_set = _target_set(store, lookup, row)
            target_table = store.tables.get(target_set) if target_set else None
            target = store.get(target_set, value) if target_table else None
            if target is not None and _wanted(annotations, FORMATTED):
                out[f"{name}@{FORMATTED}"] = target.get(target_table.primary_name)
            if _wanted(annotations, ASSOCIATED_NAV):
                out[f"{name}@{ASSOCIATED_NAV}"] = _nav_for(lookup, target_set)
            if target_table is not None and _wanted(annotations, LOOKUP_LOGICAL):
                out[f"{name}@{LOOKUP_LOGICAL}"] = target_table.logical_name
            continue
        column = table.columns.get(name)
        if column is not None and column.options and _wanted(annotations, FORMATTED):
            label = column.options.get(value)
            if label is not None:
                out[f"{name}@{FORMATTED}"] = label
    for nav, nested_select in expand:
        lookup = table.lookup_by_nav(nav)
        target_id = row.get(lookup.value_column) if lookup else None
        target_set = lookup.navs[nav] if lookup else None
        if lookup and lookup.name == "ownerid":
            target_set = _target_set(store, lookup, row)
        target = store.get(target_set, target_id) if target_id and target_set else None
        out[nav] = (
            render_row(store, store.table(target_set), target, nested_select, annotations)
            if target is not None
            else None
        )
    return out


def _target_set(store: Store, lookup: schema.Lookup, row: dict) -> str | None:
    if lookup.type_column and row.get(lookup.type_column):
        logical = row[lookup.type_column]
        for table in store.tables.values():
            if table.logical_name == logical:
                return table.entity_set
    return next(iter(lookup.navs.values()))


def _nav_for(lookup: schema.Lookup, target_set: str | None) -> str:
    for nav, target in lookup.navs.items():
        if target == target_set:
            return nav
    return next(iter(lookup.navs))
