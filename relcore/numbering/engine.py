"""Drawing numbers: line selection, next/peek/bulk, manual numbers (§1.2.2–§1.2.4, §1.2.6)."""

from __future__ import annotations

import bisect
import datetime as dt
import weakref
from collections.abc import Callable
from typing import Any

import attrs
import sqlalchemy as sa

from relcore.errors import NumberSeriesError
from relcore.numbering import sequences, sqlite_path
from relcore.numbering.nos import (
    MAX_NO_LENGTH,
    TOO_LONG_ERR,
    calculate_open,
    digit_run,
    is_within_range,
    next_after,
)
from relcore.numbering.series import EMPTY_CODE_ERR, MUST_HAVE_VALUE_ERR, NOT_FOUND_ERR, norm_code
from relcore.numbering.tables import no_series as S
from relcore.numbering.tables import no_series_line as L
from relcore.numbering.tables import no_series_relationship as R

RANGE_ERR = "You cannot assign numbers greater than {} from the number series {}. No. assigned: {}"
WARNING_MSG = (
    "The No. Series {} is soon running out. The current number is {} and the last allowed number "
    "of the sequence is {}."
)
CANNOT_ASSIGN_ERR = "You cannot assign new numbers from the number series {}."
CANNOT_ASSIGN_ON_ERR = "You cannot assign new numbers from the number series {} on {}."
DATE_ORDER_ERR = "You cannot assign new numbers from the number series {} on a date before {}."
MANUAL_ERR = (
    "You may not enter numbers manually. If you want to enter numbers manually, please activate "
    "Manual Nos. in No. Series {}."
)
AUTOMATIC_ERR = (
    "It is not possible to assign numbers automatically. If you want the program to assign "
    "numbers automatically, please activate Default Nos. in No. Series {}."
)


@attrs.frozen
class Drawn:
    """A number drawn (or peeked) from a series, with BC's "soon running out" message if any."""

    series: str
    no: str
    warning: str | None


@attrs.frozen
class DrawnMany:
    """Numbers drawn in bulk by :func:`draw_many`; ``warning`` as in :class:`Drawn`."""

    series: str
    nos: list[str]
    warning: str | None


# -- line selection (§1.2.2) -------------------------------------------------------------------

_COLS = (
    L.c.series_code,
    L.c.line_no,
    L.c.starting_date,
    L.c.starting_no,
    L.c.ending_no,
    L.c.warning_no,
    L.c.increment_by,
    L.c.last_no_used,
    L.c.last_date_used,
    L.c.open,
    L.c.allow_gaps,
    L.c.sequence_name,
    L.c.sequence_base,
    S.c.date_order,
)
_CODE, _DATE = sa.bindparam("code", type_=L.c.series_code.type), sa.bindparam("d", type_=sa.Date())
_SELECT = (
    sa.select(*_COLS)
    .select_from(L.join(S, S.c.code == L.c.series_code))
    .where(
        L.c.series_code == _CODE,
        L.c.open.is_(True),
        sa.or_(L.c.starting_date.is_(None), L.c.starting_date <= _DATE),
    )
    .order_by(L.c.starting_date.desc().nulls_last(), L.c.line_no)
    .limit(1)
)
_SELECT_LOCKED = _SELECT.with_for_update(of=L)
_UPDATE = (
    sa.update(L)
    .where(L.c.series_code == sa.bindparam("k_code"), L.c.line_no == sa.bindparam("k_line"))
    .values(
        last_no_used=sa.bindparam("last"),
        last_date_used=sa.bindparam("d"),
        open=sa.bindparam("is_open"),
    )
)

# Per engine: series codes whose current line was last seen gap-free (PostgreSQL only): lets the
# selection take the row lock in the same statement, while allow-gaps lines are read unlocked.
_gap_free_hint: weakref.WeakKeyDictionary[Any, dict[str, bool]] = weakref.WeakKeyDictionary()


def _fail_no_line(session: Any, code: str, usage_date: dt.date) -> None:
    """Raise the right error when no open line serves ``usage_date`` (§1.2.2 step 5)."""
    if session.execute(sa.select(S.c.code).where(S.c.code == code)).first() is None:
        raise NumberSeriesError(NOT_FOUND_ERR.format(code))
    # An exhausted line that would serve the date: report it with the range error (NS5).
    closed = session.execute(
        sa.select(*_COLS)
        .select_from(L.join(S, S.c.code == L.c.series_code))
        .where(
            L.c.series_code == code,
            sa.or_(L.c.starting_date.is_(None), L.c.starting_date <= usage_date),
        )
        .order_by(L.c.starting_date.desc().nulls_last(), L.c.line_no.desc())
        .limit(1)
    ).first()
    last = closed.last_no_used if closed is not None else ""
    if closed is not None and closed.sequence_name and session.dialect.name == "postgresql":
        last = sequences.last_no_used(session, closed)
    if last:
        try:
            nxt = next_after(last, closed.starting_no, closed.increment_by)
        except NumberSeriesError:
            nxt = last
        raise NumberSeriesError(RANGE_ERR.format(closed.ending_no, code, nxt))
    any_open = session.execute(
        sa.select(L.c.line_no).where(L.c.series_code == code, L.c.open.is_(True)).limit(1)
    ).first()
    if any_open is not None:
        raise NumberSeriesError(CANNOT_ASSIGN_ON_ERR.format(code, usage_date.isoformat()))
    raise NumberSeriesError(CANNOT_ASSIGN_ERR.format(code))


