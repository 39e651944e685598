"""One task per contact of a segment (§7.4 ``InsertTask`` with a segment filter, TK9), set-based.

The segment's lines come from the segments plugin as a SELECT (hook
``relcore_interactions_segment_lines``); the tasks are written with ONE ``INSERT … SELECT``
whose task numbers are computed in SQL from a block drawn from the number series in one call —
a 100,000-line segment costs a handful of statements, not 100,000 round trips. Checks on the lines
(privacy-blocked contacts, blocked salespeople, missing owners, campaigns) are set-based queries.

Each task gets the line's contact and its company, the line's salesperson and campaign unless the
caller gave them (BC ``SetFilterFromTask``: segment → campaign, salesperson), and the segment no.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import NotFoundError, ValidationError
from relcore.numbering.nos import digit_run
from relcore_interactions import references, task_rules, tasks
from relcore_interactions.tasks_model import comment, task

_SYSTEM = ("system_id", "created_at", "modified_at", "version")
_FROM_LINE = (
    "no",
    "organizer_to_do_no",
    "contact_no",
    "contact_company_no",
    "salesperson_code",
    "campaign_no",
)


def _lines(session: Any, segment_no: str) -> sa.Subquery:
    select = references.segment_lines(session, segment_no)
    if select is None:
        raise NotFoundError("does not exist", entity="Segment", key=segment_no)
    return select.subquery("seg_lines")


def _check_lines(session: Any, lines: sa.Subquery, row: dict, given_owner: bool) -> None:
    """Set-based checks of the segment's contacts and salespeople."""
    from relcore_contacts.api import contact_table as ct
    from relcore_contacts.api import salesperson_table as sp

    blocked = session.execute(
        sa.select(ct.c.no, ct.c.name)
        .join(lines, lines.c.contact_no == ct.c.no)
        .where(ct.c.privacy_blocked.is_(True))
        .order_by(ct.c.no)
        .limit(1)
    ).first()
    if blocked is not None:
        raise ValidationError(
            f"You cannot use contact {blocked.no} {blocked.name} because they are marked as "
            "blocked due to privacy.",
            entity="Contact",
            key=blocked.no,
            field="privacy_blocked",
        )
    if given_owner:
        return
    missing = session.execute(
        sa.select(lines.c.line_no).where(lines.c.salesperson_code.is_(None)).limit(1)
    ).first()
    if missing is not None:
        task_rules.fail(None, "salesperson_code", task_rules.OWNER_ERR)
    bad = session.execute(
        sa.select(sp.c.code)
        .join(lines, lines.c.salesperson_code == sp.c.code)
        .where(sa.or_(sp.c.blocked.is_(True), sp.c.privacy_blocked.is_(True)))
        .limit(1)
    ).first()
    if bad is not None:
        task_rules.fail(None, "salesperson_code", f"salesperson {bad.code} is blocked")


def _number_expr(session: Any, nos: Sequence[str], rn: Any) -> Any:
    """SQL computing the rn-th (1-based) of ``nos`` when they are a plain run (same prefix,
    suffix and width, constant step), else ``None``."""
    first, last = nos[0], nos[-1]
    run_f, run_l = digit_run(first), digit_run(last)
    if run_f is None or run_l is None or run_f != run_l:
        return None
    start, end = run_f
    if first[:start] != last[:start] or first[end:] != last[end:]:
        return None
    a, b = int(first[start:end]), int(last[start:end])
    n = len(nos)
    step = (b - a) // (n - 1) if n > 1 else 1
    if a + step * (n - 1) != b or (n > 1 and nos[1] != _fmt(first, start, end, a + step)):
        return None
    width = end - start
    value = sa.cast(a + (rn - 1) * step, sa.String)
    if session.dialect.name == "postgresql":
        digits = sa.func.lpad(value, width, "0")
    else:
        digits = sa.func.substr(sa.literal("0" * width).concat(value), -width)
    return sa.literal(first[:start]).concat(digits).concat(sa.literal(first[end:]))


def _fmt(template: str, start: int, end: int, value: int) -> str:
    return template[:start] + str(value).zfill(end - start) + template[end:]


