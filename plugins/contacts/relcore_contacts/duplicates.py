"""Duplicate detection (§2.10): search-string setup, the index of company contacts, and pairs.

The index and the pairs are built set-based: index rows come from one ``INSERT ... SELECT``
(contacts × setup lines) that strips, slices and upper-cases in SQL, and pairs come from one
prefix-filtered join of the index, verified by counting shared strings
(:mod:`relcore_contacts.duplicate_pairs`). The Python function :func:`search_string` is the
reference the SQL must agree with, on SQLite and PostgreSQL alike.

Upper-casing is ASCII-only (``a``–``z``): SQLite's ``upper()`` knows only ASCII, and PostgreSQL's
``upper(x COLLATE "C")`` does the same, so all three agree exactly on any text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from relcore.bulk import bulk_insert_columns
from relcore.db import is_postgres
from relcore.errors import NotFoundError, ValidationError
from relcore_contacts import model
from relcore_contacts.duplicate_pairs import candidates_select as candidates_select
from relcore_contacts.duplicate_pairs import pairs_select as pairs_select

STRIP_CHARS = ' +"&/,.;:-_(){}#!£$\\'
"""Characters removed before a search string is taken (§2.10)."""

DEFAULT_SETUP_FIELDS = (
    "name",
    "address",
    "city",
    "phone_no",
    "vat_registration_no",
    "post_code",
    "email",
    "mobile_phone_no",
)
"""``CreateDefaultSetup``: First and Last, length 5, of these fields (16 lines, §2.10)."""

PARTS = ("first", "last")
MIN_LENGTH, MAX_LENGTH = 2, 10

_CHUNK = 5000  # contact numbers per IN (...) list

_setup = model.duplicate_search_string_setup
_index = model.duplicate_search_string
_dup = model.contact_duplicate
_contact = model.contact

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_STRIP = str.maketrans("", "", STRIP_CHARS)


# -- the reference function ----------------------------------------------------------------


def search_string(value: str | None, part: str, length: int) -> str:
    """The index string of one field value (§2.10 ``MakeContIndex``), '' when nothing is left.

    Remove :data:`STRIP_CHARS`, take the first or last ``length`` characters (the whole value
    when shorter), upper-case (ASCII letters).
    """
    return _part_of(_cleaned(value or ""), part, length)


def _cleaned(value: str) -> str:
    """``value`` without :data:`STRIP_CHARS`, ASCII letters upper-cased (the length kept, so a
    part taken after this is the part taken before)."""
    return value.translate(_STRIP).translate(_ASCII_UPPER)


def _part_of(cleaned: str, part: str, length: int) -> str:
    """The first or last ``length`` characters (the whole string when shorter)."""
    return cleaned[:length] if part == "first" else cleaned[-length:]


def threshold(setup_lines: int, search_hit_pct: int) -> int:
    """Matching strings needed to flag a pair: ``Round(lines × pct / 100, 1, '>')`` (§2.10)."""
    return -(-(setup_lines * search_hit_pct) // 100)


# -- setup lines ----------------------------------------------------------------------------


def text_fields() -> list[str]:
    """Contact fields a setup line may name: the text and code columns of the contact."""
    skip = {"no", "type", "no_series", "contact_business_relation", "correspondence_type"}
    return [
        c.name
        for c in _contact.c
        # Code columns are TypeDecorators over String: look at what they store
        if isinstance(getattr(c.type, "impl_instance", c.type), sa.String)
        and not c.foreign_keys
        and c.name not in skip
        and not c.name.startswith("system")
    ]


def ensure_default_setup(session: Any) -> bool:
    """Create the 16 default setup lines when the setup table is empty; True when created."""
    if session.execute(sa.select(sa.literal(1)).select_from(_setup).limit(1)).first():
        return False
    session.execute(
        sa.insert(_setup),
        [
            {"field_name": f, "part_of_field": p, "length": 5}
            for f in DEFAULT_SETUP_FIELDS
            for p in PARTS
        ],
    )
    return True


def setup_lines(session: Any) -> list[dict]:
    """The setup lines (defaults created on first use), ordered by field and part."""
    ensure_default_setup(session)
    rows = session.execute(sa.select(_setup).order_by(_setup.c.field_name, _setup.c.part_of_field))
    return [dict(r._mapping) for r in rows]


def _check_line(field_name: str, part: str, length: int) -> None:
    key = f"{field_name} {part}"
    if field_name not in text_fields():
        raise ValidationError(
            f"{field_name!r} is not a text field of the contact "
            f"(one of: {', '.join(text_fields())})",
            entity="Duplicate Search String Setup",
            key=key,
            field="field_name",
        )
    if part not in PARTS:
        raise ValidationError(
            "must be 'first' or 'last'",
            entity="Duplicate Search String Setup",
            key=key,
            field="part_of_field",
        )
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValidationError(
            f"must be between {MIN_LENGTH} and {MAX_LENGTH}",
            entity="Duplicate Search String Setup",
            key=key,
            field="length",
        )


def set_setup_line(session: Any, field_name: str, part: str, length: int = 5) -> dict:
    """Add a setup line, or change its length (§2.10; length 2..10).

    The index is not rebuilt: run :func:`regenerate` afterwards.
    """
    ensure_default_setup(session)
    _check_line(field_name, part, length)
    where = sa.and_(_setup.c.field_name == field_name, _setup.c.part_of_field == part)
    if session.execute(sa.update(_setup).where(where).values(length=length)).rowcount == 0:
        session.execute(
            sa.insert(_setup).values(field_name=field_name, part_of_field=part, length=length)
        )
    return {"field_name": field_name, "part_of_field": part, "length": length}


def delete_setup_line(session: Any, field_name: str, part: str) -> int:
    """Delete a setup line and its index strings (§2.10); returns index strings deleted."""
    ensure_default_setup(session)
    where = sa.and_(_setup.c.field_name == field_name, _setup.c.part_of_field == part)
    if session.execute(sa.delete(_setup).where(where)).rowcount == 0:
        raise NotFoundError(
            "does not exist", entity="Duplicate Search String Setup", key=f"{field_name} {part}"
        )
    return session.execute(
        sa.delete(_index).where(_index.c.field_name == field_name, _index.c.part_of_field == part)
    ).rowcount


# -- SQL building blocks ----------------------------------------------------------------------


def _strip_sql(expr: Any) -> Any:
    for ch in STRIP_CHARS:
        expr = sa.func.replace(expr, sa.literal(ch, sa.String), sa.literal("", sa.String))
    return expr


def _search_string_sql(session: Any, value: Any, part: Any, length: Any) -> Any:
    """SQL equal to :func:`search_string` (``part`` and ``length`` may be columns)."""
    pg = is_postgres(session)
    upper = sa.func.upper(sa.collate(value, "C")) if pg else sa.func.upper(value)
    s = _strip_sql(upper)
    if pg:
        first, last = sa.func.left(s, length), sa.func.right(s, length)
    else:
        first, last = sa.func.substr(s, 1, length), sa.func.substr(s, -length)
    return sa.case((part == "first", first), else_=last)


def index_select(session: Any, lines: Sequence[dict], where: Any = None) -> sa.Select:
    """``SELECT contact_no, field_name, part_of_field, search_string`` of company contacts.

    Contacts × setup lines; the field value is picked by a ``CASE`` on the line's field name, so
    one statement covers every setup line. Blank fields are skipped here; values made only of
    stripped characters give '' and are deleted after the insert (computing the string once).
    """
    fields = sorted({line["field_name"] for line in lines})
    value = sa.case(*((_setup.c.field_name == f, _contact.c[f]) for f in fields), else_="")
    string = _search_string_sql(session, value, _setup.c.part_of_field, _setup.c.length)
    stmt = (
        sa.select(_contact.c.no, _setup.c.field_name, _setup.c.part_of_field, string)
        .select_from(_contact.join(_setup, sa.true()))
        .where(_contact.c.type == "company", value != "")
    )
    return stmt if where is None else stmt.where(where)


def _insert_index(session: Any, lines: Sequence[dict], where: Any = None) -> int:
    cols = ["contact_company_no", "field_name", "part_of_field", "search_string"]
    stmt = sa.insert(_index).from_select(cols, index_select(session, lines, where))
    n = session.execute(stmt.execution_options(preserve_rowcount=True)).rowcount
    blank = sa.delete(_index).where(_index.c.search_string == "")
    if where is not None:
        blank = blank.where(
            _index.c.contact_company_no.in_(sa.select(_contact.c.no).where(where).scalar_subquery())
        )
    return n - session.execute(blank.execution_options(preserve_rowcount=True)).rowcount


def _insert_pairs(
    session: Any, limit_to: Sequence[str] | None, min_matches: int, *, bulk: bool = False
) -> int:
    cols = ["contact_no", "duplicate_contact_no", "no_of_matching_strings", "separate_contacts"]
    select = pairs_select(limit_to, min_matches, session.dialect.name, bulk=bulk)
    stmt = sa.insert(_dup).from_select(cols, select)
    return session.execute(stmt.execution_options(preserve_rowcount=True)).rowcount


_DEFERRED = "relcore_contacts.pairs_deferred"


def _find_pairs(session: Any, company_nos: Sequence[str], min_matches: int) -> None:
    """Find the pairs of these (re-)indexed companies now, or at the end of the enclosing
    :func:`pairs_deferred` block."""
    queued = session.info.get(_DEFERRED)
    if queued is None:
        _insert_pairs(session, company_nos, min_matches)
    else:
        queued.update(dict.fromkeys(company_nos))


@contextlib.contextmanager
def pairs_deferred(session: Any) -> Iterator[None]:
    """Within the block, the pairs of every company indexed in it are found once, at its end.

    For bulk work (``contacts import``): each search for a few companies reads the index
    strings they share, so one search for all of them costs about what one batch's did. The
    pairs found are the same; a pair of two companies indexed in the block is stored lower
    number first, as ``--regenerate`` stores it. Nothing is searched when the block raises
    (the caller rolls back). Nested blocks defer to the outermost.
    """
    if _DEFERRED in session.info:
        yield
        return
    queued: dict[str, None] = {}
    session.info[_DEFERRED] = queued
    try:
        yield
    finally:
        del session.info[_DEFERRED]
    if queued:
        lines = len(setup_lines(session))
        held = session.execute(sa.select(sa.func.count()).select_from(_index)).scalar_one()
        bulk = 2 * len(queued) * lines >= held  # they hold about half the strings or more
        _insert_pairs(session, list(queued), current_threshold(session, lines), bulk=bulk)


def current_threshold(session: Any, lines: int | None = None) -> int:
    """The threshold for the current setup and ``contacts.search_hit_pct``."""
    from relcore.app import app_of

    if lines is None:
        ensure_default_setup(session)
        lines = session.execute(sa.select(sa.func.count()).select_from(_setup)).scalar_one()
    pct = app_of(session).setup.get(session, "contacts.search_hit_pct")
    return threshold(lines, pct)


def _chunks(nos: Iterable[str]) -> list[list[str]]:
    wanted = list(dict.fromkeys(nos))
    return [wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)]


# -- maintenance -----------------------------------------------------------------------------


def _delete_for(session: Any, nos: list[str], keep_separate: bool) -> None:
    session.execute(sa.delete(_index).where(_index.c.contact_company_no.in_(nos)))
    pair = sa.or_(_dup.c.contact_no.in_(nos), _dup.c.duplicate_contact_no.in_(nos))
    if keep_separate:
        pair = sa.and_(pair, _dup.c.separate_contacts == sa.false())
    session.execute(sa.delete(_dup).where(pair))


def remove_index(session: Any, contact_nos: list[str], *, keep_separate: bool = False) -> None:
    """Delete the index strings and duplicate pairs of these contacts (§2.10 ``RemoveContIndex``).

    Used when a contact is deleted or becomes a person. ``keep_separate`` keeps pairs the user
    marked as "separate contacts" (as re-indexing does).
    """
    for nos in _chunks(contact_nos):
        _delete_for(session, nos, keep_separate)


def make_index(session: Any, company_nos: list[str]) -> None:
    """Rebuild the index strings and duplicate pairs of these contacts (§2.10 ``MakeContIndex``).

    Only companies are indexed (persons in the list just lose their index). Pairs marked
    "separate contacts" are kept and not re-created (DU9).
    """
    chunks = _chunks(company_nos)
    if not chunks:
        return
    lines = setup_lines(session)
    min_matches = current_threshold(session, len(lines))
    for nos in chunks:
        _delete_for(session, nos, keep_separate=True)
        _insert_index(session, lines, _contact.c.no.in_(nos))
        _find_pairs(session, nos, min_matches)


def index_new_companies(session: Any, companies: Sequence[dict]) -> None:
    """:func:`make_index` for companies inserted just now, from their rows as written.

    A new contact has no index strings or pairs yet (deleting a contact removes its strings and
    pairs, so none are left behind for a reused number), so nothing is deleted; its strings
    are computed from the row values as :func:`search_string` does, after the columns' own bind
    processing (the stored value, e.g. a ``Code`` trimmed and upper-cased) — the same strings
    the SQL of :func:`index_select` computes, without a nested ``replace`` call per stripped
    character in the database — and bulk-inserted (``executemany`` / ``COPY``). The pairs come
    from the same SQL as :func:`make_index` (at the end of a :func:`pairs_deferred` block).
    """
    if not companies:
        return
    lines = setup_lines(session)
    min_matches = current_threshold(session, len(lines))
    dialect = session.dialect
    fields: dict[str, list[tuple[str, int]]] = {}  # field -> its setup lines (part, length)
    for line in lines:
        fields.setdefault(line["field_name"], []).append((line["part_of_field"], line["length"]))
    binds = {f: _contact.c[f].type._cached_bind_processor(dialect) for f in fields}
    for start in range(0, len(companies), _CHUNK):
        chunk = companies[start : start + _CHUNK]
        nos = [c["no"] for c in chunk]
        numbers: list[str] = []
        field_names: list[str] = []
        parts_of_field: list[str] = []
        search_strings: list[str] = []
        for field, parts in fields.items():  # one field over every company at once
            values = [c.get(field) for c in chunk]
            bind = binds[field]
            if bind is not None:
                values = [v if v is None else bind(v) for v in values]
            # search_string() for each part, each value cleaned once per field, not per part
            cleaned = [_cleaned(v) if v else "" for v in values]
            for part, length in parts:
                strings = [_part_of(v, part, length) for v in cleaned]
                kept = [i for i, string in enumerate(strings) if string]  # blanks not indexed
                numbers += map(nos.__getitem__, kept)
                search_strings += map(strings.__getitem__, kept)
                field_names += [field] * len(kept)
                parts_of_field += [part] * len(kept)
        # no check_rows: numbers come from checked contact rows, field and part from the
        # checked setup, strings are at most 10 characters of checked text (setup length 2–10);
        # the rows go in column by column, without a dict each
        bulk_insert_columns(
            session,
            _index,
            {
                "contact_company_no": numbers,
                "field_name": field_names,
                "part_of_field": parts_of_field,
                "search_string": search_strings,
            },
        )
        _find_pairs(session, nos, min_matches)


def regenerate_statements(session: Any) -> list[sa.Executable]:
    """The statements :func:`regenerate` runs, in order (report 5187, §2.10).

    Delete the index and the pairs not marked "separate contacts", insert every company's
    strings, delete the blank ones, insert the pairs. Fixed in number whatever the data size.
    """
    lines = setup_lines(session)
    min_matches = current_threshold(session, len(lines))
    cols = ["contact_company_no", "field_name", "part_of_field", "search_string"]
    pair_cols = [
        "contact_no",
        "duplicate_contact_no",
        "no_of_matching_strings",
        "separate_contacts",
    ]
    # PostgreSQL: TRUNCATE, not DELETE, so a rebuild leaves no million dead rows and bloated
    # indexes behind for the next statements and the next rebuild to wade through (it takes
    # the table's ACCESS EXCLUSIVE lock until commit; the rebuild rewrites every row anyway)
    clear = sa.text(f"TRUNCATE {_index.name}") if is_postgres(session) else sa.delete(_index)
    return [
        clear,
        sa.delete(_dup).where(_dup.c.separate_contacts == sa.false()),
        sa.insert(_index).from_select(cols, index_select(session, lines)),
        sa.delete(_index).where(_index.c.search_string == ""),
        sa.insert(_dup).from_select(pair_cols, pairs_select(None, min_matches)),
    ]


def regenerate(session: Any) -> dict[str, int]:
    """Rebuild the whole index and every pair, for all companies, set-based (report 5187).

    :returns: ``{"search_strings": n, "duplicates": m}`` (new pairs; separated pairs are kept).
    """
    counts = [
        session.execute(stmt.execution_options(preserve_rowcount=True)).rowcount
        for stmt in regenerate_statements(session)
    ]
    return {"search_strings": counts[2] - counts[3], "duplicates": counts[4]}


# -- reading and marking ----------------------------------------------------------------------


def list_duplicates(session: Any, contact_no: str | None = None) -> list[dict]:
    """Duplicate pairs with both names (the Contact Duplicates page), ordered by number."""
    other = _contact.alias("d")
    stmt = (
        sa.select(
            _dup.c.contact_no,
            _contact.c.name.label("contact_name"),
            _dup.c.duplicate_contact_no,
            other.c.name.label("duplicate_contact_name"),
            _dup.c.no_of_matching_strings,
            _dup.c.separate_contacts,
        )
        .join(_contact, _contact.c.no == _dup.c.contact_no)
        .join(other, other.c.no == _dup.c.duplicate_contact_no)
        .order_by(_dup.c.contact_no, _dup.c.duplicate_contact_no)
    )
    if contact_no is not None:
        stmt = stmt.where(
            sa.or_(_dup.c.contact_no == contact_no, _dup.c.duplicate_contact_no == contact_no)
        )
    return [dict(r._mapping) for r in session.execute(stmt)]


def _pair_where(a: str, b: str) -> Any:
    return sa.or_(
        sa.and_(_dup.c.contact_no == a, _dup.c.duplicate_contact_no == b),
        sa.and_(_dup.c.contact_no == b, _dup.c.duplicate_contact_no == a),
    )


def mark_separate(session: Any, contact_no: str, duplicate_no: str, separate: bool = True) -> dict:
    """Mark a pair as separate contacts (kept through re-indexing, §2.10), or undo it."""
    where = _pair_where(contact_no, duplicate_no)
    row = session.execute(sa.select(_dup).where(where)).first()
    if row is None:
        raise NotFoundError(
            f"is not recorded as a duplicate of contact {duplicate_no}",
            entity="Contact",
            key=contact_no,
        )
    session.execute(sa.update(_dup).where(where).values(separate_contacts=separate))
    return {**dict(row._mapping), "separate_contacts": separate}


def index_of(session: Any, contact_no: str) -> list[dict]:
    """The index strings of one contact."""
    stmt = (
        sa.select(_index)
        .where(_index.c.contact_company_no == contact_no)
        .order_by(_index.c.field_name, _index.c.part_of_field)
    )
    return [dict(r._mapping) for r in session.execute(stmt)]
