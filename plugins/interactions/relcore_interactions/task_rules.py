"""The field rules of a task (BC table 5080 "To-do" OnValidate triggers, §7.1, §7.4 CheckStatus).

:func:`apply_rules` takes a task row as it will be written (and the row before, for a change) and
derives and checks every dependent field in BC's order: contact → company, opportunity → active
entry, interaction template defaults (``UpdateInteractionTemplate``), type change, all-day events,
duration and ending date/time (``GetEndDateTime`` / ``SetDuration``), date range, owner (team or
salesperson), meeting organizer, recurrence. Errors name the task and the field; nothing is written
here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import sqlalchemy as sa

from relcore.errors import NotFoundError, ValidationError
from relcore_interactions import references
from relcore_interactions.model import template, template_language

ENTITY = "Task"
MINUTE_MS = 60_000
DAY_MS = 24 * 60 * MINUTE_MS
MAX_DURATION_MS = (365 * 10 + 3) * DAY_MS  # 10 years (with their leap days)
DATE_MIN, DATE_MAX = dt.date(1900, 1, 1), dt.date(2999, 12, 31)

TYPE_CHANGE_ERR = (
    "You cannot change a Task type from Blank or Phone Call to Meeting and vice versa. You can "
    "only change a Task type from Blank to Phone Call or from Phone Call to Blank."
)
OWNER_ERR = "You must fill in either the Team Code field or the Salesperson Code field."
ORGANIZER_CHANGE_ERR = (
    "You cannot change the Salesperson Code for this Task, because this salesperson is the "
    "meeting organizer."
)
_DURATION = re.compile(r"(\d+)\s*(d|h|m|s|ms)", re.I)
_UNIT_MS = {"d": DAY_MS, "h": 3_600_000, "m": MINUTE_MS, "s": 1000, "ms": 1}


def fail(key: Any, field: str | None, message: str) -> None:
    """Raise the task's :class:`ValidationError`."""
    raise ValidationError(message, entity=ENTITY, key=key or None, field=field)


def parse_duration(text: str | int) -> int:
    """``"90m"``, ``"2h"``, ``"1d"``, ``"1h30m"``, ``"30s"`` or minutes (``"45"``) → ms."""
    if isinstance(text, int):
        return text
    raw = str(text).strip().lower()
    if re.fullmatch(r"-?\d+", raw):
        return int(raw) * MINUTE_MS
    sign = -1 if raw.startswith("-") else 1
    body = raw.lstrip("-").replace(" ", "")
    parts = _DURATION.findall(body)
    if not parts or "".join(n + u for n, u in parts) != body:
        raise ValidationError(
            f"{text!r} is not a duration (e.g. 90m, 2h, 1d, 1h30m)", entity=ENTITY, field="duration"
        )
    return sign * sum(int(n) * _UNIT_MS[u.lower()] for n, u in parts)


def duration_min(ms: int) -> int | float:
    """Milliseconds as minutes (a whole number unless seconds are involved)."""
    return ms // MINUTE_MS if ms % MINUTE_MS == 0 else ms / MINUTE_MS


def check_duration(key: Any, ms: int) -> None:
    """§7.1 Duration: not negative, at least 1 minute, at most 10 years (TK7)."""
    if ms < 0:
        fail(key, "duration", "The duration cannot be negative.")
    if ms < MINUTE_MS:
        fail(
            key,
            "duration",
            f"The duration of {duration_min(ms)} minutes is less than 1 minute, which is not "
            "allowed. Please enter a value of at least 1 minute.",
        )
    if ms > MAX_DURATION_MS:
        fail(key, "duration", "The duration cannot be more than 10 years.")


def _start(row: dict) -> dt.datetime:
    return dt.datetime.combine(row["date"], row["start_time"] or dt.time(0))


