"""Validation of request bodies into stored column values (Part E2 items 6-9, Part E4).

Turns a JSON body into ``{column: value}``: resolves ``@odata.bind`` lookups (polymorphic
customer and owner included), rejects unknown columns with 400, ignores server-managed and
read-only columns, enforces SystemRequired columns and valid state/status pairs.
"""

from __future__ import annotations

from . import schema
from .errors import (
    INVALID_ARGUMENT,
    INVALID_PROPERTY,
    INVALID_STATE,
    ApiError,
    not_found,
    validation,
)
from .keys import parse_reference
from .store import Store
from .values import from_json, is_guid

BIND = "@odata.bind"


def resolve_key(
    store: Store, table: schema.TableDef, key: str | dict
) -> tuple[str | None, dict | None]:
    """Resolve a parsed key to ``(record id or None, row or None)``.

    Alternate keys must be declared on the table (Part B11; undeclared -> 400).
    """
    if isinstance(key, str):
        return key, store.get(table.entity_set, key)
    if set(key) == {table.primary_key} and is_guid(str(key[table.primary_key])):
        record_id = str(key[table.primary_key]).lower()
        return record_id, store.get(table.entity_set, record_id)
    if tuple(sorted(key)) not in {tuple(sorted(k)) for k in table.alternate_keys}:
        raise ApiError(
            400,
            INVALID_ARGUMENT,
            f"The key attribute(s) {', '.join(sorted(key))} do not match any alternate key "
            f"defined for entity {table.logical_name}.",
        )
    values = {
        name: from_json(table.columns[name], value) if name in table.columns else value
        for name, value in key.items()
    }
    row = store.find_by_key(table.entity_set, values)
    return (row[table.primary_key] if row else None), row


def body_to_values(
    store: Store,
    table: schema.TableDef,
    body: dict,
    *,
    creating: bool,
    record_id: str | None = None,
) -> dict:
    """Validate ``body`` for ``table`` and return the column values to store."""
    if not isinstance(body, dict):
        raise ApiError(400, INVALID_ARGUMENT, "The request body must be a JSON object.")
    values: dict = {}
    for key, value in body.items():
        if key.endswith(BIND):
            _bind(store, table, key[: -len(BIND)], value, values)
            continue
        if key.startswith("@") or "@" in key:
            continue  # instance annotations such as @odata.etag are ignored
        if key == table.primary_key:
            if value is None or not is_guid(str(value)):
                raise validation(f"'{key}' must be a GUID.")
            if creating:
                values[key] = str(value).lower()
            elif record_id and str(value).lower() != record_id:
                raise ApiError(400, INVALID_ARGUMENT, "The primary key cannot be changed.")
            continue
        if key in schema.SERVER_COLUMNS:
            continue  # server-managed: client values are not stored (Part E2 item 8)
        if key in table.lookups:
            if value is not None:
                raise ApiError(
                    400, INVALID_ARGUMENT, f"Use '{key}@odata.bind' to set the lookup '{key}'."
                )
            _clear(table.lookups[key], values)
            continue
        column = table.columns.get(key)
        if column is None:
            raise ApiError(
                400,
                INVALID_PROPERTY,
                f"Invalid property '{key}' was found in entity "
                f"'Microsoft.Dynamics.CRM.{table.logical_name}'.",
            )
        if column.read_only or (column.create_only and not creating):
            continue
        values[key] = from_json(column, value)
    for name in table.system_required:
        if (creating and values.get(name) is None) or (
            not creating and name in values and values[name] is None
        ):
            raise validation(f"A validation error occurred. The value for '{name}' is required.")
    return values


def _clear(lookup: schema.Lookup, values: dict) -> None:
    values[lookup.value_column] = None
    if lookup.type_column:
        values[lookup.type_column] = None


def _bind(store: Store, table: schema.TableDef, nav: str, ref: object, values: dict) -> None:
    lookup = table.lookup_by_nav(nav)
    if lookup is None or lookup.read_only:
        raise ApiError(
            400,
            INVALID_PROPERTY,
            f"An undeclared property '{nav}' which only has property annotations in the payload "
            f"but no property value was found in the payload.",
        )
    if ref is None:
        _clear(lookup, values)
        return
    if not isinstance(ref, str):
        raise ApiError(400, INVALID_ARGUMENT, f"Invalid reference for '{nav}{BIND}'.")
    target_set, key = parse_reference(ref)
    allowed = lookup.navs[nav]
    if lookup.name == "ownerid" and target_set in ("systemusers", "teams"):
        allowed = target_set
    if target_set != allowed or target_set not in store.tables:
        raise ApiError(
            400,
            INVALID_ARGUMENT,
            f"'{target_set}' is not a valid target for navigation property '{nav}'.",
        )
    target_table = store.table(target_set)
    target_id, row = resolve_key(store, target_table, key)
    if row is None:
        raise not_found(target_table.logical_name, str(target_id or key))
    values[lookup.value_column] = row[target_table.primary_key]
    if lookup.type_column:
        values[lookup.type_column] = target_table.logical_name


def apply_state(table: schema.TableDef, current: dict | None, values: dict) -> None:
    """Complete and validate ``statecode``/``statuscode`` in ``values`` (Part E4 item 24)."""
    if table.states is None or ("statecode" not in values and "statuscode" not in values):
        return
    state = values.get("statecode", (current or {}).get("statecode", 0))
    if "statecode" in values and "statuscode" not in values:
        if state not in table.states:
            raise _bad_state(table, state, None)
        values["statuscode"] = table.states[state][0]
        return
    status = values["statuscode"]
    if "statecode" not in values:
        if status not in table.states.get(state, ()):
            owners = [s for s, statuses in table.states.items() if status in statuses]
            if not owners:
                raise _bad_state(table, state, status)
            values["statecode"] = owners[0]
        return
    if state not in table.states or status not in table.states[state]:
        raise _bad_state(table, state, status)


def _bad_state(table: schema.TableDef, state: object, status: object) -> ApiError:
    return ApiError(
        400,
        INVALID_STATE,
        f"{status} is not a valid status code for state code {table.logical_name}State.{state}.",
    )
