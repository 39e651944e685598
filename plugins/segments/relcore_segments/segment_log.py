"""Logging a segment (``SegManagement.LogSegment``, report 5185 "Log Segment", §5.6).

Everything happens in the caller's transaction: an error (or a killed process) leaves no
half-logged segment. The lines are checked first with set-based validation queries (§4.5
``CheckSegmentLine``; the first failing line is named), then logged set-based by default
(:func:`relcore_interactions.api.log_lines`: one ``INSERT … SELECT`` for all entries, entry
numbers drawn in one go, one ``UPDATE`` for the attachments they use). The record-by-record path
(lines read in batches of :data:`BATCH_SIZE` and logged through the core contract
:func:`relcore.interactions.log_interactions`) remains for segments whose template has a merge
attachment (rendered per contact) and with ``set_based=False``; both write the same entries.
After all entries are written, ``relcore_segments_logged`` is called once with the logged
segment (campaign entries are made there, set-based).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from relcore_interactions.api import LINE_COLUMNS

from relcore import entities
from relcore.errors import ValidationError
from relcore.interactions import InteractionRecord, log_interactions
from relcore.ledger import next_entry_nos
from relcore_segments import model
from relcore_segments.saved_criteria import reuse_logged_segment, user_id
from relcore_segments.segments import create_segment, delete_segment, get_segment

L = model.line
LS = model.logged_segment

BATCH_SIZE = 10_000
"""Lines turned into interaction records per call of the logging contract."""

FOLLOW_UP_DESCRIPTION = "Follow-up on segment {}"

SET_BASED = True
"""Whether :func:`log_segment` logs set-based when its caller does not say (tests run the
segments suite on both paths by switching this)."""


@attrs.frozen
class LogResult:
    """What logging a segment did (``relcore segments log --json``)."""

    logged_segment_entry_no: int
    interactions: int
    follow_up_segment_no: str | None = None
    delivered: int = 0


def entry_no_of(entry: Any) -> int:
    """The entry no. of an entry returned by the logging contract (a row dict or an object)."""
    if isinstance(entry, dict):
        return entry["entry_no"]
    mapping = getattr(entry, "_mapping", None)
    if mapping is not None:
        return mapping["entry_no"]
    return entry.entry_no


_LINE_FIELDS = LINE_COLUMNS
"""The line fields an interaction is built from (``CopyFromSegment``), in the order
:func:`_record` unpacks them."""


def _record(line: Sequence[Any], logged_entry_no: int, deliver: bool) -> InteractionRecord:
    """The interaction of one segment line (``CopyFromSegment``, §5.6 step 5); ``line`` holds
    the :data:`_LINE_FIELDS` in order. The log-entry fields without an
    :class:`InteractionRecord` attribute go to ``extra``; with ``deliver`` and a correspondence
    type, Delivery Status = In Progress (§5.6 step 5)."""
    (
        _line_no,
        contact_no,
        template_code,
        date,
        description,
        information_flow,
        initiated_by,
        cost,
        duration,
        salesperson_code,
        campaign_no,
        campaign_target,
        campaign_response,
        opportunity_no,
        segment_no,
        document_type,
        document_no,
        successful,
        evaluation,
        correspondence_type,
        language_code,
        subject,
        alt_address_code,
        contact_via,
        to_do_no,
    ) = line
    extra: dict[str, Any] = {}
    if deliver and correspondence_type:
        extra["delivery_status"] = "in_progress"
    if alt_address_code:
        extra["contact_alt_address_code"] = alt_address_code
    if contact_via:
        extra["contact_via"] = contact_via
    if to_do_no:
        extra["to_do_no"] = to_do_no
    return InteractionRecord(
        contact_no=contact_no,
        template_code=template_code,
        date=date,
        description=description,
        information_flow=information_flow,
        initiated_by=initiated_by,
        cost=cost,
        duration=duration,
        salesperson_code=salesperson_code,
        campaign_no=campaign_no,
        campaign_target=campaign_target,
        campaign_response=campaign_response,
        opportunity_no=opportunity_no,
        segment_no=segment_no,
        logged_segment_entry_no=logged_entry_no,
        document_type=document_type or None,
        document_no=document_no or None,
        attempt_failed=not successful,
        evaluation=evaluation or None,
        correspondence_type=correspondence_type or "",
        language_code=language_code,
        subject=subject or None,
        extra=extra,
    )


def _read_batch(
    session: Any, segment_no: str, after_line: int, logged_entry_no: int, deliver: bool
) -> tuple[list[InteractionRecord], list[bool], int]:
    """The interaction records of the next :data:`BATCH_SIZE` lines after line ``after_line``
    (a keyset chunk; the lines stream from the cursor straight into records), with ``deliver`` a
    flag per record (the line has a correspondence type, §5.6 step 9), and the last line no.
    read."""
    result = session.execute(
        sa.select(*(L.c[name] for name in _LINE_FIELDS))
        .where(L.c.segment_no == segment_no, L.c.line_no > after_line)
        .order_by(L.c.line_no)
        .limit(BATCH_SIZE)
    )
    lines = result.all()  # one fetchall (the batch is bounded): not a fetchone per row
    records = [_record(line, logged_entry_no, deliver) for line in lines]
    if lines:
        after_line = lines[-1][0]
    del lines
    typed = [bool(r.correspondence_type) for r in records] if deliver else []
    return records, typed, after_line


def _claim(session: Any, segment_no: str) -> None:
    """Lock the segment header for this transaction and refuse a segment already logged (§5.6
    step 1).

    Two processes logging the same segment at once: the second waits for the first's commit
    (PostgreSQL row lock; SQLite serialises writers anyway), then finds the Logged Segment the
    first wrote and gets the one-line "already logged" error instead of a key violation.
    """
    if session.dialect.name == "postgresql":
        session.execute(
            sa.select(model.header.c.no).where(model.header.c.no == segment_no).with_for_update()
        ).first()
    if session.execute(
        sa.select(LS.c.entry_no).where(LS.c.segment_no == segment_no).limit(1)
    ).first():
        no = str(segment_no).strip().upper()
        raise ValidationError(f"Logged Segment for Segment No. {no} already exists.")


def _check(session: Any, header: dict) -> None:
    """§5.6 steps 2, 6 and ``CheckSegmentLine``: refuse before anything is written."""
    no = header["no"]
    if not header["description"]:
        raise ValidationError("must have a value", entity="Segment", key=no, field="description")
    if session.execute(sa.select(L.c.line_no).where(L.c.segment_no == no).limit(1)).first() is None:
        raise ValidationError(f"Segment {no} is empty.")
    blank = session.execute(
        sa.select(L.c.line_no)
        .where(L.c.segment_no == no, sa.func.coalesce(L.c.interaction_template_code, "") == "")
        .order_by(L.c.line_no)
        .limit(1)
    ).first()
    if blank is not None:
        raise ValidationError(
            "must have a value",
            entity="Segment Line",
            key=f"{no} {blank.line_no}",
            field="interaction_template_code",
        )


def _insert_logged_segment(session: Any, header: dict) -> dict:
    """Logged Segment (5075): Entry No. from the core ledger (BC: last + 1), Creation Date =
    Today (§5.6 step 3, §9.4)."""
    row = {
        "entry_no": next_entry_nos(session, LS, 1)[0],
        "segment_no": header["no"],
        "description": header["description"],
        "creation_date": dt.datetime.now(dt.UTC).date(),
        "user_id": user_id(),
        "canceled": False,
    }
    entities.insert(session, "segments.logged_segment", [row])
    return row


def _lines(segment_no: str) -> sa.Select:
    """The segment's lines as the SELECT the set-based logging reads."""
    return sa.select(*(L.c[name] for name in _LINE_FIELDS)).where(L.c.segment_no == segment_no)