def _select_line(session: Any, code: str, usage_date: dt.date, lock: bool) -> Any:
    """The line serving ``usage_date`` (§1.2.2), locked when gap-free and ``lock``."""
    if session.dialect.name == "sqlite":
        row = sqlite_path.select_line(session, code, usage_date)  # BEGIN IMMEDIATE: write lock
        if row is None:
            _fail_no_line(session, code, usage_date)
        return row
    params = {"code": code, "d": usage_date}
    if session.dialect.name != "postgresql":
        row = session.execute(_SELECT, params).first()
        if row is None:
            _fail_no_line(session, code, usage_date)
        return row
    hints = _gap_free_hint.setdefault(session.engine, {})
    for _attempt in range(100):
        locked = lock and hints.get(code, False)
        row = session.execute(_SELECT_LOCKED if locked else _SELECT, params).first()
        if row is None:
            if locked:  # the row we waited for was closed meanwhile: look again
                row = session.execute(_SELECT, params).first()
            if row is None:
                _fail_no_line(session, code, usage_date)
            continue
        hints[code] = not row.allow_gaps
        if row.allow_gaps:
            if row.sequence_name:
                last = sequences.last_no_used(session, row)
                if not calculate_open(last, row.ending_no, row.increment_by):  # step 4
                    session.execute(
                        sa.update(L)
                        .where(L.c.series_code == code, L.c.line_no == row.line_no)
                        .values(open=False)
                    )
                    continue
            return row
        if lock and not locked:
            continue  # gap-free after all: select again with the row lock
        return row
    raise NumberSeriesError(CANNOT_ASSIGN_ERR.format(code))  # pragma: no cover


# -- drawing (§1.2.3, §1.2.4) ------------------------------------------------------------------


def _usage_date(session: Any, usage_date: dt.date | None) -> dt.date:
    if usage_date is not None:
        return usage_date
    app = session.info.get("relcore.app")
    return app.work_date if app is not None else dt.datetime.now(dt.UTC).date()


def _from_hook(session: Any, code: str, usage_date: dt.date) -> str | None:
    app = session.info.get("relcore.app")
    if app is None:
        return None
    hook = app.pm.hook.relcore_next_number
    if not hook.get_hookimpls():
        return None
    return hook(session=session, series_code=code, usage_date=usage_date)


def _save(session: Any, row: Any, last: str, usage_date: dt.date) -> None:
    is_open = calculate_open(last, row.ending_no, row.increment_by)
    if session.dialect.name == "sqlite":
        sqlite_path.save_line(session, row, last, usage_date, is_open)
        return
    session.execute(
        _UPDATE,
        {
            "k_code": row.series_code,
            "k_line": row.line_no,
            "last": last,
            "d": usage_date,
            "is_open": is_open,
        },
    )


def _check(row: Any, code: str, no: str) -> str | None:
    """Range check (error) and warning message (§1.2.3)."""
    if not is_within_range(no, row.starting_no, row.ending_no):
        raise NumberSeriesError(RANGE_ERR.format(row.ending_no, code, no))
    if row.ending_no and row.warning_no and no >= row.warning_no:
        return WARNING_MSG.format(code, no, row.ending_no)
    return None


def _check_date_order(row: Any, code: str, usage_date: dt.date) -> None:
    if row.date_order and row.last_date_used is not None and usage_date < row.last_date_used:
        raise NumberSeriesError(DATE_ORDER_ERR.format(code, row.last_date_used.isoformat()))


def _prepare(session: Any, code: str, usage_date: dt.date | None) -> tuple[str, dt.date]:
    code = norm_code(code)
    if not code:
        raise NumberSeriesError(EMPTY_CODE_ERR)
    return code, _usage_date(session, usage_date)


