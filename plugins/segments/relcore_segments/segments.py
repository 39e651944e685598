"""Segment headers: create, change (with header → line propagation), read, delete (§5.1, §5.2).

Every function takes the ``session`` first and works set-based on the segment's lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import NotFoundError, ValidationError
from relcore.fields import coerce_values
from relcore_segments import model
from relcore_segments.line_events import lines_changed
from relcore_segments.line_init import active_alt_address, correspondence_type

H = model.header
L = model.line

READ_ONLY = {"no", "no_series"}


def _app(session: Any) -> Any:
    from relcore.app import app_of

    return app_of(session)


def get_segment(session: Any, no: str) -> dict:
    """The segment header row, or :class:`NotFoundError` naming it."""
    return entities.get(session, "segments.segment", no)


def header_columns() -> list[sa.Column]:
    """The header fields a user may set (``segments add/edit --set``)."""
    from relcore.fields import SYSTEM_FIELDS

    return [c for c in H.c if c.name not in READ_ONLY | SYSTEM_FIELDS]


def coerce_header_values(values: Mapping[str, Any], key: Any = None) -> dict[str, Any]:
    """Typed header values from user input (``--set``), errors naming segment and field."""
    allowed = {c.name for c in header_columns()}
    return coerce_values(H, values, entity="Segment", key=key, allowed=allowed)


# -- templates (§5.2 CopyFromTemplate) ---------------------------------------------------------


def template_defaults(session: Any, code: str | None) -> dict[str, Any]:
    """The header fields a template sets (``CopyFromTemplate``); blank code → none."""
    if not code:
        return {}
    from relcore_interactions.api import template_table

    t = session.execute(sa.select(template_table).where(template_table.c.code == code)).first()
    if t is None:
        raise NotFoundError("does not exist", entity="Interaction Template", key=code)
    return {
        "interaction_group_code": t.interaction_group_code,
        "unit_cost_lcy": t.unit_cost,
        "unit_duration_min": t.unit_duration,
        "information_flow": t.information_flow,
        "initiated_by": t.initiated_by,
        "campaign_target": t.campaign_target,
        "campaign_response": t.campaign_response,
        "correspondence_type_default": t.correspondence_type,
        "ignore_contact_corres_type": t.ignore_contact_corres_type,
        "_template_campaign_no": t.campaign_no,
        "_template_language_code": t.language_code_default,
    }


def _copy_template_languages(
    session: Any, no: str, code: str | None, line_no: int = 0
) -> dict[str, Any]:
    """Recreate the header-level languages (``line_no`` 0, §5.2) or a line's own ("Unique",
    §5.3) from the template's; returns language code → description."""
    from relcore_interactions.api import template_language_table as tl

    lang = model.interaction_language
    session.execute(
        sa.delete(lang).where(lang.c.segment_no == no, lang.c.segment_line_no == line_no)
    )
    if not code:
        return {}
    rows = session.execute(sa.select(tl).where(tl.c.interaction_template_code == code)).all()
    if rows:
        session.execute(
            sa.insert(lang),
            [
                {
                    "segment_no": no,
                    "segment_line_no": line_no,
                    "language_code": r.language_code,
                    "description": r.description,
                    "attachment_no": r.attachment_no,
                    "subject": r.description,
                    "word_template_code": None,
                }
                for r in rows
            ],
        )
    return {r.language_code: r.description for r in rows}


def _apply_template(
    session: Any, no: str, values: dict[str, Any], current: Mapping[str, Any]
) -> None:
    """Fill ``values`` with what validating ``interaction_template_code`` sets (§5.2)."""
    defaults = template_defaults(session, values["interaction_template_code"])
    campaign = defaults.pop("_template_campaign_no", None)
    language = defaults.pop("_template_language_code", None)
    for key, value in defaults.items():
        values.setdefault(key, value)
    if campaign and not values.get("campaign_no", current.get("campaign_no")):
        values["campaign_no"] = campaign
    languages = _copy_template_languages(session, no, values["interaction_template_code"])
    if languages and "language_code_default" not in values:
        default = language if language in languages else next(iter(languages))
        values["language_code_default"] = default
        values.setdefault("subject_default", languages[default])


# -- create ------------------------------------------------------------------------------------


