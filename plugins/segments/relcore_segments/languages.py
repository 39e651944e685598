"""Segment Interaction Languages (5104): the language versions of a segment's interaction (§5.4).

Line no. 0 rows belong to the header and are inherited by the lines; rows with a line no. are
unique to that line.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import NotFoundError
from relcore_segments import model
from relcore_segments.segments import get_segment

L = model.line
SIL = model.interaction_language


def _contact_language() -> Any:
    from relcore_contacts.api import contact_table as C

    return (
        sa.select(C.c.language_code).where(C.c.no == L.c.contact_no).correlate(L).scalar_subquery()
    )


def header_languages(session: Any, segment_no: str) -> list[dict]:
    """The header-level languages of a segment."""
    rows = session.execute(
        sa.select(SIL)
        .where(SIL.c.segment_no == segment_no, SIL.c.segment_line_no == 0)
        .order_by(SIL.c.language_code)
    )
    return [dict(r._mapping) for r in rows]


def add_language(
    session: Any,
    segment_no: str,
    language_code: str,
    *,
    description: str = "",
    subject: str = "",
    attachment_no: int | None = None,
) -> dict:
    """Add a header-level language (§5.4 insert).

    The first one becomes the default: every line with the header's template takes it. Later
    ones are taken only by lines whose contact speaks that language.
    """
    header = get_segment(session, segment_no)
    code = language_code.strip().upper()
    first = not header_languages(session, segment_no)
    row = {
        "segment_no": segment_no,
        "segment_line_no": 0,
        "language_code": code,
        "description": description,
        "subject": subject,
        "attachment_no": attachment_no,
        "word_template_code": None,
    }
    entities.insert(session, "segments.interaction_language", [row])
    template = header["interaction_template_code"]
    same_template = (
        L.c.interaction_template_code.is_(None)
        if template is None
        else L.c.interaction_template_code == template
    )
    scope = sa.and_(L.c.segment_no == segment_no, same_template)
    if first:
        entities.update(
            session,
            "segments.segment",
            segment_no,
            {"language_code_default": code, "subject_default": subject},
        )
    else:
        scope = sa.and_(scope, _contact_language() == code)
    session.execute(sa.update(L).where(scope).values(language_code=code, subject=subject))
    return row


def delete_language(session: Any, segment_no: str, language_code: str) -> None:
    """Delete a header-level language (§5.4 delete): the next language becomes the default when
    it was the default; lines that used it fall back to their contact's language or the
    default."""
    header = get_segment(session, segment_no)
    code = language_code.strip().upper()
    key = (segment_no, 0, code)
    if not entities.exists(session, "segments.interaction_language", key):
        raise NotFoundError(
            "does not exist", entity="Segment Interaction Language", key=f"{segment_no} {code}"
        )
    entities.delete(session, "segments.interaction_language", [key])
    rest = header_languages(session, segment_no)
    default, subject = header["language_code_default"], header["subject_default"]
    if default == code:
        default = rest[0]["language_code"] if rest else None
        subject = rest[0]["subject"] if rest else ""
        entities.update(
            session,
            "segments.segment",
            segment_no,
            {"language_code_default": default, "subject_default": subject},
        )
    own = (
        sa.select(SIL.c.language_code)
        .where(
            SIL.c.segment_no == segment_no,
            SIL.c.segment_line_no == 0,
            SIL.c.language_code == _contact_language(),
        )
        .scalar_subquery()
    )
    own_subject = (
        sa.select(SIL.c.subject)
        .where(
            SIL.c.segment_no == segment_no,
            SIL.c.segment_line_no == 0,
            SIL.c.language_code == _contact_language(),
        )
        .scalar_subquery()
    )
    session.execute(
        sa.update(L)
        .where(L.c.segment_no == segment_no, L.c.language_code == code)
        .values(
            language_code=sa.func.coalesce(own, default),
            subject=sa.case((own.is_not(None), own_subject), else_=subject or ""),
        )
    )
