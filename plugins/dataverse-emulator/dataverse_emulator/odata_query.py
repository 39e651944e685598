"""OData query options: ``$filter``, ``$select``, ``$orderby`` (Part B7, Part E3 item 13).

``$filter`` supports ``eq ne gt ge lt le``, ``and or not``, parentheses, ``null``, booleans,
integers, decimals, strings with ``''`` escaping, GUID, date and date-time literals, the
string functions ``contains``/``startswith``/``endswith`` (case-insensitive like Dataverse's
collation) and ``Microsoft.Dynamics.CRM.In``/``NotIn``. Unknown columns raise a 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from . import schema
from .errors import INVALID_ARGUMENT, ApiError, bad_property
from .values import parse_datetime

Predicate = Callable[[dict], bool]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>'(?:[^']|'')*')
    | (?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-]))
    | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)
    | (?P<date>\d{4}-\d{2}-\d{2}(?![\w:]))
    | (?P<number>-?\d+(?:\.\d+)?(?![\w-]))
    | (?P<ident>[A-Za-z_][A-Za-z0-9_.]*)
    | (?P<punct>[(),/\[\]=])
    )""",
    re.VERBOSE,
)
COMPARATORS = {"eq", "ne", "gt", "ge", "lt", "le"}
STRING_FUNCS = {"contains", "startswith", "endswith"}


def _syntax(message: str) -> ApiError:
    return ApiError(400, INVALID_ARGUMENT, f"Syntax error in $filter: {message}")


def tokenize(text: str) -> list[tuple[str, object]]:
    """Split a ``$filter`` expression into ``(kind, value)`` tokens."""
    tokens: list[tuple[str, object]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise _syntax(f"unexpected character at position {pos}")
        pos = match.end()
        kind = match.lastgroup
        raw = match.group(kind)
        if kind == "string":
            tokens.append(("lit", raw[1:-1].replace("''", "'")))
        elif kind == "guid":
            tokens.append(("lit", raw.lower()))
        elif kind == "datetime":
            tokens.append(("lit", parse_datetime(raw)))
        elif kind == "date":
            tokens.append(("lit", date.fromisoformat(raw)))
        elif kind == "number":
            tokens.append(("lit", Decimal(raw) if "." in raw else int(raw)))
        elif kind == "ident" and raw in ("null", "true", "false"):
            tokens.append(("lit", {"null": None, "true": True, "false": False}[raw]))
        elif kind == "ident":
            tokens.append(("ident", raw))
        else:
            tokens.append(("punct", raw))
    return tokens


class FilterParser:
    """Recursive-descent parser compiling ``$filter`` into a row predicate for one table."""

    def __init__(self, table: schema.TableDef, text: str) -> None:
        self.table = table
        self.tokens = tokenize(text)
        self.pos = 0

    def parse(self) -> Predicate:
        """Return the compiled predicate; raises :class:`ApiError` (400) on errors."""
        pred = self._or()
        if self.pos != len(self.tokens):
            raise _syntax(f"unexpected token {self.tokens[self.pos][1]!r}")
        return pred

    def _peek(self) -> tuple[str, object] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, kind: str | None = None, value: object = None) -> tuple[str, object]:
        token = self._peek()
        if (
            token is None
            or (kind and token[0] != kind)
            or (value is not None and token[1] != value)
        ):
            raise _syntax(f"expected {value or kind}")
        self.pos += 1
        return token

    def _is(self, kind: str, value: object) -> bool:
        token = self._peek()
        return token is not None and token[0] == kind and token[1] == value

    def _or(self) -> Predicate:
        parts = [self._and()]
        while self._is("ident", "or"):
            self.pos += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def _and(self) -> Predicate:
        parts = [self._unary()]
        while self._is("ident", "and"):
            self.pos += 1
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def _unary(self) -> Predicate:
        if self._is("ident", "not"):
            self.pos += 1
            inner = self._unary()
            return lambda row: not inner(row)
        if self._is("punct", "("):
            self.pos += 1
            inner = self._or()
            self._take("punct", ")")
            return inner
        return self._comparison()

    def _column(self, name: str) -> tuple[str, str]:
        """Resolve a column name to (stored column, type)."""
        table = self.table
        if self._is("punct", "/"):
            raise ApiError(
                400,
                INVALID_ARGUMENT,
                "Navigation paths in $filter are not supported by the emulator.",
            )
        if name == table.primary_key:
            return name, schema.GUID
        if name in table.columns:
            return name, table.columns[name].type
        lookup = table.lookup_by_value_column(name)
        if lookup is not None:
            return name, schema.GUID
        if name in ("createdon", "modifiedon"):
            return name, schema.DATETIME
        if name == "versionnumber":
            return name, schema.BIGINT
        if name in schema.SERVER_COLUMNS:
            return name, schema.GUID
        raise bad_property(name, table.logical_name)

    def _comparison(self) -> Predicate:
        kind, name = self._take("ident")
        if name in STRING_FUNCS:
            return self._string_function(name)
        if name in ("Microsoft.Dynamics.CRM.In", "Microsoft.Dynamics.CRM.NotIn"):
            return self._in_function(name.endswith("NotIn"))
        column, ctype = self._column(name)
        _, op = self._take("ident")
        if op not in COMPARATORS:
            raise _syntax(f"unknown operator {op!r}")
        _, literal = self._take("lit")
        value = coerce(literal, ctype)
        return _compare(column, op, value)

    def _string_function(self, func: str) -> Predicate:
        self._take("punct", "(")
        _, name = self._take("ident")
        column, _ = self._column(name)
        self._take("punct", ",")
        _, literal = self._take("lit")
        self._take("punct", ")")
        needle = str(literal).casefold()
        test = {
            "contains": str.__contains__,
            "startswith": str.startswith,
            "endswith": str.endswith,
        }[func]
        return lambda row: row.get(column) is not None and test(str(row[column]).casefold(), needle)

    def _in_function(self, negate: bool) -> Predicate:
        self._take("punct", "(")
        args: dict[str, object] = {}
        while not self._is("punct", ")"):
            _, key = self._take("ident")
            self._take("punct", "=")
            if self._is("punct", "["):
                self.pos += 1
                items = []
                while not self._is("punct", "]"):
                    items.append(self._take("lit")[1])
                    if self._is("punct", ","):
                        self.pos += 1
                self._take("punct", "]")
                args[key] = items
            else:
                args[key] = self._take("lit")[1]
            if self._is("punct", ","):
                self.pos += 1
        self._take("punct", ")")
        column, ctype = self._column(str(args.get("PropertyName")))
        values = [coerce(v, ctype) for v in args.get("PropertyValues", [])]
        keys = {_norm(v) for v in values}
        return lambda row: (_norm(row.get(column)) in keys) != negate