def create_segment(
    session: Any,
    values: Mapping[str, Any] | None = None,
    *,
    no: str | None = None,
    series: str | None = None,
) -> dict:
    """Insert a segment header (§5.1 OnInsert): No. from ``segments.segment_nos`` (or a manual
    ``no``), Date = WorkDate, Salesperson = the user's (setup ``segments.salesperson_code``).

    :param values: typed or text field values (template defaults are copied, §5.2).
    :returns: the header row.
    """
    from relcore.numbering import init_no

    app = _app(session)
    typed = coerce_header_values(values or {}, key=no)
    drawn, used = init_no(
        session,
        "segments.segment_nos",
        no=no,
        series=series,
        usage_date=app.work_date,
        exists=lambda n: entities.exists(session, "segments.segment", n),
    )
    if no and entities.exists(session, "segments.segment", drawn):
        raise ValidationError("already exists", entity="Segment", key=drawn)
    row: dict[str, Any] = {
        c.name: c.default.arg for c in H.c if c.default is not None and not callable(c.default.arg)
    }
    row.update(
        no=drawn,
        no_series=used or "",
        date=app.work_date,
        salesperson_code=app.setup.get(session, "segments.salesperson_code"),
        campaign_no=None,
        interaction_template_code=None,
    )
    row.update(typed)
    entities.insert(session, "segments.segment", [row])
    if row.get("interaction_template_code"):
        extra: dict[str, Any] = {"interaction_template_code": row["interaction_template_code"]}
        for key in typed:
            extra.setdefault(key, typed[key])
        _apply_template(session, drawn, extra, row)
        entities.update(session, "segments.segment", drawn, extra)
    return get_segment(session, drawn)


# -- change and propagate (§5.2) ---------------------------------------------------------------


def update_segment(session: Any, no: str, values: Mapping[str, Any]) -> dict:
    """Change header fields and propagate them to the lines (``UpdateSegLinesByFieldNo``, §5.2).

    Lines in scope are those whose template equals the header's old template; a template change
    applies to all lines (with the template's defaults, §5.2).
    """
    old = get_segment(session, no)
    changed = {k: v for k, v in coerce_header_values(values, key=no).items() if old[k] != v}
    if not changed:
        return old
    if "interaction_template_code" in changed:
        _apply_template(session, no, changed, old)
        changed = {
            k: v for k, v in changed.items() if old[k] != v or k == "interaction_template_code"
        }
    entities.update(session, "segments.segment", no, changed)
    new = get_segment(session, no)
    if propagate_to_lines(session, old, new, set(changed)):
        lines_changed(session, [no])
    return new


def propagate_to_lines(session: Any, old: dict, new: dict, fields: set[str]) -> int:
    """Copy changed header fields to the lines in scope in one ``UPDATE`` (§5.2)."""
    from relcore_contacts.api import contact_table as C

    scope = L.c.segment_no == new["no"]
    if "interaction_template_code" not in fields:
        old_template = old["interaction_template_code"]
        scope = sa.and_(
            scope,
            L.c.interaction_template_code.is_(None)
            if old_template is None
            else L.c.interaction_template_code == old_template,
        )
    updates: dict[str, Any] = {}
    for head in fields:
        col = model.HEADER_TO_LINE.get(head)
        if col is not None:
            updates[col] = new[head]

    def contact(column: Any) -> Any:
        return sa.select(column).where(C.c.no == L.c.contact_no).correlate(L).scalar_subquery()

    if "salesperson_code" in fields and not new["salesperson_code"]:
        updates["salesperson_code"] = contact(C.c.salesperson_code)
    if fields & {
        "correspondence_type_default",
        "ignore_contact_corres_type",
        "interaction_template_code",
    }:
        updates["correspondence_type"] = correspondence_type(new, contact(C.c.correspondence_type))
    if "date" in fields and new["date"] is not None:
        was = active_alt_address(session, L.c.contact_no, old["date"])
        now = active_alt_address(session, L.c.contact_no, new["date"])
        updates["contact_alt_address_code"] = sa.case(
            (L.c.contact_alt_address_code == was, now), else_=L.c.contact_alt_address_code
        )
    if not updates:
        return 0
    return session.execute(sa.update(L).where(scope).values(**updates)).rowcount


# -- read --------------------------------------------------------------------------------------


def segment_summary(session: Any, no: str) -> dict:
    """The header (system columns included, as every ``show --json``) with its FlowFields:
    No. of Lines, Cost (LCY), Duration (Min.), No. of Criteria Actions (§5.1)."""
    header = get_segment(session, no)
    totals = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(L.c.cost_lcy), 0),
            sa.func.coalesce(sa.func.sum(L.c.duration_min), 0),
        ).where(L.c.segment_no == no)
    ).one()
    header.update(
        no_of_lines=totals[0],
        cost_lcy=totals[1],
        duration_min=totals[2],
        no_of_criteria_actions=no_of_criteria_actions(session, no),
    )
    return header


def no_of_criteria_actions(session: Any, no: str) -> int:
    """FlowField "No. of Criteria Actions": criteria lines of type Action (§5.1)."""
    cl = model.criteria_line
    return session.execute(
        sa.select(sa.func.count()).where(cl.c.segment_no == no, cl.c.type == "action")
    ).scalar_one()


def segment_lines(session: Any, no: str) -> list[dict]:
    """The segment's lines in line order, with the contact's and company's names."""
    from relcore_contacts.api import contact_table as C

    company = C.alias("company")
    rows = session.execute(
        sa.select(L, C.c.name.label("contact_name"), company.c.name.label("contact_company_name"))
        .join(C, C.c.no == L.c.contact_no)
        .outerjoin(company, company.c.no == L.c.contact_company_no)
        .where(L.c.segment_no == no)
        .order_by(L.c.line_no)
    )
    return [dict(r._mapping) for r in rows]


