"""Maintaining number series: series, lines, relationships, defaults (§1.2.1, §1.2.5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import sqlalchemy as sa

from relcore.db import is_postgres
from relcore.errors import NumberSeriesError, ValidationError
from relcore.numbering import sequences
from relcore.numbering.nos import MAX_NO_LENGTH, calculate_open, harmonise
from relcore.numbering.tables import no_series as S
from relcore.numbering.tables import no_series_line as L
from relcore.numbering.tables import no_series_relationship as R

EMPTY_CODE_ERR = "You cannot get a No. Series Line with empty No. Series Code."
NOT_FOUND_ERR = "The No. Series does not exist. Identification fields and values: Code='{}'"
MUST_HAVE_VALUE_ERR = (
    "{} must have a value in No. Series Line: Series Code={}, Line No.={}. "
    "It cannot be zero or empty."
)


def norm_code(code: str | None) -> str:
    """A ``Code[20]`` as stored: upper-case, trimmed (§0.2)."""
    return (code or "").strip().upper()


@attrs.frozen
class DefaultSeries:
    """A number series a plugin needs, created by ``relcore init`` (§1.2.7 Contoso defaults).

    :param setup_key: a setup key (``"contacts.contact_nos"``) filled with ``code`` unless set.
    """

    code: str
    description: str
    starting_no: str
    ending_no: str | None = None
    warning_no: str | None = None
    increment_by: int = 1
    default_nos: bool = True
    manual_nos: bool = True
    date_order: bool = False
    allow_gaps: bool = False
    setup_key: str | None = None


@attrs.frozen
class NoSeriesLine:
    """A ``No. Series Line`` (309) as read (§1.2.1); blank numbers are ``''``."""

    series_code: str
    line_no: int
    starting_date: dt.date | None
    starting_no: str
    ending_no: str
    warning_no: str
    increment_by: int
    last_no_used: str
    last_date_used: dt.date | None
    open: bool
    allow_gaps: bool


@attrs.frozen
class NoSeries:
    """A ``No. Series`` (308) with its lines, ordered by starting date and line no. (§1.2.1)."""

    code: str
    description: str
    default_nos: bool
    manual_nos: bool
    date_order: bool
    lines: tuple[NoSeriesLine, ...] = ()


def series_exists(session: Any, code: str) -> bool:
    """True when the number series ``code`` exists."""
    stmt = sa.select(S.c.code).where(S.c.code == norm_code(code))
    return session.execute(stmt).first() is not None


def _couple(default_nos: bool, manual_nos: bool, changed: str) -> tuple[bool, bool]:
    # §1.2.1: a series is never both non-default and non-manual; the field not being changed
    # is forced back on.
    if not default_nos and not manual_nos:
        if changed == "default_nos":
            manual_nos = True
        else:
            default_nos = True
    return default_nos, manual_nos


def add_series(
    session: Any,
    code: str,
    description: str = "",
    default_nos: bool = True,
    manual_nos: bool = True,
    date_order: bool = False,
) -> NoSeries:
    """Create a number series (§1.2.1).

    Clearing both Default Nos. and Manual Nos. forces Manual Nos. on (BC validates Default Nos.
    first). Raises :class:`ValidationError` for a blank, too long or existing code.
    """
    code = norm_code(code)
    if not code:
        raise ValidationError("Code must have a value", entity="No. Series", field="code")
    if len(code) > 20:
        raise ValidationError(
            f"{code!r} is longer than 20 characters", entity="No. Series", field="code"
        )
    if len(description or "") > 100:
        raise ValidationError(
            "longer than 100 characters", entity="No. Series", key=code, field="description"
        )
    if series_exists(session, code):
        raise ValidationError("already exists", entity="No. Series", key=code)
    default_nos, manual_nos = _couple(default_nos, manual_nos, "default_nos")
    session.execute(
        sa.insert(S).values(
            code=code,
            description=description or "",
            default_nos=default_nos,
            manual_nos=manual_nos,
            date_order=date_order,
        )
    )
    return NoSeries(code, description or "", default_nos, manual_nos, date_order)


def update_series(
    session: Any,
    code: str,
    *,
    description: str | None = None,
    default_nos: bool | None = None,
    manual_nos: bool | None = None,
    date_order: bool | None = None,
) -> NoSeries:
    """Change a series' fields; the Default/Manual coupling of §1.2.1 applies to the field set."""
    current = get_series(session, code)
    d = current.default_nos if default_nos is None else default_nos
    m = current.manual_nos if manual_nos is None else manual_nos
    if default_nos is not None:
        d, m = _couple(d, m, "default_nos")
    if manual_nos is not None:
        d, m = _couple(d, m, "manual_nos")
    values = {"default_nos": d, "manual_nos": m}
    if description is not None:
        values["description"] = description
    if date_order is not None:
        values["date_order"] = date_order
    session.execute(sa.update(S).where(S.c.code == current.code).values(**values))
    return get_series(session, current.code)


