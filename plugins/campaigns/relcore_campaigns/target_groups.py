"""Campaign target groups: activating and deactivating a campaign and keeping its target group
current (``Campaign Target Group Mgt.``, §8.4, §8.5).

The sources of a target group are the segment lines with the campaign no. and Campaign Target,
and the interaction log entries with the campaign no. and Campaign Target that are not postponed
(canceled ones count: §9.5 item 12, reproduced). Each source's company (the line's Contact
Company No., or the contact itself when it has no company) becomes a **Customer** row when the
company is linked with a customer, else a **Contact** row (the add rule, §8.5 step 4).

Everything is set-based: activation is one ``INSERT … SELECT`` per source, whatever the size of
the segment. While a campaign is activated, every change of a source re-derives the rows of the
companies it touches (:func:`resync`) — so a row leaves the target group exactly when its last
source goes, for persons too (BC's removal looks a person's row up by the wrong number and never
removes it: §9.5 item 11, deliberately fixed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.db import one_of
from relcore.errors import ValidationError
from relcore_campaigns import model

TG = model.target_group

NO_PRICES_QUESTION = (
    "There are no Sales Prices or Sales Line Discounts currently linked to this Campaign. "
    "Do you still want to activate?"
)
"""BC's confirmation when a campaign without price lines is activated (§8.5 step 1, CA9)."""
NOTHING_TO_ACTIVATE = (
    "To activate the sales prices and/or line discounts, you must apply the relevant Segment "
    "Line(s) to the Campaign and place a check mark in the Campaign Target field on the Segment "
    "Line."
)
"""BC's error when no segment line or interaction entry is a campaign target (§8.5, CA10)."""
ACTIVATED = "Campaign {} is now activated."
DEACTIVATED = "Campaign {} is now deactivated."


def _tables() -> tuple[sa.Table, sa.Table, sa.Table]:
    from relcore_contacts.api import business_relation_table
    from relcore_interactions.api import log_entry_table
    from relcore_segments.api import line_table

    return line_table, log_entry_table, business_relation_table


def _insert_from(
    session: Any,
    campaign_nos: list[str],
    company_nos: list[str] | None,
    segment_nos: list[str] | None = None,
) -> int:
    """Add the target-group rows of these campaigns' sources (one ``INSERT … SELECT`` per
    source; rows already there are left alone — BC's insert ignores duplicates)."""
    _, _, rel = _tables()
    dialect = session.dialect.name
    inserted = 0
    sources = _source_selects(campaign_nos, company_nos, dialect)
    if segment_nos is not None:  # only the lines of these segments
        line, _, _ = _tables()
        (columns, conditions) = sources[0]
        sources = [(columns, [*conditions, one_of(line.c.segment_no, segment_nos, dialect)])]
    for company, conditions in sources:
        src = (
            sa.select(company[0].label("campaign_no"), company[1].label("company_no"))
            .where(*conditions)
            .distinct()
            .subquery("src")
        )
        linked = rel.c.link_no
        kind = sa.case((linked.is_not(None), sa.literal("customer")), else_=sa.literal("contact"))
        no = sa.func.coalesce(linked, src.c.company_no)
        existing = (
            sa.select(sa.literal(1))
            .select_from(TG)
            .where(TG.c.campaign_no == src.c.campaign_no, TG.c.type == kind, TG.c.no == no)
            .exists()
        )
        select = (
            sa.select(kind, no, src.c.campaign_no, src.c.company_no)
            .select_from(
                src.outerjoin(
                    rel,
                    sa.and_(
                        rel.c.contact_no == src.c.company_no,
                        # "|| ''" keeps SQLite (no statistics) on the contact_no key instead of
                        # scanning every customer link per company through the link index
                        rel.c.link_to_table + sa.literal("") == "customer",
                        rel.c.link_no != "",
                    ),
                )
            )
            .where(~existing)
        )
        inserted += entities.insert_from_select(
            session,
            "campaigns.target_group",
            ["type", "no", "campaign_no", "contact_company_no"],
            select,
        )
    return inserted


def _source_selects(
    campaign_nos: list[str], company_nos: list[str] | None, dialect: str
) -> list[tuple[tuple[Any, Any], list[Any]]]:
    """Per source: ((campaign column, company expression), WHERE conditions)."""
    line, log, _ = _tables()
    out = []
    for table, extra in ((line, []), (log, [log.c.postponed.is_(False)])):
        company = sa.func.coalesce(
            sa.func.nullif(table.c.contact_company_no, ""), table.c.contact_no
        )
        conditions = [
            one_of(table.c.campaign_no, campaign_nos, dialect),
            table.c.campaign_target.is_(True),
            *extra,
        ]
        if company_nos is not None:
            conditions.append(one_of(company, company_nos, dialect))
        out.append(((table.c.campaign_no, company), conditions))
    return out


