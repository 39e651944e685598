"""BC date formulas: ``CalcDate`` (§0.2), the ``DateFormula`` column type, and ``Round``.

Public core API, used by contacts (questionnaire date formulas), interactions (task recurrence,
activity steps), opportunities (stage date formulas) and campaigns.

A formula has up to three sub-expressions ``[sign]term``; a term is ``<n><unit>`` (add n units),
``<unit><n>`` (the next — or with ``-`` the previous — day n / weekday n / week n / month n /
quarter n, strictly after or before the date) or ``C<unit>`` (end of the current unit, or with
``-`` its start). Units: D, WD, W, M, Q, Y; weeks run Monday (weekday 1) to Sunday (7). Adding
months keeps the day, cut to the month's last day. Angle brackets (``<-CM>``) are accepted.
An empty formula returns the date unchanged.

Doc examples (reference date 1996-05-21): ``CQ+1M-10D`` → 1996-07-20, ``-WD2`` → 1996-05-14,
``CM+30D`` → 1996-06-30.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from relcore.errors import ValidationError

MAX_LENGTH = 32
"""Longest formula text a :class:`DateFormula` column stores."""

_TERM = re.compile(r"([+-]?)(?:(\d+)(WD|D|W|M|Q|Y)|(WD|D|W|M|Q|Y)(\d+)|C(D|W|M|Q|Y))")


def _add_months(d: dt.date, months: int) -> dt.date:
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise ValidationError(f"the date formula leads outside the calendar from {d}")
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(d.day, last))


def _period_bounds(d: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    if unit == "D":
        return d, d
    if unit == "W":
        start = d - dt.timedelta(days=d.weekday())
        return start, start + dt.timedelta(days=6)
    if unit == "M":
        start = d.replace(day=1)
    elif unit == "Q":
        start = dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    else:
        start = dt.date(d.year, 1, 1)
    months = {"M": 1, "Q": 3, "Y": 12}[unit]
    return start, _add_months(start, months) - dt.timedelta(days=1)


def _add(d: dt.date, n: int, unit: str) -> dt.date:
    if unit == "D":
        return d + dt.timedelta(days=n)
    if unit == "W":
        return d + dt.timedelta(weeks=n)
    if unit == "WD":
        raise ValidationError("'WD' needs a weekday number after it (WD1..WD7)")
    return _add_months(d, n * {"M": 1, "Q": 3, "Y": 12}[unit])


def _matches(d: dt.date, unit: str, n: int) -> bool:
    if unit == "D":
        return d.day == n
    if unit == "WD":
        return d.isoweekday() == n
    if unit == "W":
        return d.isoweekday() == 1 and d.isocalendar()[1] == n
    if unit == "M":
        return d.day == 1 and d.month == n
    return d.day == 1 and d.month == 3 * (n - 1) + 1  # Q


_LIMITS = {"D": 31, "WD": 7, "W": 53, "M": 12, "Q": 4}


def _next(d: dt.date, unit: str, n: int, step: int) -> dt.date:
    if unit == "Y":
        raise ValidationError("'Y' cannot be followed by a number (use e.g. 1Y or CY)")
    if not 1 <= n <= _LIMITS[unit]:
        raise ValidationError(f"{unit}{n}: the number must be between 1 and {_LIMITS[unit]}")
    cur = d
    for _ in range(366 * 8):
        cur += dt.timedelta(days=step)
        if _matches(cur, unit, n):
            return cur
    raise ValidationError(f"{unit}{n}: no such date near {d}")


def parse(formula: str) -> list[tuple[int, str, int, str]]:
    """The terms of a formula as ``(sign, unit, number, kind)``, kind ``add|next|current``."""
    text = (formula or "").strip().strip("<>").replace(" ", "").upper()
    terms: list[tuple[int, str, int, str]] = []
    pos = 0
    while pos < len(text):
        m = _TERM.match(text, pos)
        if m is None:
            raise ValidationError(f"{formula!r} is not a valid date formula (e.g. 1M, -CM, CY+1D)")
        sign = -1 if m.group(1) == "-" else 1
        if m.group(2):
            terms.append((sign, m.group(3), int(m.group(2)), "add"))
        elif m.group(4):
            terms.append((sign, m.group(4), int(m.group(5)), "next"))
        else:
            terms.append((sign, m.group(6), 0, "current"))
        pos = m.end()
    if len(terms) > 3:
        raise ValidationError(f"{formula!r} has more than three terms")
    return terms


def validate(formula: str) -> str:
    """Check a formula's syntax; returns it normalised (upper case, no blanks or brackets)."""
    parse(formula)
    return (formula or "").strip().strip("<>").replace(" ", "").upper()


def calc_date(formula: str, base: dt.date) -> dt.date:
    """BC ``CalcDate(formula, base)`` (§0.2): the date the formula leads to from ``base``.

    :raises ValidationError: the formula is not valid, or it leads outside 0001-01-01..9999-12-31
        (the only error it raises).
    """
    d = base
    for sign, unit, number, kind in parse(formula):
        try:
            if kind == "current":
                start, end = _period_bounds(d, unit)
                d = start if sign < 0 else end
            elif kind == "next":
                d = _next(d, unit, number, sign)
            else:
                d = _add(d, sign * number, unit)
        except (OverflowError, ValueError):
            raise ValidationError(
                f"the date formula {formula!r} leads outside the calendar from {base}"
            ) from None
    return d


class DateFormula(sa.TypeDecorator[str]):
    """A BC ``DateFormula`` field: text checked on every write and stored normalised.

    ``"<1w>"`` is stored as ``"1W"``; a bad formula raises :class:`ValidationError` naming the
    column (``field recurring_date_interval: 'X' is not a valid date formula ...``) and nothing is
    written. Blank (``""``) is a valid formula (the date unchanged).
    """

    impl = sa.String(MAX_LENGTH)
    cache_ok = True
    field: str | None = None

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return checked(str(value), field=self.field)


@event.listens_for(sa.Column, "after_parent_attach")
def _name_date_formula_field(column: sa.Column[Any], table: Any) -> None:
    # The type learns its column's name so a refused write names the field.
    if isinstance(column.type, DateFormula):
        column.type.field = column.name


def checked(
    formula: str, *, field: str | None = None, entity: str | None = None, key: object | None = None
) -> str:
    """``formula`` normalised (:func:`validate`), or a :class:`ValidationError` naming the field."""
    try:
        text = validate(formula)
    except ValidationError as exc:
        raise ValidationError(exc.message, entity=entity, key=key, field=field) from None
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            f"{formula!r} is longer than {MAX_LENGTH} characters",
            entity=entity,
            key=key,
            field=field,
        )
    return text


def bc_round(value: Decimal, decimals: int = 2) -> Decimal:
    """BC ``Round(value, 10^-decimals)``: nearest, half away from zero (§0.2); decimals −25..25."""
    if not -25 <= decimals <= 25:
        raise ValidationError("must be between -25 and 25", field="no_of_decimals")
    step = Decimal(1).scaleb(-decimals)
    result = (Decimal(value) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return result.quantize(Decimal(1)) if decimals < 0 else result
