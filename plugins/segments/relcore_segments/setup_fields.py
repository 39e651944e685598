"""The segments plugin's setup fields: its part of the Marketing Setup (§1.1)."""

from __future__ import annotations

from relcore.setup import SetupField

SETUP_FIELDS = [
    SetupField("segments.segment_nos", "series", None, "Number series for segments (§5.1)."),
    SetupField(
        "segments.salesperson_code",
        "code",
        None,
        "The user's salesperson (BC User Setup), given to new segments (§5.1 OnInsert).",
        max_length=20,
        references="contacts.salesperson",
    ),
]
