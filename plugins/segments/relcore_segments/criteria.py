"""Building the contact list: Add Contacts, Remove Contacts – Reduce / Refine, Go Back (§5.5).

Each action is set-based whatever the number of contacts: one ``INSERT ... SELECT`` (add) or one
``INSERT ... SELECT`` of history rows plus one ``DELETE ... WHERE`` (remove), the history rows
(§5.5.3) and its criteria lines: one Action line and one Filter line per source with filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import sqlalchemy as sa

from relcore.errors import ValidationError
from relcore_segments import model
from relcore_segments.line_events import lines_changed
from relcore_segments.line_init import company_of, grouped_order, insert_lines
from relcore_segments.segments import get_segment, no_of_criteria_actions
from relcore_segments.sources import Filters, compile_criteria, dump_view

L = model.line
HIST = model.history
CL = model.criteria_line

ADD = "add_contacts"
REDUCE = "remove_contacts_reduce"
REFINE = "remove_contacts_refine"


@attrs.frozen
class ActionResult:
    """What one criteria action did."""

    segment_no: str
    action: str
    action_no: int
    inserted: int = 0
    deleted: int = 0


def _app(session: Any) -> Any:
    from relcore.app import app_of

    return app_of(session)


def _contacts() -> Any:
    from relcore_contacts.api import contact_table

    return contact_table


def _record_criteria(
    session: Any, segment_no: str, action: str, filters: Filters, options: Mapping[str, bool]
) -> None:
    """Append one Action criteria line and a Filter line per source with filters (§5.5)."""
    last = session.execute(
        sa.select(sa.func.coalesce(sa.func.max(CL.c.line_no), 0)).where(
            CL.c.segment_no == segment_no
        )
    ).scalar_one()
    used = {name: fields for name, fields in filters.items() if fields}
    flags = {
        k: False
        for k in (
            "allow_existing_contacts",
            "expand_contact",
            "allow_company_with_persons",
            "ignore_exclusion",
            "entire_companies",
        )
    }
    flags.update(options)
    rows = [
        {
            "segment_no": segment_no,
            "line_no": last + 1,
            "type": "action",
            "action": action,
            "source": "",
            "table_view": "",
            "no_of_filters": len(used),
            **flags,
        }
    ]
    for i, (name, fields) in enumerate(used.items(), start=2):
        rows.append(
            {
                "segment_no": segment_no,
                "line_no": last + i,
                "type": "filter",
                "action": action,
                "source": name,
                "table_view": dump_view(fields),
                "no_of_filters": 0,
                **{k: False for k in flags},
            }
        )
    session.execute(sa.insert(CL), rows)


def _history_from_lines(
    session: Any, segment_no: str, action_no: int, where: Any, action_taken: str
) -> int:
    """Write history rows for the lines matching ``where`` (one ``INSERT ... SELECT``)."""
    select = sa.select(
        L.c.segment_no,
        sa.literal(action_no),
        L.c.line_no,
        L.c.contact_no,
        sa.literal(action_taken, sa.String()),
    ).where(L.c.segment_no == segment_no, where)
    cols = ["segment_no", "segment_action_no", "segment_line_no", "contact_no", "action_taken"]
    stmt = sa.insert(HIST).from_select(cols, select)
    # the row count kept by the driver (psycopg: the command tag), not a second scan counting
    return session.execute(stmt.execution_options(preserve_rowcount=True)).rowcount


def add_contacts(
    session: Any,
    segment_no: str,
    filters: Filters | None = None,
    *,
    allow_existing_contacts: bool = False,
    expand_companies: bool = False,
    allow_related_companies: bool = False,
    ignore_exclusion: bool = False,
) -> ActionResult:
    """Add Contacts (report 5198, §5.5.1): the contacts passing every source's filters.

    :param allow_existing_contacts: also add contacts already on the segment.
    :param expand_companies: add the persons of each selected company.
    :param allow_related_companies: add the company of each selected person.
    :param ignore_exclusion: add contacts marked "Exclude from Segment" too.
    """
    filters = filters or {}
    header = get_segment(session, segment_no)
    compiled = compile_criteria(_app(session), filters)
    contact = _contacts()
    c = contact.alias("c")
    k = contact.alias("k")
    selected = compiled.condition(c)
    if expand_companies:
        companies = sa.select(k.c.no).where(k.c.type == "company", compiled.condition(k))
        selected = sa.or_(selected, sa.and_(c.c.type == "person", c.c.company_no.in_(companies)))
    if allow_related_companies:
        persons_companies = sa.select(k.c.company_no).where(
            k.c.type == "person", k.c.company_no.is_not(None), compiled.condition(k)
        )
        selected = sa.or_(selected, sa.and_(c.c.type == "company", c.c.no.in_(persons_companies)))
    # privacy-blocked contacts are never added: BC refuses interacting with them, so logging
    # the segment would fail on them (#13 item 2, docs/segments.md)
    where = [selected, c.c.privacy_blocked.is_(False)]
    if not ignore_exclusion:
        where.append(c.c.exclude_from_segment.is_(False))
    if not allow_existing_contacts:
        where.append(c.c.no.not_in(sa.select(L.c.contact_no).where(L.c.segment_no == segment_no)))
    action_no = no_of_criteria_actions(session, segment_no) + 1
    last, inserted = insert_lines(session, header, c, sa.and_(*where), grouped_order(c))
    if inserted:
        _history_from_lines(session, segment_no, action_no, L.c.line_no > last, "insertion")
    _record_criteria(
        session,
        segment_no,
        ADD,
        filters,
        {
            "allow_existing_contacts": allow_existing_contacts,
            "expand_contact": expand_companies,
            "allow_company_with_persons": allow_related_companies,
            "ignore_exclusion": ignore_exclusion,
        },
    )
    if inserted:
        lines_changed(session, [segment_no])
    return ActionResult(segment_no, ADD, action_no, inserted=inserted)


def _remove(
    session: Any, segment_no: str, filters: Filters, entire_companies: bool, action: str
) -> ActionResult:
    """Reduce (remove matching lines) or Refine (keep only matching lines) (§5.5.2)."""
    get_segment(session, segment_no)
    compiled = compile_criteria(_app(session), filters or {})
    c = _contacts().alias("c")
    if entire_companies:
        # A match on any contact of a company counts for every line of that company.
        matched = sa.select(sa.func.coalesce(company_of(c), c.c.no)).where(compiled.condition(c))
        key = sa.func.coalesce(L.c.contact_company_no, L.c.contact_no)
        matches = key.in_(matched)
    elif compiled.is_empty:
        matches = sa.true()
    else:
        matches = L.c.contact_no.in_(sa.select(c.c.no).where(compiled.condition(c)))
    doomed = matches if action == REDUCE else sa.not_(matches)
    action_no = no_of_criteria_actions(session, segment_no) + 1
    deleted = _history_from_lines(session, segment_no, action_no, doomed, "deletion")
    if deleted:
        session.execute(
            sa.delete(L).where(
                L.c.segment_no == segment_no,
                L.c.line_no.in_(
                    sa.select(HIST.c.segment_line_no).where(
                        HIST.c.segment_no == segment_no, HIST.c.segment_action_no == action_no
                    )
                ),
            )
        )
    _record_criteria(
        session, segment_no, action, filters or {}, {"entire_companies": entire_companies}
    )
    if deleted:
        lines_changed(session, [segment_no])
    return ActionResult(segment_no, action, action_no, deleted=deleted)


def reduce_contacts(
    session: Any, segment_no: str, filters: Filters | None = None, *, entire_companies: bool = False
) -> ActionResult:
    """Remove Contacts – Reduce (report 5197): delete the lines whose contact matches (§5.5.2).

    With no filters every contact matches, so the segment is emptied.
    """
    return _remove(session, segment_no, filters or {}, entire_companies, REDUCE)


def refine_contacts(
    session: Any, segment_no: str, filters: Filters | None = None, *, entire_companies: bool = False
) -> ActionResult:
    """Remove Contacts – Refine: keep only the lines whose contact matches (§5.5.2)."""
    return _remove(session, segment_no, filters or {}, entire_companies, REFINE)


def go_back(session: Any, segment_no: str) -> ActionResult:
    """Go Back / Undo the latest criteria action (§5.5.3), LIFO when repeated.

    Lines it inserted are deleted; contacts it deleted get new lines (last + 10000, initialised
    from the header); its history rows and criteria lines go.
    """
    from relcore_segments.line_init import insert_lines

    header = get_segment(session, segment_no)
    action_no = no_of_criteria_actions(session, segment_no)
    if action_no == 0:
        raise ValidationError("has no criteria actions to undo", entity="Segment", key=segment_no)
    this = sa.and_(HIST.c.segment_no == segment_no, HIST.c.segment_action_no == action_no)
    removed = session.execute(
        sa.delete(L).where(
            L.c.segment_no == segment_no,
            L.c.line_no.in_(
                sa.select(HIST.c.segment_line_no).where(this, HIST.c.action_taken == "insertion")
            ),
        )
    ).rowcount
    h = HIST.alias("h")
    c = _contacts().alias("c")
    joined = c.join(
        h,
        sa.and_(
            h.c.contact_no == c.c.no,
            h.c.segment_no == segment_no,
            h.c.segment_action_no == action_no,
            h.c.action_taken == "deletion",
        ),
    )
    last, restored = insert_lines(
        session, header, c, sa.true(), [h.c.segment_line_no], from_=joined
    )
    if restored:
        _renumber_history(session, segment_no, action_no, last)
    session.execute(sa.delete(HIST).where(this))
    last_action = session.execute(
        sa.select(sa.func.max(CL.c.line_no)).where(
            CL.c.segment_no == segment_no, CL.c.type == "action"
        )
    ).scalar_one()
    session.execute(sa.delete(CL).where(CL.c.segment_no == segment_no, CL.c.line_no >= last_action))
    if removed or restored:
        lines_changed(session, [segment_no])
    return ActionResult(segment_no, "go_back", action_no, inserted=restored, deleted=removed)


def _renumber_history(session: Any, segment_no: str, action_no: int, last: int) -> None:
    """Point earlier actions' insertion rows at the lines restored under new numbers, so a
    further Go Back removes exactly them (restored line k = last + 10000 × k in old order)."""
    d = HIST.alias("d")
    deleted = sa.and_(
        d.c.segment_no == segment_no,
        d.c.segment_action_no == action_no,
        d.c.action_taken == "deletion",
    )
    rank = (
        sa.select(sa.func.count())
        .where(deleted, d.c.segment_line_no <= HIST.c.segment_line_no)
        .correlate(HIST)
        .scalar_subquery()
    )
    session.execute(
        sa.update(HIST)
        .where(
            HIST.c.segment_no == segment_no,
            HIST.c.segment_action_no < action_no,
            HIST.c.action_taken == "insertion",
            HIST.c.segment_line_no.in_(sa.select(d.c.segment_line_no).where(deleted)),
        )
        .values(segment_line_no=last + 10000 * rank)
    )


def criteria_of(session: Any, segment_no: str) -> list[dict]:
    """The segment's criteria lines in order (Action lines followed by their Filter lines)."""
    rows = session.execute(
        sa.select(CL).where(CL.c.segment_no == segment_no).order_by(CL.c.line_no)
    )
    return [dict(r._mapping) for r in rows]
