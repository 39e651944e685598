"""A Dataverse Web API emulator for tests, in the spirit of moto (distribution
``relcore-dataverse-emulator``; it imports nothing from relcore).

Typical use::

    emu = Emulator()
    client = httpx.Client(transport=emu.transport(), base_url="https://emu.local/api/data/v9.2/")
    with emu.serve() as server:   # or a real loopback server
        ...

In pytest, the fixtures of :mod:`dataverse_emulator.pytest_plugin` are available once the
distribution is installed; on the command line, ``dataverse-emulator`` serves one.
"""

from .app import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT, Emulator
from .clock import Clock
from .errors import ApiError
from .faults import Fault, Limits
from .server import EmulatorServer
from .sleep import ClockSleep

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_TENANT",
    "ApiError",
    "ClockSleep",
    "Clock",
    "Emulator",
    "EmulatorServer",
    "Fault",
    "Limits",
]