def _segments_logged(session: Any, app: Any, logged: dict) -> None:
    """``relcore_segments_logged`` once, after every entry of the logged segment exists."""
    app.pm.hook.relcore_segments_logged(session=session, logged_segments=[logged])


def log_segment(
    session: Any,
    segment_no: str,
    *,
    deliver: bool = False,
    follow_up: bool = False,
    set_based: bool | None = None,
) -> LogResult:
    """Log a segment (§5.6): a Logged Segment, one interaction per line, then delete it.

    :param deliver: "Send Attachments": hand the entries whose correspondence type is set to the
        interactions plugin's delivery; a line with correspondence type Email whose contact (and
        alternative address) has no e-mail is refused then, as BC does (§4.5).
    :param follow_up: "Create Follow-up Segment": a new segment with the same campaign and the
        logged contacts (Reuse Logged Segment).
    :param set_based: log with set-based SQL (None: :data:`SET_BASED`, True by default); False
        logs record by record (same entries; kept for comparison and for merge templates,
        which always go that way).
    """
    from relcore_interactions import api as interactions

    from relcore.app import app_of

    app = app_of(session)
    _claim(session, segment_no)
    header = get_segment(session, segment_no)
    _check(session, header)
    lines = _lines(segment_no)
    checked = interactions.check_lines(session, lines, deliver=deliver, key_prefix=segment_no)
    logged = _insert_logged_segment(session, header)
    if set_based is None:
        set_based = SET_BASED
    if set_based and not checked.needs_records:
        first, total, last = interactions.log_lines(
            session,
            checked,
            logged_segment_entry_no=logged["entry_no"],
            deliver=deliver,
            key_prefix=segment_no,
        )
        delivered = 0
        if deliver and total:
            E = interactions.log_entry_table
            nos = list(
                session.execute(
                    sa.select(E.c.entry_no)
                    .where(
                        E.c.entry_no.between(first, last),
                        E.c.logged_segment_entry_no == logged["entry_no"],
                        E.c.delivery_status == "in_progress",
                    )
                    .order_by(E.c.entry_no)
                ).scalars()
            )
            if nos:
                interactions.deliver(session, nos)
            delivered = len(nos)
    else:
        total, delivered = _log_records(session, segment_no, logged, deliver)
    _segments_logged(session, app, logged)
    delete_segment(session, segment_no)
    follow_up_no = None
    if follow_up:
        new = create_segment(
            session,
            {
                "description": FOLLOW_UP_DESCRIPTION.format(segment_no)[:50],
                "campaign_no": header["campaign_no"],
            },
        )
        reuse_logged_segment(session, new["no"], logged["entry_no"])
        follow_up_no = new["no"]
    return LogResult(logged["entry_no"], total, follow_up_no, delivered)


def _log_records(session: Any, segment_no: str, logged: dict, deliver: bool) -> tuple[int, int]:
    """The record-by-record path: (entries written, entries handed to delivery)."""
    deliverer = None
    if deliver:
        from relcore_interactions.api import deliver as deliverer
    total = delivered = 0
    last_line = -1
    while True:
        records, typed, last_line = _read_batch(
            session, segment_no, last_line, logged["entry_no"], deliver
        )
        if not records:
            break
        entries = log_interactions(session, records)
        del records
        if deliverer is not None:
            nos = [entry_no_of(e) for e, has_type in zip(entries, typed, strict=True) if has_type]
            if nos:
                deliverer(session, nos)
            delivered += len(nos)
        total += len(entries)
        del entries, typed
    return total, delivered