def _norm(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def coerce(literal: object, ctype: str) -> object:
    """Convert a filter literal to the stored representation of a column type."""
    if literal is None:
        return None
    try:
        if ctype == schema.DATETIME:
            if isinstance(literal, datetime):
                return literal
            if isinstance(literal, date):
                return datetime(literal.year, literal.month, literal.day, tzinfo=UTC)
            return parse_datetime(str(literal))
        if ctype == schema.DATE and isinstance(literal, str):
            return date.fromisoformat(literal)
        if ctype in (schema.INT, schema.BIGINT, schema.CHOICE) and isinstance(literal, str):
            return int(literal)
        if ctype in (schema.MONEY, schema.DECIMAL) and not isinstance(literal, bool):
            return Decimal(str(literal))
        if ctype == schema.GUID:
            return str(literal).lower()
        if ctype == schema.BOOL and isinstance(literal, str):
            return literal.lower() == "true"
    except ValueError:
        raise ApiError(400, INVALID_ARGUMENT, f"Invalid literal {literal!r} in $filter.") from None
    return literal


def _compare(column: str, op: str, value: object) -> Predicate:
    def predicate(row: dict) -> bool:
        current = row.get(column)
        if op == "eq":
            return _norm(current) == _norm(value)
        if op == "ne":
            return _norm(current) != _norm(value)
        if current is None or value is None:
            return False
        left, right = _norm(current), _norm(value)
        try:
            return {
                "gt": left > right,
                "ge": left >= right,
                "lt": left < right,
                "le": left <= right,
            }[op]
        except TypeError:
            return False

    return predicate


def compile_filter(table: schema.TableDef, text: str) -> Predicate:
    """Compile a ``$filter`` string for ``table`` into a predicate over stored rows."""
    return FilterParser(table, text).parse()


def parse_select(table: schema.TableDef, text: str | None) -> list[str] | None:
    """Parse ``$select``; lookup logical names map to ``_x_value``; unknown columns -> 400."""
    if not text:
        return None
    names = []
    for raw in text.split(","):
        name = raw.strip()
        if not name:
            continue
        if name in table.lookups:
            name = table.lookups[name].value_column
        if not table.is_column(name):
            raise bad_property(name, table.logical_name)
        names.append(name)
    return names


def parse_orderby(table: schema.TableDef, text: str | None) -> list[tuple[str, bool]]:
    """Parse ``$orderby`` into ``[(column, descending)]``; unknown columns -> 400."""
    if not text:
        return []
    keys = []
    for part in text.split(","):
        bits = part.split()
        if not bits or len(bits) > 2 or (len(bits) == 2 and bits[1].lower() not in ("asc", "desc")):
            raise ApiError(400, INVALID_ARGUMENT, f"Invalid $orderby clause {part!r}.")
        name = bits[0]
        if not table.is_column(name):
            raise bad_property(name, table.logical_name)
        keys.append((name, len(bits) == 2 and bits[1].lower() == "desc"))
    return keys


def sort_rows(rows: list[dict], keys: list[tuple[str, bool]], primary_key: str) -> list[dict]:
    """Sort rows by ``keys`` (nulls first ascending), always tie-broken by the primary key."""
    ordered = sorted(rows, key=lambda r: r[primary_key])
    for column, desc in reversed(keys):
        ordered.sort(key=lambda r, c=column: _sort_key(r.get(c)), reverse=desc)
    return ordered


def _sort_key(value: object) -> tuple:
    if value is None:
        return (0, 0)
    return (1, _norm(value))
