"""Automatic contact classification (§2.11, report 5199 "Update Contact Classification").

For each question with Auto Contact Classification (except Rating questions, which follow
their answers), the period is ``[CalcDate(Starting Date Formula, date), CalcDate(Ending Date
Formula, date)]``, the question's answers are deleted, a value per contact is asked from the
plugins (hook ``relcore_contacts_classification_values``), and each contact gets the answer
whose ``InRange`` matches its Defined Value, Percentage of Value or Percentage of Contacts.

Field names passed to the hook: contact class fields as they are (``interaction_quantity``),
customer and vendor class fields qualified (``customer.sales_lcy``, ``vendor.purchase_lcy``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa

from relcore import dateformula
from relcore.errors import PluginError, ValidationError
from relcore_contacts import model, profiles

_line = model.profile_questionnaire_line
_ans = model.contact_profile_answer
_contact = model.contact
_cbr = model.contact_business_relation


@attrs.frozen
class ClassificationField:
    """A contact class field a plugin provides values for (§2.11).

    :param name: the field name (``"interaction_quantity"``), stored in Contact Class. Field.
    :param description: how the shell shows it.
    """

    name: str
    description: str = ""


BUILT_IN_FIELDS = (ClassificationField("rating", "Rating (points of other answers)"),)
"""The class fields the contacts plugin provides itself (registered by its plugin module)."""


def classification_fields(app: Any) -> Mapping[str, ClassificationField]:
    """Contact class fields by name, as registered through
    ``relcore_contacts_register_classification_fields`` (collected once per app; a name
    registered twice is refused naming both plugins)."""
    return app.registry(
        "relcore_contacts_register_classification_fields",
        kind="classification field",
        key=lambda field: field.name,
    )


def hook_field_name(line: dict) -> str:
    """The field name the values hook receives for a question line."""
    if line["customer_class_field"]:
        return f"customer.{line['customer_class_field']}"
    if line["vendor_class_field"]:
        return f"vendor.{line['vendor_class_field']}"
    return line["contact_class_field"]


def period(line: dict, date: dt.date, *, key: str) -> tuple[dt.date, dt.date]:
    """The question's period for ``date``; both formulas required, end not before start."""
    for f in ("starting_date_formula", "ending_date_formula"):
        if not line[f]:
            raise ValidationError(
                "must be filled in for automatic classification",
                entity="Profile Questionnaire Line",
                key=key,
                field=f,
            )
    start = dateformula.calc_date(line["starting_date_formula"], date)
    end = dateformula.calc_date(line["ending_date_formula"], date)
    if end < start:
        raise ValidationError(
            f"the period ends ({end}) before it starts ({start})",
            entity="Profile Questionnaire Line",
            key=key,
            field="ending_date_formula",
        )
    return start, end


def _eligible(session: Any, header: dict, nos: list[str]) -> dict[str, dict]:
    """Contacts among ``nos`` passing the header's Contact Type and Business Relation filters."""
    out: dict[str, dict] = {}
    for i in range(0, len(nos), 5000):
        stmt = sa.select(_contact.c.no, _contact.c.type, _contact.c.company_no).where(
            _contact.c.no.in_(nos[i : i + 5000])
        )
        wanted = {"companies": "company", "people": "person"}.get(header["contact_type"])
        if wanted:
            stmt = stmt.where(_contact.c.type == wanted)
        if header["business_relation_code"]:
            stmt = stmt.where(
                sa.exists().where(
                    _cbr.c.contact_no == _contact.c.no,
                    _cbr.c.business_relation_code == header["business_relation_code"],
                )
            )
        out.update({r.no: dict(r._mapping) for r in session.execute(stmt)})
    return out


def _persons_of(session: Any, company_nos: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(company_nos), 5000):
        stmt = sa.select(_contact.c.no, _contact.c.company_no).where(
            _contact.c.type == "person", _contact.c.company_no.in_(company_nos[i : i + 5000])
        )
        out.update({no: company for no, company in session.execute(stmt)})
    return out


