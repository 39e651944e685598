"""The entities the segments plugin registers with the core."""

from __future__ import annotations

from relcore.entities import EntityType
from relcore_segments import model

ENTITIES = [
    EntityType(
        "segments.segment", model.header, "Segment", number_series_setup_key="segments.segment_nos"
    ),
    EntityType("segments.line", model.line, "Segment Line", key=("segment_no", "line_no")),
    EntityType(
        "segments.interaction_language",
        model.interaction_language,
        "Segment Interaction Language",
        key=("segment_no", "segment_line_no", "language_code"),
    ),
    EntityType(
        "segments.criteria_line",
        model.criteria_line,
        "Segment Criteria Line",
        key=("segment_no", "line_no"),
    ),
    EntityType(
        "segments.saved_criteria", model.saved_criteria, "Saved Segment Criteria", key=("code",)
    ),
    EntityType(
        "segments.logged_segment", model.logged_segment, "Logged Segment", key=("entry_no",)
    ),
]
