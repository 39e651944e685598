"""contacts-duplicates: regenerating the duplicate index and all pairs for N companies.

Ours: ``relcore_contacts.duplicates.regenerate`` in one ``app.session()`` (the ``relcore contacts
duplicates --regenerate`` path). Baseline: an independent plain-SQL duplicate search for the same
§2.10 rule written by hand (:func:`independent_sql`), in the plain driver with relcore's settings,
one transaction. A second figure, *framework overhead*, times relcore's own compiled statements
in the plain driver (it measures only what the framework adds around its SQL). All three must
find the same number of pairs.
Company data as in ``contacts_import`` (varied values, every 50th company a duplicate) with
realistic common strings: about 30 % of addresses end in "Street" (``TREET``), 40 % of e-mails
are at gmail.com (``ILCOM``) and a fifth of the companies are in London. A plain self-join of the
index would need about a billion rows at 100,000 companies. Goal: ratio ≤ 1.5 against the
independent baseline.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from baseline import count, database, timed, transaction

GOAL = 1.5
DEFAULT_SIZE = 100_000
REPEATS = 3

_STREETS = (("Street", 30), ("Road", 15), ("Avenue", 10), ("Lane", 5), ("Way", 5), ("", 35))
_DOMAINS = (("gmail.com", 40), ("outlook.com", 15), ("yahoo.com", 5), ("", 40))
_CITIES = (("London", 20), ("Manchester", 5), ("Leeds", 5), ("Bristol", 3), ("", 67))


def _pick(rng, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def company_values(k: int) -> dict[str, str]:
    """``contacts_import.company_values`` with common street suffixes, mail domains and cities
    (an empty pick keeps the varied value); every 50th company still repeats the one before."""
    import random

    from contacts_import import company_values as varied

    values = varied(k)
    rng = random.Random(-(k - 1 if k % 50 == 49 else k))
    street, domain, city = _pick(rng, _STREETS), _pick(rng, _DOMAINS), _pick(rng, _CITIES)
    if street:
        values["address"] = f"{rng.randint(1, 999)} {values['address'].split()[0]} {street}"
    if domain:
        values["email"] = f"{values['email'].split('@')[0]}@{domain}"
    if city:
        values["city"] = city
    return values


def _prepare(target, size: int) -> tuple[list[str], int]:
    """``size`` companies (no index yet); returns relcore's regeneration SQL compiled for the
    backend (the framework-overhead figure) and the threshold T."""
    import uuid

    import sqlalchemy as sa
    from relcore_contacts import duplicates, model

    from relcore.db import utcnow

    app = target.app(["contacts"])
    now = utcnow()
    with app.session() as s:
        for start in range(0, size, 20_000):
            s.execute(
                sa.insert(model.contact),
                [
                    {
                        "no": f"CT{k + 1:07d}",
                        "type": "company",
                        "company_no": f"CT{k + 1:07d}",
                        "system_id": uuid.uuid4(),
                        "created_at": now,
                        "modified_at": now,
                        "version": 1,
                        **company_values(k),
                    }
                    for k in range(start, min(start + 20_000, size))
                ],
            )
        stmts = duplicates.regenerate_statements(s)
        sql = [
            str(st.compile(dialect=s.dialect, compile_kwargs={"literal_binds": True}))
            for st in stmts
        ]
        lines = duplicates.setup_lines(s)
        threshold = duplicates.current_threshold(s, len(lines))
    assert [(x["field_name"], x["part_of_field"], x["length"]) for x in lines] == [
        (f, p, 5) for f in sorted(duplicates.DEFAULT_SETUP_FIELDS) for p in duplicates.PARTS
    ]
    app.dispose()
    return sql, threshold


def _search_string(target, field: str, part: str) -> str:
    """§2.10 by hand: strip the characters, first/last 5, ASCII upper-case."""
    from relcore_contacts.duplicates import STRIP_CHARS

    expr = f'upper({field} COLLATE "C")' if target.is_postgres else f"upper({field})"
    for ch in STRIP_CHARS:
        expr = f"replace({expr}, '{ch}', '')"
    if target.is_postgres:
        return f"left({expr}, 5)" if part == "first" else f"right({expr}, 5)"
    return f"substr({expr}, 1, 5)" if part == "first" else f"substr({expr}, -5)"


def independent_sql(target, threshold: int) -> list[str]:
    """The best plain-SQL duplicate search I can write for §2.10, independent of relcore's code:
    the 16 default setup lines spelt out as one ``UNION ALL``, and prefix filtering by hand with
    temporary tables (frequency of each string, each company's strings ranked rarest first, its
    first ``m - T + 1`` as prefix, candidates from prefixes, verified by counting shared strings).
    """
    from relcore_contacts.duplicates import DEFAULT_SETUP_FIELDS, PARTS

    parts = []
    for field in sorted(DEFAULT_SETUP_FIELDS):
        for part in PARTS:
            parts.append(
                f"SELECT no AS c, '{field}' AS f, '{part}' AS p, "
                f"{_search_string(target, field, part)} AS s "
                f"FROM contacts_contact WHERE type = 'company' AND {field} <> ''"
            )
    strings = " UNION ALL ".join(parts)
    temp = "CREATE TEMP TABLE"
    f = "false" if target.is_postgres else "0"
    key = "field_name, part_of_field, search_string"
    # PostgreSQL: autovacuum never analyses temporary tables; without statistics the planner
    # picks nested loops over them (30 s instead of 3 s at 5,000 companies)
    analyze = (lambda table: [f"ANALYZE {table}"]) if target.is_postgres else (lambda table: [])
    # PostgreSQL: a whole-table rebuild empties the table with TRUNCATE (no dead rows left)
    clear = "TRUNCATE" if target.is_postgres else "DELETE FROM"
    return [
        f"{clear} contacts_duplicate_search_string",
        f"DELETE FROM contacts_contact_duplicate WHERE separate_contacts = {f}",
        f"INSERT INTO contacts_duplicate_search_string (contact_company_no, {key}) "
        f"SELECT c, f, p, s FROM ({strings}) x WHERE s <> ''",
        *analyze("contacts_duplicate_search_string"),
        f"{temp} b_freq AS SELECT {key}, count(*) AS n FROM contacts_duplicate_search_string "
        f"GROUP BY {key} HAVING count(*) > 1",
        *analyze("b_freq"),
        f"{temp} b_ranked AS SELECT i.contact_company_no AS c, i.field_name, i.part_of_field, "
        "i.search_string, row_number() OVER (PARTITION BY i.contact_company_no ORDER BY q.n, "
        "i.field_name, i.part_of_field, i.search_string) AS r, count(*) OVER (PARTITION BY "
        "i.contact_company_no) AS m FROM contacts_duplicate_search_string i JOIN b_freq q "
        "USING (field_name, part_of_field, search_string)",
        f"CREATE INDEX b_ranked_key ON b_ranked ({key})",
        *analyze("b_ranked"),
        f"{temp} b_cand AS SELECT DISTINCT a.c AS a, i.contact_company_no AS b FROM b_ranked a "
        "JOIN contacts_duplicate_search_string i USING (field_name, part_of_field, "
        f"search_string) WHERE a.r <= a.m - {threshold} + 1 AND a.c < i.contact_company_no",
        *analyze("b_cand"),
        "INSERT INTO contacts_contact_duplicate (contact_no, duplicate_contact_no, "
        "no_of_matching_strings, separate_contacts) "
        f"SELECT k.a, k.b, count(*), {f} FROM b_cand k "
        "JOIN contacts_duplicate_search_string x ON x.contact_company_no = k.a "
        "JOIN contacts_duplicate_search_string y ON y.contact_company_no = k.b "
        "AND y.field_name = x.field_name AND y.part_of_field = x.part_of_field "
        "AND y.search_string = x.search_string "
        "WHERE NOT EXISTS (SELECT 1 FROM contacts_contact_duplicate d WHERE "
        "(d.contact_no = k.a AND d.duplicate_contact_no = k.b) OR "
        "(d.contact_no = k.b AND d.duplicate_contact_no = k.a)) "
        f"GROUP BY k.a, k.b HAVING count(*) >= {threshold}",
        "DROP TABLE b_freq",
        "DROP TABLE b_ranked",
        "DROP TABLE b_cand",
    ]


def _ours(target) -> tuple[float, int]:
    from relcore_contacts import duplicates

    app = target.app(["contacts"])
    result: dict = {}

    def regenerate() -> None:
        with app.session() as s:
            result.update(duplicates.regenerate(s))

    elapsed = timed(regenerate)
    app.dispose()
    return elapsed, result["duplicates"]


def _plain(target, sql: list[str]) -> tuple[float, int]:
    con = target.connect()

    def execute() -> None:
        with transaction(con):
            for stmt in sql:
                con.execute(stmt)

    elapsed = timed(execute)
    pairs = count(con, "contacts_contact_duplicate")
    con.close()
    return elapsed, pairs


def run(size: int = DEFAULT_SIZE, db: str | None = None) -> tuple[float, float, dict]:
    """(our median seconds, independent baseline median seconds, figures) over a few repeats;
    the index and pairs are rebuilt from scratch by each side in turn on the same database."""
    sys.path.insert(0, str(Path(__file__).parent))
    ours, base, compiled = [], [], []
    pairs = {}
    with database(db) as target:
        sql, threshold = _prepare(target, size)
        mine = independent_sql(target, threshold)
        for _ in range(REPEATS):  # interleaved
            elapsed, pairs["ours"] = _ours(target)
            ours.append(elapsed)
            elapsed, pairs["independent"] = _plain(target, mine)
            base.append(elapsed)
            print(f"  repeat: ours {ours[-1]:.3f}s, independent {elapsed:.3f}s", file=sys.stderr)
            elapsed, pairs["relcore SQL"] = _plain(target, sql)
            compiled.append(elapsed)
    assert pairs["ours"] == pairs["independent"] == pairs["relcore SQL"] > 0, pairs
    o, b, c = statistics.median(ours), statistics.median(base), statistics.median(compiled)
    return (
        o,
        b,
        {
            "pairs found (each side)": pairs["ours"],
            "baseline": "independent plain SQL (hand-written prefix filtering, temp tables)",
            "relcore's own SQL in the plain driver": f"{c:.4f}s",
            "framework overhead (ours / relcore's own SQL, not the goal)": f"{o / c:.2f}",
        },
    )