def insert_for_segment(session: Any, values: Mapping[str, Any]) -> tuple[str, list[str]] | None:
    """Insert one task per line of ``values["segment_no"]``; ``None`` when it has no lines.

    :returns: ``(segment no, task numbers)``.
    """
    from relcore.numbering import draw_many

    typed = tasks.typed_values({k: v for k, v in values.items() if k != "contact_no"})
    segment_no = typed["segment_no"]
    lines = _lines(session, segment_no)
    n = session.execute(sa.select(sa.func.count()).select_from(lines)).scalar_one()
    if n == 0:
        return None
    given_owner = bool(typed.get("salesperson_code") or typed.get("team_code"))
    row = tasks.defaults(session)
    row.update(typed)
    if not given_owner:  # checked per line below; the template row needs an owner to pass
        row["salesperson_code"] = session.execute(
            sa.select(lines.c.salesperson_code)
            .where(lines.c.salesperson_code.is_not(None))
            .limit(1)
        ).scalar()
    row = task_rules.apply_rules(session, row)
    _check_lines(session, lines, row, given_owner)
    line_campaigns = session.execute(
        sa.select(lines.c.campaign_no).where(lines.c.campaign_no.is_not(None)).distinct()
    ).scalars()
    if not typed.get("campaign_no"):
        references.check_campaigns(session, list(line_campaigns))

    from relcore.app import app_of

    series = app_of(session).setup.get(session, "interactions.to_do_nos")
    if not series:
        raise ValidationError(
            "interactions.to_do_nos must have a value in the setup.", entity="Task"
        )
    nos = draw_many(session, series, n, tasks.today(session)).nos
    tasks._stamp(row)

    rn = sa.func.row_number().over(order_by=lines.c.line_no).label("rn")
    numbered = sa.select(*lines.c, rn).subquery("numbered")
    no_expr = _number_expr(session, nos, numbered.c.rn)
    source: Any = numbered
    if no_expr is None:  # an unusual series format: map line ordinals to numbers in a CTE
        mapping = (
            sa.values(sa.column("rn", sa.Integer), sa.column("task_no", sa.String), name="task_nos")
            .data(list(enumerate(nos, start=1)))
            .cte("task_nos")
        )
        source = numbered.join(mapping, mapping.c.rn == numbered.c.rn)
        no_expr = mapping.c.task_no
    by_line = {
        "no": no_expr,
        "organizer_to_do_no": no_expr,
        "contact_no": numbered.c.contact_no,
        "contact_company_no": sa.func.nullif(numbered.c.contact_company_no, ""),
        "salesperson_code": (
            sa.literal(typed.get("salesperson_code"), task.c.salesperson_code.type)
            if given_owner
            else numbered.c.salesperson_code
        ),
        "campaign_no": sa.func.coalesce(
            sa.literal(typed.get("campaign_no"), task.c.campaign_no.type),
            numbered.c.campaign_no,
            sa.literal(row.get("campaign_no"), task.c.campaign_no.type),
        ),
    }
    columns = [c.name for c in task.c if c.name not in _SYSTEM]
    exprs = [
        by_line[name] if name in _FROM_LINE else sa.literal(row.get(name), task.c[name].type)
        for name in columns
    ]
    select = sa.select(*exprs).select_from(source).order_by(numbered.c.rn)
    entities.insert_from_select(session, tasks.ENTITY, columns, select)
    return segment_no, nos


def _range(nos: Sequence[str]) -> sa.ColumnElement[bool]:
    """The drawn block: a range when the numbers sort as text, else the list."""
    if len(nos[0]) == len(nos[-1]) and nos[0] <= nos[-1]:
        return sa.and_(task.c.no >= nos[0], task.c.no <= nos[-1])
    return task.c.no.in_(list(nos))


def create_for_segment(
    session: Any, values: Mapping[str, Any], *, comments: Sequence[str] = ()
) -> list[dict] | None:
    """One task per segment contact (TK9), with the comment lines copied to each; returns the
    created rows, or ``None`` when the segment has no lines (then a single task is created)."""
    done = insert_for_segment(session, values)
    if done is None:
        return None
    segment_no, nos = done
    where = sa.and_(task.c.segment_no == segment_no, _range(nos))
    day = tasks.today(session)
    for i, text in enumerate(comments):
        if len(text) > 80:
            raise ValidationError("is longer than 80 characters", entity="Task", field="comment")
        session.execute(
            sa.insert(comment).from_select(
                ["to_do_no", "line_no", "date", "code", "comment", "last_date_modified"],
                sa.select(
                    task.c.no,
                    sa.literal(10000 * (i + 1)),
                    sa.literal(day if i == 0 else None, sa.Date),
                    sa.literal(""),
                    sa.literal(text),
                    sa.literal(day, sa.Date),
                ).where(where),
            )
        )
    return [
        dict(r._mapping) for r in session.execute(sa.select(task).where(where).order_by(task.c.no))
    ]
