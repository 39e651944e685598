"""What an opportunity refers to in other plugins, checked through their hooks and APIs only:
contacts and salespeople (contacts' API), campaigns and segments (interactions' veto hooks and
opportunities' own hooks, implemented by the campaigns and segments plugins when they are
installed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from relcore.app import app_of
from relcore.errors import ValidationError


def _implemented(session: Any, hook_name: str) -> Any:
    """The hook caller when at least one plugin implements it, else ``None``."""
    caller = getattr(app_of(session).pm.hook, hook_name, None)
    if caller is None or not caller.get_hookimpls():
        return None
    return caller


def check_salesperson(session: Any, code: str, key: Any = None) -> None:
    """The salesperson must exist, not be privacy blocked and not be blocked (§6.4)."""
    from relcore_contacts.api import ensure_salesperson_usable

    row = ensure_salesperson_usable(session, code)
    if row.get("blocked"):
        raise ValidationError(
            f"Salesperson {code} is blocked",
            entity="Opportunity",
            key=key,
            field="salesperson_code",
        )


def _veto(session: Any, kind: str, nos: list[str], key: Any) -> None:
    """Ask the plugin that owns ``kind`` records (its ``relcore_interactions_check_<kind>s``
    implementation) to refuse unknown numbers; refused outright without such a plugin."""
    wanted = sorted({n for n in nos if n})
    if not wanted:
        return
    caller = _implemented(session, f"relcore_interactions_check_{kind}s")
    if caller is None:
        raise ValidationError(
            f"{kind} {wanted[0]} cannot be checked: no {kind}s plugin is installed",
            entity="Opportunity",
            key=key,
            field=f"{kind}_no",
        )
    caller(session=session, **{f"{kind}_nos": wanted})


def check_campaigns(
    session: Any, campaign_nos: list[str], creation_date: dt.date, key: Any = None
) -> None:
    """Campaign numbers are checked by the campaigns plugin: existence
    (``relcore_interactions_check_campaigns``; without it installed a campaign no. is refused),
    then BC's ``CheckCampaign`` — period and Activated
    (``relcore_opportunities_check_campaigns``; §6.4.2, §9.5 item 2, OP24)."""
    _veto(session, "campaign", campaign_nos, key)
    wanted = sorted({n.strip().upper() for n in campaign_nos if n and n.strip()})
    caller = _implemented(session, "relcore_opportunities_check_campaigns")
    if wanted and caller is not None:
        caller(session=session, campaign_nos=wanted, creation_date=creation_date)


def check_segments(session: Any, segment_nos: list[str], key: Any = None) -> None:
    """Segment numbers are checked by the segments plugin (``relcore_interactions_check_segments``);
    without it installed a segment no. is refused."""
    _veto(session, "segment", segment_nos, key)


def _segment_headers(session: Any, segment_nos: list[str]) -> dict[str, dict]:
    caller = _implemented(session, "relcore_opportunities_segments")
    found = None if caller is None else caller(session=session, segment_nos=segment_nos)
    return found or {}


def segment_fields(
    session: Any,
    segment_no: str | None,
    campaign_no: str | None,
    key: Any = None,
    *,
    check_campaign: bool = True,
) -> dict:
    """§6.4.2 Segment No. validate: ``{"segment_no", "segment_description"}`` of the
    opportunity. A segment no. must exist (``relcore_interactions_check_segments``); with
    ``check_campaign`` and a ``campaign_no``, a segment that has a campaign must have that one
    (BC ``CheckSegmentCampaignNo``, a TestField on the Segment Header); the Segment Description
    is the segment's description (``relcore_opportunities_segments``), blank without a segment."""
    if not segment_no:
        return {"segment_no": None, "segment_description": ""}
    check_segments(session, [segment_no], key)
    header = _segment_headers(session, [segment_no]).get(segment_no) or {}
    own = header.get("campaign_no") or None
    if check_campaign and campaign_no and own and own != campaign_no:
        raise ValidationError(
            f"Campaign No. must be equal to '{campaign_no}' in Segment Header: "
            f"No.={segment_no}. Current value is '{own}'.",
            entity="Opportunity",
            key=key,
            field="segment_no",
        )
    return {"segment_no": segment_no, "segment_description": header.get("description") or ""}


def default_segment_fields(session: Any, campaign_no: str | None, key: Any = None) -> dict:
    """BC ``SetDefaultSegmentNo`` (§6.4.2, when an opportunity's campaign changes): the only
    segment of the campaign when it has exactly one (``relcore_opportunities_campaign_segments``),
    else blank — with its Segment Description."""
    segment = None
    caller = _implemented(session, "relcore_opportunities_campaign_segments")
    if campaign_no and caller is not None:
        found = caller(session=session, campaign_nos=[campaign_no]) or {}
        nos = found.get(campaign_no) or []
        segment = nos[0] if len(nos) == 1 else None
    return segment_fields(session, segment, campaign_no, key)


def segment_lines(session: Any, segment_no: str) -> sa.Select:
    """A SELECT of the segment's lines (``line_no, contact_no, contact_company_no,
    salesperson_code, campaign_no``), from ``relcore_interactions_segment_lines``."""
    check_segments(session, [segment_no])
    caller = _implemented(session, "relcore_interactions_segment_lines")
    select = None if caller is None else caller(session=session, segment_no=segment_no)
    if select is None:
        raise ValidationError(
            f"the lines of segment {segment_no} cannot be read: no segments plugin is installed",
            entity="Opportunity",
            field="segment_no",
        )
    return select


def document_value(session: Any, opp: dict) -> Decimal | None:
    """The value of the opportunity's external sales document, or ``None`` without one (§6.10):
    an ERP connector's answer (``relcore_opportunities_sales_document_value``) or the value
    entered with the link."""
    if not opp.get("sales_document_no"):
        return None
    caller = _implemented(session, "relcore_opportunities_sales_document_value")
    if caller is not None:
        value = caller(
            session=session,
            document_type=opp["sales_document_type"],
            document_no=opp["sales_document_no"],
        )
        if value is not None:
            return Decimal(value)
    return Decimal(opp.get("sales_document_value") or 0)


def quote_value(session: Any, opp: dict) -> Decimal | None:
    """The linked sales quote's value, or ``None`` when no quote is linked (§6.6, §6.8)."""
    if opp.get("sales_document_type") != "quote":
        return None
    return document_value(session, opp)
