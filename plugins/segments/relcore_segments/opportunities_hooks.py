"""The segments plugin's answers to the hooks the opportunities plugin publishes (§6.4.2), an
optional integration: what an opportunity's Segment No. copies and checks, and a campaign's
segments for BC's ``SetDefaultSegmentNo``. Never imports opportunities."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore_segments import model

H = model.header


def segments(session: Any, segment_nos: list[str]) -> dict[str, dict]:
    """Segment no. → ``{"description", "campaign_no"}`` of the headers that exist (one query)."""
    rows = session.execute(
        sa.select(H.c.no, H.c.description, H.c.campaign_no).where(H.c.no.in_(segment_nos))
    ).all()
    return {r.no: {"description": r.description, "campaign_no": r.campaign_no} for r in rows}


def campaign_segments(session: Any, campaign_nos: list[str]) -> dict[str, list[str]]:
    """Campaign no. → the nos. of the segment headers with that campaign, in order (one query;
    campaigns without segments are left out)."""
    out: dict[str, list[str]] = {}
    rows = session.execute(
        sa.select(H.c.campaign_no, H.c.no)
        .where(H.c.campaign_no.in_(campaign_nos))
        .order_by(H.c.campaign_no, H.c.no)
    )
    for campaign_no, no in rows:
        out.setdefault(campaign_no, []).append(no)
    return out
