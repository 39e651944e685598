"""pytest fixtures of the Dataverse emulator (registered through the ``pytest11`` entry point).

* ``dataverse_emulator`` — a fresh in-memory :class:`~dataverse_emulator.Emulator` per test;
* ``dataverse_sleep`` — a :class:`~dataverse_emulator.ClockSleep` that advances its clock;
* ``dataverse_client`` — a raw ``httpx.Client`` on the Web API root, in-process, authenticated
  as the integration (application) user;
* ``dataverse_server`` — the same emulator served on a loopback HTTP port for the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .app import Emulator
from .server import EmulatorServer
from .sleep import ClockSleep

#: The organisation URL the in-process client uses (any host works in-process).
ORG_URL = "https://contoso.crm4.dynamics.com"


@pytest.fixture
def dataverse_emulator() -> Emulator:
    """A fresh emulator (frozen clock at its default start, the default app registration)."""
    return Emulator()


@pytest.fixture
def dataverse_sleep(dataverse_emulator: Emulator) -> ClockSleep:
    """A sleep recorder that advances ``dataverse_emulator``'s clock instead of waiting."""
    return ClockSleep(dataverse_emulator)


@pytest.fixture
def dataverse_client(dataverse_emulator: Emulator) -> Iterator[httpx.Client]:
    """An httpx client on ``<ORG_URL>/api/data/v9.2/``, in-process, with a valid bearer token."""
    token = dataverse_emulator.issue_token()
    with httpx.Client(
        transport=dataverse_emulator.transport(),
        base_url=f"{ORG_URL}/api/data/v9.2/",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    ) as client:
        yield client


@pytest.fixture
def dataverse_server(dataverse_emulator: Emulator) -> Iterator[EmulatorServer]:
    """``dataverse_emulator`` served over plain HTTP on a free loopback port (stopped after)."""
    with dataverse_emulator.serve() as server:
        yield server
