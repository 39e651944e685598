"""Telling other plugins that segment lines changed set-based (the
``relcore_segments_lines_changed`` hook)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def lines_changed(session: Any, segment_nos: Iterable[str]) -> None:
    """Call ``relcore_segments_lines_changed`` for these segments."""
    from relcore.app import app_of

    nos = list(dict.fromkeys(segment_nos))
    if nos:
        app_of(session).pm.hook.relcore_segments_lines_changed(session=session, segment_nos=nos)