def draw(
    session: Any, code: str, usage_date: dt.date | None = None, *, peek: bool = False
) -> Drawn:
    """Draw the next number of series ``code`` for ``usage_date`` (default: WorkDate) (§1.2.3).

    Selects the line (§1.2.2), checks Date Order, computes the number, checks the range (error,
    nothing saved) and the warning, then saves Last No. Used, Last Date Used and Open. With
    ``peek`` nothing is saved (BC ``PeekNextNo``). Gap-free lines are locked until the end of the
    transaction; allow-gaps lines use a PostgreSQL sequence (§1.2.4). A ``relcore_next_number``
    hook implementation may supply the number instead.
    """
    code, usage_date = _prepare(session, code, usage_date)
    if not peek:
        hooked = _from_hook(session, code, usage_date)
        if hooked is not None:
            return Drawn(code, hooked, None)
    row = _select_line(session, code, usage_date, lock=not peek)
    _check_date_order(row, code, usage_date)
    if row.allow_gaps and session.dialect.name == "postgresql":
        return _draw_sequence(session, row, code, usage_date, peek)
    if not row.last_no_used and not row.starting_no:
        raise NumberSeriesError(MUST_HAVE_VALUE_ERR.format("Starting No.", code, row.line_no))
    no = next_after(row.last_no_used, row.starting_no, row.increment_by)
    warning = _check(row, code, no)
    if not peek:
        _save(session, row, no, usage_date)
    return Drawn(code, no, warning)


def _draw_sequence(session: Any, row: Any, code: str, usage_date: dt.date, peek: bool) -> Drawn:
    name, base = sequences.ensure_sequence(session, row)
    if peek:
        current = sequences.current_value(session, name)
        value = (base if current is None else current) + row.increment_by
    else:
        value = sequences.next_values(session, name, 1)[0]
    no = sequences.format_value(row.starting_no, value)
    warning = _check(row, code, no)
    if not peek and row.last_date_used != usage_date:  # BC writes the line only on a new date
        session.execute(
            sa.update(L)
            .where(L.c.series_code == code, L.c.line_no == row.line_no)
            .values(last_date_used=usage_date)
        )
    return Drawn(code, no, warning)


def next_no(session: Any, code: str, usage_date: dt.date | None = None) -> str:
    """The next number of a series, saved (BC ``GetNextNo``) (§1.2.3)."""
    return draw(session, code, usage_date).no


def peek_no(session: Any, code: str, usage_date: dt.date | None = None) -> str:
    """The number :func:`next_no` would return, without saving anything (BC ``PeekNextNo``)."""
    return draw(session, code, usage_date, peek=True).no


def _bulk_texts(first: str, count: int, inc: int) -> list[str]:
    """``first`` and the ``count - 1`` numbers after it, each ``inc`` higher (IncStr rules)."""
    start, end = digit_run(first)  # first is in range, so it has a digit
    prefix, suffix, width = first[:start], first[end:], end - start
    v0 = int(first[start:end])
    stop = v0 + count * inc
    if len(str(stop - inc)) <= width:
        fmt = f"{prefix}{{:0{width}d}}{suffix}".format
        return [fmt(v) for v in range(v0, stop, inc)]
    return [f"{prefix}{str(v).rjust(width, '0')}{suffix}" for v in range(v0, stop, inc)]


def _check_bulk(row: Any, code: str, nos: list[str]) -> str | None:
    # Numbers of equal length are ordered like their values, so the first and last number of each
    # length decide the range check (§1.2.3); the warning is the last number's.
    # Lengths never shrink along the list: find where each length starts by bisection.
    edges = [nos[0], nos[-1]]
    i = 0
    while len(nos[i]) != len(nos[-1]):
        i = bisect.bisect_right(nos, len(nos[i]), lo=i, key=len)
        edges += [nos[i - 1], nos[i]]
    for no in edges:
        if len(no) > MAX_NO_LENGTH:
            raise NumberSeriesError(TOO_LONG_ERR.format(nos[0]))
        _check(row, code, no)
    return _check(row, code, nos[-1])


