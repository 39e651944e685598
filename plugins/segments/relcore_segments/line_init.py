"""Segment line initialisation as SQL: BC's ``InitLine`` for a whole set of contacts (§5.3).

:func:`line_values` gives, for a contacts alias, the column expressions of new segment lines:
header defaults (§5.3 step 1), the contact's company and active alternative address (step 2,
§2.8), salesperson (step 3), language and subject (step 4, ``FindLanguage``) and correspondence
type (step 5). They feed one ``INSERT ... SELECT``; no contact passes through Python.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from relcore.errors import ValidationError
from relcore_segments import model

L = model.line
LINE_STEP = 10000
"""New lines are numbered this far apart (BC)."""
MAX_LINE_NO = 2**31 - 1
"""The largest Line No. (a 32-bit Integer, as in BC)."""


def company_of(c: Any) -> Any:
    """The contact's company no.: its own no. for a company, its Company No. for a person."""
    return sa.case((c.c.type == "company", c.c.no), else_=c.c.company_no)


def active_alt_address(session: Any, contact_no: Any, on: dt.date | None) -> Any:
    """``Contact.ActiveAltAddress(date)`` (§2.8) as a correlated expression ('' when none):
    contacts' one rule (``active_alt_address_expr``), skipped when no contact has ranges."""
    from relcore_contacts.api import active_alt_address_expr
    from relcore_contacts.api import alt_address_date_range_table as r

    if (
        on is None
        or session.execute(sa.select(sa.literal(1)).select_from(r).limit(1)).first() is None
    ):
        return sa.literal("", sa.String())
    return active_alt_address_expr(contact_no, on)


def correspondence_type(header: dict, contact_type: Any) -> Any:
    """``SetCorrespondenceType`` (§5.3 step 5) over the contact's own correspondence type."""
    default = header["correspondence_type_default"] or ""
    if header["ignore_contact_corres_type"]:
        return sa.literal(default, sa.String())
    return sa.case(
        (sa.func.coalesce(contact_type, "") == "", sa.literal(default, sa.String())),
        else_=contact_type,
    )


def _language(session: Any, header: dict, contact_language: Any) -> tuple[Any, Any]:
    """``FindLanguage`` (§5.3 step 4): the header-level language row of the contact's language,
    else the header default; returns (language_code, subject) expressions."""
    lang = model.interaction_language
    default_code = sa.literal(header["language_code_default"], L.c.language_code.type)
    default_subject = sa.literal(header["subject_default"] or "", sa.String())
    has_rows = session.execute(
        sa.select(sa.literal(1))
        .where(lang.c.segment_no == header["no"], lang.c.segment_line_no == 0)
        .limit(1)
    ).first()
    if has_rows is None:
        return default_code, default_subject

    def row(column: Any) -> Any:
        return (
            sa.select(column)
            .where(
                lang.c.segment_no == header["no"],
                lang.c.segment_line_no == 0,
                lang.c.language_code == contact_language,
            )
            .scalar_subquery()
        )

    return (
        sa.func.coalesce(row(lang.c.language_code), default_code),
        sa.case(
            (row(lang.c.language_code).is_not(None), row(lang.c.subject)), else_=default_subject
        ),
    )


def line_values(
    session: Any, header: dict, c: Any, line_no: Any, campaign_no: Any = None
) -> dict[str, Any]:
    """Column → SQL expression of new lines for the contacts of alias ``c`` (§5.3 InitLine).

    :param line_no: the expression numbering the lines (last + 10000 × row number).
    :param campaign_no: overrides the header's campaign (Reuse Logged Segment).
    """

    def lit(value: Any, column: str) -> Any:
        return sa.literal(value, L.c[column].type)

    language, subject = _language(session, header, c.c.language_code)
    salesperson = (
        lit(header["salesperson_code"], "salesperson_code")
        if header["salesperson_code"]
        else c.c.salesperson_code
    )
    values: dict[str, Any] = {
        "segment_no": lit(header["no"], "segment_no"),
        "line_no": line_no,
        "contact_no": c.c.no,
        "contact_company_no": company_of(c),
        "contact_alt_address_code": active_alt_address(session, c.c.no, header["date"]),
        "salesperson_code": salesperson,
        "correspondence_type": correspondence_type(header, c.c.correspondence_type),
        "language_code": language,
        "subject": subject,
        "evaluation": sa.literal("", sa.String()),
        "interaction_successful": sa.true(),
        "contact_via": sa.literal("", sa.String()),
        "document_type": sa.literal("", sa.String()),
        "document_no": sa.literal("", sa.String()),
    }
    for head, col in model.HEADER_TO_LINE.items():
        if col not in values:
            values[col] = lit(header[head], col)
    if campaign_no is not None:
        values["campaign_no"] = campaign_no
    return values


def grouped_order(c: Any) -> list[Any]:
    """BC's insertion order: Company Name, Company No., Type, Name (§5.5.1), then No."""
    return [c.c.company_name, company_of(c), c.c.type, c.c.name, c.c.no]


def next_line_no(session: Any, segment_no: str) -> int:
    """The last line no. of a segment (0 when it has none), counting line numbers its Segment
    History still refers to (§5.5.3).

    BC takes the last existing line; a number freed by a removal could then be given to a new
    line while the history of an earlier action still names it, and Go Back would delete or
    renumber the wrong line (issue #14). Skipping those numbers keeps every Go Back exact.
    """
    h = model.history
    lines = sa.select(sa.func.max(L.c.line_no)).where(L.c.segment_no == segment_no)
    history = sa.select(sa.func.max(h.c.segment_line_no)).where(h.c.segment_no == segment_no)
    row = session.execute(
        sa.select(
            sa.func.coalesce(lines.scalar_subquery(), 0),
            sa.func.coalesce(history.scalar_subquery(), 0),
        )
    ).one()
    return max(row[0], row[1])


def insert_lines(
    session: Any,
    header: dict,
    c: Any,
    where: Any,
    order_by: list[Any],
    campaign_no: Any = None,
    from_: Any = None,
) -> tuple[int, int]:
    """Insert one initialised line per contact of ``c`` matching ``where``, in one statement.

    :returns: ``(last line no. before, rows inserted)``.
    """
    from relcore import entities

    last = next_line_no(session, header["no"])
    number = sa.literal(last) + sa.literal(LINE_STEP) * sa.func.row_number().over(order_by=order_by)
    values = line_values(session, header, c, number, campaign_no)
    select = sa.select(*values.values()).select_from(from_ if from_ is not None else c)
    select = select.where(where)
    try:
        count = entities.insert_from_select(session, "segments.line", list(values), select)
    except sa.exc.DataError as exc:  # PostgreSQL: a line number beyond the 32-bit column
        if "out of range" not in str(exc.orig):
            raise
        count = None
    if count is None or last + LINE_STEP * count > MAX_LINE_NO:  # SQLite stores 64 bits
        raise ValidationError(
            f"the new lines would be numbered beyond {MAX_LINE_NO} (lines are numbered "
            f"{LINE_STEP} apart in a 32-bit Line No., as in BC): at most "
            f"{(MAX_LINE_NO - last) // LINE_STEP} more lines fit; split the segment",
            entity="Segment",
            key=header["no"],
            field="line_no",
        )
    return last, count