def list_segments(session: Any) -> list[dict]:
    """Every segment with its No. of Lines and No. of Criteria Actions."""
    cl = model.criteria_line
    lines = (
        sa.select(sa.func.count())
        .where(L.c.segment_no == H.c.no)
        .scalar_subquery()
        .label("no_of_lines")
    )
    actions = (
        sa.select(sa.func.count())
        .where(cl.c.segment_no == H.c.no, cl.c.type == "action")
        .scalar_subquery()
        .label("no_of_criteria_actions")
    )
    rows = session.execute(
        sa.select(
            H.c.no,
            H.c.description,
            H.c.date,
            H.c.campaign_no,
            H.c.salesperson_code,
            H.c.interaction_template_code,
            lines,
            actions,
        ).order_by(H.c.no)
    )
    return [dict(r._mapping) for r in rows]


# -- delete (§5.1 OnDelete) --------------------------------------------------------------------


def delete_segment(session: Any, no: str) -> None:
    """Delete a segment with its criteria, history, languages and lines (set-based)."""
    get_segment(session, no)
    for table in (model.criteria_line, model.history, model.interaction_language, L):
        session.execute(sa.delete(table).where(table.c.segment_no == no))
    entities.delete(session, "segments.segment", [no])
    lines_changed(session, [no])


# -- one line (BC's segment subpage, §5.3) -----------------------------------------------------

LINE_READ_ONLY = frozenset({"segment_no", "line_no", "contact_no", "contact_company_no"})
"""Line fields ``segments lines edit`` cannot set: the key and the contact (to change the
contact, delete the line and add the contact again)."""


def line_columns() -> list[sa.Column]:
    """The line fields a user may set (``segments lines edit --set``)."""
    return [c for c in L.c if c.name not in LINE_READ_ONLY]


def line_fields() -> set[str]:
    """The names of :func:`line_columns`."""
    return {c.name for c in line_columns()}


def get_line(session: Any, no: str, line_no: int) -> dict:
    """One segment line, or :class:`NotFoundError` naming segment and line."""
    get_segment(session, no)
    return entities.get(session, "segments.line", (no, line_no))


def update_line(session: Any, no: str, line_no: int, values: Mapping[str, Any]) -> dict:
    """Change one line's fields as BC's segment subpage does (§5.3).

    A new Interaction Template Code copies the template's defaults to the line (group, cost,
    duration, flows, campaign target/response, correspondence type), fields given explicitly
    winning; a new Date re-reads the contact's active alternative address (§2.8).
    """
    from relcore_contacts.api import active_alt_address
    from relcore_contacts.api import contact_table as C

    old = get_line(session, no, line_no)
    typed = coerce_values(
        L, values, entity="Segment Line", key=(no, line_no), allowed=line_fields()
    )
    changed = {k: v for k, v in typed.items() if old[k] != v}
    if "interaction_template_code" in changed:
        defaults = template_defaults(session, changed["interaction_template_code"])
        defaults.pop("_template_campaign_no", None)
        defaults.pop("_template_language_code", None)
        ignore = defaults.pop("ignore_contact_corres_type", False)
        corr_default = defaults.pop("correspondence_type_default", "")
        for head, value in defaults.items():
            changed.setdefault(model.HEADER_TO_LINE.get(head, head), value)
        contact = session.execute(
            sa.select(C.c.correspondence_type, C.c.language_code).where(C.c.no == old["contact_no"])
        ).one()
        if "correspondence_type" not in typed and defaults:
            changed["correspondence_type"] = (
                corr_default or "" if ignore or not contact[0] else contact[0]
            )
        languages = _copy_template_languages(
            session, no, changed["interaction_template_code"], line_no
        )
        if languages and "language_code" not in typed:
            language = contact[1] if contact[1] in languages else next(iter(languages))
            changed["language_code"] = language
            changed.setdefault("subject", languages[language])
    if "date" in changed and "contact_alt_address_code" not in typed:
        changed["contact_alt_address_code"] = (
            active_alt_address(session, old["contact_no"], changed["date"])
            if changed["date"]
            else ""
        )
    changed = {k: v for k, v in changed.items() if old[k] != v}
    if changed:
        entities.update(session, "segments.line", (no, line_no), changed)
    return get_line(session, no, line_no)


def delete_line(session: Any, no: str, line_no: int) -> None:
    """Delete one line with its own interaction languages (BC Segment Line OnDelete)."""
    get_line(session, no, line_no)
    lang = model.interaction_language
    session.execute(
        sa.delete(lang).where(lang.c.segment_no == no, lang.c.segment_line_no == line_no)
    )
    entities.delete(session, "segments.line", [(no, line_no)])  # reaches relcore_after_write
