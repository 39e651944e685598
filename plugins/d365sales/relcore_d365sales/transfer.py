"""Field transfer between a local record and a Dataverse row (reference §A3, §A7.3 step 6).

Values are compared in their *local* representation ("canonical": blanks are ``""``, codes
upper-case), so a snapshot of the last synchronised values can be compared with either side.

* :func:`local_values` — the canonical values of a local record for the fields sent to Dataverse.
* :func:`dv_values` — a Dataverse row turned into canonical local values (lookups through
  couplings, option sets through ``d365_option_map``, transformation rules reversed).
* :func:`to_payload` — canonical values turned into a Web API body: constants, lookups as
  ``<nav>@odata.bind``, ``not_null`` (never send null), ``clear_on_failure`` (send null instead of
  failing), transformation rules, option values.

Transformation rules (BC "Transformation Rule", applied towards Dataverse and reversed from it):
``upper``, ``lower``, ``trim``, ``title``, ``truncate:N`` (towards the destination),
``prefix:XX`` (added towards Dataverse, removed from it), ``map:A=B;C=D`` (A locally is B in
Dataverse) and ``option`` (choice column: integer ↔ local code through ``d365_option_map``).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

import attrs
import sqlalchemy as sa

from relcore.db import Code
from relcore_d365sales import model

TO = ("bidirectional", "to_integration")
FROM = ("bidirectional", "from_integration")


class TransferError(Exception):
    """A value could not be transferred; the message names the field."""


@attrs.frozen
class FieldSpec:
    """An enabled field mapping row (see :class:`relcore_d365sales.mappings.FieldMap`)."""

    local_field: str
    dv_column: str
    direction: str = "bidirectional"
    constant_value: str | None = None
    transformation_rule: str = ""
    not_null: bool = False
    clear_on_failure: bool = False
    lookup_mapping: str = ""
    dv_nav: str = ""
    match_priority: int | None = None
    match_case_sensitive: bool = False

    @property
    def read_column(self) -> str:
        """The column to ``$select`` (``_x_value`` for lookups)."""
        return f"_{self.dv_column}_value" if self.lookup_mapping else self.dv_column

    @property
    def is_constant(self) -> bool:
        """True when the field writes a constant."""
        return self.constant_value is not None


def load_fields(session: Any, mapping_name: str) -> list[FieldSpec]:
    """The enabled field mappings of a mapping, in definition order."""
    f = model.field_mapping
    rows = session.execute(
        sa.select(f).where(f.c.mapping_name == mapping_name, f.c.enabled.is_(True)).order_by(f.c.id)
    )
    names = attrs.fields_dict(FieldSpec)
    return [FieldSpec(**{k: v for k, v in r._mapping.items() if k in names}) for r in rows]


def to_fields(fields: Iterable[FieldSpec]) -> list[FieldSpec]:
    """Fields sent to Dataverse that carry a local value."""
    return [f for f in fields if f.direction in TO and f.local_field and not f.is_constant]


def from_fields(fields: Iterable[FieldSpec]) -> list[FieldSpec]:
    """Fields read from Dataverse into a local field."""
    return [f for f in fields if f.direction in FROM and f.local_field]


def bidirectional(fields: Iterable[FieldSpec]) -> set[str]:
    """Local fields mapped in both directions (only these can conflict, §A7.3 step 7)."""
    return {
        f.local_field
        for f in fields
        if f.direction == "bidirectional" and f.local_field and not f.is_constant
    }


def canonical(value: Any) -> Any:
    """The comparable form of a value: blanks are ``""``, strings right-trimmed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.rstrip()
    return value


# -- transformation rules -----------------------------------------------------------------------


def transform(value: Any, rule: str, towards_dv: bool) -> Any:
    """Apply a transformation rule (reversed when reading from Dataverse)."""
    if not rule or rule == "option" or value in (None, ""):
        return value
    name, _, arg = rule.partition(":")
    text = str(value)
    if name == "upper":
        return text.upper()
    if name == "lower":
        return text.lower()
    if name == "trim":
        return text.strip()
    if name == "title":
        return text.title()
    if name == "truncate":
        return text[: int(arg)]
    if name == "prefix":
        if towards_dv:
            return arg + text
        return text[len(arg) :] if text.startswith(arg) else text
    if name == "map":
        pairs = [p.split("=", 1) for p in arg.split(";") if "=" in p]
        table = {a: b for a, b in pairs} if towards_dv else {b: a for a, b in pairs}
        return table.get(text, text)
    raise TransferError(f"unknown transformation rule {rule!r}")


def _normalise(column: sa.Column[Any] | None, field: str, value: Any) -> Any:
    """A Dataverse value in the local column's form, checked against its length."""
    value = canonical(value)
    if column is None or value == "":
        return value
    if isinstance(column.type, Code):
        value = str(value).rstrip().upper()
    elif isinstance(column.type, sa.String):
        value = str(value)
    length = getattr(column.type, "length", None)
    if length and isinstance(value, str) and len(value) > length:
        raise TransferError(f"field {field}: {value!r} is longer than {length} characters")
    return value


