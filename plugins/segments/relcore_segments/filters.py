"""Compile Business Central filter expressions into SQLAlchemy boolean expressions.

``compile_filter(Contact.c.no, "10000..20000|C*")`` returns a ``ColumnElement[bool]`` to use in a
``WHERE`` clause. Every value becomes a bound parameter; the column's SQLAlchemy type decides how a
literal is read (text, integer, decimal, float, boolean, date, datetime, enum/option, UUID).

Blank and NULL: BC has no NULL, only blank values. Here NULL counts as blank: for text columns it
behaves exactly like ``''``; for other types it matches ``''`` and ``<>X`` and nothing else. The
compiled expression is never NULL itself, so ``not_(compile_filter(...))`` is its exact complement.

The syntax is documented for users in ``docs/filter-syntax.md``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from relcore_segments.filter_parser import (
    Comparison,
    FilterNode,
    FilterSyntaxError,
    Group,
    Range,
    Value,
    Wildcard,
    parse_filter,
    quote_filter_value,
)

__all__ = [
    "CODE_FIELD_INFO_KEY",
    "FilterSyntaxError",
    "compile_filter",
    "parse_filter",
    "quote_filter_value",
]

#: Set ``Column(..., info={CODE_FIELD_INFO_KEY: True})`` to mark a BC Code field: filter values on
#: it are upper-cased, as BC does (the ``code=`` argument of :func:`compile_filter` overrides it).
CODE_FIELD_INFO_KEY = "bc_code"

_LIKE_ESCAPE = "\\"
_INT64 = 2**63
_MAX_DECIMAL_EXPONENT = 100
_TODAY_WORDS = frozenset({"t", "today"})
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?",
    re.IGNORECASE,
)
_INT_RE = re.compile(r"[+-]?[0-9]+")
_DECIMAL_RE = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_BOOL_WORDS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def compile_filter(
    column: Any,
    expression: str,
    *,
    code: bool | None = None,
    today: dt.date | None = None,
) -> ColumnElement[bool]:
    """Compile the BC filter ``expression`` into a boolean SQLAlchemy expression over ``column``.

    :param column: a ``Column``, ORM attribute or any typed ``ColumnElement``.
    :param expression: BC filter syntax, e.g. ``"A..C|'J & V*'"``, ``"<>''"``, ``"@*smith*"``.
        An empty or whitespace-only expression means "no filter" and compiles to ``true()``.
    :param code: treat the column as a BC Code field (values upper-cased). ``None`` reads
        ``column.info[CODE_FIELD_INFO_KEY]``.
    :param today: the date ``t``/``today`` stands for on date and datetime columns (default: the
        system date).
    :returns: an expression that is never NULL; all values are bound parameters.
    :raises FilterSyntaxError: when the expression is malformed or a value does not fit the type.
    :raises TypeError: when the column's type is not one filters support (e.g. JSON, binary).
    """
    if hasattr(column, "__clause_element__"):
        column = column.__clause_element__()
    if not isinstance(column, ColumnElement):
        raise TypeError(f"compile_filter needs a column expression, not {type(column).__name__}")
    if code is None:
        code = bool((getattr(column, "info", None) or {}).get(CODE_FIELD_INFO_KEY))
    kind = _kind_of(column.type)
    tree = parse_filter(expression)
    if tree is None:
        return sa.true()
    compiler = _Compiler(column, expression, kind, code, today or dt.date.today())
    return compiler.node(tree)


def _kind_of(type_: sa.types.TypeEngine[Any]) -> str:
    while isinstance(type_, sa.types.TypeDecorator):
        type_ = type_.impl_instance
    # Order matters: Enum is a String, Boolean must come before any numeric check.
    for cls, kind in (
        (sa.Enum, "enum"),
        (sa.Boolean, "bool"),
        (sa.String, "text"),
        (sa.types.NullType, "text"),
        (sa.Float, "float"),
        (sa.Numeric, "decimal"),
        (sa.Integer, "int"),
        (sa.DateTime, "datetime"),
        (sa.Date, "date"),
        (sa.Uuid, "uuid"),
    ):
        if isinstance(type_, cls):
            return kind
    raise TypeError(f"BC filters are not supported on columns of type {type_!r}")


@dataclass(frozen=True)
class _Bounds:
    """A parsed ordered value: ``low <= x <= high`` (``< high`` unless ``high_inclusive``).

    A plain value is a point; a date given for a datetime column covers that whole day.
    """

    low: Any
    high: Any
    high_inclusive: bool = True

    @property
    def is_point(self) -> bool:
        return self.high_inclusive and self.low == self.high


class _Compiler:
    def __init__(
        self, column: ColumnElement[Any], expression: str, kind: str, code: bool, today: dt.date
    ) -> None:
        self.column = column
        self.expression = expression
        self.kind = kind
        self.code = code
        self.today = today
        self.nullable = bool(getattr(column, "nullable", True))
        self.type = column.type
        while isinstance(self.type, sa.types.TypeDecorator):
            self.type = self.type.impl_instance

    def error(self, value: Value | int, message: str) -> FilterSyntaxError:
        position = value if isinstance(value, int) else value.start
        return FilterSyntaxError(self.expression, position, message)

    def node(self, node: FilterNode) -> ColumnElement[bool]:
        if isinstance(node, Group):
            items = [self.node(item) for item in node.items]
            return sa.or_(*items) if node.kind == "or" else sa.and_(*items)
        if self.kind == "text":
            return self.text_term(node)
        if self.kind in ("enum", "bool"):
            return self.finite_term(node)
        return self.ordered_term(node)

    def guard(self, predicate: ColumnElement[bool], null_matches: bool) -> ColumnElement[bool]:
        """Make ``predicate`` two-valued: decide explicitly whether NULL matches."""
        if not self.nullable:
            return predicate
        if null_matches:
            return sa.or_(predicate, self.column.is_(None))
        return sa.and_(predicate, self.column.is_not(None))

    # -- text ------------------------------------------------------------------------------------

    def text_term(self, node: Comparison | Range) -> ColumnElement[bool]:
        if isinstance(node, Range):
            ends = [v for v in (node.low, node.high) if v is not None]
            for value in ends:
                if value.has_wildcards:
                    raise self.error(value, "wildcards (* ?) cannot be used in a range")
            folded = any(v.case_insensitive for v in ends)
            col = sa.func.lower(self.column) if folded else self.column
            preds = []
            if node.low is not None:
                preds.append(col >= self.text_param(node.low, folded))
            if node.high is not None:
                preds.append(col <= self.text_param(node.high, folded))
            # '' is the smallest string, so blank lies inside unless the low end is above it.
            null_matches = node.low is None or node.low.is_blank
            return self.guard(sa.and_(*preds), null_matches)

        value, op = node.value, node.op
        folded = value.case_insensitive
        col = sa.func.lower(self.column) if folded else self.column
        if value.has_wildcards:
            if op not in ("=", "<>"):
                raise self.error(value, f"wildcards (* ?) cannot be combined with {op!r}")
            like = self.like(value, folded)
            blank = all(p is Wildcard.ANY for p in value.parts)
            if op == "<>":
                return self.guard(sa.not_(like), not blank)
            return self.guard(like, blank)
        param = self.text_param(value, folded)
        blank = value.is_blank
        predicate, null_matches = {
            "=": (col == param, blank),
            "<>": (col != param, not blank),
            "<": (col < param, not blank),
            "<=": (col <= param, True),
            ">": (col > param, False),
            ">=": (col >= param, blank),
        }[op]
        return self.guard(predicate, null_matches)

    def literal_text(self, value: Value) -> str:
        text = value.text
        return text.upper() if self.code else text

    def text_param(self, value: Value, folded: bool) -> ColumnElement[Any]:
        param = sa.literal(self.literal_text(value), sa.String())
        return sa.func.lower(param) if folded else param

    def like(self, value: Value, folded: bool) -> ColumnElement[bool]:
        like_parts, glob_parts = [], []
        for part in value.parts:
            if part is Wildcard.ANY:
                like_parts.append("%")
                glob_parts.append("*")
            elif part is Wildcard.ONE:
                like_parts.append("_")
                glob_parts.append("?")
            else:
                text = part.upper() if self.code else part
                like_parts.append(re.sub(r"([\\%_])", r"\\\1", text))
                glob_parts.append(re.sub(r"([*?\[])", r"[\1]", text))
        like_pattern = "".join(like_parts)
        if folded:
            # lower() on both sides: the database folds case consistently with itself.
            pattern = sa.func.lower(sa.literal(like_pattern, sa.String()))
            return sa.func.lower(self.column).like(pattern, escape=_LIKE_ESCAPE)
        return _CaseSensitiveLike(
            self.column,
            sa.literal(like_pattern, sa.String()),
            sa.literal("".join(glob_parts), sa.String()),
        )

    # -- enum / boolean: a finite, ordered set of options ----------------------------------------

    def options(self) -> list[tuple[Any, str, frozenset[str]]]:
        """(bound value, display name, accepted spellings) for each option, in order."""
        if self.kind == "bool":
            return [
                (False, "No", frozenset({"no", "false", "0"})),
                (True, "Yes", frozenset({"yes", "true", "1"})),
            ]
        enum_type: sa.Enum = self.type  # type: ignore[assignment]
        result = []
        for name in enum_type.enums:
            spellings = {name.lower()}
            member = getattr(enum_type.enum_class, "__members__", {}).get(name)
            if member is not None:
                spellings.add(str(member.value).lower())
            result.append((name, name, frozenset(spellings)))
        return result

    def option_index(self, value: Value, options: Sequence[tuple[Any, str, frozenset[str]]]) -> int:
        wanted = value.text.lower()
        for index, (_, _, spellings) in enumerate(options):
            if wanted in spellings:
                return index
        names = ", ".join(name for _, name, _ in options)
        raise self.error(value, f"{value.text!r} is not one of the options: {names}")

    def finite_term(self, node: Comparison | Range) -> ColumnElement[bool]:
        options = self.options()
        count = len(options)
        if isinstance(node, Range):
            for end in (node.low, node.high):
                if end is not None and (end.is_blank or end.has_wildcards):
                    raise self.error(end, "blank and wildcards cannot be used in a range")
            low = 0 if node.low is None else self.option_index(node.low, options)
            high = count - 1 if node.high is None else self.option_index(node.high, options)
            return self.in_options([o for i, o in enumerate(options) if low <= i <= high], False)
        value, op = node.value, node.op
        if value.is_blank:
            return self.blank(value, op)
        if value.has_wildcards:
            if op not in ("=", "<>"):
                raise self.error(value, f"wildcards (* ?) cannot be combined with {op!r}")
            regex = _wildcard_regex(value)
            hits = [o for o in options if regex.fullmatch(o[1].lower())]
            if op == "<>":
                return self.in_options([o for o in options if o not in hits], True)
            return self.in_options(hits, False)
        index = self.option_index(value, options)
        selected = [
            o
            for i, o in enumerate(options)
            if {
                "=": i == index,
                "<>": i != index,
                "<": i < index,
                "<=": i <= index,
                ">": i > index,
                ">=": i >= index,
            }[op]
        ]
        return self.in_options(selected, op == "<>")

    def in_options(
        self, selected: list[tuple[Any, str, frozenset[str]]], null_matches: bool
    ) -> ColumnElement[bool]:
        if not selected:
            return self.column.is_(None) if null_matches and self.nullable else sa.false()
        values = [bound for bound, _, _ in selected]
        if self.kind == "bool" and len(values) == 1:
            predicate = self.column == sa.literal(values[0], sa.Boolean())
        else:
            predicate = self.column.in_(values)
        return self.guard(predicate, null_matches)

    def blank(self, value: Value, op: str) -> ColumnElement[bool]:
        if op == "=":
            return self.column.is_(None) if self.nullable else sa.false()
        if op == "<>":
            return self.column.is_not(None) if self.nullable else sa.true()
        raise self.error(value, f"the blank value '' can only be used with = or <>, not {op!r}")

    # -- numbers, dates, datetimes, UUIDs ---------------------------------------------------------

    def ordered_term(self, node: Comparison | Range) -> ColumnElement[bool]:
        col = self.column
        if isinstance(node, Range):
            preds = []
            if node.low is not None:
                preds.append(col >= self.bounds(node.low).low)
            if node.high is not None:
                high = self.bounds(node.high)
                preds.append(col <= high.high if high.high_inclusive else col < high.high)
            return self.guard(sa.and_(*preds), False)
        value, op = node.value, node.op
        if value.is_blank:
            return self.blank(value, op)
        b = self.bounds(value)
        upto = (col <= b.high) if b.high_inclusive else (col < b.high)
        beyond = (col > b.high) if b.high_inclusive else (col >= b.high)
        if op in ("=", "<>"):
            if b.is_point:
                predicate = col == b.low if op == "=" else col != b.low
            elif op == "=":
                predicate = sa.and_(col >= b.low, upto)
            else:
                predicate = sa.or_(col < b.low, beyond)
            return self.guard(predicate, op == "<>")
        predicate = {"<": col < b.low, "<=": upto, ">": beyond, ">=": col >= b.low}[op]
        return self.guard(predicate, False)

    def bounds(self, value: Value) -> _Bounds:
        if value.is_blank:
            raise self.error(value, "the blank value '' cannot be used in a range or comparison")
        if value.case_insensitive:
            raise self.error(value, "@ (case-insensitive) applies only to text fields")
        if value.has_wildcards:
            raise self.error(value, "wildcards (* ?) apply only to text fields")
        text = value.text.strip()
        parser: Callable[[str], _Bounds | None] = getattr(self, f"parse_{self.kind}")
        try:
            parsed = parser(text)
        except (ValueError, ArithmeticError):
            parsed = None
        if parsed is None:
            raise self.error(value, f"{value.text!r} is not a valid {_KIND_NAMES[self.kind]}")
        return parsed

    def parse_int(self, text: str) -> _Bounds | None:
        if not _INT_RE.fullmatch(text):
            return None
        number = int(text)
        if not -_INT64 <= number < _INT64:
            raise ValueError("out of range")
        return _Bounds(number, number)

    def parse_decimal(self, text: str) -> _Bounds | None:
        if not _DECIMAL_RE.fullmatch(text):
            return None
        number = Decimal(text)
        if number and abs(number.adjusted()) > _MAX_DECIMAL_EXPONENT:
            raise ValueError("out of range")
        return _Bounds(number, number)

    def parse_float(self, text: str) -> _Bounds | None:
        bounds = self.parse_decimal(text)
        if bounds is None:
            return None
        number = float(bounds.low)
        return _Bounds(number, number)

    def parse_uuid(self, text: str) -> _Bounds | None:
        value = uuid.UUID(text)
        return _Bounds(value, value)

    def parse_date(self, text: str) -> _Bounds | None:
        day = self.day(text)
        return None if day is None else _Bounds(day, day)

    def day(self, text: str) -> dt.date | None:
        if text.lower() in _TODAY_WORDS:
            return self.today
        if _DATE_RE.fullmatch(text):
            return dt.date.fromisoformat(text)
        return None

    def parse_datetime(self, text: str) -> _Bounds | None:
        aware = bool(getattr(self.type, "timezone", False))
        day = self.day(text)
        if day is not None:
            start = dt.datetime.combine(day, dt.time(), dt.UTC)
            if day == dt.date.max:
                return _Bounds(self.stamp(start, aware), self.stamp(dt.datetime.max, aware))
            end = start + dt.timedelta(days=1)
            return _Bounds(self.stamp(start, aware), self.stamp(end, aware), False)
        if not _DATETIME_RE.fullmatch(text):
            return None
        moment = self.stamp(dt.datetime.fromisoformat(text.upper()), aware)
        return _Bounds(moment, moment)

    @staticmethod
    def stamp(moment: dt.datetime, aware: bool) -> dt.datetime:
        """UTC, aware for ``DateTime(timezone=True)`` columns, naive UTC otherwise."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        moment = moment.astimezone(dt.UTC)
        return moment if aware else moment.replace(tzinfo=None)


