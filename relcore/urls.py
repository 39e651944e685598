"""Outbound URLs: https only, plain http only to this machine (an emulator).

A secret sent to an ``http://`` address crosses the network in clear text, so every URL relcore
sends credentials or data to is checked where it is configured and again when a connection
opens (§ "Data safety" in docs/architecture.md).
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse

from relcore.errors import ValidationError

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_LABEL = r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$)({_LABEL}\.)+[a-zA-Z]{{2,63}}$")


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def secure_url_problem(text: str) -> str | None:
    """What is wrong with an outbound URL (None when it is an https URL, or http to loopback)."""
    if not isinstance(text, str) or not text.strip():
        return "must be an https:// URL"
    if any(ord(c) < 32 or c.isspace() for c in text):
        return "must be an https:// URL without spaces or control characters"
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"{text!r} is not an https:// URL"
    if parts.username or parts.password:
        return "must not contain a user name or password"
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return (
            f"{text!r} uses plain http: only https is allowed "
            "(http only to this machine, e.g. http://127.0.0.1:PORT for the emulator)"
        )
    return None


def check_secure_url(text: str, *, entity: str = "Setup", field: str | None = None) -> str:
    """The URL without a trailing slash, or :class:`ValidationError` naming the field."""
    problem = secure_url_problem(text)
    if problem:
        raise ValidationError(problem, entity=entity, field=field)
    return text.rstrip("/")


def is_guid(text: str) -> bool:
    """True for a GUID (``8-4-4-4-12`` hex digits)."""
    return bool(_GUID.match(text or ""))


def is_domain_name(text: str) -> bool:
    """True for a DNS domain name (``contoso.onmicrosoft.com``)."""
    return bool(_DOMAIN.match(text or ""))
