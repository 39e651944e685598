"""Profile questionnaires, their lines, manual answers and ratings (§2.11).

A questionnaire (header) holds lines in line-number order; each line is a Question or an Answer,
and an answer belongs to the nearest preceding question. Contacts answer by getting a
``Contact Profile Answer`` on an answer line. Automatic classification lives in
:mod:`relcore_contacts.classification`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from relcore import dateformula, entities
from relcore.errors import NotFoundError, ValidationError
from relcore_contacts import model

_head = model.profile_questionnaire
_line = model.profile_questionnaire_line
_ans = model.contact_profile_answer
_rating = model.rating
_contact = model.contact

LINE_STEP = 10000

CUSTOMER_CLASS_FIELDS = (
    "sales_lcy",
    "profit_lcy",
    "sales_frequency",
    "avg_invoice_amount_lcy",
    "discount_pct",
    "avg_overdue_day",
)
VENDOR_CLASS_FIELDS = (
    "purchase_lcy",
    "purchase_frequency",
    "avg_ticket_size_lcy",
    "discount_pct",
    "avg_overdue_day",
)
CONTACT_CLASS_FIELDS = (
    "interaction_quantity",
    "interaction_frequency",
    "avg_interaction_cost_lcy",
    "avg_interaction_duration_min",
    "opportunity_won_pct",
    "rating",
)
CLASS_FIELDS = ("customer_class_field", "vendor_class_field", "contact_class_field")
CLASSIFICATION_SETTINGS = (
    "auto_contact_classification",
    *CLASS_FIELDS,
    "starting_date_formula",
    "ending_date_formula",
    "classification_method",
    "sorting_method",
    "min_pct_questions_answered",
)
MULTIPLE_ANSWERS_ERR = "This Question does not allow Multiple Answers."
MINOR_ERR = "Profiling is not allowed for minors without parental consent."


def _label(code: str, line_no: int | None = None) -> str:
    return code if line_no is None else f"{code} {line_no}"


# -- questionnaires -----------------------------------------------------------------------------


def add_questionnaire(session: Any, code: str, description: str, **values: Any) -> dict:
    """Create a questionnaire (header): contact_type, business_relation_code, priority."""
    if entities.exists(session, "contacts.profile_questionnaire", code.upper()):
        raise ValidationError("already exists", entity="Profile Questionnaire", key=code.upper())
    row = {"code": code, "description": description, **values}
    return entities.insert(session, "contacts.profile_questionnaire", [row])[0]


def modify_questionnaire(session: Any, code: str, values: dict) -> dict:
    """Change a questionnaire; a new priority is copied onto every answer of it (§2.11)."""
    row = entities.update(session, "contacts.profile_questionnaire", code, values)
    if "priority" in values:
        session.execute(
            sa.update(_ans)
            .where(_ans.c.profile_questionnaire_code == code)
            .values(profile_questionnaire_priority=row["priority"])
        )
    return row


def delete_questionnaire(session: Any, code: str) -> None:
    """Delete a questionnaire with its lines, answers and rating points."""
    entities.get(session, "contacts.profile_questionnaire", code)
    session.execute(sa.delete(_ans).where(_ans.c.profile_questionnaire_code == code))
    session.execute(
        sa.delete(_rating).where(
            sa.or_(
                _rating.c.profile_questionnaire_code == code,
                _rating.c.rating_profile_quest_code == code,
            )
        )
    )
    session.execute(sa.delete(_line).where(_line.c.profile_questionnaire_code == code))
    entities.delete(session, "contacts.profile_questionnaire", [code])


def lines(session: Any, code: str) -> list[dict]:
    """The lines of a questionnaire in order."""
    stmt = sa.select(_line).where(_line.c.profile_questionnaire_code == code)
    stmt = stmt.order_by(_line.c.line_no)
    return [dict(r._mapping) for r in session.execute(stmt)]


def get_line(session: Any, code: str, line_no: int) -> dict:
    """One line, or NotFoundError naming it."""
    row = session.execute(
        sa.select(_line).where(
            _line.c.profile_questionnaire_code == code, _line.c.line_no == line_no
        )
    ).first()
    if row is None:
        raise NotFoundError(
            "does not exist", entity="Profile Questionnaire Line", key=_label(code, line_no)
        )
    return dict(row._mapping)


def question_of(all_lines: list[dict], line_no: int) -> dict | None:
    """The question an answer belongs to: the nearest preceding Question line (§2.11)."""
    question = None
    for line in all_lines:
        if line["line_no"] > line_no:
            break
        if line["type"] == "question":
            question = line
    return question


def answers_of(all_lines: list[dict], question_line_no: int) -> list[dict]:
    """The answer lines of a question (up to the next question)."""
    out, inside = [], False
    for line in all_lines:
        if line["line_no"] == question_line_no:
            inside = True
            continue
        if inside:
            if line["type"] == "question":
                break
            out.append(line)
    return out


# -- line rules ---------------------------------------------------------------------------------


def _is_set(value: Any) -> bool:
    return value not in (None, "", False, 0, Decimal(0))


def apply_line_rules(old: dict | None, changes: dict, *, key: str) -> dict:
    """The line after ``changes``, with BC's field rules applied (§2.11).

    Selecting a class field forces a Question, clears the other two class fields and defaults the
    method to Defined Value; other methods default sorting to Descending; a Question cannot have
    From/To values; an Answer cannot carry classification settings.
    """
    line = {
        "type": "question",
        "description": "",
        "multiple_answers": False,
        "auto_contact_classification": False,
        "customer_class_field": "",
        "vendor_class_field": "",
        "contact_class_field": "",
        "starting_date_formula": "",
        "ending_date_formula": "",
        "classification_method": "",
        "sorting_method": "",
        "from_value": Decimal(0),
        "to_value": Decimal(0),
        "priority": "normal",
        "no_of_decimals": 0,
        "min_pct_questions_answered": Decimal(0),
        **(old or {}),
    }
    line.update(changes)
    entity = "Profile Questionnaire Line"
    set_fields = [f for f in CLASS_FIELDS if changes.get(f)]
    if len(set_fields) > 1:
        raise ValidationError(
            "only one class field can be chosen", entity=entity, key=key, field=set_fields[1]
        )
    if set_fields:
        field = set_fields[0]
        if "type" in changes and changes["type"] != "question":
            raise ValidationError(
                "must be Question to choose a class field", entity=entity, key=key, field="type"
            )
        line["type"] = "question"
        for other in CLASS_FIELDS:
            if other != field:
                line[other] = ""
        allowed = {
            "customer_class_field": CUSTOMER_CLASS_FIELDS,
            "vendor_class_field": VENDOR_CLASS_FIELDS,
        }.get(field)
        if allowed is not None and line[field] not in allowed:
            raise ValidationError(
                f"must be one of: {', '.join(allowed)}", entity=entity, key=key, field=field
            )
        if not line["classification_method"]:
            line["classification_method"] = "defined_value"
    if line["classification_method"] not in ("", "defined_value") and not line["sorting_method"]:
        line["sorting_method"] = "descending"
    if not str(line["description"]).strip():
        raise ValidationError("must not be blank", entity=entity, key=key, field="description")
    for f in ("starting_date_formula", "ending_date_formula"):
        if line[f]:
            line[f] = dateformula.checked(line[f], field=f, entity=entity, key=key)
    if not -25 <= int(line["no_of_decimals"]) <= 25:
        raise ValidationError(
            "must be between -25 and 25", entity=entity, key=key, field="no_of_decimals"
        )
    if line["type"] == "question":
        for f in ("from_value", "to_value"):
            if _is_set(line[f]):
                raise ValidationError(
                    "a Question cannot have From/To values", entity=entity, key=key, field=f
                )
    else:
        for f in CLASSIFICATION_SETTINGS:
            if _is_set(line[f]):
                raise ValidationError(
                    "an Answer cannot carry classification settings",
                    entity=entity,
                    key=key,
                    field=f,
                )
    if line["min_pct_questions_answered"] and line["contact_class_field"] != "rating":
        raise ValidationError(
            "is only used by Rating questions",
            entity=entity,
            key=key,
            field="min_pct_questions_answered",
        )
    return line


def add_line(
    session: Any,
    code: str,
    line_type: str,
    description: str,
    line_no: int | None = None,
    **values: Any,
) -> dict:
    """Add a question or answer line (at the end unless ``line_no`` is given)."""
    entities.get(session, "contacts.profile_questionnaire", code)
    if line_no is None:
        last = session.execute(
            sa.select(sa.func.max(_line.c.line_no)).where(
                _line.c.profile_questionnaire_code == code
            )
        ).scalar()
        line_no = (last or 0) + LINE_STEP
    key = _label(code, line_no)
    if session.execute(
        sa.select(_line.c.line_no).where(
            _line.c.profile_questionnaire_code == code, _line.c.line_no == line_no
        )
    ).first():
        raise ValidationError("already exists", entity="Profile Questionnaire Line", key=key)
    line = apply_line_rules(
        None, {"type": line_type, "description": description, **values}, key=key
    )
    line.update(profile_questionnaire_code=code, line_no=line_no)
    session.execute(sa.insert(_line).values(**line))
    return line


def _answer_count(session: Any, code: str, line_no: int) -> int:
    return session.execute(
        sa.select(sa.func.count())
        .select_from(_ans)
        .where(_ans.c.profile_questionnaire_code == code, _ans.c.line_no == line_no)
    ).scalar_one()


def modify_line(session: Any, code: str, line_no: int, values: dict) -> dict:
    """Change a line with the line rules; a new answer priority is copied onto its answers."""
    old = get_line(session, code, line_no)
    key = _label(code, line_no)
    line = apply_line_rules(old, values, key=key)
    if (
        line["type"] == "question"
        and old["type"] == "answer"
        and _answer_count(session, code, line_no)
    ):
        raise ValidationError(
            "a Question cannot have contacts: contacts have this answer",
            entity="Profile Questionnaire Line",
            key=key,
            field="type",
        )
    changed = {k: v for k, v in line.items() if old.get(k) != v}
    if changed:
        session.execute(
            sa.update(_line)
            .where(_line.c.profile_questionnaire_code == code, _line.c.line_no == line_no)
            .values(**changed)
        )
    if "priority" in changed:
        session.execute(
            sa.update(_ans)
            .where(_ans.c.profile_questionnaire_code == code, _ans.c.line_no == line_no)
            .values(answer_priority=line["priority"])
        )
    return line


def delete_line(session: Any, code: str, line_no: int) -> None:
    """Delete a line with its answers and rating points."""
    get_line(session, code, line_no)
    session.execute(
        sa.delete(_ans).where(_ans.c.profile_questionnaire_code == code, _ans.c.line_no == line_no)
    )
    session.execute(
        sa.delete(_rating).where(
            sa.or_(
                sa.and_(
                    _rating.c.profile_questionnaire_code == code,
                    _rating.c.profile_questionnaire_line_no == line_no,
                ),
                sa.and_(
                    _rating.c.rating_profile_quest_code == code,
                    _rating.c.rating_profile_quest_line_no == line_no,
                ),
            )
        )
    )
    session.execute(
        sa.delete(_line).where(
            _line.c.profile_questionnaire_code == code, _line.c.line_no == line_no
        )
    )


# -- manual answers -----------------------------------------------------------------------------


def _work_date(session: Any) -> dt.date:
    from relcore.app import app_of

    return app_of(session).work_date


def answer(session: Any, contact_no: str, code: str, line_no: int) -> dict:
    """Give a contact an answer by hand (§2.11 ``Contact Profile Answer`` insert).

    Refused for question lines, for automatically classified questions, for a second answer to
    a question without Multiple Answers, for minors without parental consent, for
    privacy-blocked contacts and for contacts of the wrong type. Answers that feed a rating
    recalculate the contact's ratings.
    """
    from relcore_contacts.lookups import ensure_usable, get_contact

    contact = get_contact(session, contact_no)
    key = f"{contact_no} {code} {line_no}"
    entity = "Contact Profile Answer"
    if contact["minor"] and not contact["parental_consent_received"]:
        raise ValidationError(MINOR_ERR, entity="Contact", key=contact_no, field="minor")
    ensure_usable(session, [contact_no])
    header = entities.get(session, "contacts.profile_questionnaire", code)
    _check_contact_type(header, contact, key)
    all_lines = lines(session, code)
    line = next((x for x in all_lines if x["line_no"] == line_no), None)
    if line is None:
        raise NotFoundError(
            "does not exist", entity="Profile Questionnaire Line", key=_label(code, line_no)
        )
    if line["type"] != "answer":
        raise ValidationError(
            "is a Question: choose one of its answers", entity=entity, key=key, field="line_no"
        )
    question = question_of(all_lines, line_no)
    if question is None:
        raise ValidationError(
            "the answer has no question before it", entity=entity, key=key, field="line_no"
        )
    if question["auto_contact_classification"]:
        raise ValidationError(
            "the question is classified automatically and cannot be answered by hand",
            entity=entity,
            key=key,
            field="line_no",
        )
    siblings = [a["line_no"] for a in answers_of(all_lines, question["line_no"])]
    existing = set(
        session.execute(
            sa.select(_ans.c.line_no).where(
                _ans.c.contact_no == contact_no,
                _ans.c.profile_questionnaire_code == code,
                _ans.c.line_no.in_(siblings),
            )
        ).scalars()
    )
    if line_no in existing:
        raise ValidationError("the contact already has this answer", entity=entity, key=key)
    if existing and not question["multiple_answers"]:
        raise ValidationError(MULTIPLE_ANSWERS_ERR, entity=entity, key=key, field="line_no")
    row = {
        "contact_no": contact_no,
        "profile_questionnaire_code": code,
        "line_no": line_no,
        "contact_company_no": contact["company_no"] or "",
        "answer_priority": line["priority"],
        "profile_questionnaire_priority": header["priority"],
        "last_date_updated": _work_date(session),
        "questions_answered_pct": Decimal(0),
    }
    session.execute(sa.insert(_ans).values(**row))
    update_ratings(session, [contact_no], fed_by=[(code, line_no)])
    return row


def _check_contact_type(header: dict, contact: dict, key: str) -> None:
    wanted = {"companies": "company", "people": "person"}.get(header["contact_type"])
    if wanted and contact["type"] != wanted:
        raise ValidationError(
            f"questionnaire {header['code']} is for {header['contact_type']} only",
            entity="Contact Profile Answer",
            key=key,
            field="contact_no",
        )


def remove_answer(session: Any, contact_no: str, code: str, line_no: int) -> None:
    """Take an answer away from a contact (ratings fed by it are recalculated)."""
    deleted = session.execute(
        sa.delete(_ans).where(
            _ans.c.contact_no == contact_no,
            _ans.c.profile_questionnaire_code == code,
            _ans.c.line_no == line_no,
        )
    ).rowcount
    if not deleted:
        raise NotFoundError(
            "does not exist", entity="Contact Profile Answer", key=f"{contact_no} {code} {line_no}"
        )
    update_ratings(session, [contact_no], fed_by=[(code, line_no)])


def contact_answers(session: Any, contact_no: str) -> list[dict]:
    """A contact's answers with question and answer texts (the contact's Profiles page)."""
    on = sa.and_(
        _line.c.profile_questionnaire_code == _ans.c.profile_questionnaire_code,
        _line.c.line_no == _ans.c.line_no,
    )
    stmt = (
        sa.select(_ans, _line.c.description.label("answer"))
        .join(_line, on)
        .where(_ans.c.contact_no == contact_no)
        .order_by(_ans.c.profile_questionnaire_code, _ans.c.line_no)
    )
    rows = [dict(r._mapping) for r in session.execute(stmt)]
    codes = {r["profile_questionnaire_code"] for r in rows}
    by_code = {c: lines(session, c) for c in codes}
    for r in rows:
        question = question_of(by_code[r["profile_questionnaire_code"]], r["line_no"])
        r["question"] = question["description"] if question else ""
    return rows


# -- ratings ------------------------------------------------------------------------------------


def in_range(value: Decimal, from_value: Decimal, to_value: Decimal) -> bool:
    """BC ``InRange``: a zero bound is open; both zero never matches (§2.11)."""
    if from_value != 0 and to_value != 0:
        return from_value <= value <= to_value
    if from_value != 0:
        return value >= from_value
    if to_value != 0:
        return value <= to_value
    return False


def set_points(
    session: Any,
    rating_code: str,
    rating_line_no: int,
    answer_code: str,
    answer_line_no: int,
    points: Decimal,
) -> dict:
    """Points an answer gives to a Rating question (the ``Rating`` table, §2.11)."""
    rating_line = get_line(session, rating_code, rating_line_no)
    if rating_line["contact_class_field"] != "rating":
        raise ValidationError(
            "is not a Rating question (contact class field 'rating')",
            entity="Profile Questionnaire Line",
            key=_label(rating_code, rating_line_no),
        )
    if get_line(session, answer_code, answer_line_no)["type"] != "answer":
        raise ValidationError(
            "points can only be given to answers",
            entity="Profile Questionnaire Line",
            key=_label(answer_code, answer_line_no),
        )
    key = {
        "profile_questionnaire_code": rating_code,
        "profile_questionnaire_line_no": rating_line_no,
        "rating_profile_quest_code": answer_code,
        "rating_profile_quest_line_no": answer_line_no,
    }
    where = sa.and_(*(_rating.c[k] == v for k, v in key.items()))
    if session.execute(sa.update(_rating).where(where).values(points=points)).rowcount == 0:
        session.execute(sa.insert(_rating).values(**key, points=points))
    return {**key, "points": points}


def update_ratings(
    session: Any, contact_nos: Iterable[str] | None, fed_by: Iterable[tuple[str, int]] | None = None
) -> int:
    """Recalculate Rating answers of these contacts (None = all) (§2.11).

    A contact's rating value is the sum of the points of its answers; Questions Answered (%) is
    the share of the rating's questions it answered; below Min. % Questions Answered it gets no
    rating answer. ``fed_by`` limits the work to ratings fed by these answer lines.

    :returns: rating answers written.
    """
    ratings = [dict(r._mapping) for r in session.execute(sa.select(_rating))]
    if fed_by is not None:
        fed = set(fed_by)
        wanted = {
            (r["profile_questionnaire_code"], r["profile_questionnaire_line_no"])
            for r in ratings
            if (r["rating_profile_quest_code"], r["rating_profile_quest_line_no"]) in fed
        }
    else:
        wanted = {
            (r["profile_questionnaire_code"], r["profile_questionnaire_line_no"]) for r in ratings
        }
    nos = None if contact_nos is None else list(contact_nos)
    written = 0
    line_cache: dict[str, list[dict]] = {}

    def lines_of(code: str) -> list[dict]:
        if code not in line_cache:
            line_cache[code] = lines(session, code)
        return line_cache[code]

    for code, line_no in sorted(wanted):
        rating_lines = lines_of(code)
        question = next((x for x in rating_lines if x["line_no"] == line_no), None)
        if question is None:
            continue
        header = entities.get(session, "contacts.profile_questionnaire", code)
        points = {
            (r["rating_profile_quest_code"], r["rating_profile_quest_line_no"]): r["points"]
            for r in ratings
            if (r["profile_questionnaire_code"], r["profile_questionnaire_line_no"])
            == (code, line_no)
        }
        # the questions the rating asks: the question of each answer with points
        question_of_answer = {}
        for a_code, a_line in points:
            q = question_of(lines_of(a_code), a_line)
            question_of_answer[(a_code, a_line)] = (a_code, q["line_no"] if q else a_line)
        n_questions = len(set(question_of_answer.values())) or 1
        answer_where = sa.or_(
            *(
                sa.and_(_ans.c.profile_questionnaire_code == c, _ans.c.line_no == n)
                for c, n in points
            )
        )
        stmt = sa.select(_ans.c.contact_no, _ans.c.profile_questionnaire_code, _ans.c.line_no)
        stmt = stmt.where(answer_where)
        if nos is not None:
            stmt = stmt.where(_ans.c.contact_no.in_(nos))
        totals: dict[str, Decimal] = {}
        answered: dict[str, set] = {}
        for c_no, a_code, a_line in session.execute(stmt):
            totals[c_no] = totals.get(c_no, Decimal(0)) + points[(a_code, a_line)]
            answered.setdefault(c_no, set()).add(question_of_answer[(a_code, a_line)])
        rating_answers = answers_of(rating_lines, line_no)
        delete = sa.delete(_ans).where(
            _ans.c.profile_questionnaire_code == code,
            _ans.c.line_no.in_([a["line_no"] for a in rating_answers]),
        )
        if nos is not None:
            delete = delete.where(_ans.c.contact_no.in_(nos + list(totals)))
        session.execute(delete)
        companies = _company_nos(session, list(totals))
        rows = []
        for c_no, total in totals.items():
            pct = dateformula.bc_round(Decimal(100) * len(answered[c_no]) / n_questions, 2)
            if pct < question["min_pct_questions_answered"]:
                continue
            value = dateformula.bc_round(total, question["no_of_decimals"])
            hit = next(
                (a for a in rating_answers if in_range(value, a["from_value"], a["to_value"])), None
            )
            if hit is None:
                continue
            rows.append(
                {
                    "contact_no": c_no,
                    "profile_questionnaire_code": code,
                    "line_no": hit["line_no"],
                    "contact_company_no": companies.get(c_no, ""),
                    "answer_priority": hit["priority"],
                    "profile_questionnaire_priority": header["priority"],
                    "last_date_updated": _work_date(session),
                    "questions_answered_pct": pct,
                }
            )
        if rows:
            session.execute(sa.insert(_ans), rows)
            written += len(rows)
    return written


def _company_nos(session: Any, contact_nos: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(contact_nos), 5000):
        chunk = contact_nos[i : i + 5000]
        for no, company in session.execute(
            sa.select(_contact.c.no, _contact.c.company_no).where(_contact.c.no.in_(chunk))
        ):
            out[no] = company or ""
    return out
