"""Privacy: minors, parental consent, privacy-blocked contacts cannot be used (§2.1)."""

from __future__ import annotations

import pytest
from relcore_contacts import api
from relcore_contacts import contacts as svc

from relcore.errors import ValidationError


def test_minor_is_privacy_blocked(capp):
    with capp.session() as s:
        p = svc.insert_contact(s, {"type": "person", "name": "Kid", "minor": True})
        assert p["privacy_blocked"] is True
        q = svc.insert_contact(s, {"type": "person", "name": "Teen"})
        q = svc.modify_contact(s, q["no"], {"minor": "yes"})
        assert q["privacy_blocked"] is True


def test_cannot_clear_for_minor_without_parental_consent(capp):
    with capp.session() as s:
        p = svc.insert_contact(s, {"type": "person", "name": "Kid", "minor": True})
    with capp.session() as s, pytest.raises(ValidationError, match="Parental Consent"):
        svc.modify_contact(s, p["no"], {"privacy_blocked": False})
    with capp.session() as s:
        p = svc.modify_contact(s, p["no"], {"parental_consent_received": True})
        assert p["privacy_blocked"] is True  # consent also blocks; the user clears it next
        p = svc.modify_contact(s, p["no"], {"privacy_blocked": False})
        assert p["privacy_blocked"] is False


def test_privacy_blocked_contact_cannot_be_used(capp):
    with capp.session() as s:
        p = svc.insert_contact(s, {"type": "person", "name": "Ann Lee", "privacy_blocked": True})
        ok = svc.insert_contact(s, {"name": "Fine"})
        assert api.ensure_usable(s, [ok["no"]])[ok["no"]]["name"] == "Fine"
        with pytest.raises(
            ValidationError,
            match=f"You cannot use contact {p['no']} Ann Lee "
            "because they are marked as blocked due to "
            "privacy.",
        ):
            api.ensure_usable(s, [ok["no"], p["no"]])


def test_privacy_blocked_contact_cannot_be_linked(capp):
    from relcore_contacts import relations

    with capp.session() as s:
        capp.setup.set(s, "contacts.bus_rel_code_for_customers", "CUST")
        c = svc.insert_contact(s, {"name": "Blocked Co", "privacy_blocked": True})
    with capp.session() as s, pytest.raises(ValidationError, match="blocked due to privacy"):
        relations.link(s, c["no"], "customer", "C00010")
