"""Conversion between JSON/OData literal values and stored Python values (Part B5).

Stored types: ``str`` (strings, GUIDs lower-case), ``int``, ``bool``, ``Decimal`` (money and
decimals), timezone-aware UTC ``datetime`` (whole seconds) and ``date``.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from . import schema
from .errors import validation

GUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def parse_datetime(text: str) -> datetime:
    """Parse an ISO 8601 date-time; naive values are UTC. Raises ``ValueError``."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    """Render a UTC instant as ``YYYY-MM-DDTHH:MM:SSZ`` (whole seconds, Part B5)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_guid(text: object) -> bool:
    """True when ``text`` is a GUID string."""
    return isinstance(text, str) and bool(GUID_RE.match(text))


def from_json(column: schema.Column, value: object) -> object:
    """Validate and convert a JSON body value for ``column`` (400 on a type mismatch)."""
    if value is None:
        return None
    kind = column.type
    name = column.name
    try:
        if kind in (schema.STRING, schema.MEMO):
            if not isinstance(value, str):
                raise ValueError
            if column.max_length is not None and len(value) > column.max_length:
                raise validation(
                    f"A validation error occurred. The length of the '{name}' attribute of the "
                    f"entity exceeded the maximum allowed length of '{column.max_length}'."
                )
            return value
        if kind in (schema.INT, schema.BIGINT, schema.CHOICE):
            if (
                isinstance(value, bool)
                or not isinstance(value, int | Decimal)
                or value != int(value)
            ):
                raise ValueError
            value = int(value)
            if kind == schema.CHOICE and column.options and value not in column.options:
                raise validation(f"{value} is not a valid value for the choice column '{name}'.")
            return value
        if kind == schema.BOOL:
            if not isinstance(value, bool):
                raise ValueError
            return value
        if kind in (schema.MONEY, schema.DECIMAL):
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
                raise ValueError
            return Decimal(str(value))
        if kind == schema.DATETIME:
            return parse_datetime(value).replace(microsecond=0)
        if kind == schema.DATE:
            return date.fromisoformat(str(value)[:10])
        if kind == schema.GUID:
            return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, InvalidOperation, AttributeError):
        raise validation(
            f"Cannot convert the literal '{value}' to the expected type of column '{name}'."
        ) from None
    return value


def to_json(value: object) -> object:
    """Render a stored value as a JSON-compatible value (Part B5)."""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
