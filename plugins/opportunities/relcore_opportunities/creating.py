"""Creating opportunities (§6.7): single (with or without Activate First Stage), one per line
of a segment (set-based, one transaction), from an interaction log entry, and the Activate
First Stage action."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.app import app_of
from relcore.errors import ValidationError
from relcore_opportunities import references
from relcore_opportunities.entries import insert_entries, lock_opportunity, new_entry
from relcore_opportunities.estimates import update_estimates
from relcore_opportunities.events import opportunities_created
from relcore_opportunities.model import sales_cycle, stage

LABEL = "Opportunity"
_SEGMENT_CAMPAIGN = ("segment_no", "campaign_no")


def _fail(message: str, key: Any = None, field: str | None = None) -> None:
    raise ValidationError(message, entity=LABEL, key=key, field=field)


def default_cycle(session: Any) -> str | None:
    """Setup ``opportunities.default_sales_cycle`` when it exists and is not blocked (§6.1)."""
    code = app_of(session).setup.get(session, "opportunities.default_sales_cycle")
    if not code:
        return None
    row = entities.find(session, "opportunities.sales_cycle", code)
    return code if row is not None and not row["blocked"] else None


def _check_cycle(session: Any, code: str, key: Any = None) -> dict:
    row = entities.find(session, "opportunities.sales_cycle", code)
    if row is None:
        _fail(f"sales cycle {code} does not exist", key, "sales_cycle_code")
    if row["blocked"]:
        _fail(f"Blocked must be equal to 'No' in Sales Cycle: Code={code}", key, "sales_cycle_code")
    return row


def first_stage(session: Any, cycle_code: str) -> dict:
    """The cycle's first stage, or "Sales Cycle Stage not found." (§6.7)."""
    row = session.execute(
        sa.select(stage).where(stage.c.sales_cycle_code == cycle_code).order_by(stage.c.stage)
    ).first()
    if row is None:
        raise ValidationError("Sales Cycle Stage not found.", entity="Sales Cycle", key=cycle_code)
    return dict(row._mapping)


def _wizard_checks(first: dict, date_of_change: dt.date) -> None:
    """``CheckStatus`` of the Create Opportunity wizard with Activate First Stage (§6.7)."""
    if Decimal(first.get("estimated_value_lcy") or 0) <= 0:
        _fail("Estimated Value (LCY) must be greater than 0.", field="estimated_value_lcy")
    if Decimal(first.get("chances_of_success_pct") or 0) <= 0:
        _fail("Chances of Success % must be greater than 0.", field="chances_of_success_pct")
    close = first.get("estimated_close_date")
    if close is None:
        _fail("You must fill in the Estimated Close Date field.", field="estimated_close_date")
    if close < date_of_change:
        _fail(
            "The Estimated closing date has to be later than this change",
            field="estimated_close_date",
        )


def prepare(session: Any, values: dict, *, for_segment: bool = False) -> dict:
    """Check and complete the fields of a new opportunity (§6.4.2, §6.7 ``CheckStatus``).

    Defaults: sales cycle from setup, salesperson from the contact, else from setup; Contact
    Company No. from the contact; Creation Date = WorkDate; Segment Description from the
    segment, which must match the campaign (§6.4.2). No default segment from the campaign: BC
    runs ``SetDefaultSegmentNo`` only when an existing opportunity's campaign changes.
    """
    from relcore_contacts.api import ensure_usable

    app = app_of(session)
    row = dict(values)
    if not (row.get("description") or "").strip():
        _fail("You must fill in the Description field.", field="description")
    contact = None
    if row.get("contact_no"):
        row["contact_no"] = row["contact_no"].upper()
        contact = ensure_usable(session, [row["contact_no"]])[row["contact_no"]]
        row["contact_company_no"] = (
            contact["no"] if contact["type"] == "company" else (contact["company_no"] or None)
        )
    elif not for_segment:
        _fail(
            "You must fill in the contact that is involved in the opportunity.", field="contact_no"
        )
    if not row.get("salesperson_code"):
        row["salesperson_code"] = (contact or {}).get("salesperson_code") or app.setup.get(
            session, "opportunities.salesperson_code"
        )
    if not row.get("salesperson_code") and not for_segment:
        _fail("You must fill in the Salesperson Code field.", field="salesperson_code")
    if row.get("salesperson_code"):
        references.check_salesperson(session, row["salesperson_code"])
    row["sales_cycle_code"] = (row.get("sales_cycle_code") or "").upper() or default_cycle(session)
    if not row["sales_cycle_code"]:
        _fail("You must fill in the Sales Cycle Code field.", field="sales_cycle_code")
    _check_cycle(session, row["sales_cycle_code"])
    references.check_campaigns(session, [row.get("campaign_no") or ""], app.work_date)
    segment, campaign = ((row.get(f) or "").strip().upper() or None for f in _SEGMENT_CAMPAIGN)
    row.update(references.segment_fields(session, segment, campaign))
    row["creation_date"] = app.work_date
    row.setdefault("status", "not_started")
    return row


