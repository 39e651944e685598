"""Saved criteria: save a segment's criteria, replay them on another segment, reuse a logged
segment (§5.5.4).

Deliberate fix of BC quirk §9.5 #10: a replayed Refine action honours its Entire Companies flag.
"""

from __future__ import annotations

import getpass
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import NotFoundError, ValidationError
from relcore_segments import model
from relcore_segments.criteria import (
    ADD,
    REDUCE,
    ActionResult,
    add_contacts,
    criteria_of,
    reduce_contacts,
    refine_contacts,
)
from relcore_segments.segments import get_segment, no_of_criteria_actions
from relcore_segments.sources import load_view

SC = model.saved_criteria
SCL = model.saved_criteria_line
COPIED = (
    "line_no",
    "type",
    "action",
    "source",
    "table_view",
    "allow_existing_contacts",
    "expand_contact",
    "allow_company_with_persons",
    "ignore_exclusion",
    "entire_companies",
    "no_of_filters",
)


def user_id() -> str:
    """The current user's name (BC User ID)."""
    try:
        return getpass.getuser()[:50]
    except Exception:  # no user name in this environment
        return ""


def save_criteria(session: Any, segment_no: str, code: str, description: str = "") -> dict:
    """Save the segment's criteria under ``code`` (Saved Segment Criteria 5098, §5.5.4).

    Requires at least one criteria action; the code must be new.
    """
    header = get_segment(session, segment_no)
    if no_of_criteria_actions(session, segment_no) == 0:
        raise ValidationError("has no criteria actions to save", entity="Segment", key=segment_no)
    code = (code or "").strip().upper()
    if not code:
        raise ValidationError("must not be blank", entity="Saved Segment Criteria", field="code")
    if entities.exists(session, "segments.saved_criteria", code):
        raise ValidationError("already exists", entity="Saved Segment Criteria", key=code)
    row = {"code": code, "description": description or header["description"], "user_id": user_id()}
    entities.insert(session, "segments.saved_criteria", [row])
    lines = criteria_of(session, segment_no)
    session.execute(
        sa.insert(SCL),
        [{"segment_criteria_code": code, **{k: line[k] for k in COPIED}} for line in lines],
    )
    return {**row, "no_of_actions": sum(1 for line in lines if line["type"] == "action")}


def saved_criteria_lines(session: Any, code: str) -> list[dict]:
    """The lines of a saved criteria, or :class:`NotFoundError` naming it."""
    code = (code or "").strip().upper()
    if not entities.exists(session, "segments.saved_criteria", code):
        raise NotFoundError("does not exist", entity="Saved Segment Criteria", key=code)
    rows = session.execute(
        sa.select(SCL).where(SCL.c.segment_criteria_code == code).order_by(SCL.c.line_no)
    )
    return [dict(r._mapping) for r in rows]


def list_saved_criteria(session: Any) -> list[dict]:
    """Every saved criteria with its No. of Actions (FlowField)."""
    actions = (
        sa.select(sa.func.count())
        .where(SCL.c.segment_criteria_code == SC.c.code, SCL.c.type == "action")
        .scalar_subquery()
        .label("no_of_actions")
    )
    rows = session.execute(
        sa.select(SC.c.code, SC.c.description, SC.c.user_id, actions).order_by(SC.c.code)
    )
    return [dict(r._mapping) for r in rows]


def delete_saved_criteria(session: Any, code: str) -> None:
    """Delete a saved criteria with its lines."""
    saved_criteria_lines(session, code)
    session.execute(sa.delete(SCL).where(SCL.c.segment_criteria_code == code.upper()))
    entities.delete(session, "segments.saved_criteria", [code.upper()])


def reuse_criteria(session: Any, segment_no: str, code: str) -> list[ActionResult]:
    """Replay each saved action on the segment with its saved filters and options (§5.5.4)."""
    get_segment(session, segment_no)
    lines = saved_criteria_lines(session, code)
    actions: list[tuple[dict, dict[str, dict[str, str]]]] = []
    for line in lines:
        if line["type"] == "action":
            actions.append((line, {}))
        elif actions:
            actions[-1][1][line["source"]] = load_view(line["table_view"])
    results = []
    for action, filters in actions:
        if action["action"] == ADD:
            results.append(
                add_contacts(
                    session,
                    segment_no,
                    filters,
                    allow_existing_contacts=action["allow_existing_contacts"],
                    expand_companies=action["expand_contact"],
                    allow_related_companies=action["allow_company_with_persons"],
                    ignore_exclusion=action["ignore_exclusion"],
                )
            )
        elif action["action"] == REDUCE:
            results.append(
                reduce_contacts(
                    session, segment_no, filters, entire_companies=action["entire_companies"]
                )
            )
        else:
            results.append(
                refine_contacts(
                    session, segment_no, filters, entire_companies=action["entire_companies"]
                )
            )
    return results


def reuse_logged_segment(session: Any, segment_no: str, logged_entry_no: int) -> ActionResult:
    """Add the contacts of a logged segment's interactions (Reuse Logged Segment, §5.5.4).

    Recorded as an Add Contacts action (Allow Existing Contacts) with an interaction filter on
    the logged segment entry no., so saved criteria replay it.
    """
    logged = entities.find(session, "segments.logged_segment", logged_entry_no)
    if logged is None:
        raise NotFoundError("does not exist", entity="Logged Segment", key=logged_entry_no)
    return add_contacts(
        session,
        segment_no,
        {"interaction": {"logged_segment_entry_no": str(logged_entry_no)}},
        allow_existing_contacts=True,
        ignore_exclusion=True,
    )
