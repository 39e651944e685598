"""Fault injection and service protection limits (Part E7, Part E2 item 11).

:class:`FaultInjector` holds queued one-shot faults (429/5xx answers, delays, dropped
responses, simulated timeouts, before-request hooks for ETag races) and the per-caller
sliding-window request budget and concurrency gate of Part B18.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .clock import Clock
from .errors import (
    CONCURRENCY_LIMIT,
    CONCURRENCY_LIMIT_MESSAGE,
    REQUESTS_LIMIT,
    REQUESTS_LIMIT_MESSAGE,
    SERVICE_UNAVAILABLE,
    ApiError,
)

FAULT_KINDS = ("status", "delay", "drop", "timeout", "hook")


class DroppedResponse(ConnectionError):
    """Raised by the in-process app when a ``drop`` fault discards the response after the
    request was executed (the client sees a transport error, Part D6)."""


class SimulatedTimeout(TimeoutError):
    """Raised by the in-process app for a ``timeout`` fault (mapped to ``httpx.ReadTimeout``)."""


@dataclass
class Fault:
    """One queued fault.

    :param kind: ``status`` (answer with ``status``), ``delay`` (advance the emulator clock by
        ``seconds``; real sleep only if ``real_sleep``), ``drop`` (execute, then lose the
        response), ``timeout`` (do not execute; the client times out) or ``hook`` (call
        ``action(emulator)`` before executing, e.g. to edit a row as another user).
    :param execute: for ``status`` faults, execute the request first and then answer with the
        error anyway (a gateway timeout after the backend did the work).
    :param count: how many matching requests this fault applies to.
    :param method: only requests with this HTTP method (any when ``None``).
    :param path_contains: only requests whose path contains this text.
    """

    kind: str = "status"
    status: int = 503
    count: int = 1
    retry_after: int | None = None
    seconds: float = 0.0
    real_sleep: bool = False
    method: str | None = None
    path_contains: str | None = None
    action: Callable | None = None
    code: str | None = None
    message: str | None = None
    execute: bool = False

    def matches(self, method: str, path: str) -> bool:
        """True when this fault applies to ``method path``."""
        if self.method and self.method.upper() != method.upper():
            return False
        return not (self.path_contains and self.path_contains not in path)

    def error(self) -> ApiError:
        """The error answer of a ``status`` fault."""
        headers = {}
        if self.status == 429:
            headers["Retry-After"] = str(self.retry_after if self.retry_after is not None else 1)
            code = self.code or REQUESTS_LIMIT
            message = self.message or REQUESTS_LIMIT_MESSAGE.format(limit=6000, window=300)
        else:
            code = self.code or SERVICE_UNAVAILABLE
            message = self.message or f"Injected fault: HTTP {self.status}."
            if self.retry_after is not None:
                headers["Retry-After"] = str(self.retry_after)
        return ApiError(self.status, code, message, headers)


@dataclass
class Limits:
    """Service protection settings (Part B18); tests use small numbers."""

    requests_per_window: int = 6000
    window_seconds: int = 300
    max_concurrent: int = 52


@dataclass
class FaultInjector:
    """Queue of faults plus the rate limiter and concurrency gate."""

    clock: Clock
    limits: Limits = field(default_factory=Limits)
    faults: list[Fault] = field(default_factory=list)
    _history: dict[str, deque] = field(default_factory=dict)
    _inflight: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str = "status", **options) -> Fault:
        """Queue a fault (see :class:`Fault` for options) and return it."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        fault = Fault(kind=kind, **options)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        """Drop queued faults and rate-limit history."""
        with self._lock:
            self.faults.clear()
            self._history.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """Pop (decrement) the first fault matching the request, if any."""
        with self._lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.count -= 1
                    if fault.count <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def check_rate(self, caller: str) -> dict[str, str]:
        """Count a request for ``caller``; raise 429 when the sliding window is exhausted.

        Returns the debug headers of Part E7 item 33.
        """
        now = self.clock.timestamp()
        window = self.limits.window_seconds
        with self._lock:
            history = self._history.setdefault(caller, deque())
            while history and history[0] <= now - window:
                history.popleft()
            if len(history) >= self.limits.requests_per_window:
                wait = max(1, math.ceil(history[0] + window - now))
                raise ApiError(
                    429,
                    REQUESTS_LIMIT,
                    REQUESTS_LIMIT_MESSAGE.format(
                        limit=self.limits.requests_per_window, window=window
                    ),
                    {"Retry-After": str(wait)},
                )
            history.append(now)
            remaining = self.limits.requests_per_window - len(history)
        return {
            "x-ms-ratelimit-burst-remaining-xrm-requests": str(remaining),
            "x-ms-ratelimit-time-remaining-xrm-requests": "1200000.00",
        }

    def enter(self, caller: str) -> None:
        """Register an in-flight request; 429 when the concurrency limit is exceeded."""
        with self._lock:
            current = self._inflight.get(caller, 0)
            if current >= self.limits.max_concurrent:
                raise ApiError(
                    429,
                    CONCURRENCY_LIMIT,
                    CONCURRENCY_LIMIT_MESSAGE.format(limit=self.limits.max_concurrent),
                    {"Retry-After": "1"},
                )
            self._inflight[caller] = current + 1

    def leave(self, caller: str) -> None:
        """Unregister an in-flight request."""
        with self._lock:
            self._inflight[caller] = max(0, self._inflight.get(caller, 1) - 1)
