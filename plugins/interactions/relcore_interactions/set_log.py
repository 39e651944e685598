"""Logging a set of interaction lines with set-based SQL (§4.5, for Log Segment §5.6).

:func:`log_lines` takes a SELECT of lines (a segment's, typically) and logs one interaction per
line without building a record per line in Python: the §4.5 ``CheckSegmentLine`` rules run as
validation queries over the lines (the first failing line, in line order, is named in the error,
with the same rule order and wording as the record-by-record path of
:mod:`relcore_interactions.log_service`), the entry numbers of all lines are drawn in one go, the
entries are written by ONE ``INSERT … SELECT`` and the attachments they use are marked read only
by one ``UPDATE``. It produces the same entries as logging the lines one by one through
``relcore_log_interactions`` (a property test compares the two).

Lines whose template language version has a *merge* attachment need per-contact rendering; the
caller uses the record-by-record path for those (:attr:`CheckedLines.needs_records`).

The ``relcore_before_write``/``relcore_after_write`` hooks are not called per row here; plugins
that follow logged segments implement the set-based ``relcore_segments_logged`` hook instead.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from relcore.app import app_of
from relcore.db import utcnow
from relcore.errors import ValidationError
from relcore.interactions import EVALUATIONS, INFORMATION_FLOWS, INITIATED_BY
from relcore.ledger import next_entry_nos
from relcore_interactions.log_service import current_user
from relcore_interactions.model import (
    CORRESPONDENCE_TYPES,
    attachment,
    log_entry,
    template,
    template_language,
)

LINE_COLUMNS = (
    "line_no",
    "contact_no",
    "interaction_template_code",
    "date",
    "description",
    "information_flow",
    "initiated_by",
    "cost_lcy",
    "duration_min",
    "salesperson_code",
    "campaign_no",
    "campaign_target",
    "campaign_response",
    "opportunity_no",
    "segment_no",
    "document_type",
    "document_no",
    "interaction_successful",
    "evaluation",
    "correspondence_type",
    "language_code",
    "subject",
    "contact_alt_address_code",
    "contact_via",
    "to_do_no",
)
"""The columns the lines SELECT must have (named so; a segment line has all of them)."""


class _Plan:
    """What the lines use, read once (one small query per table), so the SQL leaves out what no
    line needs: template language versions, their attachments, alternative addresses."""

    def __init__(self, session: Any, ln: Any) -> None:
        alt = sa.func.coalesce(ln.c.contact_alt_address_code, "") != ""
        used = session.execute(
            sa.select(
                ln.c.interaction_template_code, sa.func.max(sa.case((alt, 1), else_=0))
            ).group_by(ln.c.interaction_template_code)
        ).all()
        codes = [code for code, _ in used if code]
        self.any_alt_address = any(flag for _, flag in used)
        rows = (
            session.execute(
                sa.select(
                    template_language.c.interaction_template_code,
                    template_language.c.attachment_no,
                    template.c.wizard_action,
                )
                .join(template, template.c.code == template_language.c.interaction_template_code)
                .where(template_language.c.interaction_template_code.in_(codes))
            ).all()
            if codes
            else []
        )
        self.any_languages = bool(rows)
        self.any_attachments = any(r.attachment_no is not None for r in rows)
        self.any_merge = any(
            r.attachment_no is not None and r.wizard_action == "merge" for r in rows
        )


class _Refs:
    """The lines joined to what they refer to, and the SQL of every derived log-entry field."""

    def __init__(self, session: Any, lines: sa.Select) -> None:
        from relcore_contacts.api import alt_address_table as alt_address
        from relcore_contacts.api import contact_table, salesperson_table

        self.l = ln = lines.subquery("l")
        self.plan = plan = _Plan(session, ln)
        self.c = c = contact_table.alias("c")
        self.t = t = template.alias("t")
        self.sp = sp = salesperson_table.alias("sp")
        self.aa = aa = alt_address.alias("aa")
        base = ln.join(c, c.c.no == ln.c.contact_no).outerjoin(
            t, t.c.code == ln.c.interaction_template_code
        )
        if plan.any_alt_address:
            base = base.outerjoin(
                aa,
                sa.and_(
                    aa.c.contact_no == ln.c.contact_no,
                    aa.c.code == ln.c.contact_alt_address_code,
                    sa.func.coalesce(ln.c.contact_alt_address_code, "") != "",
                ),
            )
        self.for_insert = base
        self.joined = base.outerjoin(sp, sp.c.code == ln.c.salesperson_code)

        def has_language(code: Any) -> Any:
            tl = template_language.alias()
            return sa.exists().where(
                tl.c.interaction_template_code == ln.c.interaction_template_code,
                tl.c.language_code == code,
            )

        self.has_language = has_language
        contact_language = sa.func.coalesce(c.c.language_code, "")
        # §4.4: the line's language; else the contact's if the template has it; else the default
        if plan.any_languages:
            self.language = sa.case(
                (ln.c.language_code.is_not(None), ln.c.language_code),
                (
                    sa.and_(contact_language != "", has_language(contact_language)),
                    contact_language,
                ),
                else_=sa.func.coalesce(t.c.language_code_default, ""),
            )
        else:  # no template of these lines has language versions
            self.language = sa.func.coalesce(ln.c.language_code, t.c.language_code_default, "")
        self.description = sa.func.coalesce(ln.c.description, t.c.description, "")
        self.corr = sa.func.coalesce(ln.c.correspondence_type, "")
        self.no_email = sa.func.coalesce(c.c.email, "") == ""
        if plan.any_alt_address:
            self.no_email = sa.and_(self.no_email, sa.func.coalesce(aa.c.email, "") == "")
        self.flow = sa.func.coalesce(ln.c.information_flow, t.c.information_flow, "")
        self.initiated_by = sa.func.coalesce(ln.c.initiated_by, t.c.initiated_by, "")
        self.cost = sa.func.coalesce(ln.c.cost_lcy, t.c.unit_cost)
        self.duration = sa.func.coalesce(ln.c.duration_min, t.c.unit_duration)
        self.evaluation = sa.func.coalesce(ln.c.evaluation, "")
        self.subject = sa.func.coalesce(sa.func.nullif(ln.c.subject, ""), self.description)

    def attachment_no(self) -> Any:
        """The attachment of the line's template language version (none for merge templates,
        which the record path renders)."""
        if not self.plan.any_attachments:
            return sa.cast(sa.null(), sa.Integer)
        tl = template_language.alias("tla")
        attachment_no = (
            sa.select(tl.c.attachment_no)
            .where(
                tl.c.interaction_template_code == self.l.c.interaction_template_code,
                tl.c.language_code == self.language,
            )
            .scalar_subquery()
        )
        return sa.case((self.t.c.wizard_action != "merge", attachment_no), else_=None)


def _first_failure(session: Any, refs: _Refs, deliver: bool) -> tuple[Any, str, str] | None:
    """The first line breaking a §4.5 rule: (line row, field, message), rules checked per line in
    the order of the record-by-record path."""
    ln, t, sp = refs.l, refs.t, refs.sp
    sp_code = sa.func.coalesce(ln.c.salesperson_code, "")
    rules: list[tuple[Any, str]] = [
        (refs.c.c.privacy_blocked == sa.true(), "contact_blocked"),
        (t.c.code.is_(None), "template_missing"),
        (sa.and_(sp_code != "", sp.c.code.is_(None)), "salesperson_missing"),
        (sa.and_(sp_code != "", sp.c.privacy_blocked == sa.true()), "salesperson_blocked"),
        (
            sa.and_(sp_code == "", sa.func.coalesce(ln.c.document_type, "") == ""),
            "salesperson_required",
        ),
        (
            sa.and_(
                ln.c.language_code.is_not(None),
                _any_language(ln),
                sa.not_(refs.has_language(ln.c.language_code)),
            ),
            "language",
        ),
        (refs.corr.not_in(CORRESPONDENCE_TYPES), "correspondence_type"),
    ]
    if deliver:
        rules.append((sa.and_(refs.corr == "email", refs.no_email), "email"))
    rules += [
        (refs.flow.not_in(INFORMATION_FLOWS), "information_flow"),
        (refs.initiated_by.not_in(INITIATED_BY), "initiated_by"),
        (refs.cost < 0, "cost"),
        (refs.duration < 0, "duration"),
        (refs.evaluation.not_in(EVALUATIONS), "evaluation"),
        (sa.func.length(refs.description) > 100, "description"),
        (sa.func.length(refs.subject) > 100, "subject"),
    ]
    which = sa.case(*rules, else_=None).label("rule")
    row = session.execute(
        sa.select(
            ln.c.line_no,
            ln.c.contact_no,
            ln.c.interaction_template_code,
            ln.c.salesperson_code,
            ln.c.language_code,
            refs.corr.label("corr"),
            refs.flow.label("flow"),
            refs.initiated_by.label("initiated_by"),
            refs.evaluation.label("evaluation"),
            which,
        )
        .select_from(refs.joined)
        .where(sa.or_(*(cond for cond, _ in rules)))
        .order_by(ln.c.line_no)
        .limit(1)
    ).first()
    if row is None:
        return None
    return row, *_MESSAGES[row.rule](row)


def _any_language(ln: Any) -> Any:
    tl = template_language.alias("tl_any")
    return sa.exists().where(tl.c.interaction_template_code == ln.c.interaction_template_code)


def _choices(value: str, choices: tuple[str, ...]) -> str:
    return f"{value!r} is not one of: {', '.join(repr(c) for c in choices)}"


_MESSAGES = {
    "contact_blocked": lambda r: ("contact_no", "privacy blocked"),  # _check raises the real one
    "template_missing": lambda r: (
        "interaction_template_code",
        f"interaction template {r.interaction_template_code!r} does not exist",
    ),
    "salesperson_missing": lambda r: (
        "salesperson_code",
        f"salesperson {r.salesperson_code!r} does not exist",
    ),
    "salesperson_blocked": lambda r: (
        "salesperson_code",
        f"salesperson {r.salesperson_code} is privacy blocked and cannot be used",
    ),
    "salesperson_required": lambda r: (
        "salesperson_code",
        "You must fill in the salesperson_code field.",
    ),
    "language": lambda r: (
        "language_code",
        f"template {r.interaction_template_code} has no language {r.language_code!r}",
    ),
    "correspondence_type": lambda r: (
        "correspondence_type",
        _choices(r.corr, CORRESPONDENCE_TYPES),
    ),
    "email": lambda r: (
        "correspondence_type",
        "Make sure that the Email field is specified for either contact no. "
        f"{r.contact_no} or the contact alternative address.",
    ),
    "information_flow": lambda r: ("information_flow", _choices(r.flow, INFORMATION_FLOWS)),
    "initiated_by": lambda r: ("initiated_by", _choices(r.initiated_by, INITIATED_BY)),
    "cost": lambda r: ("cost", "must not be negative"),
    "duration": lambda r: ("duration", "must not be negative"),
    "evaluation": lambda r: ("evaluation", _choices(r.evaluation, EVALUATIONS)),
    "description": lambda r: ("description", "is longer than 100 characters"),
    "subject": lambda r: ("subject", "is longer than 100 characters"),
}


def log_lines(
    session: Any,
    lines: sa.Select | CheckedLines,
    *,
    logged_segment_entry_no: int | None,
    deliver: bool = False,
    entity: str = "Segment Line",
    key_prefix: str = "",
) -> tuple[int, int, int]:
    """Log one interaction per line of ``lines`` (columns :data:`LINE_COLUMNS`), set-based.

    Checks every line first (§4.5: contacts usable, template, salesperson, language,
    correspondence type — with ``deliver`` an e-mail line needs an address —, choices, amounts,
    lengths; the error names the first failing line as ``"<key_prefix> <line_no> (contact X)"``),
    asks ``relcore_interactions_check_campaigns`` about the campaign numbers, then writes every
    entry with one ``INSERT … SELECT`` (entry numbers drawn in one go, in line order) and marks
    the attachments they use read only. With ``deliver``, entries whose line has a
    correspondence type get Delivery Status In Progress (§5.6 step 5).

    :returns: ``(first entry no., number of entries, last entry no.)`` — ``(0, 0, 0)`` for no
        lines. The entries are those with ``logged_segment_entry_no`` (when given) between the
        first and the last entry no.
    :param lines: the lines, or what :func:`check_lines` returned for them (not checked again;
        its ``deliver`` must match).
    :raises ValidationError: naming the first failing line (nothing is written).
    """
    if isinstance(lines, CheckedLines):
        assert lines.deliver == deliver, "checked with another deliver flag"
        refs = lines.refs
    else:
        refs = check_lines(
            session, lines, deliver=deliver, entity=entity, key_prefix=key_prefix
        ).refs
    ln, c, t = refs.l, refs.c, refs.t
    n = session.execute(sa.select(sa.func.count()).select_from(ln)).scalar_one()
    if not n:
        return 0, 0, 0
    campaign = _campaign(refs)

    nos = next_entry_nos(session, log_entry, n)  # all numbers in one draw
    first, last = nos[0], nos[-1]
    position = sa.func.row_number().over(order_by=ln.c.line_no)
    app = app_of(session)
    corr = refs.corr
    values: dict[str, Any] = {
        "contact_no": ln.c.contact_no,
        "contact_company_no": sa.func.nullif(c.c.company_no, ""),
        "date": sa.func.coalesce(ln.c.date, sa.literal(app.work_date, sa.Date)),
        "description": refs.description,
        "subject": refs.subject,
        "information_flow": refs.flow,
        "initiated_by": refs.initiated_by,
        "interaction_group_code": t.c.interaction_group_code,
        "interaction_template_code": ln.c.interaction_template_code,
        "language_code": refs.language,
        "attachment_no": refs.attachment_no(),
        "cost": refs.cost,
        "duration": refs.duration,
        "user_id": sa.literal(current_user()),
        "salesperson_code": sa.func.nullif(ln.c.salesperson_code, ""),
        "campaign_no": campaign,
        "campaign_target": sa.or_(ln.c.campaign_target, t.c.campaign_target),
        "campaign_response": sa.or_(ln.c.campaign_response, t.c.campaign_response),
        "segment_no": sa.func.nullif(ln.c.segment_no, ""),
        "logged_segment_entry_no": sa.literal(logged_segment_entry_no, sa.Integer),
        "to_do_no": sa.func.nullif(ln.c.to_do_no, ""),
        "opportunity_no": sa.func.nullif(ln.c.opportunity_no, ""),
        "evaluation": refs.evaluation,
        "attempt_failed": sa.not_(ln.c.interaction_successful),
        "delivery_status": sa.case((corr != "", "in_progress"), else_="")
        if deliver
        else sa.literal(""),
        "delivery_error": sa.literal(""),
        "canceled": sa.false(),
        "postponed": sa.false(),
        # §4.5: e-mail without an address is logged without a correspondence type
        "correspondence_type": sa.case((sa.and_(corr == "email", refs.no_email), ""), else_=corr),
        "contact_alt_address_code": sa.func.coalesce(ln.c.contact_alt_address_code, ""),
        "document_type": sa.func.coalesce(ln.c.document_type, ""),
        "document_no": sa.func.coalesce(ln.c.document_no, ""),
        "doc_no_occurrence": sa.literal(0),
        "version_no": sa.literal(0),
        "contact_via": sa.func.coalesce(ln.c.contact_via, ""),
        "email_logged": sa.false(),
        "event_code": sa.literal(""),
        "logged_at": sa.literal(utcnow(), log_entry.c.logged_at.type),
    }
    numbered = (
        sa.select(*(expr.label(name) for name, expr in values.items()), position.label("pos"))
        .select_from(refs.for_insert)
        .subquery("numbered")
    )
    if last - first + 1 == n:
        entry_no = numbered.c.pos + (first - 1)
        source = numbered
    else:  # numbers with gaps (a sequence shared with concurrent writers): pair by position
        ordered = _numbers(session, nos)
        source = numbered.join(ordered, ordered.c.pos == numbered.c.pos)
        entry_no = ordered.c.no
    names = list(values)
    session.execute(
        sa.insert(log_entry).from_select(
            ["entry_no", *names],
            sa.select(entry_no, *(numbered.c[name] for name in names))
            .select_from(source)
            .order_by(numbered.c.pos),
        )
    )
    used = (
        sa.select(log_entry.c.attachment_no)
        .where(log_entry.c.entry_no.between(first, last), log_entry.c.attachment_no.is_not(None))
        .scalar_subquery()
    )
    if refs.plan.any_attachments:
        session.execute(
            sa.update(attachment)
            .where(attachment.c.no.in_(used), attachment.c.read_only == sa.false())
            .values(read_only=True)
        )
    return first, n, last


def check_lines(
    session: Any,
    lines: sa.Select,
    *,
    deliver: bool = False,
    entity: str = "Segment Line",
    key_prefix: str = "",
) -> CheckedLines:
    """The checks of :func:`log_lines` alone; returns the checked lines, which
    :func:`log_lines` then takes without checking again (and :attr:`CheckedLines.needs_records`
    tells whether they must go record by record). Lines logged record by record are checked
    here too, so both paths refuse the same lines with the same error."""
    refs = _Refs(session, lines)
    _check(session, refs, deliver, entity, key_prefix)
    return CheckedLines(refs, deliver)


class CheckedLines:
    """Lines that passed :func:`check_lines` (for :func:`log_lines`)."""

    def __init__(self, refs: _Refs, deliver: bool) -> None:
        self.refs = refs
        self.deliver = deliver

    @property
    def needs_records(self) -> bool:
        """True when a template of the lines has a merge attachment (rendered per contact: the
        lines must be logged record by record)."""
        return self.refs.plan.any_merge


def _campaign(refs: _Refs) -> Any:
    return sa.func.nullif(sa.func.coalesce(refs.l.c.campaign_no, refs.t.c.campaign_no, ""), "")


def _check(session: Any, refs: _Refs, deliver: bool, entity: str, key_prefix: str) -> None:
    from relcore_contacts.api import ensure_usable

    ln, c = refs.l, refs.c
    failure = _first_failure(session, refs, deliver)
    if failure is not None:
        # as the record path: unusable contacts (privacy blocked) are refused before the rest
        blocked = session.execute(
            sa.select(ln.c.contact_no)
            .select_from(refs.joined)
            .where(c.c.privacy_blocked == sa.true())
            .order_by(ln.c.line_no)
            .limit(1)
        ).first()
        if blocked is not None:
            ensure_usable(session, [blocked.contact_no])  # raises the contacts plugin's error
        row, field, message = failure
        raise ValidationError(
            message,
            entity=entity,
            key=f"{key_prefix} {row.line_no} (contact {row.contact_no})".strip(),
            field=field,
        )
    _check_campaigns(session, refs, _campaign(refs))


def _numbers(session: Any, nos: list[int]) -> Any:
    """A subquery ``(no, pos)`` of the ascending numbers ``nos`` with their 1-based position,
    from ONE bound parameter (a JSON array on SQLite, an array on PostgreSQL)."""
    if session.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        raw = sa.select(
            sa.func.unnest(sa.bindparam("nos", nos, type_=postgresql.ARRAY(sa.BigInteger()))).label(
                "no"
            )
        ).subquery("drawn_raw")
        return sa.select(
            raw.c.no, sa.func.row_number().over(order_by=raw.c.no).label("pos")
        ).subquery("drawn")
    each = sa.func.json_each(sa.bindparam("nos", json.dumps(nos), type_=sa.String())).table_valued(
        "key", "value"
    )
    return sa.select(
        sa.cast(each.c.value, sa.BigInteger).label("no"), (each.c.key + 1).label("pos")
    ).subquery("drawn")


def _check_campaigns(session: Any, refs: _Refs, campaign: Any) -> None:
    """§4.5: ``relcore_interactions_check_campaigns`` with the lines' distinct campaign nos."""
    from relcore_interactions.references import check_campaigns

    if not app_of(session).pm.hook.relcore_interactions_check_campaigns.get_hookimpls():
        return  # nobody checks: spare the query
    stmt = sa.select(campaign).select_from(refs.joined).where(campaign.is_not(None)).distinct()
    check_campaigns(session, session.execute(stmt).scalars())
