"""Run the emulator as a real HTTP(S) server on loopback (Part D8, Appendix 3).

Uses Werkzeug's threaded ``make_server``; pass an ``ssl.SSLContext`` (e.g. from ``trustme``)
to serve TLS, which msal requires for its authority.
"""

from __future__ import annotations

import ssl
import threading
from typing import TYPE_CHECKING

from werkzeug.serving import WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from .app import Emulator


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # the emulator keeps its own request log
        pass

    def log_error(self, *args, **kwargs) -> None:
        pass


class EmulatorServer:
    """A running loopback server; use as a context manager or call :meth:`stop`.

    Attributes: ``url`` (e.g. ``http://127.0.0.1:53211``), ``api_url`` (service root),
    ``authority`` (msal authority ``<url>/<tenant>``), ``emulator``.
    """

    def __init__(
        self,
        emulator: Emulator,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.emulator = emulator
        self._server = make_server(
            host,
            port,
            self._app,
            threaded=True,
            request_handler=_QuietHandler,
            ssl_context=ssl_context,
        )
        scheme = "https" if ssl_context else "http"
        self.url = f"{scheme}://{host}:{self._server.server_port}"
        self.api_url = f"{self.url}/api/data/v9.2/"
        self.authority = f"{self.url}/{emulator.tenant_id}"
        self._thread: threading.Thread | None = None

    def _app(self, environ, start_response):
        from .faults import DroppedResponse, SimulatedTimeout

        try:
            return self.emulator.wsgi_app(environ, start_response)
        except (DroppedResponse, SimulatedTimeout):
            return []

    def start(self) -> EmulatorServer:
        """Start serving in a daemon thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True, name="dataverse-emulator"
        )
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until Ctrl-C (``KeyboardInterrupt``), then stop the server."""
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def stop(self) -> None:
        """Shut the server down and join its thread."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> EmulatorServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
