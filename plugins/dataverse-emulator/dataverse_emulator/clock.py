"""A controllable clock for the emulator (Part E2 item 10).

The emulator never reads the wall clock directly; every server timestamp, token expiry,
rate-limit window and delta-token age comes from a :class:`Clock`, so tests can make several
changes within the same second, jump across seconds, or let days pass without sleeping.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

DEFAULT_START = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)


class Clock:
    """Emulator time: frozen by default, optionally advancing by a fixed step on every read.

    :param now: the starting instant (timezone-aware); defaults to a fixed date so runs are
        reproducible.
    :param auto_advance: seconds added after each :meth:`now` call (0 = frozen).
    """

    def __init__(self, now: datetime | None = None, auto_advance: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._now = _aware(now or DEFAULT_START)
        self.auto_advance = float(auto_advance)

    def now(self) -> datetime:
        """Return the current emulator instant (UTC) and apply the auto-advance step."""
        with self._lock:
            value = self._now
            if self.auto_advance:
                self._now = self._now + timedelta(seconds=self.auto_advance)
            return value

    def peek(self) -> datetime:
        """Return the current instant without auto-advancing."""
        with self._lock:
            return self._now

    def set(self, now: datetime) -> None:
        """Jump to ``now`` (timezone-aware; naive values are taken as UTC)."""
        with self._lock:
            self._now = _aware(now)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward by ``seconds`` and return the new instant."""
        with self._lock:
            self._now = self._now + timedelta(seconds=seconds)
            return self._now

    def timestamp(self) -> float:
        """Return the current instant as POSIX seconds (no auto-advance)."""
        return self.peek().timestamp()


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
