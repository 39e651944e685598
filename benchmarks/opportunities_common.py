"""Shared set-up of the opportunities benchmarks: a database (SQLite file or PostgreSQL schema)
with contacts, interactions, (segments,) opportunities and the Contoso sales cycles, and the few
SQL spellings that differ between the two backends."""

from __future__ import annotations

import datetime as dt
from typing import Any

WORK_DATE = dt.date(2024, 1, 15)


def build(target: Any, plugins: tuple[str, ...]) -> Any:
    """An App on the benchmark database with the Contoso cycles NEW and EXISTING and a
    salesperson JO."""
    from relcore_opportunities.demo import load_setup

    from relcore import entities

    app = target.app(list(plugins), work_date=WORK_DATE)
    with app.session() as session:
        entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        load_setup(session)
    return app


class FillSQL:
    """SQL fragments of plain fill and baseline statements, for SQLite or PostgreSQL."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.uuid = "gen_random_uuid()" if postgres else "lower(hex(randomblob(16)))"
        self.true, self.false = ("true", "false") if postgres else ("1", "0")

    def series(self, n: int) -> str:
        """A relation of one column ``i`` = 0 … n-1."""
        if self.postgres:
            return f"generate_series(0, {n - 1}) AS n(i)"
        return (
            f"(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {n - 1}) "
            "SELECT i FROM n)"
        )

    def number(self, prefix: str, expr: str, digits: int) -> str:
        """``prefix`` followed by the integer ``expr`` zero-padded to ``digits``."""
        if self.postgres:
            return f"'{prefix}' || lpad(({expr})::text, {digits}, '0')"
        return f"printf('{prefix}%0{digits}d', {expr})"

    def analyze(self, con: Any) -> None:
        """A database at rest: fresh planner statistics and, on PostgreSQL, a vacuum (so that
        neither side's first scan pays for setting the new rows' hint bits)."""
        if not self.postgres:
            con.execute("ANALYZE")
            return
        con.commit()
        con.autocommit = True
        try:
            con.execute("VACUUM ANALYZE")
        finally:
            con.autocommit = False


def fill_sql(target: Any) -> FillSQL:
    """The SQL spellings of ``target``'s backend."""
    return FillSQL(target.is_postgres)
