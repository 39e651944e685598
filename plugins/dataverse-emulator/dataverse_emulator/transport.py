"""An httpx transport that runs the emulator in-process (Part D8).

Wraps ``httpx.WSGITransport`` and maps the emulator's ``drop``/``timeout`` faults to the httpx
exceptions a real network would produce (``httpx.ReadError`` / ``httpx.ReadTimeout``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from .faults import DroppedResponse, SimulatedTimeout

if TYPE_CHECKING:
    from .app import Emulator


class EmulatorTransport(httpx.BaseTransport):
    """Sync httpx transport over the emulator's WSGI app."""

    def __init__(self, emulator: Emulator) -> None:
        self._inner = httpx.WSGITransport(app=emulator.wsgi_app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` to the WSGI app, translating simulated network faults."""
        try:
            return self._inner.handle_request(request)
        except SimulatedTimeout as exc:
            raise httpx.ReadTimeout("simulated timeout", request=request) from exc
        except DroppedResponse as exc:
            raise httpx.ReadError("simulated dropped response", request=request) from exc
