"""Campaign entries (Campaign Entry 5072, §8.3): created while interactions with a campaign no.
are logged, the Canceled toggle, and report 5189 "Delete Campaign Entries".

One campaign entry per (Campaign No., Segment No., Document Type) — an existing one is reused
(``SegManagement.GetCampaignEntryNo``); every logged interaction with a campaign no. (and not
postponed) gets its Campaign Entry No. Everything is set-based: one ``UPDATE`` of the
interaction log per campaign entry, never one per interaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import ValidationError
from relcore_campaigns import model

CE = model.entry

INTERACTIONS_DESCRIPTION = "Interactions"
"""Description of a campaign entry for single interactions without a document type (§8.3)."""

DOCUMENT_CAPTIONS = {
    "sales_qte": "Sales Quotes",
    "sales_blnkt_ord": "Sales Blanket Orders",
    "sales_ord_cnfrmn": "Sales Order Confirmations",
    "sales_inv": "Sales Invoices",
    "sales_shpt_note": "Sales Shipment Notes",
    "sales_cr_memo": "Sales Credit Memos",
    "sales_stmnt": "Sales Statements",
    "sales_rmdr": "Sales Reminders",
    "purch_qte": "Purchase Quotes",
    "purch_ord": "Purchase Orders",
    "purch_inv": "Purchase Invoices",
    "cover_sheet": "Cover Sheets",
    "email": "E-Mails",
    "phone_call": "Phone Calls",
}
"""Interaction Template Setup captions of document types: the description of a campaign entry
created by document logging (§8.3)."""


def _log_entry() -> sa.Table:
    from relcore_interactions.api import log_entry_table

    return log_entry_table


def _user() -> str:
    from relcore_interactions.api import current_user

    return current_user()


def next_entry_nos(session: Any, n: int) -> list[int]:
    """``n`` ascending campaign entry numbers (Entry No. = last + 1, §8.3)."""
    from relcore.ledger import next_entry_nos as _next

    return _next(session, CE, n)


def document_caption(document_type: str) -> str:
    """The description of a campaign entry for a document type, or "Interactions" (§8.3)."""
    if not document_type:
        return INTERACTIONS_DESCRIPTION
    return DOCUMENT_CAPTIONS.get(document_type, document_type.replace("_", " ").title())


def _get_or_create(session: Any, wanted: list[dict]) -> dict[tuple[str, str, str], int]:
    """The campaign entry no. of each (campaign no., segment no., document type) in ``wanted``:
    an existing one is reused, the others are inserted in one statement (§8.3
    ``GetCampaignEntryNo``). Each item of ``wanted`` holds the key fields plus the fields of a
    new entry (``description``, ``date``, ``salesperson_code``, ``register_no``)."""
    keys = list(
        dict.fromkeys((w["campaign_no"], w["segment_no"], w["document_type"]) for w in wanted)
    )
    found: dict[tuple[str, str, str], int] = {}
    campaigns = sorted({k[0] for k in keys})
    rows = session.execute(
        sa.select(CE.c.entry_no, CE.c.campaign_no, CE.c.segment_no, CE.c.document_type)
        .where(CE.c.campaign_no.in_(campaigns))
        .order_by(CE.c.entry_no)
    )
    for r in rows:
        found.setdefault((r.campaign_no, r.segment_no, r.document_type), r.entry_no)
    new = []
    seen = set()
    for w in wanted:
        key = (w["campaign_no"], w["segment_no"], w["document_type"])
        if key in found or key in seen:
            continue
        seen.add(key)
        new.append(w)
    if new:
        user = _user()
        rows = []
        for w, no in zip(new, next_entry_nos(session, len(new)), strict=True):
            rows.append(
                {
                    "entry_no": no,
                    "campaign_no": w["campaign_no"],
                    "description": (w.get("description") or "")[:100],
                    "date": w.get("date"),
                    "user_id": user,
                    "segment_no": w["segment_no"],
                    "canceled": False,
                    "salesperson_code": w.get("salesperson_code"),
                    "register_no": w.get("register_no"),
                    "document_type": w["document_type"],
                }
            )
            found[(w["campaign_no"], w["segment_no"], w["document_type"])] = no
        entities.insert(session, "campaigns.entry", rows)
    return found


def on_segments_logged(session: Any, logged_segments: list[dict]) -> None:
    """Campaign entries for logged segments (§5.6 step 4, §8.3; vector CA12): one per campaign
    (and document type) of each logged segment's interaction entries, reused when the segment
    already has one; the entries get its number. One aggregate query, one ``UPDATE`` per
    campaign entry."""
    if not logged_segments:
        return
    e = _log_entry()
    by_no = {ls["entry_no"]: ls for ls in logged_segments}
    groups = session.execute(
        sa.select(
            e.c.logged_segment_entry_no,
            e.c.campaign_no,
            e.c.document_type,
            sa.func.min(e.c.entry_no).label("first_entry_no"),
        )
        .where(
            e.c.logged_segment_entry_no.in_(list(by_no)),
            e.c.campaign_no.is_not(None),
            e.c.campaign_entry_no.is_(None),
            e.c.postponed.is_(False),
        )
        .group_by(e.c.logged_segment_entry_no, e.c.campaign_no, e.c.document_type)
    ).all()
    if not groups:
        return
    firsts = {
        r.entry_no: r
        for r in session.execute(
            sa.select(e.c.entry_no, e.c.date, e.c.salesperson_code, e.c.segment_no).where(
                e.c.entry_no.in_([g.first_entry_no for g in groups])
            )
        )
    }
    wanted = []
    for g in groups:
        logged = by_no[g.logged_segment_entry_no]
        first = firsts[g.first_entry_no]
        wanted.append(
            {
                "campaign_no": g.campaign_no,
                "segment_no": logged.get("segment_no") or first.segment_no or "",
                "document_type": g.document_type or "",
                "description": logged.get("description") or "",
                "date": first.date,
                "salesperson_code": first.salesperson_code,
                "register_no": g.logged_segment_entry_no,
                "_group": g,
            }
        )
    numbers = _get_or_create(session, wanted)
    for w in wanted:
        g = w["_group"]
        session.execute(
            sa.update(e)
            .where(
                e.c.logged_segment_entry_no == g.logged_segment_entry_no,
                e.c.campaign_no == g.campaign_no,
                e.c.document_type == g.document_type,
                e.c.campaign_entry_no.is_(None),
                e.c.postponed.is_(False),
            )
            .values(
                campaign_entry_no=numbers[(w["campaign_no"], w["segment_no"], w["document_type"])]
            )
        )


def _field(entry: Any, name: str) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(name)
    mapping = getattr(entry, "_mapping", None)
    if mapping is not None:
        return mapping.get(name)
    return getattr(entry, name, None)


def on_interactions_logged(session: Any, entries: list[Any]) -> None:
    """Campaign entries for single interactions and documents (§4.5, §8.3): entries with a
    campaign no., not postponed, not from a segment log (those are handled per logged segment)
    and without a campaign entry get one per (campaign, segment no., document type)."""
    todo = [
        entry
        for entry in entries
        if _field(entry, "campaign_no")
        and not _field(entry, "postponed")
        and _field(entry, "logged_segment_entry_no") is None
        and _field(entry, "campaign_entry_no") is None
    ]
    if not todo:
        return
    wanted = []
    for entry in todo:
        document_type = _field(entry, "document_type") or ""
        wanted.append(
            {
                "campaign_no": _field(entry, "campaign_no"),
                "segment_no": _field(entry, "segment_no") or "",
                "document_type": document_type,
                "description": document_caption(document_type),
                "date": _field(entry, "date"),
                "salesperson_code": _field(entry, "salesperson_code"),
                "register_no": None,
            }
        )
    numbers = _get_or_create(session, wanted)
    by_number: dict[int, list[int]] = {}
    for entry, w in zip(todo, wanted, strict=True):
        no = numbers[(w["campaign_no"], w["segment_no"], w["document_type"])]
        by_number.setdefault(no, []).append(_field(entry, "entry_no"))
        if isinstance(entry, dict):
            entry["campaign_entry_no"] = no
    e = _log_entry()
    for no, entry_nos in by_number.items():
        session.execute(
            sa.update(e).where(e.c.entry_no.in_(entry_nos)).values(campaign_entry_no=no)
        )


def get_entry(session: Any, entry_no: int) -> dict:
    """The campaign entry row, or :class:`NotFoundError` naming it."""
    return entities.get(session, "campaigns.entry", int(entry_no))


def toggle_canceled(session: Any, entry_no: int) -> dict:
    """Switch Check Mark in Canceled (§8.3 ``ToggleCanceledCheckmark``; vector CA13): the
    campaign entry and all its interaction log entries.

    :returns: the entry with its new ``canceled`` value.
    """
    row = get_entry(session, entry_no)
    canceled = not row["canceled"]
    entities.update(session, "campaigns.entry", row["entry_no"], {"canceled": canceled})
    e = _log_entry()
    session.execute(
        sa.update(e)
        .where(e.c.campaign_no == row["campaign_no"], e.c.campaign_entry_no == row["entry_no"])
        .values(canceled=canceled)
    )
    return {**row, "canceled": canceled}


def on_logged_segments_canceled(session: Any, entry_nos: list[int], canceled: bool) -> None:
    """A logged segment's Canceled mark was switched: so are its campaign entries (Register
    No. = the logged segment, §5.7, §8.3)."""
    if entry_nos:
        entities.update_where(
            session,
            "campaigns.entry",
            CE.c.register_no.in_(list(entry_nos)),
            {"canceled": canceled},
        )


def on_logged_segments_deleted(session: Any, entry_nos: list[int]) -> None:
    """Logged segments are deleted (report 5191): their campaign entries lose the Register No.
    (BC's 0 is ``NULL`` here) and stay."""
    if entry_nos:
        session.execute(
            sa.update(CE).where(CE.c.register_no.in_(list(entry_nos))).values(register_no=None)
        )


def check_uncancel(session: Any, entries: list[dict]) -> None:
    """Refuse un-cancelling interaction entries whose campaign entry is canceled (§4.8)."""
    nos = {e.get("campaign_entry_no") for e in entries} - {None}
    if not nos:
        return
    row = session.execute(
        sa.select(CE.c.entry_no)
        .where(CE.c.entry_no.in_(nos), CE.c.canceled.is_(True))
        .order_by(CE.c.entry_no)
        .limit(1)
    ).first()
    if row is not None:
        raise ValidationError(
            "is canceled: switch the Canceled mark of the campaign entry instead",
            entity="Campaign Entry",
            key=row.entry_no,
        )


def list_entries(session: Any, campaign_no: str) -> list[dict]:
    """The campaign's entries with their FlowFields No. of Interactions, Cost (LCY), Duration
    (Min.) — over the interaction entries with this campaign entry no. and the same Canceled
    value as the entry (§8.3) — in one aggregate query."""
    from relcore_campaigns.campaigns import get_campaign

    no = get_campaign(session, campaign_no)["no"]
    e = _log_entry()
    joined = CE.outerjoin(
        e,
        sa.and_(e.c.campaign_entry_no == CE.c.entry_no, e.c.canceled == CE.c.canceled),
    )
    stmt = (
        sa.select(
            CE.c.entry_no,
            CE.c.campaign_no,
            CE.c.description,
            CE.c.date,
            CE.c.user_id,
            CE.c.segment_no,
            CE.c.register_no,
            CE.c.document_type,
            CE.c.salesperson_code,
            CE.c.canceled,
            sa.func.count(e.c.entry_no).label("no_of_interactions"),
            sa.func.coalesce(sa.func.sum(e.c.cost), 0).label("cost"),
            sa.func.coalesce(sa.func.sum(e.c.duration), 0).label("duration"),
        )
        .select_from(joined)
        .where(CE.c.campaign_no == no)
        .group_by(
            *(
                CE.c[name]
                for name in (
                    "entry_no",
                    "campaign_no",
                    "description",
                    "date",
                    "user_id",
                    "segment_no",
                    "register_no",
                    "document_type",
                    "salesperson_code",
                    "canceled",
                )
            )
        )
        .order_by(CE.c.entry_no)
    )
    from relcore_campaigns.statistics import money

    out = []
    for r in session.execute(stmt):
        row = dict(r._mapping)
        row["cost"] = money(row["cost"])
        row["duration"] = money(row["duration"])
        out.append(row)
    return out


def delete_canceled(session: Any, campaign_no: str | None = None) -> dict:
    """Report 5189 "Delete Campaign Entries": delete canceled campaign entries (of one campaign,
    or all) and with them their canceled interaction log entries (through the interactions
    plugin's delete, so comment lines, attachments and target groups follow).

    :returns: ``{"campaign_entries": [entry_no, ...], "interactions": n}`` (the deleted campaign
        entry nos. and the number of interaction log entries deleted with them).
    """
    where = [CE.c.canceled.is_(True)]
    if campaign_no:
        from relcore_campaigns.campaigns import get_campaign

        where.append(CE.c.campaign_no == get_campaign(session, campaign_no)["no"])
    nos = list(session.execute(sa.select(CE.c.entry_no).where(*where)).scalars())
    if not nos:
        return {"campaign_entries": [], "interactions": 0}
    e = _log_entry()
    ile_nos = list(
        session.execute(
            sa.select(e.c.entry_no).where(e.c.campaign_entry_no.in_(nos), e.c.canceled.is_(True))
        ).scalars()
    )
    deleted = 0
    if ile_nos:
        from relcore_interactions.api import delete_canceled as delete_interactions

        deleted = delete_interactions(session, ile_nos)
    session.execute(sa.delete(CE).where(CE.c.entry_no.in_(nos)))
    return {"campaign_entries": nos, "interactions": deleted}
