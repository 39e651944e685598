"""The cattrs converter of relcore's JSON boundary (shell ``--json`` output, import/export).

One converter per app: the core's hooks for dates, times, decimals and UUIDs, then every plugin's
``relcore_configure_converter`` hooks.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

import cattrs


def make_converter() -> cattrs.Converter:
    """A converter that writes dates/times as ISO text, Decimals as strings, UUIDs as text."""
    conv = cattrs.Converter()
    conv.register_unstructure_hook(dt.datetime, lambda v: v.isoformat())
    conv.register_structure_hook(dt.datetime, lambda v, _: _parse_datetime(v))
    conv.register_unstructure_hook(dt.date, lambda v: v.isoformat())
    conv.register_structure_hook(
        dt.date, lambda v, _: v if isinstance(v, dt.date) else dt.date.fromisoformat(v)
    )
    conv.register_unstructure_hook(dt.time, lambda v: v.isoformat())
    conv.register_structure_hook(
        dt.time, lambda v, _: v if isinstance(v, dt.time) else dt.time.fromisoformat(v)
    )
    conv.register_unstructure_hook(decimal.Decimal, str)
    conv.register_structure_hook(decimal.Decimal, lambda v, _: _parse_decimal(v))
    conv.register_unstructure_hook(uuid.UUID, str)
    conv.register_structure_hook(
        uuid.UUID, lambda v, _: v if isinstance(v, uuid.UUID) else uuid.UUID(v)
    )
    return conv


def _parse_datetime(value: Any) -> dt.datetime:
    result = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    if result.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no time zone")
    return result.astimezone(dt.UTC)


def _parse_decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, float):
        raise TypeError("amounts must be Decimal or text, not float")
    return decimal.Decimal(value)


def to_jsonable(converter: cattrs.Converter, value: Any) -> Any:
    """Unstructure anything (attrs objects, dicts of rows, lists) into JSON-ready data."""
    if isinstance(value, dict):
        return {k: to_jsonable(converter, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(converter, v) for v in value]
    return converter.unstructure(value)
