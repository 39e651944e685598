"""Demo data: a segment built by criteria and logged, and one left open (§5.8 walkthrough)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def _first_template(session: Any) -> str | None:
    from relcore_interactions.api import template_table as template

    return session.execute(
        sa.select(template.c.code).order_by(template.c.code).limit(1)
    ).scalar_one_or_none()


def _first_salesperson(session: Any) -> str | None:
    from relcore_contacts.api import salesperson_table as sp

    return session.execute(
        sa.select(sp.c.code).where(sp.c.privacy_blocked.is_(False)).order_by(sp.c.code).limit(1)
    ).scalar_one_or_none()


def load_demo_data(app: Any, session: Any) -> None:
    """Two segments over the demo contacts: "Workshop" (companies, then their persons; saved
    as criteria WORKSHOP) stays open; "Newsletter" (every person) is logged when a template
    and a salesperson exist."""
    from relcore_segments.criteria import add_contacts
    from relcore_segments.saved_criteria import save_criteria
    from relcore_segments.segment_log import log_segment
    from relcore_segments.segments import create_segment, update_segment

    template = _first_template(session)
    salesperson = _first_salesperson(session)
    workshop = create_segment(session, {"description": "Workshop"})
    add_contacts(session, workshop["no"], {"contact": {"type": "Company"}}, expand_companies=True)
    save_criteria(session, workshop["no"], "WORKSHOP", "Companies with their persons")
    news = create_segment(session, {"description": "Newsletter"})
    added = add_contacts(session, news["no"], {"contact": {"type": "Person"}})
    if template and salesperson and added.inserted:
        update_segment(
            session,
            news["no"],
            {"interaction_template_code": template, "salesperson_code": salesperson},
        )
        log_segment(session, news["no"])


def tour(app: Any, session: Any) -> list[str]:
    """What the demo tour shows for segments."""
    from relcore_segments.logged import list_logged_segments
    from relcore_segments.segments import list_segments

    lines = [
        f"segment {s['no']}: {s['description']} ({s['no_of_lines']} lines, "
        f"{s['no_of_criteria_actions']} criteria actions)"
        for s in list_segments(session)
    ]
    lines += [
        f"logged segment {r['entry_no']}: {r['segment_no']} {r['description']} "
        f"({r['no_of_interactions']} interactions)"
        for r in list_logged_segments(session)
    ]
    lines.append(
        "Try: relcore segments show SM00001 / relcore segments add-contacts SM00001 "
        "--where contact.post_code=1000..1999"
    )
    return lines
