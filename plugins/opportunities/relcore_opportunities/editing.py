"""Changing the fields of an existing opportunity (§6.4.2 field rules).

Editable: Description, Salesperson Code, Contact No., Campaign No., Segment No., Priority. A
closed (won or lost) opportunity cannot change. A changed salesperson, contact or campaign is
copied to the active entry and to the opportunity's open tasks that carry the old value, meeting
attendee rows included (``relcore_interactions.api.repoint_open_tasks``; BC asks for
confirmation, the shell does it). A changed campaign sets the default Segment No. (BC
``SetDefaultSegmentNo``); a segment must match the campaign and brings its description. The
sales document fields change through ``relcore opportunities document`` only.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import ValidationError
from relcore.fields import coerce_values
from relcore_opportunities import references
from relcore_opportunities.entries import lock_opportunity
from relcore_opportunities.model import entry, opportunity
from relcore_opportunities.updating import check_open

EDITABLE = (
    "description",
    "salesperson_code",
    "contact_no",
    "campaign_no",
    "segment_no",
    "priority",
)
"""The fields ``opportunities edit --set`` may set (§6.4.2)."""
FOLLOWED = ("salesperson_code", "contact_no", "campaign_no")
"""Fields the active entry and the open tasks follow (§6.4.2)."""
DOCUMENT_FIELDS = ("sales_document_type", "sales_document_no", "sales_document_value")
"""Set by ``relcore opportunities document`` (one code path for the link and its checks)."""
LABEL = "Opportunity"


def _fail(message: str, key: Any, field: str) -> None:
    raise ValidationError(message, entity=LABEL, key=key, field=field)


def _contact(session: Any, opp: dict, contact_no: str) -> str | None:
    """§6.4.2 Contact No. validate: the contact must exist and be usable; on an opportunity
    that has started, the new contact must belong to the same company. Returns the new
    Contact Company No."""
    from relcore_contacts.api import ensure_usable

    contact = ensure_usable(session, [contact_no])[contact_no]
    company = contact["no"] if contact["type"] == "company" else (contact["company_no"] or None)
    if opp["status"] != "not_started" and (company or None) != (opp["contact_company_no"] or None):
        name = " ".join(filter(None, [contact_no, contact.get("name")]))
        _fail(f"Contact {name} is related to another company.", opp["no"], "contact_no")
    return company


def _campaign_and_segment(session: Any, opp: dict, changes: dict) -> None:
    """§6.4.2 Campaign No. then Segment No. validate, in BC's order: a changed campaign is
    checked (``CheckCampaign``) and resets the segment to its default
    (``SetDefaultSegmentNo``); a segment given too is then validated against the new campaign
    when it differs from that default (``CheckSegmentCampaignNo``) and brings its description."""
    key = opp["no"]
    campaign = changes.get("campaign_no", opp["campaign_no"])
    given = "segment_no" in changes
    wanted = changes.get("segment_no")
    segment = {"segment_no": opp["segment_no"]}
    if "campaign_no" in changes and (campaign or None) != (opp["campaign_no"] or None):
        if campaign:
            references.check_campaigns(session, [campaign], opp["creation_date"], key)
        segment = references.default_segment_fields(session, campaign, key)
        changes.update(segment)
    if given:
        changes.update(
            references.segment_fields(
                session,
                wanted,
                campaign,
                key,
                check_campaign=(wanted or None) != (segment["segment_no"] or None),
            )
        )


def edit_opportunity(session: Any, no: str, values: dict) -> dict:
    """Change fields of an open opportunity (§6.4.2); one transaction. Returns the new row."""
    opp = lock_opportunity(session, no)
    key = opp["no"]
    for name in values:
        if name in DOCUMENT_FIELDS:
            _fail(
                f"is set with 'relcore opportunities document {key} --type "
                "quote|order|posted_invoice --no X --value V' (or --clear)",
                key,
                name,
            )
    changes = coerce_values(opportunity, values, entity=LABEL, key=key, allowed=EDITABLE)
    check_open(opp)
    for field in ("salesperson_code", "contact_no", "campaign_no", "segment_no"):
        if isinstance(changes.get(field), str):
            changes[field] = changes[field].strip().upper() or None
    if "description" in changes and not (changes["description"] or "").strip():
        _fail("You must fill in the Description field.", key, "description")
    if "salesperson_code" in changes:
        if not changes["salesperson_code"]:
            _fail("You must fill in the Salesperson Code field.", key, "salesperson_code")
        references.check_salesperson(session, changes["salesperson_code"], key)
    if "contact_no" in changes:
        if not changes["contact_no"]:
            _fail(
                "You must fill in the contact that is involved in the opportunity.",
                key,
                "contact_no",
            )
        if changes["contact_no"] != opp["contact_no"]:
            changes["contact_company_no"] = _contact(session, opp, changes["contact_no"])
    _campaign_and_segment(session, opp, changes)
    followed = {
        f: (opp[f], changes[f])
        for f in FOLLOWED
        if f in changes and (changes[f] or None) != (opp[f] or None)
    }
    row = entities.update(session, "opportunities.opportunity", key, changes)
    if followed:
        entry_values = {f: new for f, (_old, new) in followed.items()}
        if "contact_no" in followed:
            entry_values["contact_company_no"] = changes["contact_company_no"]
        session.execute(
            sa.update(entry)
            .where(entry.c.opportunity_no == key, entry.c.active.is_(True))
            .values(**entry_values)
        )
        from relcore_interactions.api import repoint_open_tasks

        repoint_open_tasks(session, key, followed)
    return row
