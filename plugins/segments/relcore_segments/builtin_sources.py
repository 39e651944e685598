"""The criteria sources of the contacts and interactions plugins (BC §5.5.1 data items).

Registered by the segments plugin on their behalf:

* ``contact`` — the contact's own fields (the driving data item);
* ``profile_answer``, ``mailing_group``, ``job_responsibility`` — linked by Contact No.;
* ``industry_group``, ``business_relation`` — evaluated on the contact's **company** (a company
  by itself, a person by its Company No.);
* ``interaction`` — the interaction log (date, template, salesperson, evaluation, segment,
  campaign, logged segment).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore.fields import SYSTEM_FIELDS
from relcore_segments.sources import CriteriaSource


def _by_contact(table: sa.Table) -> Any:
    def contact_nos(conditions: list[Any]) -> sa.Select[Any]:
        return sa.select(table.c.contact_no).where(*conditions)

    return contact_nos


def _by_company(table: sa.Table) -> Any:
    """Records linked to a company count for the company and for each of its persons."""
    from relcore_contacts.api import contact_table

    def contact_nos(conditions: list[Any]) -> sa.Select[Any]:
        companies = sa.select(table.c.contact_no).where(*conditions)
        own = contact_table.alias("src_company")
        persons = contact_table.alias("src_person")
        return (
            sa.union_all(
                sa.select(own.c.no).where(own.c.type == "company", own.c.no.in_(companies)),
                sa.select(persons.c.no).where(
                    persons.c.type == "person", persons.c.company_no.in_(companies)
                ),
            )
            .subquery()
            .select()
        )

    return contact_nos


def contacts_sources() -> list[CriteriaSource]:
    """The sources over the contacts plugin's tables."""
    from relcore_contacts import api

    contact = api.contact_table
    contact_fields = {c.name: c for c in contact.c if c.name not in SYSTEM_FIELDS}

    def contact_nos(conditions: list[Any]) -> sa.Select[Any]:
        return sa.select(contact.c.no).where(*conditions)

    answer = api.profile_answer_table
    mailing = api.mailing_group_link_table
    job = api.job_responsibility_link_table
    industry = api.industry_group_link_table
    relation = api.business_relation_table
    return [
        CriteriaSource("contact", "Contact", contact_fields, contact_nos, on_contact=True),
        CriteriaSource(
            "profile_answer",
            "Contact Profile Answer",
            {
                "profile_questionnaire_code": answer.c.profile_questionnaire_code,
                "questionnaire": answer.c.profile_questionnaire_code,
                "line_no": answer.c.line_no,
                "answer": answer.c.line_no,
            },
            _by_contact(answer),
        ),
        CriteriaSource(
            "mailing_group",
            "Contact Mailing Group",
            {
                "code": mailing.c.mailing_group_code,
                "mailing_group_code": mailing.c.mailing_group_code,
            },
            _by_contact(mailing),
        ),
        CriteriaSource(
            "job_responsibility",
            "Contact Job Responsibility",
            {
                "code": job.c.job_responsibility_code,
                "job_responsibility_code": job.c.job_responsibility_code,
            },
            _by_contact(job),
        ),
        CriteriaSource(
            "industry_group",
            "Contact Industry Group",
            {
                "code": industry.c.industry_group_code,
                "industry_group_code": industry.c.industry_group_code,
            },
            _by_company(industry),
        ),
        CriteriaSource(
            "business_relation",
            "Contact Business Relation",
            {
                "code": relation.c.business_relation_code,
                "business_relation_code": relation.c.business_relation_code,
                "link_to_table": relation.c.link_to_table,
            },
            _by_company(relation),
        ),
    ]


def interactions_sources() -> list[CriteriaSource]:
    """The ``interaction`` source over the interaction log (§5.5.1, linked by contact)."""
    from relcore_interactions.api import log_entry_table

    e = log_entry_table.c
    fields = {
        "date": e.date,
        "template": e.interaction_template_code,
        "interaction_template_code": e.interaction_template_code,
        "group": e.interaction_group_code,
        "interaction_group_code": e.interaction_group_code,
        "salesperson": e.salesperson_code,
        "salesperson_code": e.salesperson_code,
        "evaluation": e.evaluation,
        "segment": e.segment_no,
        "segment_no": e.segment_no,
        "campaign": e.campaign_no,
        "campaign_no": e.campaign_no,
        "logged_segment_entry_no": e.logged_segment_entry_no,
        "information_flow": e.information_flow,
        "initiated_by": e.initiated_by,
        "canceled": e.canceled,
        "attempt_failed": e.attempt_failed,
    }

    def contact_nos(conditions: list[Any]) -> sa.Select[Any]:
        return sa.select(e.contact_no).where(e.contact_no.is_not(None), *conditions)

    return [CriteriaSource("interaction", "Interaction Log Entry", fields, contact_nos)]
