"""Correspondence type resolution (BC ``SetCorrespondenceType``, §4.4)."""

from __future__ import annotations


def resolve_correspondence_type(
    *,
    template_default: str,
    template_ignores_contact: bool,
    contact_type: str,
    previous: str = "",
    segment_ignores_contact: bool = False,
    segment_default: str = "",
) -> str:
    """The correspondence type of an interaction (§4.4, test vectors IL6/IL7).

    1. the segment header ignores the contact's type and has a non-blank default → that default;
    2. the template ignores the contact's type, or the contact's type is blank and the template's
       default is not → the template's default;
    3. else the contact's type if non-blank, otherwise the previous value.
    """
    if segment_ignores_contact and segment_default:
        return segment_default
    if template_ignores_contact or (not contact_type and template_default):
        return template_default
    return contact_type or previous
