"""Storage checks: every value is stored as given, or refused — never altered silently.

The core applies these rules on every write path (:mod:`relcore.entities` ``insert``, ``update``,
``update_where``, ``insert_from_select``, and :mod:`relcore.fields` for user input), the same on
SQLite and PostgreSQL:

* text longer than its column is refused: ``field X: at most N characters`` (SQLite would store
  it whole, PostgreSQL raise a raw error, and a plugin might have cut it);
* NUL characters are refused in every text; control characters (tab, newline, ``\\x01``...) in
  ``Code`` fields and e-mail addresses (BC ``Code[n]``, §0.2);
* ``Code`` values are trimmed on both sides and upper-cased (by the column type, everywhere);
* numbers: ``NaN``, ``Infinity`` and values outside the column's range are refused, naming the
  range (``Numeric(20, 2)``: below 10^18; ``Integer``: 32 bits; ``BigInteger``: 64 bits).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from relcore.db import Code
from relcore.errors import ValidationError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_INT_RANGES = {
    sa.SmallInteger: (-(2**15), 2**15 - 1),
    sa.BigInteger: (-(2**63), 2**63 - 1),
    sa.Integer: (-(2**31), 2**31 - 1),
}

Checker = Callable[[Any], str | None]
"""A column's check: the problem with a value (a message), or None when it is fine."""


def is_email_column(column: sa.Column[Any]) -> bool:
    """True for e-mail columns: ``email``, ``email_2``, ``..._email``, ``info={"email": True}``."""
    name = column.name
    if column.info.get("email") or name == "email" or name.endswith("_email"):
        return True
    return name.startswith("email_") and name[6:].isdigit()


def _base(column: sa.Column[Any]) -> Any:
    ctype = column.type
    return ctype.impl_instance if isinstance(ctype, sa.TypeDecorator) else ctype


def int_range(column: sa.Column[Any]) -> tuple[int, int] | None:
    """The whole-number range of an integer column, or None."""
    base = _base(column)
    for kind, bounds in _INT_RANGES.items():
        if isinstance(base, kind):
            return bounds
    return None


def numeric_limit(column: sa.Column[Any]) -> decimal.Decimal | None:
    """The exclusive upper bound of a ``Numeric(p, s)`` column's magnitude (10^(p-s)), or None."""
    base = _base(column)
    if isinstance(base, sa.Numeric) and not isinstance(base, sa.Float) and base.precision:
        return decimal.Decimal(10) ** (base.precision - (base.scale or 0))
    return None


def text_problem(column: sa.Column[Any], text: str) -> str | None:
    """What is wrong with a text value for this column (None when it is fine)."""
    is_code = isinstance(column.type, Code)
    if is_code:
        text = text.strip()
    if is_code or is_email_column(column):
        bad = _CONTROL.search(text)
        if bad:
            return f"must not contain control characters ({bad.group()!r})"
    elif "\x00" in text:
        return "must not contain NUL characters"
    length = getattr(column.type, "length", None)
    if length is not None and len(text) > length:
        return f"at most {length} characters (got {len(text)})"
    return None