def _number(session: Any, n: int, no: str | None = None) -> list[tuple[str, str | None]]:
    from relcore.numbering import init_no, next_nos

    app = app_of(session)
    if no or n == 1:
        return [
            init_no(
                session,
                "opportunities.opportunity_nos",
                no=no,
                usage_date=app.work_date,
                exists=lambda x: entities.exists(session, "opportunities.opportunity", x),
            )
        ]
    series = app.setup.get(session, "opportunities.opportunity_nos")
    if not series:
        init_no(session, "opportunities.opportunity_nos")  # raises the setup message
    return [(x, series) for x in next_nos(session, series, n, app.work_date)]


def _first_stage_entries(
    session: Any, opps: list[dict], wizard: dict | None, cycle: dict
) -> list[dict]:
    """``ProcessFirstStage`` / ``StartActivateFirstStage`` for new entries (§6.7)."""
    work_date = app_of(session).work_date
    first = first_stage(session, cycle["code"])
    # The estimates depend only on the stage, the cycle and the wizard values: computed once.
    template = new_entry({"no": None, "sales_cycle_code": cycle["code"]}, None, work_date)
    template.update(
        sales_cycle_stage=first["stage"], sales_cycle_stage_description=first["description"]
    )
    if wizard:
        template.update(wizard)
    update_estimates(template, stage=first, calculation=cycle["probability_calculation"])
    estimates = {
        k: template[k]
        for k in (
            "sales_cycle_stage",
            "sales_cycle_stage_description",
            "estimated_value_lcy",
            "chances_of_success_pct",
            "completed_pct",
            "probability_pct",
            "calcd_current_value_lcy",
            "estimated_close_date",
        )
    }
    return [{**new_entry(opp, None, work_date), **estimates} for opp in opps]


def create_opportunity(
    session: Any,
    values: dict,
    *,
    no: str | None = None,
    activate_first_stage: bool = False,
    wizard: dict | None = None,
) -> dict:
    """Create one opportunity (Create Opportunity wizard, §6.7).

    :param values: ``description``, ``contact_no``, and optionally ``sales_cycle_code``,
        ``salesperson_code``, ``campaign_no``, ``segment_no``, ``priority``.
    :param wizard: with ``activate_first_stage``: ``estimated_value_lcy``,
        ``chances_of_success_pct``, ``estimated_close_date`` (OP7, OP8).
    :returns: the opportunity row.
    """
    row = prepare(session, values)
    if activate_first_stage:
        _wizard_checks(wizard or {}, app_of(session).work_date)
    [(row["no"], row["no_series"])] = _number(session, 1, no)
    row["no_series"] = row["no_series"] or ""
    if entities.exists(session, "opportunities.opportunity", row["no"]):
        _fail("already exists", row["no"])
    entities.insert(session, "opportunities.opportunity", [row])
    if activate_first_stage:
        cycle = entities.get(session, "opportunities.sales_cycle", row["sales_cycle_code"])
        insert_entries(
            session,
            _first_stage_entries(session, [row], wizard, cycle),
            create_new_tasks=True,
            first=True,
        )
    opportunities_created(session, [row["no"]])
    return entities.get(session, "opportunities.opportunity", row["no"])


