"""Benchmark ``campaigns-activate``: activating a campaign from a ``size``-line segment (one
line per contact; half companies, every second one a customer, half persons of those
companies), against plain ``sqlite3``/``psycopg`` running the equivalent ``INSERT … SELECT``
per source (relcore's connection settings, connection opened outside the timing). Goal: <= 2.

Run: ``python benchmarks/run.py campaigns-activate [--size N] [--db postgresql://…]``.
"""

from __future__ import annotations

import sqlalchemy as sa
from baseline import count, database, median_of, transaction
from campaigns_common import copy_seed, padded

DEFAULT_SIZE = 100_000
RUNS = 5


def _fill(app: object, size: int) -> str:
    from relcore_campaigns.campaigns import create_campaign
    from relcore_campaigns.pricing import add_price_line
    from relcore_contacts.api import business_relation_table as R
    from relcore_contacts.api import contact_table as C
    from relcore_segments.api import line_table as L
    from relcore_segments.segments import create_segment

    from relcore import entities

    companies = size // 2
    with app.session() as s:
        entities.insert(s, "contacts.business_relation", [{"code": "CUST"}])
        entities.insert(
            s,
            "contacts.contact",
            [{"no": "SEED", "type": "company", "name": "Seed", "company_no": "SEED"}],
        )
        copy_seed(
            s,
            "contacts.contact",
            C,
            {"no": "SEED"},
            companies,
            lambda i: {"no": padded(i, "CO", 7), "company_no": padded(i, "CO", 7)},
        )
        copy_seed(
            s,
            "contacts.contact",
            C,
            {"no": "SEED"},
            size - companies,
            lambda i: {
                "no": padded(i, "PE", 7),
                "type": sa.literal("person"),
                "company_no": padded(i, "CO", 7),
            },
        )
        s.execute(sa.delete(C).where(C.c.no == "SEED"))
        nums = sa.select(sa.literal(2).label("i")).cte("n2", recursive=True)
        nums = nums.union_all(sa.select(nums.c.i + 2).where(nums.c.i + 2 <= companies))
        s.execute(
            sa.insert(R).from_select(
                ["contact_no", "business_relation_code", "link_to_table", "link_no"],
                sa.select(
                    padded(nums.c.i, "CO", 7),
                    sa.literal("CUST"),
                    sa.literal("customer"),
                    padded(nums.c.i, "K", 7),
                ),
            )
        )
        no = create_campaign(s, {"description": "Big"})["no"]
        add_price_line(s, no, {"item_code": "X", "unit_price": "1"})
        seg = create_segment(s, {"description": "Big", "campaign_no": no, "campaign_target": True})[
            "no"
        ]
        s.execute(
            sa.insert(L).from_select(
                [
                    "segment_no",
                    "line_no",
                    "contact_no",
                    "contact_company_no",
                    "description",
                    "campaign_no",
                    "campaign_target",
                    "cost_lcy",
                    "duration_min",
                    "information_flow",
                    "initiated_by",
                    "campaign_response",
                    "contact_alt_address_code",
                    "correspondence_type",
                    "subject",
                    "evaluation",
                    "interaction_successful",
                    "contact_via",
                    "send_word_doc_as_attmt",
                    "document_type",
                    "document_no",
                ],
                sa.select(
                    sa.literal(seg),
                    sa.func.row_number().over(order_by=C.c.no) * 10000,
                    C.c.no,
                    C.c.company_no,
                    sa.literal(""),
                    sa.literal(no),
                    sa.true(),
                    sa.literal(0),
                    sa.literal(0),
                    sa.literal(""),
                    sa.literal(""),
                    sa.false(),
                    sa.literal(""),
                    sa.literal(""),
                    sa.literal(""),
                    sa.literal(""),
                    sa.true(),
                    sa.literal(""),
                    sa.false(),
                    sa.literal(""),
                    sa.literal(""),
                ),
            )
        )
    return no


BASELINE_SQL = [
    # segment lines
    "INSERT INTO campaigns_target_group (type, no, campaign_no, contact_company_no) "
    "SELECT CASE WHEN r.link_no IS NOT NULL THEN 'customer' ELSE 'contact' END, "
    "COALESCE(r.link_no, s.company), s.campaign_no, s.company FROM (SELECT DISTINCT "
    "campaign_no, COALESCE(NULLIF(contact_company_no, ''), contact_no) AS company "
    "FROM segments_line WHERE campaign_no = {p} AND campaign_target = {true}) s "
    "LEFT JOIN contacts_contact_business_relation r ON r.contact_no = s.company "
    "AND r.link_to_table || '' = 'customer' AND r.link_no <> ''",
    # interaction log entries
    "INSERT INTO campaigns_target_group (type, no, campaign_no, contact_company_no) "
    "SELECT CASE WHEN r.link_no IS NOT NULL THEN 'customer' ELSE 'contact' END, "
    "COALESCE(r.link_no, s.company), s.campaign_no, s.company FROM (SELECT DISTINCT "
    "campaign_no, COALESCE(NULLIF(contact_company_no, ''), contact_no) AS company "
    "FROM interactions_log_entry WHERE campaign_no = {p} AND campaign_target = {true} "
    "AND postponed = {false}) s LEFT JOIN contacts_contact_business_relation r "
    "ON r.contact_no = s.company AND r.link_to_table || '' = 'customer' AND r.link_no <> '' "
    "WHERE NOT EXISTS (SELECT 1 FROM campaigns_target_group t WHERE t.campaign_no = "
    "s.campaign_no AND t.no = COALESCE(r.link_no, s.company))",
]


def run(size: int = DEFAULT_SIZE, db: str | None = None):
    """Median seconds of ``activate`` and of the plain INSERT … SELECTs (target group emptied
    before each run, outside the timing)."""
    from relcore_campaigns.target_groups import activate

    with database(db) as target:
        app = target.app(["contacts", "interactions", "segments", "campaigns"])
        no = _fill(app, size)
        con = target.connect()
        if not target.is_postgres:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # a database at rest
        p = target.paramstyle
        true, false = ("true", "false") if target.is_postgres else ("1", "0")
        sqls = [s.format(p=p, true=true, false=false) for s in BASELINE_SQL]

        def empty():
            with transaction(con):
                con.execute("DELETE FROM campaigns_target_group")

        def ours():
            with app.session() as s:
                activate(s, no, lambda _question: True)

        def baseline():
            with transaction(con):
                for sql in sqls:
                    con.execute(sql, (no,))

        timings = {"ours": [], "baseline": []}
        for _ in range(RUNS):
            for name, fn in (("ours", ours), ("baseline", baseline)):
                empty()
                timings[name].append(median_of(fn, 1))
                rows = count(con, "campaigns_target_group")
                assert rows == size // 2, (name, rows)
        con.close()
        app.dispose()
    import statistics

    return (
        statistics.median(timings["ours"]),
        statistics.median(timings["baseline"]),
        {"target group rows": size // 2},
    )
