"""The number series engine: BC's No. Series (tables 308/309/310, codeunits 306/307/310) (§1.2).

Series have lines by starting date; a draw picks the line for the usage date (§1.2.2), increments
Last No. Used with BC's ``IncStr``/``IncrementNoText`` rules (§1.2.3), checks range, warning and
date order, and saves. Gap-free lines lock their row; allow-gaps lines use a PostgreSQL sequence
(§1.2.4). Master records number themselves with :func:`init_no` (§1.2.6).

Every function takes the ``session`` (a Core connection inside one transaction) first.
"""

from relcore.numbering.engine import (
    Drawn,
    DrawnMany,
    are_related,
    draw,
    draw_many,
    init_no,
    next_no,
    next_nos,
    peek_no,
    test_manual,
)
from relcore.numbering.nos import calculate_open, inc_str, increment_no_text, is_within_range
from relcore.numbering.series import (
    DefaultSeries,
    NoSeries,
    NoSeriesLine,
    add_line,
    add_relationship,
    add_series,
    delete_series,
    ensure_default_series,
    get_series,
    list_series,
    related_series,
    series_exists,
    update_series,
)
from relcore.numbering.tables import no_series, no_series_line, no_series_relationship

__all__ = [
    "DefaultSeries",
    "Drawn",
    "DrawnMany",
    "NoSeries",
    "NoSeriesLine",
    "add_line",
    "add_relationship",
    "add_series",
    "are_related",
    "calculate_open",
    "delete_series",
    "draw",
    "draw_many",
    "ensure_default_series",
    "get_series",
    "inc_str",
    "increment_no_text",
    "init_no",
    "is_within_range",
    "list_series",
    "next_no",
    "next_nos",
    "no_series",
    "no_series_line",
    "no_series_relationship",
    "peek_no",
    "related_series",
    "series_exists",
    "test_manual",
    "update_series",
]