def create_for_segment(
    session: Any,
    segment_no: str,
    values: dict,
    *,
    activate_first_stage: bool = False,
    wizard: dict | None = None,
) -> list[str]:
    """One opportunity per segment line with a contact, in one transaction (§6.7).

    Contact, Contact Company No., salesperson and campaign come from each line (the values'
    salesperson/campaign when the line has none). Set-based: numbers are drawn in bulk and both
    the opportunities and their first-stage entries are written by ``INSERT … SELECT`` from the
    segment's lines (``relcore_interactions_segment_lines``), whatever the segment's size.

    :returns: the new opportunity numbers, in line order.
    """
    from relcore.ledger import next_entry_nos
    from relcore_opportunities.bulk import keyed
    from relcore_opportunities.model import entry, opportunity

    segment_no = segment_no.upper()
    lines_select = references.segment_lines(session, segment_no)
    base = prepare(session, {**values, "segment_no": segment_no}, for_segment=True)
    app = app_of(session)
    dialect = session.dialect.name
    if activate_first_stage:
        _wizard_checks(wizard or {}, app.work_date)
    src = lines_select.order_by(None).subquery("seg_lines")
    lines = (
        sa.select(
            src.c.line_no,
            src.c.contact_no,
            src.c.contact_company_no,
            sa.func.coalesce(src.c.salesperson_code, base.get("salesperson_code")).label("sp"),
            sa.func.coalesce(src.c.campaign_no, base.get("campaign_no")).label("campaign_no"),
        )
        .where(src.c.contact_no.is_not(None))
        .subquery("lines")
    )
    line_nos, people, campaigns, unassigned = _segment_summary(session, lines)
    n = len(line_nos)
    if not n:
        _fail("You cannot create opportunities on an empty segment.", field="segment_no")
    if unassigned:
        _fail("You must fill in the Salesperson Code field.", field="salesperson_code")
    for code in people:
        references.check_salesperson(session, code)
    references.check_campaigns(session, campaigns, app_of(session).work_date)
    numbers = _number(session, n)
    nos = [no for no, _series in numbers]
    entry_nos = next_entry_nos(session, entry, n) if activate_first_stage else [0] * n
    # line no. -> (opportunity no., entry no.): joined on the lines' key, one bound parameter.
    # The numbers come from the series and fit the column: typed so, the INSERT … SELECT needs
    # no length check query (on PostgreSQL its LIMIT 1 plan joined the lines quadratically).
    rel = keyed(list(zip(line_nos, nos, entry_nos, strict=True)), "new_opps", dialect)
    no_type = sa.String(opportunity.c.no.type.length)
    joined = (
        sa.select(lines, sa.type_coerce(rel.c.a, no_type).label("no"), rel.c.b.label("entry_no"))
        .join_from(rel, lines, lines.c.line_no == rel.c.key)
        .subquery("joined")
    )
    status = "in_progress" if activate_first_stage else "not_started"
    constant = {
        "description": base["description"],
        "sales_cycle_code": base["sales_cycle_code"],
        "sales_document_type": "",
        "sales_document_no": "",
        "creation_date": base["creation_date"],
        "status": status,
        "priority": base.get("priority") or "normal",
        "closed": False,
        "no_series": numbers[0][1] or "",
        "segment_no": segment_no,
        "segment_description": base["segment_description"],
    }
    O = opportunity.c  # noqa: E741
    columns = ["contact_no", "contact_company_no", "salesperson_code", "campaign_no"]
    copied = [joined.c.contact_no, joined.c.contact_company_no, joined.c.sp, joined.c.campaign_no]
    select = sa.select(
        joined.c.no, *copied, *(sa.literal(v, O[k].type) for k, v in constant.items())
    )
    entities.insert_from_select(
        session, "opportunities.opportunity", ["no", *columns, *constant], select
    )
    if activate_first_stage:
        cycle = entities.get(session, "opportunities.sales_cycle", base["sales_cycle_code"])
        [template] = _first_stage_entries(
            session, [{"no": None, "sales_cycle_code": cycle["code"]}], wizard, cycle
        )
        fixed = {k: v for k, v in template.items() if k not in ("opportunity_no", *columns)}
        fixed.update(active=True, days_open=0)
        E = entry.c
        select = sa.select(
            joined.c.entry_no,
            joined.c.no,
            *copied,
            *(sa.literal(v, E[k].type) for k, v in fixed.items()),
        )
        entities.insert_from_select(
            session,
            "opportunities.entry",
            ["entry_no", "opportunity_no", *columns, *fixed],
            select,
        )
        first = first_stage(session, cycle["code"])
        if first["activity_code"]:
            from relcore_opportunities.entries import create_tasks

            create_tasks(session, nos)
    opportunities_created(session, nos)
    return nos


