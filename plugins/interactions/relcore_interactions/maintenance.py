"""Maintaining interaction log entries (§4.8): cancel, un-cancel, delete canceled, evaluate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from relcore.app import app_of
from relcore.errors import NotFoundError, ValidationError
from relcore.interactions import EVALUATIONS
from relcore_interactions import attachments
from relcore_interactions.model import log_comment, log_entry

E = log_entry.c


def _rows(session: Any, entry_nos: Iterable[int]) -> list[dict]:
    nos = sorted({int(n) for n in entry_nos})
    if not nos:
        raise ValidationError("name at least one entry", entity="Interaction Log Entry")
    rows = [
        dict(r._mapping)
        for r in session.execute(
            sa.select(log_entry).where(E.entry_no.in_(nos)).order_by(E.entry_no)
        )
    ]
    found = {r["entry_no"] for r in rows}
    for no in nos:
        if no not in found:
            raise NotFoundError("does not exist", entity="Interaction Log Entry", key=no)
    return rows


def cancel(
    session: Any, entry_nos: Iterable[int], *, remove_unique_attachments: bool = False
) -> dict:
    """Cancel entries (excluded from all statistics from now on).

    :param remove_unique_attachments: also remove attachments no other entry uses (BC asks).
    :returns: ``{"canceled": [...], "attachments_removed": n}``.
    """
    rows = _rows(session, entry_nos)
    nos = [r["entry_no"] for r in rows]
    app_of(session).pm.hook.relcore_interactions_canceled(
        session=session, entries=rows, canceled=True
    )
    session.execute(sa.update(log_entry).where(E.entry_no.in_(nos)).values(canceled=True))
    removed = 0
    if remove_unique_attachments:
        att = {r["attachment_no"] for r in rows} - {None}
        unique = attachments.unique_nos(session, att, except_entries=nos)
        # only those used by these entries alone
        if unique:
            session.execute(
                sa.update(log_entry).where(E.attachment_no.in_(unique)).values(attachment_no=None)
            )
            removed = attachments.delete(session, unique)
    return {"canceled": nos, "attachments_removed": removed}


def uncancel(session: Any, entry_nos: Iterable[int]) -> dict:
    """Un-cancel entries; refused (by the owning plugins) when their logged segment or campaign
    entry is canceled (§4.8)."""
    rows = _rows(session, entry_nos)
    app_of(session).pm.hook.relcore_interactions_check_uncancel(session=session, entries=rows)
    app_of(session).pm.hook.relcore_interactions_canceled(
        session=session, entries=rows, canceled=False
    )
    nos = [r["entry_no"] for r in rows]
    session.execute(sa.update(log_entry).where(E.entry_no.in_(nos)).values(canceled=False))
    return {"uncanceled": nos}


def evaluate(session: Any, entry_nos: Iterable[int], evaluation: str) -> dict:
    """Set the Evaluation of entries (Very Positive … Very Negative, §4.8)."""
    if evaluation not in EVALUATIONS:
        raise ValidationError(
            f"{evaluation!r} is not one of: {', '.join(repr(e) for e in EVALUATIONS)}",
            entity="Interaction Log Entry",
            field="evaluation",
        )
    nos = [r["entry_no"] for r in _rows(session, entry_nos)]
    session.execute(sa.update(log_entry).where(E.entry_no.in_(nos)).values(evaluation=evaluation))
    return {"evaluated": nos, "evaluation": evaluation}


def delete_canceled(
    session: Any,
    entry_nos: Iterable[int] | None = None,
    *,
    contact_no: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    campaign_no: str | None = None,
    group_code: str | None = None,
    template_code: str | None = None,
    salesperson_code: str | None = None,
) -> int:
    """Like :func:`delete_canceled_entries`; returns how many were deleted."""
    return len(
        delete_canceled_entries(
            session,
            entry_nos=entry_nos,
            contact_no=contact_no,
            date_from=date_from,
            date_to=date_to,
            campaign_no=campaign_no,
            group_code=group_code,
            template_code=template_code,
            salesperson_code=salesperson_code,
        )
    )


def delete_canceled_entries(
    session: Any,
    *,
    entry_nos: Iterable[int] | None = None,
    contact_no: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    campaign_no: str | None = None,
    group_code: str | None = None,
    template_code: str | None = None,
    salesperson_code: str | None = None,
) -> list[int]:
    """Delete **canceled** entries matching the filters (BC report 5190, §4.8), with their comment
    lines and unique attachments; returns the entry numbers deleted."""
    where = [E.canceled == sa.true()]
    if entry_nos is not None:
        where.append(E.entry_no.in_([int(n) for n in entry_nos]))
    for col, value in (
        (E.contact_no, contact_no),
        (E.campaign_no, campaign_no),
        (E.interaction_group_code, group_code),
        (E.interaction_template_code, template_code),
        (E.salesperson_code, salesperson_code),
    ):
        if value:
            where.append(col == value.upper())
    if date_from:
        where.append(E.date >= date_from)
    if date_to:
        where.append(E.date <= date_to)
    rows = [dict(r._mapping) for r in session.execute(sa.select(log_entry).where(*where))]
    if not rows:
        return []
    nos = [r["entry_no"] for r in rows]
    att = {r["attachment_no"] for r in rows} - {None}
    session.execute(sa.delete(log_comment).where(log_comment.c.entry_no.in_(nos)))
    session.execute(sa.delete(log_entry).where(E.entry_no.in_(nos)))
    attachments.delete(session, attachments.unique_nos(session, att))
    app_of(session).pm.hook.relcore_interactions_deleted(session=session, entries=rows)
    return nos
