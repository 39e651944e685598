"""Privacy of a contact: minors, parental consent, privacy blocking (§2.1).

* Minor ⇒ Privacy Blocked.
* Setting Parental Consent Received also sets Privacy Blocked (the user clears it afterwards).
* Privacy Blocked cannot be cleared for a minor until Parental Consent Received.

The "cannot use a privacy-blocked contact" check is :func:`relcore_contacts.api.ensure_usable`.
"""

from __future__ import annotations

from typing import Any

from relcore.errors import ValidationError

CONSENT_MISSING = "cannot be cleared for a minor until Parental Consent Received is set"


def apply_privacy_rules(old: dict | None, changes: dict, *, key: Any) -> dict:
    """The privacy fields after ``changes`` to the contact ``old`` (``None`` = a new contact).

    BC validates the fields in field order: Minor, then Parental Consent Received (each may set
    Privacy Blocked); an explicit Privacy Blocked in the same change is applied last.

    :returns: ``changes`` plus the derived ``privacy_blocked``, when it changes.
    """
    base = old or {"privacy_blocked": False, "minor": False, "parental_consent_received": False}
    minor = changes.get("minor", base["minor"])
    consent = changes.get("parental_consent_received", base["parental_consent_received"])
    blocked = base["privacy_blocked"]
    if minor and (old is None or not base["minor"]):
        blocked = True
    if consent and (old is None or not base["parental_consent_received"]):
        blocked = True
    if "privacy_blocked" in changes:
        wanted = bool(changes["privacy_blocked"])
        if not wanted and minor and not consent:
            raise ValidationError(
                CONSENT_MISSING, entity="Contact", key=key, field="privacy_blocked"
            )
        blocked = wanted
    if minor and not consent:
        blocked = True
    out = dict(changes)
    if blocked != base["privacy_blocked"] or old is None:
        out["privacy_blocked"] = blocked
    return out
