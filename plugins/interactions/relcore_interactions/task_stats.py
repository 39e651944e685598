"""Task statistics per salesperson, team or contact (§7, issue #16 item 8): open tasks, overdue
tasks (open with a date before Today) and tasks completed in a period (by Date Closed; canceled
tasks are not "completed")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from relcore_interactions import tasks
from relcore_interactions.tasks_model import task

T = task.c


def statistics(
    session: Any,
    *,
    salesperson_code: str | None = None,
    team_code: str | None = None,
    contact_no: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict:
    """``{"open", "overdue", "completed", "canceled", "today"}`` in one query.

    :param salesperson_code: tasks the salesperson sees (own, their teams', attended).
    :param contact_no: a company includes its persons' tasks.
    :param date_from: / ``date_to``: the period of ``completed`` and ``canceled`` (Date Closed).
    """
    where: list[Any] = []
    if salesperson_code:
        where.append(tasks.visible_to_salesperson(salesperson_code))
    if team_code:
        where.append(T.team_code == team_code.strip().upper())
    if contact_no:
        no = contact_no.strip().upper()
        where.append(sa.or_(T.contact_no == no, T.contact_company_no == no))
    today = tasks.today(session)
    in_period = sa.true()
    if date_from:
        in_period = sa.and_(in_period, T.date_closed >= date_from)
    if date_to:
        in_period = sa.and_(in_period, T.date_closed <= date_to)

    def count(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    open_ = T.closed.is_(False)
    row = session.execute(
        sa.select(
            count(open_).label("open"),
            count(sa.and_(open_, T.date < today)).label("overdue"),
            count(sa.and_(T.closed.is_(True), T.canceled.is_(False), in_period)).label("completed"),
            count(sa.and_(T.canceled.is_(True), in_period)).label("canceled"),
        ).where(*where)
    ).one()
    return {
        "open": int(row.open),
        "overdue": int(row.overdue),
        "completed": int(row.completed),
        "canceled": int(row.canceled),
        "today": today,
    }