def _has_sources(session: Any, campaign_no: str) -> bool:
    """True when a segment line or interaction entry makes a target of the campaign (§8.5)."""
    for (_, _company), conditions in _source_selects([campaign_no], None, session.dialect.name):
        if session.execute(sa.select(sa.literal(1)).where(*conditions).limit(1)).first():
            return True
    return False


def is_activated(session: Any, campaign_no: str) -> bool:
    """The Activated FlowField: the campaign has target-group rows (§8.1)."""
    return (
        session.execute(
            sa.select(sa.literal(1)).where(TG.c.campaign_no == campaign_no).limit(1)
        ).first()
        is not None
    )


def activate(session: Any, campaign_no: str, confirm: Callable[[str], bool]) -> dict:
    """ActivateCampaign (§8.5): confirm when the campaign has no price lines (No → nothing
    happens, CA9), refuse when no source makes a target (CA10), then add every source's company
    (CA7, CA8) with one ``INSERT … SELECT`` per source.

    :param confirm: asked :data:`NO_PRICES_QUESTION`; returns the answer.
    :returns: ``{"campaign_no", "activated", "inserted", "message"}``.
    """
    from relcore_campaigns.campaigns import get_campaign

    no = get_campaign(session, campaign_no)["no"]
    P = model.price_line
    has_prices = session.execute(
        sa.select(sa.literal(1)).where(P.c.campaign_no == no).limit(1)
    ).first()
    if has_prices is None and not confirm(NO_PRICES_QUESTION):
        return {
            "campaign_no": no,
            "activated": is_activated(session, no),
            "inserted": 0,
            "message": "",
        }
    if not _has_sources(session, no):
        raise ValidationError(NOTHING_TO_ACTIVATE, entity="Campaign", key=no)
    inserted = _insert_from(session, [no], None)
    return {
        "campaign_no": no,
        "activated": True,
        "inserted": inserted,
        "message": ACTIVATED.format(no),
    }


def deactivate(session: Any, campaign_no: str) -> dict:
    """DeactivateCampaign (§8.5; CA11): delete every target-group row of the campaign."""
    from relcore_campaigns.campaigns import get_campaign

    no = get_campaign(session, campaign_no)["no"]
    deleted = session.execute(sa.delete(TG).where(TG.c.campaign_no == no)).rowcount
    return {
        "campaign_no": no,
        "activated": False,
        "deleted": deleted,
        "message": DEACTIVATED.format(no),
    }


def target_groups(session: Any, campaign_no: str) -> list[dict]:
    """The campaign's target group: ``[{"type": "customer"|"contact", "no": ...}]``."""
    from relcore_campaigns.campaigns import get_campaign

    no = get_campaign(session, campaign_no)["no"]
    rows = session.execute(
        sa.select(TG.c.type, TG.c.no, TG.c.contact_company_no)
        .where(TG.c.campaign_no == no)
        .order_by(TG.c.type.desc(), TG.c.no)
    )
    return [dict(r._mapping) for r in rows]


# -- keeping the target group current (§8.5) ------------------------------------------------------


def resync(
    session: Any, company_nos: Iterable[str], campaign_nos: Iterable[str] | None = None
) -> None:
    """Re-derive the target-group rows of these companies in the **activated** campaigns among
    ``campaign_nos`` (``None``: every campaign that has rows for them): delete their rows, then
    add them again from the sources (one statement per source)."""
    companies = sorted({c for c in company_nos if c})
    if not companies:
        return
    dialect = session.dialect.name
    if campaign_nos is None:
        query = sa.select(TG.c.campaign_no).where(
            one_of(TG.c.contact_company_no, companies, dialect)
        )
    else:
        wanted = sorted({c for c in campaign_nos if c})
        if not wanted:
            return
        query = sa.select(TG.c.campaign_no).where(one_of(TG.c.campaign_no, wanted, dialect))
    active = sorted(set(session.execute(query.distinct()).scalars()))
    if not active:
        return
    session.execute(
        sa.delete(TG).where(
            one_of(TG.c.campaign_no, active, dialect),
            one_of(TG.c.contact_company_no, companies, dialect),
        )
    )
    _insert_from(session, active, companies)


def _company(row: dict) -> str:
    return row.get("contact_company_no") or row.get("contact_no") or ""


def on_entries(session: Any, entries: list[Any]) -> None:
    """Interaction entries with Campaign Target were created or deleted (§8.5)."""
    from relcore_campaigns.entries import _field

    rows = [
        {
            "campaign_no": _field(e, "campaign_no"),
            "contact_no": _field(e, "contact_no"),
            "contact_company_no": _field(e, "contact_company_no"),
        }
        for e in entries
        if _field(e, "campaign_no") and _field(e, "campaign_target")
    ]
    if rows:
        resync(session, {_company(r) for r in rows}, {r["campaign_no"] for r in rows})


