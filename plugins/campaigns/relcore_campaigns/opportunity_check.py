"""The campaign check of an opportunity (BC ``CheckCampaign``, §6.4.2, §9.5 item 2, OP24): the
``relcore_opportunities_check_campaigns`` veto."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from relcore.errors import ValidationError
from relcore_campaigns import model
from relcore_campaigns.target_groups import is_activated

C = model.campaign


def check_for_opportunities(session: Any, campaign_nos: list[str], creation_date: dt.date) -> None:
    """BC ``CheckCampaign`` of an opportunity (§6.4.2, §9.5 item 2, OP24): Starting Date ≤
    Creation Date ≤ Ending Date — a blank Ending Date is 0D and fails, a blank Starting Date
    passes — else a field error; then ``TestField(Activated, true)`` (target-group rows).

    :raises ValidationError: for the first campaign (by no.) that fails.
    """
    wanted = sorted({(n or "").strip().upper() for n in campaign_nos} - {""})
    if not wanted:
        return
    rows = session.execute(
        sa.select(C.c.no, C.c.starting_date, C.c.ending_date).where(C.c.no.in_(wanted))
    ).all()
    for no, starting, ending in sorted(rows):
        if (starting is not None and starting > creation_date) or (
            ending is None or ending < creation_date
        ):
            raise ValidationError(
                f"Campaign No. {no} is not active on the creation date {creation_date.isoformat()}"
                f" (Starting Date {starting or 'blank'}, Ending Date {ending or 'blank'})",
                entity="Opportunity",
                field="campaign_no",
            )
        if not is_activated(session, no):
            raise ValidationError(
                "Activated must be equal to 'Yes'. Current value is 'No'",
                entity="Campaign",
                key=no,
                field="activated",
            )