_KIND_NAMES = {
    "int": "whole number",
    "decimal": "decimal number",
    "float": "number",
    "date": "date (YYYY-MM-DD or t)",
    "datetime": "date-time (YYYY-MM-DD[THH:MM[:SS]][+HH:MM])",
    "uuid": "UUID",
}


def _wildcard_regex(value: Value) -> re.Pattern[str]:
    pieces = []
    for part in value.parts:
        if part is Wildcard.ANY:
            pieces.append(".*")
        elif part is Wildcard.ONE:
            pieces.append(".")
        else:
            pieces.append(re.escape(part.lower()))
    return re.compile("".join(pieces), re.DOTALL)


class _CaseSensitiveLike(ColumnElement[bool]):
    """Case-sensitive pattern match: ``LIKE`` in general, ``GLOB`` on SQLite.

    SQLite's ``LIKE`` ignores ASCII case, while BC's ``Co*`` is case-sensitive; ``GLOB`` is not.
    Both patterns are bound parameters; the dialect picks which one is rendered.
    """

    type = sa.Boolean()
    inherit_cache = True
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("like_pattern", InternalTraversal.dp_clauseelement),
        ("glob_pattern", InternalTraversal.dp_clauseelement),
    ]

    def __init__(
        self, column: ColumnElement[Any], like_pattern: ColumnElement[Any], glob: ColumnElement[Any]
    ) -> None:
        self.column = column
        self.like_pattern = like_pattern
        self.glob_pattern = glob


@compiles(_CaseSensitiveLike)
def _compile_like(element: _CaseSensitiveLike, compiler: Any, **kw: Any) -> str:
    expression = element.column.like(element.like_pattern, escape=_LIKE_ESCAPE)
    return compiler.process(expression.self_group(), **kw)


@compiles(_CaseSensitiveLike, "sqlite")
def _compile_glob(element: _CaseSensitiveLike, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column.self_group(), **kw)
    pattern = compiler.process(element.glob_pattern, **kw)
    return f"({column} GLOB {pattern})"
