"""Shared set-up of the campaigns benchmarks: bulk copies of one seed row, made with one
``INSERT … SELECT`` over a generated number range (outside every timing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

SYSTEM = {"system_id", "created_at", "modified_at", "version"}


def numbers(n: int) -> Any:
    """A subquery of the integers 1..n (column ``i``), portable (recursive CTE)."""
    nums = sa.select(sa.literal(1).label("i")).cte("nums", recursive=True)
    nums = nums.union_all(sa.select(nums.c.i + 1).where(nums.c.i < n))
    return nums


def copy_seed(
    session: Any,
    entity: str,
    table: sa.Table,
    seed: sa.ColumnElement[bool],
    n: int,
    overrides: Callable[[Any], dict[str, Any]],
) -> int:
    """Insert ``n`` copies of the seed row of ``table``, with ``overrides(i)`` (SQL expressions
    of the number column ``i``) replacing columns; system columns are new per row."""
    from relcore import entities

    nums = numbers(n)
    src = table.alias("seed")
    over = overrides(nums.c.i)
    cols = [c.name for c in table.c if c.name not in SYSTEM]
    exprs = [over.get(name, src.c[name]) for name in cols]
    select = (
        sa.select(*exprs)
        .select_from(nums)
        .join(src, sa.true())
        .where(*(src.c[c.name] == seed_value for c, seed_value in _seed_pairs(table, seed)))
    )
    return entities.insert_from_select(session, entity, cols, select)


def _seed_pairs(table: sa.Table, seed: Any) -> list[tuple[Any, Any]]:
    return [(table.c[name], value) for name, value in seed.items()]


def padded(expr: Any, prefix: str, width: int) -> Any:
    """``prefix`` + ``expr`` zero-padded to ``width`` digits, in SQL."""
    digits = sa.func.substr(sa.cast(expr + 10**width, sa.String), 2)
    return sa.literal(prefix) + digits
