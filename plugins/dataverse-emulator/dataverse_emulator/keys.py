"""Parsing of resource paths and key segments (Part B6, Part B11, Part B14).

Handles ``contacts(<guid>)``, alternate keys ``accounts(accountnumber='A-1')``, composite keys
``(k1=2,k2='x')``, and ``@odata.bind`` references with or without a leading ``/`` or a full URL.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .errors import INVALID_ARGUMENT, ApiError
from .values import is_guid

_SEGMENT = re.compile(r"^(?P<name>[A-Za-z_$][\w.$]*)(?:\((?P<key>.*)\))?$", re.DOTALL)


def split_path(path: str) -> list[str]:
    """Split a path on ``/`` outside quotes and parentheses."""
    parts, buf, depth, quoted = [], [], 0, False
    for ch in path:
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        if ch == "/" and depth == 0 and not quoted:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p for p in parts if p != ""]


def parse_segment(segment: str) -> tuple[str, str | None]:
    """Return ``(name, key text or None)`` for ``name(key)``."""
    match = _SEGMENT.match(segment)
    if not match:
        raise ApiError(400, INVALID_ARGUMENT, f"Invalid resource segment {segment!r}.")
    return match.group("name"), match.group("key")


def parse_key(text: str) -> str | dict[str, object]:
    """Parse a key: a GUID string, or ``{column: value}`` for alternate/composite keys."""
    text = text.strip()
    if is_guid(text):
        return text.lower()
    if text.startswith("'") and text.endswith("'") and is_guid(text[1:-1]):
        return text[1:-1].lower()
    result: dict[str, object] = {}
    for part in _split_commas(text):
        if "=" not in part:
            raise ApiError(400, INVALID_ARGUMENT, f"Invalid key {text!r}.")
        name, raw = part.split("=", 1)
        result[name.strip()] = _literal(raw.strip())
    if not result:
        raise ApiError(400, INVALID_ARGUMENT, "Empty key.")
    return result


def _split_commas(text: str) -> list[str]:
    parts, buf, quoted = [], [], False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _literal(raw: str) -> object:
    if raw.startswith("'") and raw.endswith("'") and len(raw) >= 2:
        return raw[1:-1].replace("''", "'")
    if raw in ("true", "false"):
        return raw == "true"
    if is_guid(raw):
        return raw.lower()
    try:
        return Decimal(raw) if "." in raw else int(raw)
    except ArithmeticError:
        raise ApiError(400, INVALID_ARGUMENT, f"Invalid key value {raw!r}.") from None
    except ValueError:
        raise ApiError(400, INVALID_ARGUMENT, f"Invalid key value {raw!r}.") from None


def parse_reference(ref: str) -> tuple[str, str | dict[str, object]]:
    """Parse an ``@odata.bind``/``@odata.id`` value into ``(entity set, key)``.

    Accepts ``/accounts(<id>)``, ``accounts(<id>)`` and absolute URLs ending in the same.
    """
    text = ref.strip()
    if "/api/data/" in text:
        text = text.split("/api/data/", 1)[1]
        text = text.split("/", 1)[1] if "/" in text else text
    text = text.lstrip("/")
    parts = split_path(text)
    if len(parts) != 1:
        raise ApiError(400, INVALID_ARGUMENT, f"Invalid entity reference {ref!r}.")
    name, key = parse_segment(parts[0])
    if key is None:
        raise ApiError(400, INVALID_ARGUMENT, f"Invalid entity reference {ref!r}.")
    return name, parse_key(key)
