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
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from relcore.db import Code
from relcore.errors import ValidationError
from relcore.rows import transpose

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


_CHECKED: weakref.WeakKeyDictionary[sa.Table, tuple[int, dict[str, sa.Column[Any]]]] = (
    weakref.WeakKeyDictionary()
)


def _checked_columns(table: sa.Table) -> dict[str, sa.Column[Any]]:
    """The columns of ``table`` whose values are checked, by name: worked out once per table
    (again when the table's columns change)."""
    known = _CHECKED.get(table)
    if known is None or known[0] != len(table.c):
        known = (len(table.c), {c.name: c for c in table.c if _checked(c)})
        _CHECKED[table] = known
    return known[1]


def check_rows(
    table: sa.Table,
    rows: Sequence[dict],
    *,
    entity: str,
    key_of: Callable[[dict], Any] | None = None,
    by_column: Mapping[str, Sequence[Any]] | None = None,
) -> None:
    """Refuse the first value of ``rows`` this table cannot store as given.

    Work is per column over its distinct values (the rows read column by column in one pass,
    the checked columns of a table worked out once), with the text checks done by C-level
    string operations on all of them at once (a batch of 100,000 rows stays cheap); a value is
    looked at on its own only when the column holds a problem.

    :param by_column: the rows' values by column (:func:`relcore.rows.transpose`) when the
        caller has them already.
    :raises ValidationError: naming the record (``entity`` and the row's key) and the field.
    """
    if not rows:
        return
    if by_column is None:
        by_column = transpose(rows)  # one pass when the rows share their columns (a batch)
    if by_column is not None:
        names: Iterable[str] = by_column
    else:
        names = set().union(*(row.keys() for row in rows)) if len(rows) > 1 else set(rows[0])
    checked = _checked_columns(table)
    for name in names:
        column = checked.get(name)
        if column is None:
            continue
        try:
            if by_column is not None:
                values = set(by_column[name])
            else:
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

    Worked out from the statement first: an expression whose type already guarantees the fit (a
    ``String`` — or a type stored as one, like ``Code`` — no longer than the target, whose values
    were checked when they were written) needs nothing, and a literal value is measured in
    Python. The expressions left (computed text of unknown length) are checked in the database
    with one ``LIMIT 1`` query over all of them; only when it finds a row are they looked at one
    by one, to name the first column in the statement's order.
    """
    exprs = list(select.selected_columns)
    risky = []
    for name, expr in zip(columns, exprs, strict=False):
        column = table.c[name]
        length = getattr(column.type, "length", None)
        if length is None or not isinstance(_base(column), sa.String):
            continue
        if not isinstance(_type_base(expr.type), (sa.String, sa.types.NullType)):
            continue
        value = _literal_value(expr)
        if value is not _UNKNOWN:
            if isinstance(value, str) and len(value) > length:
                raise ValidationError(
                    f"at most {length} characters (got {len(value)})", entity=entity, field=name
                )
            continue
        if not _fits(expr, length):
            risky.append((name, length, expr))
    if not risky:
        return
    sub = select.subquery()
    subcols = list(sub.c)
    positions = {name: i for i, name in enumerate(columns)}

    def too_long(name: str, length: int) -> Any:
        return sa.func.length(subcols[positions[name]]) > length

    if len(risky) > 1:
        anything = sa.select(sa.literal(1)).where(sa.or_(*(too_long(n, k) for n, k, _ in risky)))
        if session.execute(anything.limit(1)).first() is None:
            return
    for name, length, _expr in risky:
        col = subcols[positions[name]]
        found = session.execute(sa.select(col).where(too_long(name, length)).limit(1)).first()
        if found is not None:
            raise ValidationError(
                f"at most {length} characters (got {len(str(found[0]))})",
                entity=entity,
                field=name,
            )


_UNKNOWN = object()


def _type_base(ctype: Any) -> Any:
    return ctype.impl_instance if isinstance(ctype, sa.TypeDecorator) else ctype


def _fits(expr: Any, length: int) -> bool:
    """True when every value of ``expr`` has at most ``length`` characters by construction: a
    text type (``String`` or a type stored as one) declared no longer, a literal no longer, or
    a ``CASE`` / ``coalesce`` all of whose results are such."""
    while isinstance(expr, sa.sql.elements.Label):
        expr = expr.element
    value = _literal_value(expr)
    if value is not _UNKNOWN:
        return value is None or len(value) <= length
    if isinstance(expr, sa.sql.elements.Case):
        results = [result for _, result in expr.whens]
        if expr.else_ is not None:
            results.append(expr.else_)
        return all(_fits(r, length) for r in results)
    if isinstance(expr, sa.sql.functions.coalesce):
        return all(_fits(arg, length) for arg in expr.clauses)
    base = _type_base(expr.type)
    declared = getattr(base, "length", None)
    return isinstance(base, sa.String) and declared is not None and declared <= length


def _literal_value(expr: Any) -> Any:
    """The value of a bound literal (``sa.literal(…)``, possibly labelled), else ``_UNKNOWN``."""
    while isinstance(expr, sa.sql.elements.Label):
        expr = expr.element
    if (
        isinstance(expr, sa.sql.elements.BindParameter)
        and expr.callable is None
        and (expr.value is None or isinstance(expr.value, str))
    ):
        return expr.value
    return _UNKNOWN