LINE_STATE_KEY = "relcore_campaigns.line_state"


def _line_state(session: Any, keys: list[tuple[str, int]]) -> list[dict]:
    line, _, _ = _tables()
    if not keys:
        return []
    clause = sa.or_(*(sa.and_(line.c.segment_no == s, line.c.line_no == n) for s, n in keys))
    rows = session.execute(
        sa.select(line.c.campaign_no, line.c.contact_no, line.c.contact_company_no).where(clause)
    )
    return [dict(r._mapping) for r in rows]


def before_line_write(session: Any, action: str, rows: list[dict]) -> None:
    """Remember the campaign and company of segment lines about to change (§8.5)."""
    if action == "update":
        keys = [(r["segment_no"], r["line_no"]) for r in rows]
        session.info.setdefault(LINE_STATE_KEY, []).extend(_line_state(session, keys))


def after_line_write(session: Any, action: str, rows: list[dict]) -> None:
    """Segment lines were inserted, changed or deleted: resync the companies they touched in
    their campaigns, before and after the change (§8.5)."""
    touched = list(rows) if action in ("insert", "delete") else []
    if action == "update":
        touched = session.info.pop(LINE_STATE_KEY, [])
        touched += _line_state(session, [(r["segment_no"], r["line_no"]) for r in rows])
    touched = [r for r in touched if r.get("campaign_no")]
    if touched:
        resync(session, {_company(r) for r in touched}, {r["campaign_no"] for r in touched})


def on_links_changed(session: Any, links: list[dict]) -> None:
    """Contacts were linked with or unlinked from customers (``relcore_contacts_links_changed``):
    the rows of the holding companies in every activated campaign are re-derived — Contact rows
    become Customer rows and back (BC ``ConverttoCustomer`` / ``ConverttoContact``, §8.5), also
    for a company whose other relations keep its business-relation summary unchanged. One
    ``DELETE`` and one ``INSERT … SELECT`` per source, whatever the number of links."""
    resync(session, {r["contact_no"] for r in links if r["link_to_table"] == "customer"}, None)


def on_contacts_merged(session: Any, merges: list[tuple[str, str]], dry_run: bool) -> dict:
    """Contact merge (``relcore_contacts_merge``): runs after the plugins below moved the
    segment lines and interactions, so the rows of survivors and duplicates are re-derived.

    :returns: ``{"campaigns_target_group": rows that pointed at a duplicate}``.
    """
    duplicates = [d for _, d in merges]
    if not duplicates:
        return {}
    moved = session.execute(
        sa.select(sa.func.count())
        .select_from(TG)
        .where(one_of(TG.c.contact_company_no, duplicates, session.dialect.name))
    ).scalar_one()
    if not dry_run:
        resync(session, {n for pair in merges for n in pair}, None)
    return {"campaigns_target_group": moved}


def on_contacts_deleted(session: Any, contact_nos: list[str]) -> None:
    """Deleted contacts leave every target group (the rows standing for them)."""
    if contact_nos:
        session.execute(
            sa.delete(TG).where(one_of(TG.c.contact_company_no, contact_nos, session.dialect.name))
        )


def _no_source(campaign: Any, company: Any) -> list[Any]:
    """NOT EXISTS conditions: no segment line and no interaction entry makes ``company`` a
    target of ``campaign`` (each branch served by an index on the company column)."""
    line, log, _ = _tables()
    out = []
    for table, extra in ((line, []), (log, [log.c.postponed.is_(False)])):
        base = [table.c.campaign_no == campaign, table.c.campaign_target.is_(True), *extra]
        out.append(~sa.exists().where(*base, table.c.contact_company_no == company))
        out.append(
            ~sa.exists().where(
                *base,
                sa.func.coalesce(table.c.contact_company_no, "") == "",
                table.c.contact_no == company,
            )
        )
    return out


def on_segment_lines_changed(session: Any, segment_nos: list[str]) -> None:
    """Segment lines changed set-based (criteria actions, Go Back, header propagation, deletion
    and logging, ``relcore_segments_lines_changed``): in every activated campaign, rows whose
    last source is gone are deleted, and the segments' current target lines are added — one
    ``DELETE`` and one ``INSERT … SELECT``."""
    active = sorted(set(session.execute(sa.select(TG.c.campaign_no).distinct()).scalars()))
    if not active:
        return
    session.execute(
        sa.delete(TG).where(
            one_of(TG.c.campaign_no, active, session.dialect.name),
            *_no_source(TG.c.campaign_no, TG.c.contact_company_no),
        )
    )
    _insert_from(session, active, None, list(segment_nos))
