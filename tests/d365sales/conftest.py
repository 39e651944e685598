"""Fixtures for the d365sales tests: an in-process Dataverse emulator and clients on it.

Independent of the relcore core: nothing here imports ``relcore``. The emulator fixtures come
from the ``relcore-dataverse-emulator`` pytest plugin.
"""

from __future__ import annotations

import httpx
import pytest
from dataverse_emulator import ClockSleep, Emulator
from relcore_d365sales.auth import StaticTokenProvider
from relcore_d365sales.http import DataverseClient, RetryPolicy

ORG_URL = "https://contoso.crm4.dynamics.com"


@pytest.fixture
def emulator(dataverse_emulator: Emulator) -> Emulator:
    """A fresh emulator (the emulator distribution's ``dataverse_emulator`` fixture)."""
    return dataverse_emulator


@pytest.fixture
def api(dataverse_client: httpx.Client) -> httpx.Client:
    """A raw httpx client on the emulator, authenticated as the integration user."""
    return dataverse_client


@pytest.fixture
def fake_sleep(dataverse_sleep: ClockSleep) -> ClockSleep:
    """A sleep recorder that advances the emulator clock."""
    return dataverse_sleep


@pytest.fixture
def tokens(emulator: Emulator) -> StaticTokenProvider:
    """Token provider minting emulator tokens (re-minted after invalidate)."""
    return StaticTokenProvider(emulator.issue_token)


@pytest.fixture
def client(emulator: Emulator, tokens: StaticTokenProvider, fake_sleep: ClockSleep):
    """The plugin's DataverseClient mounted on the emulator in-process."""
    with DataverseClient(
        ORG_URL,
        tokens,
        transport=emulator.transport(),
        sleep=fake_sleep,
        retry=RetryPolicy(max_retries=5, max_total_wait=300),
    ) as dv:
        yield dv
