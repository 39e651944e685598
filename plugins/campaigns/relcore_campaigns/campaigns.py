"""Campaigns and campaign statuses: create, change, read, delete (§8.1, §8.2).

Every function takes the ``session`` first; errors name the campaign and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import NotFoundError, ValidationError
from relcore.fields import coerce_values
from relcore_campaigns import model

C = model.campaign
EDITABLE = ("description", "starting_date", "ending_date", "salesperson_code", "status_code")
"""The fields ``campaigns add`` / ``campaigns edit --set`` may set."""

ENDING_BEFORE_STARTING = "Ending Date must be after Starting Date."
"""BC's message when Ending Date is set before Starting Date (§8.1, CA2)."""
STARTING_AFTER_ENDING = "Starting Date must be before Ending Date."
"""BC's message when Starting Date is set after Ending Date (§8.1, CA3)."""


def _app(session: Any) -> Any:
    from relcore.app import app_of

    return app_of(session)


def today() -> dt.date:
    """BC ``Today`` (Last Date Modified, §9.4): the UTC calendar date."""
    return dt.datetime.now(dt.UTC).date()


def get_campaign(session: Any, no: str) -> dict:
    """The campaign row, or :class:`NotFoundError` naming it."""
    return entities.get(session, "campaigns.campaign", (no or "").strip().upper())


def coerce_campaign_values(values: Mapping[str, Any], key: Any = None) -> dict[str, Any]:
    """Typed campaign fields from user input (``--set``), errors naming campaign and field."""
    return coerce_values(C, values, entity="Campaign", key=key, allowed=EDITABLE)


def _check(session: Any, no: str, row: Mapping[str, Any], changed: Mapping[str, Any]) -> None:
    """The field rules of §8.1 for the fields in ``changed`` against the resulting ``row``."""
    starting, ending = row.get("starting_date"), row.get("ending_date")
    if starting is not None and ending is not None and ending < starting:
        if "ending_date" in changed:
            raise ValidationError(
                ENDING_BEFORE_STARTING, entity="Campaign", key=no, field="ending_date"
            )
        raise ValidationError(
            STARTING_AFTER_ENDING, entity="Campaign", key=no, field="starting_date"
        )
    code = changed.get("salesperson_code")
    if code:
        from relcore_contacts.api import salesperson_table as S

        sp = session.execute(sa.select(S.c.blocked).where(S.c.code == code)).first()
        if sp is None:
            raise ValidationError(
                f"salesperson {code} does not exist",
                entity="Campaign",
                key=no,
                field="salesperson_code",
            )
        if sp.blocked:
            raise ValidationError(
                f"salesperson {code} is blocked",
                entity="Campaign",
                key=no,
                field="salesperson_code",
            )
    status = changed.get("status_code")
    if status and not entities.exists(session, "campaigns.status", status):
        raise ValidationError(
            f"campaign status {status} does not exist",
            entity="Campaign",
            key=no,
            field="status_code",
        )


def create_campaign(
    session: Any, values: Mapping[str, Any] | None = None, *, no: str | None = None
) -> dict:
    """Insert a campaign (§8.1 OnInsert): No. from ``campaigns.campaign_nos`` (or a manual
    ``no`` when the series allows it), Salesperson = the user's (setup
    ``campaigns.salesperson_code``) unless given.

    :returns: the campaign row.
    """
    from relcore.numbering import init_no

    app = _app(session)
    typed = coerce_campaign_values(values or {}, key=no)
    drawn, used = init_no(
        session,
        "campaigns.campaign_nos",
        no=no,
        usage_date=app.work_date,
        exists=lambda n: entities.exists(session, "campaigns.campaign", n),
    )
    if no and entities.exists(session, "campaigns.campaign", drawn):
        raise ValidationError("already exists", entity="Campaign", key=drawn)
    row: dict[str, Any] = {
        "no": drawn,
        "description": "",
        "starting_date": None,
        "ending_date": None,
        "salesperson_code": app.setup.get(session, "campaigns.salesperson_code") or None,
        "status_code": None,
        "last_date_modified": None,
        "no_series": used or "",
    }
    row.update(typed)
    _check(session, drawn, row, {**typed, "salesperson_code": row["salesperson_code"]})
    entities.insert(session, "campaigns.campaign", [row])
    return get_campaign(session, drawn)