def add_line(
    session: Any,
    code: str,
    starting_no: str,
    ending_no: str | None = None,
    warning_no: str | None = None,
    increment_by: int = 1,
    starting_date: dt.date | None = None,
    allow_gaps: bool = False,
    last_no_used: str | None = None,
) -> NoSeriesLine:
    """Add a line to a series, numbered 10000, 20000, ... (§1.2.1).

    The numbers are validated as if typed in BC's order (Starting No., Ending No., Warning No.,
    Last No. Used) with the format harmonisation of §1.2.5: each must contain a digit (NS13) and a
    value with a prefix/suffix re-formats the others. Warning No. requires Ending No.;
    Increment-by No. is at least 1.
    """
    code = norm_code(code)
    if not code:
        raise NumberSeriesError(EMPTY_CODE_ERR)
    if not series_exists(session, code):
        raise NumberSeriesError(NOT_FOUND_ERR.format(code))
    line_no = (
        session.execute(sa.select(sa.func.max(L.c.line_no)).where(L.c.series_code == code)).scalar()
        or 0
    ) + 10000
    if increment_by is None or int(increment_by) < 1:
        raise NumberSeriesError(
            f"Increment-by No. must be at least 1 in No. Series Line: Series Code={code}, "
            f"Line No.={line_no}."
        )
    entered = {
        "starting_no": norm_code(starting_no),
        "ending_no": norm_code(ending_no),
        "warning_no": norm_code(warning_no),
        "last_no_used": norm_code(last_no_used),
    }
    for value in entered.values():
        if len(value) > MAX_NO_LENGTH:
            raise NumberSeriesError(f"{value} is longer than 20 characters.")
    if not entered["starting_no"]:
        raise NumberSeriesError(MUST_HAVE_VALUE_ERR.format("Starting No.", code, line_no))
    if entered["warning_no"] and not entered["ending_no"]:
        raise NumberSeriesError(MUST_HAVE_VALUE_ERR.format("Ending No.", code, line_no))
    values = dict.fromkeys(entered, "")
    for field in ("starting_no", "ending_no", "warning_no", "last_no_used"):
        if entered[field]:
            values = harmonise(values, field, entered[field])
    is_open = calculate_open(values["last_no_used"], values["ending_no"], int(increment_by))
    session.execute(
        sa.insert(L).values(
            series_code=code,
            line_no=line_no,
            starting_date=starting_date,
            increment_by=int(increment_by),
            open=is_open,
            allow_gaps=bool(allow_gaps),
            **values,
        )
    )
    return NoSeriesLine(
        code,
        line_no,
        starting_date,
        values["starting_no"],
        values["ending_no"],
        values["warning_no"],
        int(increment_by),
        values["last_no_used"],
        None,
        is_open,
        bool(allow_gaps),
    )


def delete_series(session: Any, code: str) -> None:
    """Delete a series with its lines and all relationships in both directions (§1.2.1)."""
    code = norm_code(code)
    if not series_exists(session, code):
        raise NumberSeriesError(NOT_FOUND_ERR.format(code))
    from relcore.references import series_users

    users = series_users(session, code)
    if users:
        raise NumberSeriesError(
            f"No. Series {code} is used by setup field {', '.join(users)}: "
            "change that setting first"
        )
    if is_postgres(session):
        names = (
            session.execute(
                sa.select(L.c.sequence_name).where(
                    L.c.series_code == code, L.c.sequence_name.is_not(None)
                )
            )
            .scalars()
            .all()
        )
        for name in names:
            sequences.drop_sequence(session, name)
    session.execute(sa.delete(R).where(sa.or_(R.c.code == code, R.c.series_code == code)))
    session.execute(sa.delete(L).where(L.c.series_code == code))
    session.execute(sa.delete(S).where(S.c.code == code))


