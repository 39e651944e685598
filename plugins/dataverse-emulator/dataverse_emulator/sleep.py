"""A sleep replacement for clients under test: records waits and advances the emulator clock.

Pass it where a client takes a ``sleep`` callable (e.g. for ``Retry-After`` back-off): the test
never waits, and the emulator's rate-limit windows and token expiry move on as if it had.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import Emulator


class ClockSleep:
    """Records requested waits in :attr:`calls` instead of sleeping.

    :param emulator: when given, each wait advances ``emulator.clock`` by the same seconds.
    """

    def __init__(self, emulator: Emulator | None = None) -> None:
        self.calls: list[float] = []
        self.emulator = emulator

    def __call__(self, seconds: float) -> None:
        """Record ``seconds`` and advance the emulator clock by them."""
        self.calls.append(seconds)
        if self.emulator is not None:
            self.emulator.clock.advance(seconds)
