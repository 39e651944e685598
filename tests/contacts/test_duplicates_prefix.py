"""Duplicate pairs by prefix filtering (§2.10): equal to BC's algorithm, without quadratic work.

The property test compares the set-based pair finder (incremental ``make_index``, re-indexing
with "separate contacts" pairs, ``regenerate``) with a direct Python rendering of §2.10
``MakeContIndex`` on random small data sets full of shared strings, on both backends.
"""

from __future__ import annotations

import itertools
from collections import Counter

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from relcore_contacts import duplicates, model
from relcore_contacts.contacts import insert_contacts

# Small pools of values that share first or last parts in many combinations.
POOLS = {
    "name": ["Contoso Ltd.", "Contoso Inc.", "Fabrikam Ltd.", "Fabrikam", "Adatum Inc.", ""],
    "address": ["5 Main Street", "7 Main Street", "5 Main Road", "1 Oak Street", ""],
    "city": ["London", "Londonderry", "Oslo", "Leeds", ""],
    "phone_no": ["+1 425 555 0100", "+1 425 555 0199", "+44 20 555 0100", ""],
    "post_code": ["0150", "0151", "SW1A 1AA", ""],
    "email": ["a@gmail.com", "b@gmail.com", "a@contoso.com", "x@hotmail.com", ""],
    "vat_registration_no": ["NO123", "NO124", "GB123", ""],
    "mobile_phone_no": ["+47 900", "+47 901", ""],
}
DEFAULT_LINES = [(f, p) for f in duplicates.DEFAULT_SETUP_FIELDS for p in duplicates.PARTS]
SETTABLE = [(f, p) for f, p in DEFAULT_LINES if f != "post_code"]  # not accepted by setup set

company = st.fixed_dictionaries({f: st.sampled_from(v) for f, v in POOLS.items()})
scenario = st.fixed_dictionaries(
    {
        "pct": st.sampled_from([1, 20, 40, 50, 60, 75, 90, 100]),
        "dropped": st.sets(st.sampled_from(DEFAULT_LINES), max_size=8),
        "lengths": st.dictionaries(st.sampled_from(SETTABLE), st.integers(2, 10)),
        "batches": st.lists(st.lists(company, min_size=1, max_size=6), min_size=1, max_size=4),
        "separate": st.lists(st.integers(0, 1000), max_size=3),
        "reindex": st.lists(st.integers(0, 1000), max_size=4),
        "deferred_from": st.integers(0, 4),  # batches from here on inside pairs_deferred
    }
)


# -- the reference -------------------------------------------------------------------------


def ref_strings(values: dict, lines: list[dict]) -> set[tuple[str, str, str]]:
    """§2.10: the index strings of one company."""
    out = set()
    for line in lines:
        value = values.get(line["field_name"])
        s = duplicates.search_string(value, line["part_of_field"], line["length"])
        if s:
            out.add((line["field_name"], line["part_of_field"], s))
    return out


def ref_matches(index: dict[str, set], threshold: int) -> dict[frozenset, int]:
    """§2.10: every pair of companies sharing at least ``threshold`` strings (and at least one)."""
    found = {}
    for a, b in itertools.combinations(sorted(index), 2):
        n = len(index[a] & index[b])
        if n and n >= threshold:
            found[frozenset((a, b))] = n
    return found


def ref_make_index(stored: dict, matches: dict, nos: list[str]) -> None:
    """§2.10 ``MakeContIndex`` for ``nos`` on ``{(contact, duplicate): (n, separate)}``."""
    listed = set(nos)
    for key, (_, separate) in list(stored.items()):
        if not separate and listed & set(key):
            del stored[key]
    known = {frozenset(k) for k in stored}
    for pair, n in matches.items():
        if pair in known or not listed & pair:
            continue
        a, b = sorted(pair)
        stored[(a, b) if a in listed else (b, a)] = (n, False)


# -- the system under test --------------------------------------------------------------------


def stored_pairs(session) -> dict[tuple[str, str], tuple[int, bool]]:
    return {
        (r["contact_no"], r["duplicate_contact_no"]): (
            r["no_of_matching_strings"],
            bool(r["separate_contacts"]),
        )
        for r in duplicates.list_duplicates(session)
    }


def reset(app, data: dict) -> list[dict]:
    with app.session() as s:
        for table in (
            model.contact_duplicate,
            model.duplicate_search_string,
            model.contact,
            model.duplicate_search_string_setup,
        ):
            s.execute(sa.delete(table))
        app.setup.set(s, "contacts.search_hit_pct", data["pct"])
        duplicates.ensure_default_setup(s)
        for field, part in data["dropped"]:
            duplicates.delete_setup_line(s, field, part)
        for (field, part), length in data["lengths"].items():
            if (field, part) not in data["dropped"]:
                duplicates.set_setup_line(s, field, part, length)
        return duplicates.setup_lines(s)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=scenario)