def add_relationship(session: Any, code: str, related_code: str) -> None:
    """Make ``related_code`` an alternative to the default series ``code`` (§1.2.1)."""
    code, related_code = norm_code(code), norm_code(related_code)
    for c in (code, related_code):
        if not series_exists(session, c):
            raise NumberSeriesError(NOT_FOUND_ERR.format(c))
    exists = session.execute(
        sa.select(R.c.code).where(R.c.code == code, R.c.series_code == related_code)
    ).first()
    if exists is None:
        session.execute(sa.insert(R).values(code=code, series_code=related_code))


def related_series(session: Any, code: str) -> list[str]:
    """The series related to ``code`` (BC ``LookupRelatedNoSeries``)."""
    stmt = sa.select(R.c.series_code).where(R.c.code == norm_code(code)).order_by(R.c.series_code)
    return list(session.execute(stmt).scalars())


def _line_of(session: Any, row: Any, pg: bool) -> NoSeriesLine:
    last, is_open = row.last_no_used, row.open
    if pg and row.allow_gaps and row.sequence_name:
        last = sequences.last_no_used(session, row)
        is_open = calculate_open(last, row.ending_no, row.increment_by)
    return NoSeriesLine(
        row.series_code,
        row.line_no,
        row.starting_date,
        row.starting_no,
        row.ending_no,
        row.warning_no,
        row.increment_by,
        last,
        row.last_date_used,
        is_open,
        row.allow_gaps,
    )


def list_series(session: Any) -> list[NoSeries]:
    """Every series with its lines, by code (two queries)."""
    pg = is_postgres(session)
    lines: dict[str, list[NoSeriesLine]] = {}
    order = (L.c.series_code, L.c.starting_date.asc().nulls_first(), L.c.line_no)
    for row in session.execute(sa.select(L).order_by(*order)):
        lines.setdefault(row.series_code, []).append(_line_of(session, row, pg))
    return [
        NoSeries(
            r.code,
            r.description,
            r.default_nos,
            r.manual_nos,
            r.date_order,
            tuple(lines.get(r.code, ())),
        )
        for r in session.execute(sa.select(S).order_by(S.c.code))
    ]


def get_series(session: Any, code: str) -> NoSeries:
    """One series with its lines; raises :class:`NumberSeriesError` when it does not exist."""
    code = norm_code(code)
    if not code:
        raise NumberSeriesError(EMPTY_CODE_ERR)
    r = session.execute(sa.select(S).where(S.c.code == code)).first()
    if r is None:
        raise NumberSeriesError(NOT_FOUND_ERR.format(code))
    pg = is_postgres(session)
    rows = session.execute(
        sa.select(L)
        .where(L.c.series_code == code)
        .order_by(L.c.starting_date.asc().nulls_first(), L.c.line_no)
    )
    lines = tuple(_line_of(session, row, pg) for row in rows)
    return NoSeries(r.code, r.description, r.default_nos, r.manual_nos, r.date_order, lines)


def _app(session: Any) -> Any:
    return session.info.get("relcore.app")


def ensure_default_series(session: Any, defaults: list[DefaultSeries]) -> list[str]:
    """Create the missing default series (one line each) and fill their setup keys.

    A setup key is set to the series code only when it has no stored value. Idempotent.

    :returns: the codes created.
    """
    created = []
    app = _app(session)
    for d in defaults:
        code = norm_code(d.code)
        if not series_exists(session, code):
            add_series(session, code, d.description, d.default_nos, d.manual_nos, d.date_order)
            add_line(
                session,
                code,
                d.starting_no,
                d.ending_no,
                d.warning_no,
                d.increment_by,
                allow_gaps=d.allow_gaps,
            )
            created.append(code)
        if d.setup_key and app is not None and not app.setup.is_set(session, d.setup_key):
            app.setup.set(session, d.setup_key, code)
    return created
