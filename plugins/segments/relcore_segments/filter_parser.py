"""Parser for Business Central filter expressions (the syntax of ``SETFILTER`` and the filter pane).

The parser knows nothing about column types: it turns a string such as ``10..20|>=100&<>150`` into a
small syntax tree that :mod:`relcore_segments.filters` compiles into a SQLAlchemy expression.

Grammar (``&`` binds tighter than ``|``; whitespace around operators and values is ignored)::

    expression := and_expr ("|" and_expr)*
    and_expr   := term ("&" term)*
    term       := "(" expression ")" | comparison | range
    comparison := [ "=" | "<>" | "<" | "<=" | ">" | ">=" ] value
    range      := value ".." value | ".." value | value ".."
    value      := ["@"] ( plain character | "*" | "?" | "'" quoted text "'" )+

Inside single quotes the operator characters ``| & ( ) < > = ..`` and a leading ``@`` are plain
text and ``''`` stands for one quote; the wildcards ``*`` and ``?`` keep their meaning (BC:
``'J & V*'`` finds values starting with "J & V"). An empty quoted value ``''`` is the blank value.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "MAX_NESTING",
    "MAX_TERMS",
    "Comparison",
    "FilterNode",
    "FilterSyntaxError",
    "Group",
    "Range",
    "Value",
    "Wildcard",
    "parse_filter",
    "quote_filter_value",
]

#: Parentheses may nest this deep; deeper input is rejected rather than risking recursion limits.
MAX_NESTING = 32
#: Most comparisons/ranges in one expression (keeps the SQL within SQLite's expression-depth limit).
MAX_TERMS = 256

_SPACE = " \t\r\n"
_OPERATORS = ("<>", "<=", ">=", "<", ">", "=")


class FilterSyntaxError(ValueError):
    """A filter expression that cannot be parsed, or a value that does not fit the column type.

    :param expression: the complete filter expression as given.
    :param position: 0-based index into ``expression`` where the problem was found.
    :param message: what is wrong, in one sentence.
    """

    def __init__(self, expression: str, position: int, message: str) -> None:
        super().__init__(expression, position, message)
        self.expression = expression
        self.position = max(0, min(position, len(expression)))
        self.message = message

    def __str__(self) -> str:
        text, caret = self.expression, self.position
        # Show a window around the error so very long expressions stay readable.
        start = max(0, caret - 60)
        end = min(len(text), caret + 60)
        prefix = "..." if start else ""
        suffix = "..." if end < len(text) else ""
        # One display character per input character keeps the caret aligned.
        shown = "".join(c if c.isprintable() else " " for c in text[start:end])
        pointer = " " * (len(prefix) + caret - start) + "^"
        return (
            f"{self.message} (position {self.position} in filter {text!r})\n"
            f"  {prefix}{shown}{suffix}\n  {pointer}"
        )


class Wildcard(enum.Enum):
    """A wildcard inside a value: ``*`` (any run of characters) or ``?`` (exactly one character)."""

    ANY = "*"
    ONE = "?"


@dataclass(frozen=True)
class Value:
    """One literal of a filter: literal text runs and wildcards, plus the ``@`` flag.

    ``start``/``end`` locate the value in the expression (for error messages).
    """

    parts: tuple[str | Wildcard, ...]
    case_insensitive: bool
    quoted: bool
    start: int
    end: int

    @property
    def has_wildcards(self) -> bool:
        """True when the value contains ``*`` or ``?``."""
        return any(isinstance(p, Wildcard) for p in self.parts)

    @property
    def text(self) -> str:
        """The value as text, wildcards rendered as their characters."""
        return "".join(p.value if isinstance(p, Wildcard) else p for p in self.parts)

    @property
    def is_blank(self) -> bool:
        """True for the blank value ``''``."""
        return not self.parts


@dataclass(frozen=True)
class Comparison:
    """``op value``; a value without an operator is ``=``."""

    op: str
    value: Value
    start: int


@dataclass(frozen=True)
class Range:
    """``low..high``; either end may be missing (open range), never both."""

    low: Value | None
    high: Value | None
    start: int


@dataclass(frozen=True)
class Group:
    """``items`` joined by ``|`` (kind ``"or"``) or ``&`` (kind ``"and"``)."""

    kind: str
    items: tuple[FilterNode, ...]


FilterNode = Comparison | Range | Group


def quote_filter_value(value: str) -> str:
    """Return ``value`` as a quoted filter literal (``'`` doubled), e.g. ``O'Neil`` → ``'O''Neil'``.

    The result matches exactly ``value`` unless it contains the wildcards ``*`` or ``?``, which BC
    filter syntax has no way to escape.
    """
    return "'" + value.replace("'", "''") + "'"


def parse_filter(expression: str) -> FilterNode | None:
    """Parse a BC filter expression into a syntax tree.

    :param expression: the filter text, e.g. ``"10..20|>100"``.
    :returns: the tree, or ``None`` when the expression is empty or only whitespace (BC: no filter).
    :raises FilterSyntaxError: when the expression is malformed.
    """
    if not isinstance(expression, str):
        raise TypeError(f"filter expression must be str, not {type(expression).__name__}")
    return _Parser(expression).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0
        self.terms = 0

    def error(self, message: str, position: int | None = None) -> FilterSyntaxError:
        return FilterSyntaxError(self.text, self.pos if position is None else position, message)

    def parse(self) -> FilterNode | None:
        for index, char in enumerate(self.text):
            # PostgreSQL rejects NUL in text and lone surrogates cannot be encoded.
            if char == "\x00" or "\ud800" <= char <= "\udfff":
                raise self.error(f"character {char!r} is not allowed in a filter", index)
        self.skip_space()
        if self.pos == len(self.text):
            return None
        node = self.parse_or()
        self.skip_space()
        if self.pos < len(self.text):
            char = self.text[self.pos]
            if char == ")":
                raise self.error("unbalanced ')': no matching '('")
            raise self.error(f"unexpected {char!r}")
        return node

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _SPACE:
            self.pos += 1

    def peek(self, token: str) -> bool:
        self.skip_space()
        return self.text.startswith(token, self.pos)

    def parse_or(self) -> FilterNode:
        items = [self.parse_and()]
        while self.peek("|"):
            self.pos += 1
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Group("or", tuple(items))

    def parse_and(self) -> FilterNode:
        items = [self.parse_term()]
        while self.peek("&"):
            self.pos += 1
            items.append(self.parse_term())
        return items[0] if len(items) == 1 else Group("and", tuple(items))

    def parse_term(self) -> FilterNode:
        self.skip_space()
        start = self.pos
        if self.text.startswith("(", start):
            if self.depth >= MAX_NESTING:
                raise self.error(f"parentheses nested deeper than {MAX_NESTING} levels")
            self.depth += 1
            self.pos += 1
            node = self.parse_or()
            if not self.peek(")"):
                raise self.error("missing ')' to close the '(' here", start)
            self.pos += 1
            self.depth -= 1
            return node
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise self.error(f"too many conditions (more than {MAX_TERMS})", start)
        for op in _OPERATORS:
            if self.text.startswith(op, start):
                self.pos += len(op)
                return Comparison(op, self.parse_value(required=True), start)
        low = self.parse_value(required=False)
        if self.peek(".."):
            self.pos += 2
            high = self.parse_value(required=low is None)
            return Range(low, high, start)
        if low is None:
            raise self.error("a value is expected here")
        return Comparison("=", low, start)

    def parse_value(self, *, required: bool) -> Value | None:
        text = self.text
        self.skip_space()
        start = self.pos
        case_insensitive = text.startswith("@", start)
        if case_insensitive:
            self.pos += 1
            self.skip_space()
        # Each item: (literal char or Wildcard, whether it may be trimmed as unquoted whitespace).
        items: list[tuple[str | Wildcard, bool]] = []
        quoted = False
        while self.pos < len(text):
            char = text[self.pos]
            if char == "'":
                quoted = True
                self.read_quoted(items)
                continue
            if char in "|&()" or text.startswith("..", self.pos):
                break
            if char in "<>=":
                raise self.error(
                    f"unexpected {char!r} inside a value; enclose values containing it in quotes"
                )
            if char == "*":
                items.append((Wildcard.ANY, False))
            elif char == "?":
                items.append((Wildcard.ONE, False))
            else:
                items.append((char, char in _SPACE))
            self.pos += 1
        while items and items[-1][1]:
            items.pop()
        if not items and not quoted:
            if case_insensitive or required:
                raise self.error("a value is expected here")
            return None
        return Value(_merge(items), case_insensitive, quoted, start, self.pos)

    def read_quoted(self, items: list[tuple[str | Wildcard, bool]]) -> None:
        text = self.text
        opening = self.pos
        self.pos += 1
        while True:
            if self.pos >= len(text):
                raise self.error("unterminated quoted value: missing closing '", opening)
            char = text[self.pos]
            if char == "'":
                if text.startswith("''", self.pos):
                    items.append(("'", False))
                    self.pos += 2
                    continue
                self.pos += 1
                return
            if char == "*":
                items.append((Wildcard.ANY, False))
            elif char == "?":
                items.append((Wildcard.ONE, False))
            else:
                items.append((char, False))
            self.pos += 1


def _merge(items: list[tuple[str | Wildcard, bool]]) -> tuple[str | Wildcard, ...]:
    """Join consecutive literal characters into runs; collapse repeated ``*``."""
    parts: list[str | Wildcard] = []
    for item, _ in items:
        if isinstance(item, str) and parts and isinstance(parts[-1], str):
            parts[-1] += item
        elif item is Wildcard.ANY and parts and parts[-1] is Wildcard.ANY:
            continue
        else:
            parts.append(item)
    return tuple(parts)
