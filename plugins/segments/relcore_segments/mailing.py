"""Apply Mailing Group (report, §5.5.5): give a mailing group to every contact of a segment."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore_segments import model
from relcore_segments.segments import get_segment

L = model.line


def apply_mailing_group(
    session: Any, segment_no: str, mailing_group_code: str, *, remove_existing: bool = False
) -> int:
    """Assign ``mailing_group_code`` to the segment's contacts in one ``INSERT ... SELECT``.

    :param remove_existing: first remove this mailing group from every contact that has it.
    :returns: the number of contacts that got it.
    """
    from relcore_contacts.api import mailing_group_link_table as cmg

    get_segment(session, segment_no)
    code = mailing_group_code.strip().upper()
    entities.get(session, "contacts.mailing_group", code)
    if remove_existing:
        session.execute(sa.delete(cmg).where(cmg.c.mailing_group_code == code))
    have = sa.select(cmg.c.contact_no).where(cmg.c.mailing_group_code == code)
    select = (
        sa.select(L.c.contact_no, sa.literal(code, cmg.c.mailing_group_code.type))
        .where(L.c.segment_no == segment_no, L.c.contact_no.not_in(have))
        .distinct()
    )

    def count() -> int:
        return session.execute(
            sa.select(sa.func.count()).select_from(cmg).where(cmg.c.mailing_group_code == code)
        ).scalar_one()

    before = count()
    session.execute(sa.insert(cmg).from_select(["contact_no", "mailing_group_code"], select))
    return count() - before
