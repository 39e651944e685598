"""The segments plugin's public API: what other plugins may call.

Other plugins import this module only (never the segments plugin's internals).
"""

from __future__ import annotations

from relcore_segments import model
from relcore_segments.sources import CriteriaSource

__all__ = ["CriteriaSource", "header_table", "line_table", "logged_segment_table"]

header_table = model.header
"""Segment headers (§5.1), for joins in other plugins' set-based SQL (read only)."""

line_table = model.line
"""Segment lines (§5.3): ``campaign_no``, ``campaign_target``, ``contact_no``,
``contact_company_no`` ... (read only)."""

logged_segment_table = model.logged_segment
"""Logged segments (§5.7) (read only)."""
