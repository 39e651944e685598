"""Parsing of the ``Prefer`` request header (Part B3, Part E1 item 4)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ITEM = re.compile(r'\s*([^=,\s]+)\s*(?:=\s*("(?:[^"]*)"|[^,]*))?\s*(?:,|$)')


@dataclass
class Preferences:
    """The preferences a request asked for and the list of those applied (echoed back)."""

    return_representation: bool = False
    maxpagesize: int | None = None
    track_changes: bool = False
    include_annotations: str | None = None
    continue_on_error: bool = False
    raw: dict[str, str | None] = field(default_factory=dict)
    applied: list[str] = field(default_factory=list)

    def apply(self, item: str) -> None:
        """Record that preference ``item`` was honoured."""
        if item not in self.applied:
            self.applied.append(item)

    def header(self) -> str | None:
        """Value for the ``Preference-Applied`` response header, or ``None``."""
        return ",".join(self.applied) or None


def parse_prefer(values: list[str]) -> Preferences:
    """Parse every ``Prefer`` header value (comma-separated, quoted values allowed)."""
    prefs = Preferences()
    for value in values:
        for name, arg in _ITEM.findall(value):
            if not name:
                continue
            arg = arg.strip() if arg else None
            prefs.raw[name.lower()] = arg
            key = name.lower()
            if key == "return" and arg and arg.lower() == "representation":
                prefs.return_representation = True
            elif key == "odata.maxpagesize" and arg and arg.isdigit():
                prefs.maxpagesize = max(1, min(int(arg), 5000))
            elif key == "odata.track-changes":
                prefs.track_changes = True
            elif key == "odata.include-annotations":
                prefs.include_annotations = (arg or "*").strip('"')
            elif key == "odata.continue-on-error":
                prefs.continue_on_error = True
    return prefs
