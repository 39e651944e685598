"""Emulator behaviour switches (Part E2 item 7, Part E6 item 29)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class EmulatorConfig:
    """Tunable behaviour.

    :param duplicate_status: status for a create with an existing id: 412 (default) or 400.
    :param delta_token_max_age_days: change-tracking token lifetime in emulator days.
    :param api_versions_prefix: accepted version prefix in ``/api/data/<version>/``.
    """

    duplicate_status: int = 412
    delta_token_max_age_days: float = 7.0
    api_versions_prefix: str = "v9."
