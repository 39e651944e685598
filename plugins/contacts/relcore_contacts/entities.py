"""The entities the contacts plugin registers with the core."""

from __future__ import annotations

from relcore.entities import EntityType
from relcore_contacts import model

PERSONAL_DATA_FIELDS = (
    "name",
    "search_name",
    "name_2",
    "first_name",
    "middle_name",
    "surname",
    "initials",
    "job_title",
    "address",
    "address_2",
    "city",
    "post_code",
    "county",
    "phone_no",
    "mobile_phone_no",
    "fax_no",
    "telex_no",
    "telex_answer_back",
    "pager",
    "extension_no",
    "email",
    "email_2",
    "search_email",
    "home_page",
    "vat_registration_no",
    "registration_number",
    "external_id",
)

ENTITIES = [
    EntityType(
        "contacts.contact",
        model.contact,
        "Contact",
        number_series_setup_key="contacts.contact_nos",
        personal_data_fields=PERSONAL_DATA_FIELDS,
    ),
    EntityType(
        "contacts.salesperson",
        model.salesperson,
        "Salesperson",
        key=("code",),
        personal_data_fields=("name", "email", "phone_no"),
    ),
    EntityType("contacts.team", model.team, "Team", key=("code",)),
    EntityType("contacts.territory", model.territory, "Territory", key=("code",)),
    EntityType("contacts.country", model.country, "Country/Region", key=("code",)),
    EntityType("contacts.language", model.language, "Language", key=("code",)),
    EntityType("contacts.salutation", model.salutation, "Salutation", key=("code",)),
    EntityType(
        "contacts.business_relation", model.business_relation, "Business Relation", key=("code",)
    ),
    EntityType("contacts.industry_group", model.industry_group, "Industry Group", key=("code",)),
    EntityType("contacts.mailing_group", model.mailing_group, "Mailing Group", key=("code",)),
    EntityType(
        "contacts.job_responsibility", model.job_responsibility, "Job Responsibility", key=("code",)
    ),
    EntityType(
        "contacts.organizational_level",
        model.organizational_level,
        "Organizational Level",
        key=("code",),
    ),
    EntityType("contacts.web_source", model.web_source, "Web Source", key=("code",)),
    EntityType(
        "contacts.profile_questionnaire",
        model.profile_questionnaire,
        "Profile Questionnaire",
        key=("code",),
    ),
]