def _segment_summary(session: Any, lines: Any) -> tuple[list[int], list[str], list[str], bool]:
    """The line numbers in order, the distinct salespeople and campaigns, and whether a line
    lacks a salesperson (one query)."""
    rows = session.execute(
        sa.select(lines.c.line_no, lines.c.sp, lines.c.campaign_no).order_by(lines.c.line_no)
    ).all()
    people = sorted({r.sp for r in rows if r.sp})
    campaigns = sorted({r.campaign_no for r in rows if r.campaign_no})
    return [r.line_no for r in rows], people, campaigns, any(not r.sp for r in rows)


def create_from_interaction(session: Any, entry_no: int, description: str | None = None) -> dict:
    """``CreateFromInteractionLogEntry`` (§6.7): an opportunity for the entry's contact, with its
    segment, campaign and salesperson; the entry then points at the opportunity."""
    from relcore_interactions.api import log_entry_table as ile

    src = session.execute(sa.select(ile).where(ile.c.entry_no == entry_no)).first()
    if src is None:
        raise ValidationError("does not exist", entity="Interaction Log Entry", key=entry_no)
    if src.opportunity_no:
        raise ValidationError(
            f"is already linked to opportunity {src.opportunity_no}",
            entity="Interaction Log Entry",
            key=entry_no,
            field="opportunity_no",
        )
    opp = create_opportunity(
        session,
        {
            "description": description or src.description,
            "contact_no": src.contact_no,
            "salesperson_code": src.salesperson_code,
            "campaign_no": src.campaign_no,
        },
    )
    session.execute(
        sa.update(ile).where(ile.c.entry_no == entry_no).values(opportunity_no=opp["no"])
    )
    return opp


def activate_first_stage(session: Any, no: str) -> dict:
    """The Activate First Stage action (§6.7 ``StartActivateFirstStage``, OP9): first stage,
    Estimated Value 0, chances from the stage, close date by the stage's formula.

    An opportunity that arrived from Dynamics 365 Sales with values (``pending_values``, see
    :mod:`relcore_opportunities.pending`) gets them as its first entry's Estimated Value,
    Chances of Success % and Estimated Close Date instead (a blank or non-positive value, or a
    close date before the Date of Change, keeps the stage's default)."""
    from relcore_opportunities.pending import take_first_entry_values

    opp = lock_opportunity(session, no)
    if not opp["sales_cycle_code"]:
        _fail("You must fill in the Sales Cycle Code field.", opp["no"], "sales_cycle_code")
    if opp["status"] != "not_started":
        _fail(
            f"Status must be equal to 'Not Started' in Opportunity: No.={opp['no']}",
            opp["no"],
            "status",
        )
    cycle = session.execute(
        sa.select(sales_cycle).where(sales_cycle.c.code == opp["sales_cycle_code"])
    ).one()
    wizard = take_first_entry_values(session, opp["no"], app_of(session).work_date) or None
    insert_entries(
        session,
        _first_stage_entries(session, [opp], wizard, dict(cycle._mapping)),
        create_new_tasks=True,
    )
    return opp
