"""Batches of row dicts read column by column (the storage checks and the bulk inserts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def transpose(rows: Sequence[dict]) -> dict[str, tuple[Any, ...]] | None:
    """Each column's values over ``rows``, in row order, when every row names the same columns in
    the same order (a batch built from one template); else None (the caller goes row by row).

    One C-level pass over the batch instead of one per column.
    """
    if not rows:
        return None
    names = list(rows[0])
    if not all(map(names.__eq__, map(list, rows))):
        return None
    return dict(zip(names, zip(*map(dict.values, rows), strict=True), strict=True))