def assign(line: dict, answers: list[dict], values: dict[str, Decimal]) -> dict[str, dict]:
    """Which answer each contact gets for one question (§2.11 methods; pure function)."""
    decimals = line["no_of_decimals"]
    method = line["classification_method"] or "defined_value"
    descending = line["sorting_method"] != "ascending"
    keyed: dict[str, Decimal] = {}
    if method == "defined_value":
        keyed = {no: dateformula.bc_round(v, decimals) for no, v in values.items()}
    elif method == "percentage_of_value":
        total = sum(values.values(), Decimal(0))
        if total != 0:
            keyed = {
                no: dateformula.bc_round(Decimal(100) * v / total, decimals)
                for no, v in values.items()
            }
    else:  # percentage_of_contacts
        sign = -1 if descending else 1  # ties keep contact-number order
        order = sorted(values, key=lambda no: (sign * values[no], no))
        n = len(order)
        keyed = {
            no: dateformula.bc_round(Decimal(100) * (rank + 1) / n, decimals)
            for rank, no in enumerate(order)
        }
    out: dict[str, dict] = {}
    for no, value in keyed.items():
        hit = next(
            (a for a in answers if profiles.in_range(value, a["from_value"], a["to_value"])), None
        )
        if hit is not None:
            out[no] = hit
    return out


def classify(
    session: Any, date: dt.date | None = None, questionnaire_code: str | None = None
) -> dict[str, int]:
    """Update contact classification for every automatic question (report 5199).

    :param date: the reference date of the period formulas (default: WorkDate).
    :returns: answers written per ``"CODE LINE"``.
    """
    from relcore import entities
    from relcore.app import app_of

    app = app_of(session)
    date = date or app.work_date
    stmt = sa.select(_line).where(
        _line.c.auto_contact_classification == sa.true(),
        _line.c.type == "question",
        _line.c.contact_class_field != "rating",
    )
    if questionnaire_code is not None:
        stmt = stmt.where(_line.c.profile_questionnaire_code == questionnaire_code)
    questions = [
        dict(r._mapping)
        for r in session.execute(stmt.order_by(_line.c.profile_questionnaire_code, _line.c.line_no))
    ]
    result: dict[str, int] = {}
    for q in questions:
        code, line_no = q["profile_questionnaire_code"], q["line_no"]
        key = f"{code} {line_no}"
        field = hook_field_name(q)
        if not field:
            raise ValidationError(
                "choose a class field for automatic classification",
                entity="Profile Questionnaire Line",
                key=key,
                field="contact_class_field",
            )
        start, end = period(q, date, key=key)
        header = entities.get(session, "contacts.profile_questionnaire", code)
        answers = profiles.answers_of(profiles.lines(session, code), line_no)
        session.execute(
            sa.delete(_ans).where(
                _ans.c.profile_questionnaire_code == code,
                _ans.c.line_no.in_([a["line_no"] for a in answers]),
            )
        )
        values = app.pm.hook.relcore_contacts_classification_values(
            session=session, field=field, contact_nos=None, starting_date=start, ending_date=end
        )
        if values is None:
            known = ", ".join(classification_fields(app).names())
            raise PluginError(
                f"no plugin provides values for the classification field {field!r} (question "
                f"{key}; registered fields: {known})"
            )
        values = {no: Decimal(v) for no, v in values.items()}
        if field.startswith(("customer.", "vendor.")) and header["contact_type"] != "companies":
            for person, company in _persons_of(session, list(values)).items():
                values.setdefault(person, values[company])
        eligible = _eligible(session, header, list(values))
        values = {no: v for no, v in values.items() if no in eligible}
        hits = assign(q, answers, values)
        rows = [
            {
                "contact_no": no,
                "profile_questionnaire_code": code,
                "line_no": a["line_no"],
                "contact_company_no": eligible[no]["company_no"] or "",
                "answer_priority": a["priority"],
                "profile_questionnaire_priority": header["priority"],
                "last_date_updated": date,
                "questions_answered_pct": Decimal(0),
            }
            for no, a in sorted(hits.items())
        ]
        for i in range(0, len(rows), 5000):
            session.execute(sa.insert(_ans), rows[i : i + 5000])
        result[key] = len(rows)
    if questions:
        profiles.update_ratings(session, None)
    return result
