"""Finding duplicate pairs in the search-string index with prefix filtering (§2.10).

BC flags companies A and B when they share at least ``T`` index strings (same field, part and
string; ``T`` = the threshold). Joining the index with itself grows with the square of the number
of companies holding one string, and real data has very common strings (``TREET``, ``ILCOM``,
``LONDO``), so pairs are found in three set-based steps instead, all in one SQL statement:

1. **Prefix.** Strings held by one company only can never be shared, so each company's set is
   reduced to its ``m`` strings held by others too. These are ranked by global frequency, rarest
   first (ties by field, part, string), and the company's *prefix* is the first ``m - T + 1``.
   If A and B share ``T`` strings, at most ``T - 1`` of them lie outside A's prefix, so A's
   prefix holds a string of B. With ``limit_to`` (a few companies re-indexed) only those
   companies' strings are counted and ranked.
2. **Candidates.** A's prefix rows joined with every index row on (field, part, string) through
   the index lookup key, ``DISTINCT``, oriented as the pairs are stored. A pair is seen from
   both sides, so keeping one orientation loses nothing. Rare strings sort first, so prefixes
   seldom hold the common ones and the candidates stay few.
3. **Verification.** Shared strings are counted per candidate, ``>= T`` kept, exactly as BC
   counts them. The count is a correlated subquery over the two companies' own index rows
   (found by the primary key, a dozen each), so the database cannot pick a plan that joins the
   whole index with itself on the strings first: with stale statistics PostgreSQL did, and a
   100,000-company rebuild took 15 minutes instead of 2 seconds.

The result is identical to the full self-join (§2.10 ``MakeContIndex``); only the intermediate
rows shrink.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from relcore.db import one_of
from relcore_contacts import model

_index = model.duplicate_search_string
_dup = model.contact_duplicate

_KEY = ("field_name", "part_of_field", "search_string")


def _same_string(a: Any, b: Any) -> Any:
    return sa.and_(*(a.c[k] == b.c[k] for k in _KEY))


def _listed(limit_to: Sequence[str], dialect_name: str | None) -> Any:
    """``expr -> expr IN limit_to``: one bound array for a dialect (any number of companies,
    no per-company parameter to compile), else a plain ``IN`` list (literal-compilable)."""
    if dialect_name is None:
        return lambda expr: expr.in_(limit_to)
    return lambda expr: one_of(expr, limit_to, dialect_name)


def _prefix(min_matches: int, listed: Any, bulk: bool) -> tuple[Any, Any]:
    """CTEs ``freq`` and ``prefix(contact_company_no, field_name, part_of_field, search_string)``.

    ``freq``: strings held by more than one company, with their count (with ``limit_to``, only
    the strings of these companies, unless ``bulk``: they hold most of the index, and one pass
    counting every string costs less than finding theirs first). A company's ``m`` such strings
    ranked rarest first give the prefix, its first ``m - T + 1``: the rows numbered ``T`` or
    more when numbered in *descending* order (one window, no per-company count needed).
    """
    if listed is None or bulk:
        counted = _index
    else:
        mine = sa.select(*(_index.c[k] for k in _KEY)).where(listed(_index.c.contact_company_no))
        counted = (
            sa.select(*(_index.c[k] for k in _KEY))
            .where(sa.tuple_(*(_index.c[k] for k in _KEY)).in_(mine))
            .subquery("counted")
        )
    freq = (
        sa.select(*(counted.c[k] for k in _KEY), sa.func.count().label("freq"))
        .group_by(*(counted.c[k] for k in _KEY))
        .having(sa.func.count() > 1)
        .cte("freq", nesting=True)
    )
    ranked = sa.select(
        _index.c.contact_company_no,
        *(_index.c[k] for k in _KEY),
        sa.func.row_number()
        .over(
            partition_by=_index.c.contact_company_no,
            order_by=(freq.c.freq.desc(), *(_index.c[k].desc() for k in _KEY)),
        )
        .label("rank_from_last"),
    ).select_from(freq.join(_index, _same_string(_index, freq)))
    if listed is not None:
        ranked = ranked.where(listed(_index.c.contact_company_no))
    ranked = ranked.subquery("ranked")
    prefix = (
        sa.select(ranked.c.contact_company_no, *(ranked.c[k] for k in _KEY))
        .where(ranked.c.rank_from_last >= min_matches)
        .cte("prefix", nesting=True)
    )
    return freq, prefix


def _candidates(
    min_matches: int, limit_to: Sequence[str] | None, dialect_name: str | None, bulk: bool
) -> tuple[list, sa.Select]:
    """The CTEs the candidate select needs, and the select (see :func:`candidates_select`)."""
    listed = None if limit_to is None else _listed(limit_to, dialect_name)
    prefix_ctes = _prefix(min_matches, listed, bulk)
    a, b = prefix_ctes[1].alias("pa"), _index.alias("ib")
    if listed is None:
        orient = a.c.contact_company_no < b.c.contact_company_no
    else:
        orient = sa.and_(
            a.c.contact_company_no != b.c.contact_company_no,
            sa.or_(
                ~listed(b.c.contact_company_no),
                a.c.contact_company_no < b.c.contact_company_no,
            ),
        )
    cand = (
        sa.select(
            a.c.contact_company_no.label("contact_no"),
            b.c.contact_company_no.label("duplicate_contact_no"),
        )
        .select_from(a.join(b, _same_string(a, b)))
        .where(orient)
        .distinct()
    )
    return list(prefix_ctes), cand


def candidates_select(
    min_matches: int,
    limit_to: Sequence[str] | None = None,
    dialect_name: str | None = None,
    *,
    bulk: bool = False,
) -> sa.Select:
    """``SELECT DISTINCT contact_no, duplicate_contact_no``: the pairs worth verifying.

    Every pair sharing ``min_matches`` strings is among them, oriented as stored: without
    ``limit_to`` the lower number first; with it, a listed company first (the lower one when
    both are listed). With ``dialect_name`` the list is one bound array
    (:func:`relcore.db.one_of`), so any number of companies costs one parameter. ``bulk``
    (the listed companies hold most of the index strings) changes the plan, not the result.
    """
    ctes, cand = _candidates(max(min_matches, 1), limit_to, dialect_name, bulk)
    return cand.add_cte(*ctes)


def pairs_select(
    limit_to: Sequence[str] | None,
    min_matches: int,
    dialect_name: str | None = None,
    *,
    bulk: bool = False,
) -> sa.Select:
    """``SELECT contact_no, duplicate_contact_no, n, false``: new pairs sharing enough strings.

    Candidates (:func:`candidates_select`) verified by counting their shared strings (one
    correlated count per candidate over the two companies' index rows), ``n >= min_matches``;
    pairs already recorded in either order (the kept
    "separate contacts") are skipped (§2.10, DU9). A threshold below 1 acts as 1: a pair must
    share a string to be seen at all. The ``WITH`` clauses sit inside a subquery so an
    ``INSERT ... SELECT`` of this still starts with ``INSERT`` (the sqlite3 driver reports a
    row count only then). ``dialect_name``, ``bulk``: as in
    :func:`candidates_select`.
    """
    min_matches = max(min_matches, 1)
    ctes, cand_select = _candidates(min_matches, limit_to, dialect_name, bulk)
    cand = cand_select.cte("cand", nesting=True)
    ia, ib = _index.alias("ia"), _index.alias("ib")
    shared = (
        sa.select(sa.func.count())
        .select_from(
            ia.join(
                ib,
                sa.and_(
                    ib.c.contact_company_no == cand.c.duplicate_contact_no, _same_string(ia, ib)
                ),
            )
        )
        .where(ia.c.contact_company_no == cand.c.contact_no)
        .scalar_subquery()
    )
    # MATERIALIZED: computed once per candidate (PostgreSQL would otherwise run the count
    # twice, for the filter and for the value)
    counted = (
        sa.select(cand.c.contact_no, cand.c.duplicate_contact_no, shared.label("n"))
        .cte("counted", nesting=True)
        .prefix_with("MATERIALIZED")
    )
    g = (
        sa.select(counted.c.contact_no, counted.c.duplicate_contact_no, counted.c.n)
        .where(counted.c.n >= min_matches)
        .subquery("g")
    )
    known = sa.exists().where(
        sa.or_(
            sa.and_(
                _dup.c.contact_no == g.c.contact_no,
                _dup.c.duplicate_contact_no == g.c.duplicate_contact_no,
            ),
            sa.and_(
                _dup.c.contact_no == g.c.duplicate_contact_no,
                _dup.c.duplicate_contact_no == g.c.contact_no,
            ),
        )
    )
    new = (
        sa.select(g.c.contact_no, g.c.duplicate_contact_no, g.c.n, sa.false().label("separate"))
        .where(~known)
        .add_cte(*ctes, cand, counted)
        .subquery("new_pairs")
    )
    return sa.select(new.c.contact_no, new.c.duplicate_contact_no, new.c.n, new.c.separate)