def draw_many(session: Any, code: str, n: int, usage_date: dt.date | None = None) -> DrawnMany:
    """Draw ``n`` numbers at once with the rules of :func:`draw` (§1.2.3).

    Gap-free lines: one ``SELECT ... FOR UPDATE`` and one ``UPDATE``, numbers computed in Python.
    If any number would fall outside the line's range, nothing is drawn. All numbers come from the
    line serving ``usage_date``.
    """
    code, usage_date = _prepare(session, code, usage_date)
    if n <= 0:
        return DrawnMany(code, [], None)
    app = session.info.get("relcore.app")
    if app is not None and app.pm.hook.relcore_next_number.get_hookimpls():
        # An alternative implementation decides number by number.
        drawn = [draw(session, code, usage_date) for _ in range(n)]
        return DrawnMany(code, [d.no for d in drawn], drawn[-1].warning)
    row = _select_line(session, code, usage_date, lock=True)
    _check_date_order(row, code, usage_date)
    if not row.last_no_used and not row.starting_no:
        raise NumberSeriesError(MUST_HAVE_VALUE_ERR.format("Starting No.", code, row.line_no))
    inc = max(row.increment_by, 1)
    if row.allow_gaps and session.dialect.name == "postgresql":
        name, base = sequences.ensure_sequence(session, row)
        current = sequences.current_value(session, name)
        last = (base if current is None else current) + n * inc
        _check(row, code, sequences.format_value(row.starting_no, last))  # before consuming
        values = sequences.next_values(session, name, n)
        nos = [sequences.format_value(row.starting_no, v) for v in values]
        warning = _check_bulk(row, code, nos)
        if row.last_date_used != usage_date:
            session.execute(
                sa.update(L)
                .where(L.c.series_code == code, L.c.line_no == row.line_no)
                .values(last_date_used=usage_date)
            )
        return DrawnMany(code, nos, warning)
    first = next_after(row.last_no_used, row.starting_no, row.increment_by)
    if not is_within_range(first, row.starting_no, row.ending_no):
        raise NumberSeriesError(RANGE_ERR.format(row.ending_no, code, first))
    nos = _bulk_texts(first, n, inc)
    warning = _check_bulk(row, code, nos)
    _save(session, row, nos[-1], usage_date)
    return DrawnMany(code, nos, warning)


def next_nos(session: Any, code: str, n: int, usage_date: dt.date | None = None) -> list[str]:
    """``n`` next numbers of a series in one round trip (see :func:`draw_many`) (§1.2.3)."""
    return draw_many(session, code, n, usage_date).nos


# -- manual vs automatic numbers (§1.2.6) ------------------------------------------------------


def _series_flags(session: Any, code: str) -> Any:
    row = session.execute(
        sa.select(S.c.default_nos, S.c.manual_nos).where(S.c.code == code)
    ).first()
    if row is None:
        raise NumberSeriesError(NOT_FOUND_ERR.format(code))
    return row


def test_manual(session: Any, code: str | None) -> None:
    """Refuse a typed number unless the series allows Manual Nos. (BC ``TestManual``, NS12).

    A blank series code always allows manual numbers (§1.2.6).
    """
    code = norm_code(code)
    if not code:
        return
    if not _series_flags(session, code).manual_nos:
        raise NumberSeriesError(MANUAL_ERR.format(code))


test_manual.__test__ = False  # not a pytest test


def are_related(session: Any, default_code: str, other_code: str | None) -> bool:
    """BC ``AreRelated`` (§1.2.6): requires Default Nos. on the default series (else error);
    true when both codes are equal or a relationship exists.
    """
    default_code, other_code = norm_code(default_code), norm_code(other_code)
    if not _series_flags(session, default_code).default_nos:
        raise NumberSeriesError(AUTOMATIC_ERR.format(default_code))
    if default_code == other_code:
        return True
    if not other_code:
        return False
    stmt = sa.select(R.c.code).where(R.c.code == default_code, R.c.series_code == other_code)
    return session.execute(stmt).first() is not None


def init_no(
    session: Any,
    setup_key: str,
    *,
    no: str | None = None,
    series: str | None = None,
    usage_date: dt.date | None = None,
    exists: Callable[[str], bool] | None = None,
) -> tuple[str, str | None]:
    """Number a new master record (BC ``OnInsert`` / ``OnValidate "No."`` pattern, §1.2.6).

    A typed ``no`` passes :func:`test_manual` on the setup key's series and is returned with no
    series. A blank ``no`` is drawn from ``series`` when it is related to the setup series
    (:func:`are_related`; an unrelated one is an error), else from the setup series, which must
    be set. ``exists(no)`` (Contacts) makes numbers already used be skipped.

    :returns: ``(no, series code used or None)``.
    """
    app = session.info.get("relcore.app")
    if app is None:
        raise RuntimeError("init_no needs a session opened by App.session()")
    setup_series = norm_code(app.setup.get(session, setup_key))
    if no:
        test_manual(session, setup_series)
        return norm_code(no), None
    if not setup_series:
        raise NumberSeriesError(
            f"{setup_key} must have a value in the setup. It cannot be zero or empty."
        )
    chosen = setup_series
    if are_related(session, setup_series, series):
        chosen = norm_code(series)
    elif norm_code(series):
        raise NumberSeriesError(
            f"No. Series {norm_code(series)} is not related to No. Series {setup_series}."
        )
    drawn = next_no(session, chosen, usage_date)
    if exists is not None:
        while exists(drawn):
            drawn = next_no(session, chosen, usage_date)
    return drawn, chosen
