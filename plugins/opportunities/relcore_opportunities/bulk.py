"""Python values as SQL relations, for set-based ``INSERT … SELECT`` of many opportunities."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa


def keyed(pairs: list[tuple[int, Any, Any]], name: str, dialect_name: str) -> Any:
    """A relation ``(key, a, b)`` of integer keys with two values each, passed as ONE bound
    parameter (PostgreSQL ``unnest`` of three arrays, SQLite ``json_each``), to join on an
    indexed integer column. A ``MATERIALIZED`` CTE: unpacked once, never per joined row."""
    keys = [p[0] for p in pairs]
    firsts = [p[1] for p in pairs]
    seconds = [p[2] for p in pairs]
    if dialect_name == "postgresql":
        from sqlalchemy.dialects import postgresql

        def array(values: list[Any]) -> Any:
            item = sa.BigInteger() if values and isinstance(values[0], int) else sa.String()
            return sa.bindparam(None, values, type_=postgresql.ARRAY(item))

        fn = sa.func.unnest(array(keys), array(firsts), array(seconds))
        rel = fn.table_valued("key", "a", "b").render_derived(name=name + "_u")
        return sa.select(rel.c.key, rel.c.a, rel.c.b).cte(name).prefix_with("MATERIALIZED")
    fn = sa.func.json_each(
        sa.bindparam(None, json.dumps(list(map(list, pairs))), type_=sa.String())
    )
    rel = fn.table_valued("value").alias(name + "_j")
    return (
        sa.select(
            sa.func.json_extract(rel.c.value, "$[0]").label("key"),
            sa.func.json_extract(rel.c.value, "$[1]").label("a"),
            sa.func.json_extract(rel.c.value, "$[2]").label("b"),
        )
        .cte(name)
        .prefix_with("MATERIALIZED")
    )
