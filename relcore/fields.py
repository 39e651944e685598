"""Turning user input into typed column values, with errors naming the record and field.

Every plugin's shell (``--set FIELD=VALUE``) and importers use :func:`coerce_values`, so the rules
for booleans, decimals, dates, codes and option fields are written once:

* ``Code`` columns are upper-cased and trimmed, and may not exceed their length (§0.2);
* text columns may not exceed their length; lists, objects, numbers and booleans are not text;
* the storage checks of :mod:`relcore.checks` (control characters, NaN, ranges) apply;
* option fields declare ``info={"choices": (...)}`` on the column;
* money and other decimals are ``Decimal`` (never float); dates are ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from relcore import checks
from relcore.dateformula import DateFormula, checked
from relcore.db import Code, UTCDateTime
from relcore.errors import ValidationError

_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}

SYSTEM_FIELDS = frozenset({"system_id", "created_at", "modified_at", "version"})


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """``["city=Oslo", "name=A=B"]`` → ``{"city": "Oslo", "name": "A=B"}``."""
    out: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValidationError(f"expected FIELD=VALUE, got {pair!r}")
        field, value = pair.split("=", 1)
        out[field.strip()] = value
    return out


def coerce_value(column: sa.Column[Any], value: Any, *, entity: str, key: Any = None) -> Any:
    """One value made fit for ``column`` (text input is parsed; typed input is checked)."""
    field = column.name

    def fail(message: str) -> None:
        raise ValidationError(message, entity=entity, key=key, field=field)

    if value is None or (isinstance(value, str) and value == "" and not _is_text(column)):
        if not column.nullable and not _is_bool(column):
            fail("must not be blank")
        return False if _is_bool(column) and not column.nullable else None
    ctype = column.type
    base = ctype.impl_instance if isinstance(ctype, sa.TypeDecorator) else ctype
    choices = column.info.get("choices")
    try:
        if _is_bool(column):
            if isinstance(value, bool):
                return value
            low = str(value).strip().lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            fail(f"{value!r} is not yes/no")
        if isinstance(base, sa.Integer):
            if isinstance(value, (bool, float)) or not isinstance(value, (int, str)):
                fail(f"{value!r} is not a whole number")
            result = int(value)
            problem = checks.number_problem(column, result)
            if problem:
                fail(problem)
            return result
        if isinstance(base, sa.Numeric):
            if isinstance(value, float):
                fail("amounts must be Decimal or text, not float")
            if isinstance(value, bool) or not isinstance(value, (int, str, decimal.Decimal)):
                fail(f"{value!r} is not a decimal number")
            number = decimal.Decimal(str(value).strip())
            problem = checks.number_problem(column, number)
            if problem:
                fail(problem)
            return number
        if isinstance(ctype, UTCDateTime):
            if isinstance(value, dt.datetime):
                parsed = value
            else:
                parsed = dt.datetime.fromisoformat(str(value))
            if parsed.tzinfo is None:
                fail(f"{value!r} has no time zone")
            return parsed.astimezone(dt.UTC)
        if isinstance(base, sa.Date):
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        if isinstance(base, sa.Time):
            return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))
    except (ValueError, decimal.InvalidOperation, TypeError):
        fail(f"{value!r} is not a valid {_type_name(column)}")
    if isinstance(ctype, sa.Uuid):
        return value
    if not isinstance(value, str):
        fail(f"expected text, got {_kind(value)}")
    text = value
    if isinstance(ctype, Code):
        text = text.strip().upper()
    if isinstance(ctype, DateFormula):
        return checked(text, field=field, entity=entity, key=key)
    if choices is not None and text not in choices:
        fail(f"{text!r} is not one of: {', '.join(repr(c) for c in choices)}")
    problem = checks.text_problem(column, text)
    if problem:
        fail(problem)
    return text


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, decimal.Decimal)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"{type(value).__name__} {value!r}"


def coerce_values(
    table: sa.Table,
    values: Mapping[str, Any],
    *,
    entity: str,
    key: Any = None,
    allowed: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Typed values for ``table`` from user input; unknown or system fields are refused.

    :param allowed: the fields a user may set (default: every non-system column).
    """
    allowed_set = (
        set(allowed)
        if allowed is not None
        else {c.name for c in table.c if c.name not in SYSTEM_FIELDS}
    )
    out = {}
    for name, value in values.items():
        if name not in table.c or name not in allowed_set:
            raise ValidationError(
                f"unknown or read-only field (fields: {', '.join(sorted(allowed_set))})",
                entity=entity,
                key=key,
                field=name,
            )
        out[name] = coerce_value(table.c[name], value, entity=entity, key=key)
    return out


def _base(column: sa.Column[Any]) -> Any:
    ctype = column.type
    return ctype.impl_instance if isinstance(ctype, sa.TypeDecorator) else ctype


def _is_bool(column: sa.Column[Any]) -> bool:
    return isinstance(_base(column), sa.Boolean)


def _is_text(column: sa.Column[Any]) -> bool:
    return isinstance(_base(column), sa.String) and not isinstance(column.type, sa.Uuid)


def _type_name(column: sa.Column[Any]) -> str:
    ctype = _base(column)
    if isinstance(column.type, UTCDateTime):
        return "timestamp with time zone (ISO 8601)"
    if isinstance(ctype, sa.Integer):
        return "whole number"
    if isinstance(ctype, sa.Numeric):
        return "decimal number"
    if isinstance(ctype, sa.Date):
        return "date (YYYY-MM-DD)"
    if isinstance(ctype, sa.Time):
        return "time (HH:MM[:SS])"
    return type(ctype).__name__.lower()