def number_problem(column: sa.Column[Any], value: Any) -> str | None:
    """What is wrong with a number for this column (None when it is fine)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"{value} is not a number in the field's range{_range_text(column)}"
        value = decimal.Decimal(repr(value))
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return f"{value} is not a number in the field's range{_range_text(column)}"
        limit = numeric_limit(column)
        if limit is not None and abs(value) >= limit:
            return f"{value} is out of range{_range_text(column)}"
        bounds = int_range(column)
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            return f"{value} is out of range{_range_text(column)}"
        return None
    if isinstance(value, int):
        bounds = int_range(column)
        limit = numeric_limit(column)
        if (bounds is not None and not bounds[0] <= value <= bounds[1]) or (
            limit is not None and abs(value) >= limit
        ):
            return f"{value} is out of range{_range_text(column)}"
    return None


def _range_text(column: sa.Column[Any]) -> str:
    bounds = int_range(column)
    if bounds is not None:
        return f" ({bounds[0]} to {bounds[1]})"
    limit = numeric_limit(column)
    if limit is not None:
        scale = _base(column).scale or 0
        return f" (more than -{limit} and less than {limit}, {scale} decimals)"
    return ""


def value_problem(column: sa.Column[Any], value: Any) -> str | None:
    """What is wrong with any value for this column (None when it is fine)."""
    if value is None:
        return None
    if isinstance(value, str):
        if isinstance(_base(column), sa.String):
            return text_problem(column, value)
        return None
    if isinstance(value, (int, float, decimal.Decimal)):
        return number_problem(column, value)
    return None


def _checked(column: sa.Column[Any]) -> bool:
    base = _base(column)
    return isinstance(base, (sa.String, sa.Integer, sa.Numeric, sa.Float)) and not isinstance(
        column.type, sa.Uuid
    )


def check_rows(
    table: sa.Table,
    rows: Sequence[dict],
    *,
    entity: str,
    key_of: Callable[[dict], Any] | None = None,
) -> None:
    """Refuse the first value of ``rows`` this table cannot store as given.

    Work is per column over its distinct values, with the text checks done by C-level string
    operations on all of them at once (a batch of 100,000 rows stays cheap); a value is looked
    at on its own only when the column holds a problem.

    :raises ValidationError: naming the record (``entity`` and the row's key) and the field.
    """
    if not rows:
        return
    names = set().union(*(row.keys() for row in rows)) if len(rows) > 1 else set(rows[0])
    for name in names:
        if name not in table.c:
            continue
        column = table.c[name]
        if not _checked(column):
            continue
        try:
            values = {row.get(name) for row in rows}
        except TypeError:  # unhashable: a list or dict where a value is expected
            values = None
        if values is not None and not _suspect(column, values):
            continue
        for row in rows:  # find the offending row (rare: only when the column has a problem)
            value = row.get(name)
            if value is None or isinstance(value, (bool, dt.date, dt.time)):
                continue
            if isinstance(value, (list, dict, set, tuple)):
                problem: str | None = f"{value!r} is not a single value"
            else:
                problem = value_problem(column, value)
            if problem is not None:
                raise ValidationError(
                    problem, entity=entity, key=key_of(row) if key_of else None, field=name
                )


def _suspect(column: sa.Column[Any], values: set[Any]) -> bool:
    """True when some value of the column may have a problem (checked one by one then)."""
    values.discard(None)
    texts = [v for v in values if v.__class__ is str]
    if len(texts) != len(values):
        others = values.difference(texts)
        if any(
            not isinstance(v, (bool, dt.date, dt.time)) and value_problem(column, v) is not None
            for v in others
        ):
            return True
    if not texts or not isinstance(_base(column), sa.String):
        return False
    length = getattr(column.type, "length", None)
    if length is not None and max(map(len, texts)) > length:
        if not isinstance(column.type, Code):
            return True
        if max(len(t.strip()) for t in texts) > length:
            return True
    joined = "".join(texts)
    if isinstance(column.type, Code) or is_email_column(column):
        return _CONTROL.search(joined) is not None
    return "\x00" in joined


def check_select_lengths(
    session: Any, table: sa.Table, columns: Sequence[str], select: sa.Select[Any], *, entity: str
) -> None:
    """For ``INSERT … SELECT``: refuse when a selected text would not fit its target column.

    Only expressions whose type does not already guarantee the fit (a shorter or equal
    ``String``) are checked, with one ``LIMIT 1`` query.
    """
    exprs = list(select.selected_columns)
    risky = []
    for name, expr in zip(columns, exprs, strict=False):
        column = table.c[name]
        length = getattr(column.type, "length", None)
        if length is None or not isinstance(_base(column), sa.String):
            continue
        source_len = getattr(expr.type, "length", None)
        if isinstance(expr.type, sa.String) and source_len is not None and source_len <= length:
            continue
        if not isinstance(expr.type, (sa.String, sa.types.NullType)):
            continue
        risky.append((name, length, expr))
    if not risky:
        return
    sub = select.subquery()
    subcols = list(sub.c)
    positions = {name: i for i, name in enumerate(columns)}
    for name, length, _expr in risky:
        col = subcols[positions[name]]
        too_long = session.execute(
            sa.select(col).where(sa.func.length(col) > length).limit(1)
        ).first()
        if too_long is not None:
            raise ValidationError(
                f"at most {length} characters (got {len(str(too_long[0]))})",
                entity=entity,
                field=name,
            )