def _json(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return None if value == "" else value


def parse_constant(text: str) -> Any:
    """A constant's JSON value: integers and booleans are typed, the rest is text."""
    if text.lstrip("-").isdigit():
        return int(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


# -- the two directions -------------------------------------------------------------------------


def local_values(fields: Iterable[FieldSpec], row: dict) -> dict[str, Any]:
    """Canonical values of a local record for the fields sent to Dataverse."""
    return {f.local_field: canonical(row.get(f.local_field)) for f in to_fields(fields)}


def dv_values(
    fields: Iterable[FieldSpec], row: dict, ctx: Any, columns: dict[str, sa.Column[Any]]
) -> dict[str, Any]:
    """A Dataverse row as canonical local values (fields read from Dataverse).

    :param ctx: gives ``local_key(mapping, dv_id)`` and ``option_code(column, value)``.
    :raises TransferError: naming the field (uncoupled lookup, unmapped option, too long).
    """
    out: dict[str, Any] = {}
    for f in from_fields(fields):
        if f.is_constant:
            out[f.local_field] = f.constant_value
            continue
        raw = row.get(f.read_column)
        try:
            if f.lookup_mapping:
                value = ""
                if raw:
                    value = ctx.local_key(f.lookup_mapping, raw)
                    if value is None:
                        raise TransferError(
                            f"field {f.local_field}: {f.dv_column} {raw} is not coupled in "
                            f"mapping {f.lookup_mapping} (synchronise {f.lookup_mapping} first)"
                        )
            elif f.transformation_rule == "option":
                value = ""
                if raw is not None:
                    value = ctx.option_code(f.dv_column, raw)
                    if value is None:
                        raise TransferError(
                            f"field {f.local_field}: option value {raw} of {f.dv_column} has no "
                            "local code (add it to the option map)"
                        )
            else:
                value = transform(raw, f.transformation_rule, towards_dv=False)
            out[f.local_field] = _normalise(columns.get(f.local_field), f.local_field, value)
        except TransferError:
            if not f.clear_on_failure:
                raise
            out[f.local_field] = ""
    return out


def to_payload(
    fields: Iterable[FieldSpec],
    values: dict[str, Any],
    ctx: Any,
    *,
    creating: bool,
    cleared: set[str] | None = None,
) -> dict[str, Any]:
    """A Web API body for these canonical local values (only their fields, plus constants and
    owner defaults when ``creating``).

    :param ctx: gives ``dv_id(mapping, key)``, ``entity_set(mapping)``, ``option_value(column,
        code)``, ``owner_bind(creating)`` (team model / default owner).
    :param cleared: collects the local fields of ``clear_on_failure`` fields sent as null
        because their value could not be set (a lookup not coupled yet, §A5).
    :raises TransferError: naming the field.
    """
    body: dict[str, Any] = {}
    for f in fields:
        if f.direction not in TO:
            continue
        if f.is_constant and not f.local_field:
            if creating:
                body[f.dv_column] = parse_constant(f.constant_value or "")
            continue
        if f.local_field not in values:
            continue
        value = values[f.local_field]
        try:
            if f.lookup_mapping:
                _bind_lookup(body, f, value, ctx, creating)
            elif f.transformation_rule == "option":
                code = canonical(value)
                number = ctx.option_value(f.dv_column, code) if code else None
                if code and number is None:
                    raise TransferError(
                        f"field {f.local_field}: {code!r} has no option value of "
                        f"{f.dv_column} (add it to the option map)"
                    )
                if number is not None or not f.not_null:
                    body[f.dv_column] = number
            else:
                out = _json(transform(value, f.transformation_rule, towards_dv=True))
                if out is not None or not f.not_null:
                    body[f.dv_column] = out
        except TransferError:
            if not f.clear_on_failure:
                raise
            body[_bind_key(f)] = None
        if (
            cleared is not None
            and f.clear_on_failure
            and canonical(value)
            and body.get(_bind_key(f), "") is None
        ):
            cleared.add(f.local_field)
    return body


def _bind_key(f: FieldSpec) -> str:
    return f"{f.dv_nav or f.dv_column}@odata.bind" if f.lookup_mapping else f.dv_column


def _bind_lookup(body: dict, f: FieldSpec, value: Any, ctx: Any, creating: bool) -> None:
    owner = f.dv_column == "ownerid"
    if owner and ctx.ownership_model == "team":
        if creating and ctx.owner_team_id:
            body["ownerid@odata.bind"] = f"/teams({ctx.owner_team_id})"
        return
    key = canonical(value)
    dv_id = ctx.dv_id(f.lookup_mapping, key) if key else None
    if dv_id is None and owner and ctx.default_owner_user_id:
        dv_id = ctx.default_owner_user_id
    if dv_id is not None:
        body[_bind_key(f)] = f"/{ctx.entity_set(f.lookup_mapping)}({dv_id})"
        return
    if key and not (f.not_null and owner) and not f.clear_on_failure:
        raise TransferError(
            f"field {f.local_field}: {key} is not coupled in mapping "
            f"{f.lookup_mapping} (synchronise {f.lookup_mapping} first)"
        )
    if not f.not_null:
        body[_bind_key(f)] = None
