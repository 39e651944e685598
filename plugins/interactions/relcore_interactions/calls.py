"""Phone calls (§4.7): BC "Make Phone Call" logged with the outgoing-calls template."""

from __future__ import annotations

from typing import Any

from relcore.errors import ValidationError
from relcore_interactions.events import OUTGOING_CALLS, log_event, template_for


def make_phone_call(
    session: Any,
    contact_no: str,
    *,
    phone_no: str | None = None,
    description: str | None = None,
    salesperson_code: str | None = None,
    successful: bool = True,
    dial: bool = True,
    campaign_no: str | None = None,
    opportunity_no: str | None = None,
    to_do_no: str | None = None,
) -> dict:
    """Log a phone call with a contact (§4.7); returns the entry.

    Requires a template for ``interactions.outgoing_calls`` in the template setup; Contact Via :=
    the given number or the contact's phone (mobile as fallback); when dialing, a number is
    required; Date = today, Attempt Failed := not successful. Nothing is delivered.
    ``to_do_no``: the task the call completes (closing a phone-call task, §7.2).
    """
    from relcore_contacts.api import get_contact

    if not template_for(session, OUTGOING_CALLS):
        raise ValidationError(
            "no template is set up for outgoing calls "
            f"(relcore interactions setup set {OUTGOING_CALLS} TEMPLATE)",
            entity="Interaction Template Setup",
            key=OUTGOING_CALLS,
            field="template_code",
        )
    contact = get_contact(session, contact_no.upper())
    number = (phone_no or contact["phone_no"] or contact["mobile_phone_no"] or "").strip()
    if dial and not number:
        raise ValidationError(
            "You must fill in the phone number.",
            entity="Contact",
            key=contact["no"],
            field="phone_no",
        )
    entry = log_event(
        session,
        OUTGOING_CALLS,
        contact["no"],
        salesperson_code=salesperson_code,
        description=description,
        campaign_no=campaign_no,
        opportunity_no=opportunity_no,
        attempt_failed=not successful,
        extra={"contact_via": number[:80], **({"to_do_no": to_do_no} if to_do_no else {})},
    )
    assert entry is not None  # the template is set up
    return entry