def end_date_time(row: dict) -> tuple[dt.date, dt.time | None]:
    """BC ``GetEndDateTime``: all-day events end on the last day (no time)."""
    if row["all_day_event"]:
        days = max(1, row["duration_ms"] // DAY_MS)
        return row["date"] + dt.timedelta(days=days - 1), None
    end = _start(row) + dt.timedelta(milliseconds=row["duration_ms"])
    return end.date(), end.time()


def duration_from_end(row: dict) -> int:
    """BC ``SetDuration``: the duration from Date/Start Time to Ending Date/Ending Time."""
    if row["all_day_event"]:
        return ((row["ending_date"] - row["date"]).days + 1) * DAY_MS
    end = dt.datetime.combine(row["ending_date"], row["ending_time"] or dt.time(0))
    return int((end - _start(row)).total_seconds() * 1000)


def _changed(row: dict, old: dict | None, field: str) -> bool:
    return old is None or row.get(field) != old.get(field)


def _contact(session: Any, row: dict, old: dict | None) -> None:
    """Contact No. → Contact Company No. (§7.1); the contact must be usable (privacy)."""
    if not _changed(row, old, "contact_no"):
        return
    if not row.get("contact_no"):
        row["contact_company_no"] = None
        return
    from relcore_contacts.api import ensure_usable

    try:
        contact = ensure_usable(session, [row["contact_no"]])[row["contact_no"]]
    except NotFoundError:
        fail(row.get("no"), "contact_no", f"contact {row['contact_no']!r} does not exist")
    company = contact["no"] if contact["type"] == "company" else contact["company_no"]
    row["contact_company_no"] = company or None


def _references(session: Any, row: dict, old: dict | None) -> None:
    """Campaign / segment / opportunity exist (through the hooks); Opportunity Entry No. :=
    the opportunity's active entry (§7.1)."""
    for field, check in (
        ("campaign_no", references.check_campaigns),
        ("segment_no", references.check_segments),
        ("opportunity_no", references.check_opportunities),
    ):
        if _changed(row, old, field) and row.get(field):
            check(session, [row[field]])
    if _changed(row, old, "opportunity_no"):
        entries = references.active_opportunity_entries(session, [row.get("opportunity_no")])
        row["opportunity_entry_no"] = entries.get(row.get("opportunity_no") or "", 0)


def template_defaults(session: Any, code: str | None, row: dict) -> None:
    """BC ``UpdateInteractionTemplate`` (§7.1): language (and that language version's
    attachment), subject, unit cost and duration from the template; its campaign when the task
    has none."""
    if not code:
        return
    tpl = session.execute(sa.select(template).where(template.c.code == code)).first()
    if tpl is None:
        fail(
            row.get("no"),
            "interaction_template_code",
            f"interaction template {code!r} does not exist",
        )
    row["language_code"] = tpl.language_code_default or ""
    row["attachment_no"] = session.execute(
        sa.select(template_language.c.attachment_no).where(
            template_language.c.interaction_template_code == code,
            template_language.c.language_code == row["language_code"],
        )
    ).scalar()
    row["subject"] = tpl.description
    row["unit_cost_lcy"] = tpl.unit_cost
    row["unit_duration_min"] = tpl.unit_duration
    if not row.get("campaign_no") and tpl.campaign_no:
        row["campaign_no"] = tpl.campaign_no


def _owner(session: Any, row: dict, old: dict | None) -> None:
    """Team or salesperson required; the salesperson must exist and not be blocked; a meeting's
    organizer cannot be changed (§7.1, §7.3)."""
    key = row.get("no")
    if not row.get("team_code") and not row.get("salesperson_code"):
        fail(key, "salesperson_code", OWNER_ERR)
    if row.get("team_code") and _changed(row, old, "team_code"):
        from relcore_contacts.api import team_table as team

        if (
            session.execute(sa.select(team.c.code).where(team.c.code == row["team_code"])).first()
            is None
        ):
            fail(key, "team_code", f"team {row['team_code']!r} does not exist")
    for field in ("salesperson_code", "completed_by"):
        code = row.get(field)
        if code and _changed(row, old, field):
            _usable_salesperson(session, key, field, code)
    if (
        old is not None
        and old["type"] == "meeting"
        and old.get("salesperson_code")
        and row.get("salesperson_code") != old["salesperson_code"]
        and not old.get("team_code")
    ):
        fail(key, "salesperson_code", ORGANIZER_CHANGE_ERR)


def _usable_salesperson(session: Any, key: Any, field: str, code: str) -> None:
    from relcore_contacts.api import salesperson_table as sp

    found = session.execute(
        sa.select(sp.c.blocked, sp.c.privacy_blocked).where(sp.c.code == code)
    ).first()
    if found is None:
        fail(key, field, f"salesperson {code!r} does not exist")
    if found.blocked:
        fail(key, field, f"salesperson {code} is blocked")
    if found.privacy_blocked:
        fail(key, field, f"salesperson {code} is privacy blocked and cannot be used")


def _timing(row: dict, old: dict | None) -> None:
    """All-day events, duration and the derived ending date/time (§7.1)."""
    key = row.get("no")
    if not row.get("date"):
        fail(key, "date", "You must fill in the Date field.")
    for field in ("date", "ending_date"):
        value = row.get(field)
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            fail(
                key,
                field,
                f"The valid range of dates is from {DATE_MIN:%m/%d/%Y} to {DATE_MAX:%m/%d/%Y}. "
                "Please enter a date within this range.",
            )
    ending_edited = (
        old is not None
        and (_changed(row, old, "ending_date") or _changed(row, old, "ending_time"))
        and not _changed(row, old, "duration_ms")
    )
    if ending_edited and row.get("ending_date"):
        row["duration_ms"] = duration_from_end(row)
    if row["all_day_event"]:
        row["start_time"] = None
        if row["duration_ms"] >= 0:  # rounded to whole days, at least one
            row["duration_ms"] = max(1, math.ceil(row["duration_ms"] / DAY_MS)) * DAY_MS
    check_duration(key, row["duration_ms"])
    row["ending_date"], row["ending_time"] = end_date_time(row)


def _type(row: dict, old: dict | None) -> None:
    """After creation, Meeting ↔ non-Meeting is refused (TK6); a meeting needs a start time
    unless it is an all-day event (§7.4 CheckStatus)."""
    key = row.get("no")
    if old is not None and (row["type"] == "meeting") != (old["type"] == "meeting"):
        fail(key, "type", TYPE_CHANGE_ERR)
    if row["type"] == "meeting" and not row["all_day_event"] and row.get("start_time") is None:
        fail(key, "start_time", "You must fill in the Start Time field.")


def _recurring(row: dict) -> None:
    key = row.get("no")
    if row.get("recurring"):
        if not row.get("recurring_date_interval"):
            fail(key, "recurring_date_interval", "Recurring Date Interval must be specified.")
        if not row.get("calc_due_date_from"):
            fail(key, "calc_due_date_from", "Calc. Due Date From must be specified.")


def apply_rules(session: Any, row: dict, old: dict | None = None) -> dict:
    """Derive and check a task row before it is written (see the module docstring).

    :param row: the full row as it will be written (changed in place and returned).
    :param old: the row before a change, ``None`` for a new task.
    """
    if not str(row.get("description") or "").strip():
        fail(row.get("no"), "description", "You must fill in the Description field.")
    _contact(session, row, old)
    if _changed(row, old, "interaction_template_code"):
        template_defaults(session, row.get("interaction_template_code"), row)
    _references(session, row, old)
    _type(row, old)
    _timing(row, old)
    _owner(session, row, old)
    _recurring(row)
    row["system_to_do_type"] = "team" if row.get("team_code") else "organizer"
    return row
