"""The optional Dataverse emulator (distribution ``relcore-dataverse-emulator``, installed by
the extra ``relcore-d365sales[emulator]``): used by ``relcore d365 emulator``, the demo's sync
and the test kit; the sync plugin itself never needs it."""

from __future__ import annotations

from typing import Any

from relcore.errors import PluginError

INSTALL_HINT = (
    "the Dataverse emulator is not installed; install it with "
    "pip install 'relcore-d365sales[emulator]' (distribution relcore-dataverse-emulator)"
)


def new_emulator() -> Any:
    """A fresh :class:`dataverse_emulator.Emulator`.

    :raises PluginError: the emulator distribution is not installed (the message says how to
        install it).
    """
    try:
        from dataverse_emulator import Emulator
    except ImportError as exc:
        raise PluginError(INSTALL_HINT) from exc
    return Emulator()