def update_campaign(session: Any, no: str, values: Mapping[str, Any]) -> dict:
    """Change campaign fields (§8.1): date order, salesperson not blocked, status exists; Last
    Date Modified = Today (OnModify)."""
    old = get_campaign(session, no)
    no = old["no"]
    changed = {k: v for k, v in coerce_campaign_values(values, key=no).items() if old[k] != v}
    if not changed:
        return old
    _check(session, no, {**old, **changed}, changed)
    changed["last_date_modified"] = today()
    return entities.update(session, "campaigns.campaign", no, changed)


def delete_campaign(session: Any, no: str) -> dict:
    """Delete a campaign (§8.1 OnDelete): its campaign entries go (bulk, the interaction log
    entries stay), its target groups are removed (deactivation without message), and so are its
    price and discount lines (they belong to it).

    :returns: what was removed: ``{"campaign_entries": n, "target_groups": n, "price_lines": n}``.
    """
    row = get_campaign(session, no)
    no = row["no"]
    removed = {}
    for name, table in (
        ("campaign_entries", model.entry),
        ("target_groups", model.target_group),
        ("price_lines", model.price_line),
    ):
        removed[name] = session.execute(sa.delete(table).where(table.c.campaign_no == no)).rowcount
    entities.delete(session, "campaigns.campaign", [no])
    return removed


def list_campaigns(session: Any) -> list[dict]:
    """Every campaign with its Activated FlowField, by number."""
    tg = model.target_group
    activated = sa.exists().where(tg.c.campaign_no == C.c.no).label("activated")
    rows = session.execute(sa.select(C, activated).order_by(C.c.no))
    return [_public(dict(r._mapping)) for r in rows]


def _public(row: dict) -> dict:
    for key in ("system_id", "created_at", "modified_at", "version"):
        row.pop(key, None)
    if "activated" in row:
        row["activated"] = bool(row["activated"])
    return row


def public_row(row: Mapping[str, Any]) -> dict:
    """A campaign row without the system columns (what the shell shows)."""
    return _public(dict(row))


def ensure_exist(session: Any, campaign_nos: list[str]) -> None:
    """Refuse campaign nos. that do not exist (§4.5 "campaign must exist"; the
    ``relcore_interactions_check_campaigns`` veto)."""
    wanted = sorted({(n or "").strip().upper() for n in campaign_nos} - {""})
    if not wanted:
        return
    found = set(session.execute(sa.select(C.c.no).where(C.c.no.in_(wanted))).scalars())
    for no in wanted:
        if no not in found:
            raise NotFoundError("does not exist", entity="Campaign", key=no)


def task_defaults(session: Any, campaign_nos: list[str]) -> dict[str, dict]:
    """Campaign no. → the salesperson a new task takes from it (§7.4 ``SetFilterFromTask``;
    the ``relcore_interactions_task_defaults`` hook)."""
    rows = session.execute(
        sa.select(C.c.no, C.c.salesperson_code).where(C.c.no.in_(campaign_nos))
    ).all()
    return {r.no: {"salesperson_code": r.salesperson_code} for r in rows}


# -- statuses (§8.2) -----------------------------------------------------------------------------


def add_status(session: Any, code: str, description: str = "") -> dict:
    """Insert a campaign status (free, informational, §8.2)."""
    values = coerce_values(
        model.status, {"code": code, "description": description}, entity="Campaign Status", key=code
    )
    if entities.exists(session, "campaigns.status", values["code"]):
        raise ValidationError("already exists", entity="Campaign Status", key=values["code"])
    entities.insert(session, "campaigns.status", [values])
    return values


def list_statuses(session: Any) -> list[dict]:
    """Every campaign status, by code."""
    S = model.status
    rows = session.execute(sa.select(S.c.code, S.c.description).order_by(S.c.code))
    return [dict(r._mapping) for r in rows]
