"""A Dataverse Web API emulator for tests, in the spirit of moto (Part E of the reference).

Typical use::

    emu = Emulator()
    client = httpx.Client(transport=emu.transport(), base_url="https://emu.local/api/data/v9.2/")
    with emu.serve() as server:   # or a real loopback server
        ...
"""

from .app import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT, Emulator
from .clock import Clock
from .errors import ApiError
from .faults import Fault, Limits

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_TENANT",
    "ApiError",
    "Clock",
    "Emulator",
    "Fault",
    "Limits",
]
