"""The segments plugin's public API: what other plugins and outside authors may import.

A plain re-export (documented in ``docs/api-reference.md``). A plugin contributes what segment
criteria may filter on by implementing ``relcore_segments_register_criteria_sources`` and
registering a :class:`CriteriaSource`; :func:`criteria_sources` returns the registered ones. The
``*_table`` objects are for joins in set-based SQL and are read only: segment headers (§5.1),
segment lines (§5.3: ``campaign_no``, ``campaign_target``, ``contact_no``,
``contact_company_no`` ...) and logged segments (§5.7).
"""

from __future__ import annotations

from relcore_segments.model import header as header_table
from relcore_segments.model import line as line_table
from relcore_segments.model import logged_segment as logged_segment_table
from relcore_segments.segments import get_segment
from relcore_segments.sources import CriteriaSource
from relcore_segments.sources import sources_of as criteria_sources

__all__ = [
    "CriteriaSource",
    "criteria_sources",
    "get_segment",
    "header_table",
    "line_table",
    "logged_segment_table",
]
