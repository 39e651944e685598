"""relcore: a plugin-based relationship-management framework.

The public surface for integrators and plugin authors:

* :class:`relcore.app.App` — the composition root (plugins, database, setup, numbering).
* :data:`hookimpl` — the marker for hook implementations in plugins.
* :mod:`relcore.hookspecs` — the plugin contract.
"""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("relcore")
"""Marker for a plugin's hook implementations (``@hookimpl def relcore_register_setup(...)``)."""

__all__ = ["__version__", "hookimpl"]
