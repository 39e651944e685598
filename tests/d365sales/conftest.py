"""Fixtures for the d365sales tests: an in-process Dataverse emulator and clients on it.

Independent of the relcore core: nothing here imports ``relcore``.
"""

from __future__ import annotations

import httpx
import pytest
from relcore_d365sales.auth import StaticTokenProvider
from relcore_d365sales.emulator import Emulator
from relcore_d365sales.http import DataverseClient, RetryPolicy

ORG_URL = "https://contoso.crm4.dynamics.com"
API = f"{ORG_URL}/api/data/v9.2/"


class FakeSleep:
    """Records requested waits instead of sleeping; optionally advances the emulator clock."""

    def __init__(self, emulator: Emulator | None = None) -> None:
        self.calls: list[float] = []
        self.emulator = emulator

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self.emulator is not None:
            self.emulator.clock.advance(seconds)


@pytest.fixture
def emulator() -> Emulator:
    """A fresh emulator."""
    return Emulator()


@pytest.fixture
def api(emulator: Emulator) -> httpx.Client:
    """A raw httpx client on the emulator, authenticated as the integration user."""
    token = emulator.issue_token()
    with httpx.Client(
        transport=emulator.transport(),
        base_url=API,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    ) as client:
        yield client


@pytest.fixture
def fake_sleep(emulator: Emulator) -> FakeSleep:
    """A sleep recorder that advances the emulator clock."""
    return FakeSleep(emulator)


@pytest.fixture
def tokens(emulator: Emulator) -> StaticTokenProvider:
    """Token provider minting emulator tokens (re-minted after invalidate)."""
    return StaticTokenProvider(emulator.issue_token)


@pytest.fixture
def client(emulator: Emulator, tokens: StaticTokenProvider, fake_sleep: FakeSleep):
    """The plugin's DataverseClient mounted on the emulator in-process."""
    with DataverseClient(
        ORG_URL,
        tokens,
        transport=emulator.transport(),
        sleep=fake_sleep,
        retry=RetryPolicy(max_retries=5, max_total_wait=300),
    ) as dv:
        yield dv