def test_pairs_equal_reference_algorithm(make_app, data):
    if not hasattr(make_app, "dup_app"):  # one database per backend, wiped per example
        make_app.dup_app = make_app("contacts")
    app = make_app.dup_app
    lines = reset(app, data)
    threshold = duplicates.threshold(len(lines), data["pct"])
    index: dict[str, set] = {}
    expected: dict = {}
    split = data["deferred_from"]
    with app.session() as s:
        for batch in data["batches"][:split]:  # incremental: make_index per inserted batch
            nos = [r["no"] for r in insert_contacts(s, [dict(v) for v in batch])]
            index.update({no: ref_strings(v, lines) for no, v in zip(nos, batch, strict=True)})
            ref_make_index(expected, ref_matches(index, threshold), nos)
        deferred: list[str] = []
        with duplicates.pairs_deferred(s):  # as an import does: one pair search at the end
            for batch in data["batches"][split:]:
                nos = [r["no"] for r in insert_contacts(s, [dict(v) for v in batch])]
                index.update({no: ref_strings(v, lines) for no, v in zip(nos, batch, strict=True)})
                deferred += nos
            assert {k for k in stored_pairs(s) if set(k) & set(deferred)} == set()
        if deferred:
            ref_make_index(expected, ref_matches(index, threshold), deferred)
        assert stored_pairs(s) == expected

        found = sorted(expected)
        for i in data["separate"][: len(found)]:
            a, b = found[i % len(found)]
            duplicates.mark_separate(s, a, b)
            expected[(a, b)] = (expected[(a, b)][0], True)
        everyone = sorted(index)
        reindex = sorted({everyone[i % len(everyone)] for i in data["reindex"]})
        if reindex:  # the bulk plan (whole-index frequencies) finds the same candidates
            plans = [
                set(
                    s.execute(
                        duplicates.candidates_select(threshold, reindex, s.dialect.name, bulk=b)
                    )
                )
                for b in (False, True)
            ]
            assert plans[0] == plans[1]
        duplicates.make_index(s, reindex)  # re-index a few: separated pairs kept (DU9)
        ref_make_index(expected, ref_matches(index, threshold), reindex)
        assert stored_pairs(s) == expected

        duplicates.regenerate(s)  # everything again, lower number first
        expected = {k: v for k, v in expected.items() if v[1]}
        ref_make_index(expected, ref_matches(index, threshold), everyone)
        expected = {
            (k if v[1] else tuple(sorted(k))): v for k, v in expected.items()
        }  # regenerate orients new pairs lower-first
        assert stored_pairs(s) == expected


# -- common strings stay cheap ------------------------------------------------------------------

N_COMMON = 3000


def common_company(k: int) -> dict:
    """Unique name, address number, post code, phone and mailbox; the same street suffix
    (``TREET``), city (``LONDO``, ``ONDON``) and mail domain (``ILCOM``) for everyone.

    Every 100th company repeats the one before it.
    """
    k = k - 1 if k % 100 == 99 else k
    return {
        "name": f"{k:05d} Company {k:05d}",
        "address": f"{k:05d} High Street",
        "city": "London",
        "post_code": f"{k:05d}",
        "phone_no": f"{k:05d} 555 {k:05d}",
        "email": f"{k:05d}@gmail.com",
    }


def test_many_companies_sharing_common_strings(make_app):
    app = make_app("contacts")
    with app.session() as s:
        nos = [r["no"] for r in insert_contacts(s, [common_company(k) for k in range(N_COMMON)])]
        frequent = s.execute(
            sa.select(sa.func.count())
            .select_from(model.duplicate_search_string)
            .where(
                model.duplicate_search_string.c.search_string.in_(
                    ["TREET", "LONDO", "ONDON", "ILCOM"]
                )
            )
        ).scalar_one()
        assert frequent == 4 * N_COMMON  # every company holds all four
        duplicates.regenerate(s)
        threshold = duplicates.current_threshold(s)
        # a self-join would pair all 3000 companies on TREET, LONDO, ONDON and ILCOM
        candidates = s.execute(
            sa.select(sa.func.count()).select_from(
                duplicates.candidates_select(threshold).subquery()
            )
        ).scalar_one()
        assert candidates == N_COMMON // 100
        (last,) = insert_contacts(s, [common_company(N_COMMON - 1)])  # incremental path
        one = duplicates.candidates_select(threshold, [last["no"]]).subquery()
        assert s.execute(sa.select(sa.func.count()).select_from(one)).scalar_one() == 2
        got = stored_pairs(s)
    pairs = {(nos[k - 1], nos[k]) for k in range(99, N_COMMON, 100)}
    pairs |= {(last["no"], nos[N_COMMON - 2]), (last["no"], nos[N_COMMON - 1])}
    assert set(got) == pairs
    assert Counter(n for n, _ in got.values()) == {12: len(pairs)}
