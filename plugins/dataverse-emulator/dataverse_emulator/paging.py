"""Server-side paging cursors and change-tracking tokens (Part E3 item 15, Part E6).

A collection query is evaluated once; its rendered rows are kept in a cursor so following
``@odata.nextLink`` returns a stable result even when rows change meanwhile. ``$skiptoken`` and
``$deltatoken`` values are signed, so a tampered token is rejected with 400.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime

from .errors import EXPIRED_DELTA_TOKEN, INVALID_ARGUMENT, ApiError
from .values import format_datetime, parse_datetime


@dataclass
class Cursor:
    """Remaining pages of one query."""

    rows: list[dict]
    context: str
    delta_link: str | None
    count: int | None


class Pager:
    """Issues and checks ``$skiptoken`` / ``$deltatoken`` values."""

    def __init__(self) -> None:
        self._secret = secrets.token_bytes(16)
        self._cursors: dict[str, Cursor] = {}
        self._lock = threading.Lock()

    def _sign(self, text: str) -> str:
        return hmac.new(self._secret, text.encode(), hashlib.sha256).hexdigest()[:16]

    def store(self, cursor: Cursor, offset: int) -> str:
        """Keep ``cursor`` and return the ``$skiptoken`` for the page starting at ``offset``."""
        cursor_id = secrets.token_hex(6)
        with self._lock:
            self._cursors[cursor_id] = cursor
        return self.token(cursor_id, offset)

    def token(self, cursor_id: str, offset: int) -> str:
        """Signed skip token for ``cursor_id`` at ``offset``."""
        body = f"{cursor_id}-{offset}"
        return f"{body}-{self._sign(body)}"

    def resolve(self, token: str) -> tuple[str, Cursor, int]:
        """Return ``(cursor id, cursor, offset)`` for a skip token; 400 when invalid."""
        try:
            cursor_id, offset_text, signature = token.split("-")
            offset = int(offset_text)
        except ValueError:
            raise _bad_token("$skiptoken") from None
        if not hmac.compare_digest(signature, self._sign(f"{cursor_id}-{offset}")):
            raise _bad_token("$skiptoken")
        cursor = self._cursors.get(cursor_id)
        if cursor is None or offset < 0 or offset > len(cursor.rows):
            raise _bad_token("$skiptoken")
        return cursor_id, cursor, offset

    def clear(self) -> None:
        """Forget every cursor."""
        with self._lock:
            self._cursors.clear()

    def delta_token(self, version: int, at: datetime) -> str:
        """A change-tracking token: ``<version>!<issued at>`` plus a signature."""
        body = f"{version}!{format_datetime(at)}"
        return f"{body}!{self._sign(body)}"

    def parse_delta(self, token: str, now: datetime, max_age_days: float) -> int:
        """Return the version of a delta token; 400 when tampered or expired (Part E6 item 29)."""
        try:
            version_text, at_text, signature = token.split("!")
            version = int(version_text)
            issued = parse_datetime(at_text)
        except ValueError:
            raise _bad_token("$deltatoken") from None
        if not hmac.compare_digest(signature, self._sign(f"{version_text}!{at_text}")):
            raise _bad_token("$deltatoken")
        if (now - issued).total_seconds() > max_age_days * 86400:
            raise ApiError(
                400,
                EXPIRED_DELTA_TOKEN,
                "The change tracking token has expired. Perform a full synchronization.",
            )
        return version


def _bad_token(name: str) -> ApiError:
    return ApiError(400, INVALID_ARGUMENT, f"The {name} value is invalid.")
