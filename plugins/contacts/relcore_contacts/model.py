"""The contacts plugin's tables (BC §1.3, §2, §3).

Column names are Business Central's field names in snake_case. ``Code`` columns are upper-cased;
option fields list their values in ``info={"choices": ...}`` (checked by :mod:`relcore.fields`).
"""

from __future__ import annotations

import sqlalchemy as sa

from relcore.db import Code, Money, master_table, metadata

CONTACT_TYPES = ("company", "person")
CORRESPONDENCE_TYPES = ("", "hard_copy", "email")
LINK_TO_TABLES = ("", "customer", "vendor", "bank_account", "employee")
BUSINESS_RELATION_SUMMARY = (
    "",
    "customer",
    "vendor",
    "bank_account",
    "employee",
    "none",
    "other",
    "multiple",
)
SALUTATION_TYPES = ("formal", "informal")
SALUTATION_NAME_PARTS = (
    "",
    "job_title",
    "first_name",
    "middle_name",
    "surname",
    "initials",
    "company_name",
)


def _code(name: str, length: int = 10, **kw: object) -> sa.Column:
    return sa.Column(name, Code(length), **kw)


def _fk_code(name: str, target: str, length: int = 10, **kw: object) -> sa.Column:
    return sa.Column(name, Code(length), sa.ForeignKey(target), nullable=True, index=True, **kw)


def _simple_code_table(name: str, *extra: sa.Column) -> sa.Table:
    """A BC setup list: ``code`` (Code[10]) + ``description`` (Text[100]) (§1.3)."""
    return master_table(
        name,
        _code("code", primary_key=True),
        sa.Column("description", sa.String(100), nullable=False, default=""),
        *extra,
    )


# -- reference data (§1.3) ---------------------------------------------------------------------

salesperson = master_table(
    "contacts_salesperson",
    _code("code", 20, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, default=""),
    sa.Column("commission_pct", Money(2), nullable=False, default=0),
    sa.Column("email", sa.String(80), nullable=False, default=""),
    sa.Column("phone_no", sa.String(30), nullable=False, default=""),
    sa.Column("job_title", sa.String(30), nullable=False, default=""),
    sa.Column("blocked", sa.Boolean, nullable=False, default=False),
    sa.Column("privacy_blocked", sa.Boolean, nullable=False, default=False),
)

team = master_table(
    "contacts_team",
    _code("code", primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, default=""),
)

team_salesperson = sa.Table(
    "contacts_team_salesperson",
    metadata,
    sa.Column(
        "team_code",
        Code(10),
        sa.ForeignKey("contacts_team.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "salesperson_code",
        Code(20),
        sa.ForeignKey("contacts_salesperson.code"),
        primary_key=True,
        index=True,
    ),
)

territory = master_table(
    "contacts_territory",
    _code("code", primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, default=""),
)

country = master_table(
    "contacts_country",
    _code("code", primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, default=""),
    sa.Column("iso_code", sa.String(2), nullable=False, default=""),
    sa.Column("eu_country_region_code", Code(10), nullable=False, default=""),
)

language = master_table(
    "contacts_language",
    _code("code", primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, default=""),
    sa.Column("windows_language_id", sa.Integer, nullable=True),
    sa.Column("format_region", sa.String(80), nullable=False, default=""),
)

salutation = _simple_code_table("contacts_salutation")

salutation_formula = sa.Table(
    "contacts_salutation_formula",
    metadata,
    sa.Column(
        "salutation_code",
        Code(10),
        sa.ForeignKey("contacts_salutation.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("language_code", Code(10), primary_key=True, default=""),
    sa.Column(
        "salutation_type", sa.String(10), primary_key=True, info={"choices": SALUTATION_TYPES}
    ),
    sa.Column("salutation", sa.String(50), nullable=False, default=""),
    *(
        sa.Column(
            f"name_{i}",
            sa.String(20),
            nullable=False,
            default="",
            info={"choices": SALUTATION_NAME_PARTS},
        )
        for i in range(1, 6)
    ),
)

business_relation = _simple_code_table("contacts_business_relation")
industry_group = _simple_code_table("contacts_industry_group")
mailing_group = _simple_code_table("contacts_mailing_group")
job_responsibility = _simple_code_table("contacts_job_responsibility")
organizational_level = _simple_code_table("contacts_organizational_level")
web_source = _simple_code_table(
    "contacts_web_source", sa.Column("url", sa.String(250), nullable=False, default="")
)

# -- the contact (§2.1) ------------------------------------------------------------------------

contact = master_table(
    "contacts_contact",
    _code("no", 20, primary_key=True),
    sa.Column(
        "type", sa.String(10), nullable=False, default="company", info={"choices": CONTACT_TYPES}
    ),
    sa.Column("name", sa.String(100), nullable=False, default="", index=True),
    _code("search_name", 100, nullable=False, default="", index=True),
    sa.Column("name_2", sa.String(50), nullable=False, default=""),
    sa.Column("first_name", sa.String(30), nullable=False, default=""),
    sa.Column("middle_name", sa.String(30), nullable=False, default=""),
    sa.Column("surname", sa.String(30), nullable=False, default=""),
    sa.Column("initials", sa.String(30), nullable=False, default=""),
    sa.Column("job_title", sa.String(30), nullable=False, default=""),
    sa.Column(
        "company_no", Code(20), sa.ForeignKey("contacts_contact.no"), nullable=True, index=True
    ),
    # no index of its own: ix_contacts_contact_grouped leads with it (one index less per write)
    sa.Column("company_name", sa.String(100), nullable=False, default=""),
    _code("lookup_contact_no", 20, nullable=False, default=""),
    _code("primary_contact_no", 20, nullable=False, default=""),
    _fk_code("salutation_code", "contacts_salutation.code"),
    sa.Column(
        "correspondence_type",
        sa.String(10),
        nullable=False,
        default="",
        info={"choices": CORRESPONDENCE_TYPES},
    ),
    _fk_code("language_code", "contacts_language.code"),
    sa.Column("format_region", sa.String(80), nullable=False, default=""),
    _fk_code("salesperson_code", "contacts_salesperson.code", 20),
    _fk_code("territory_code", "contacts_territory.code"),
    _fk_code("country_region_code", "contacts_country.code"),
    _code("currency_code", nullable=False, default=""),
    sa.Column("address", sa.String(100), nullable=False, default=""),
    sa.Column("address_2", sa.String(50), nullable=False, default=""),
    sa.Column("city", sa.String(30), nullable=False, default="", index=True),
    _code("post_code", 20, nullable=False, default="", index=True),
    sa.Column("county", sa.String(30), nullable=False, default=""),
    sa.Column("phone_no", sa.String(30), nullable=False, default="", index=True),
    sa.Column("mobile_phone_no", sa.String(30), nullable=False, default=""),
    sa.Column("fax_no", sa.String(30), nullable=False, default=""),
    sa.Column("telex_no", sa.String(20), nullable=False, default=""),
    sa.Column("telex_answer_back", sa.String(20), nullable=False, default=""),
    sa.Column("pager", sa.String(30), nullable=False, default=""),
    sa.Column("extension_no", sa.String(30), nullable=False, default=""),
    sa.Column("email", sa.String(80), nullable=False, default=""),
    sa.Column("email_2", sa.String(80), nullable=False, default=""),
    _code("search_email", 80, nullable=False, default="", index=True),
    sa.Column("home_page", sa.String(255), nullable=False, default=""),
    sa.Column("vat_registration_no", sa.String(20), nullable=False, default="", index=True),
    sa.Column("registration_number", sa.String(50), nullable=False, default=""),
    _fk_code("organizational_level_code", "contacts_organizational_level.code"),
    sa.Column("exclude_from_segment", sa.Boolean, nullable=False, default=False),
    _code("external_id", 20, nullable=False, default=""),
    sa.Column(
        "contact_business_relation",
        sa.String(20),
        nullable=False,
        default="none",
        index=True,
        info={"choices": BUSINESS_RELATION_SUMMARY},
    ),
    sa.Column("privacy_blocked", sa.Boolean, nullable=False, default=False),
    sa.Column("minor", sa.Boolean, nullable=False, default=False),
    sa.Column("parental_consent_received", sa.Boolean, nullable=False, default=False),
    _code("no_series", 20, nullable=False, default=""),
)

sa.Index(
    "ix_contacts_contact_grouped",
    contact.c.company_name,
    contact.c.company_no,
    contact.c.type,
    contact.c.name,
)


def _link_table(name: str, target: str, code_name: str, *extra: sa.Column) -> sa.Table:
    """A contact ↔ code link table, key (contact_no, code) (§1.3)."""
    return sa.Table(
        name,
        metadata,
        sa.Column("contact_no", Code(20), sa.ForeignKey("contacts_contact.no"), primary_key=True),
        sa.Column(code_name, Code(10), sa.ForeignKey(target), primary_key=True, index=True),
        *extra,
    )


contact_industry_group = _link_table(
    "contacts_contact_industry_group", "contacts_industry_group.code", "industry_group_code"
)
contact_mailing_group = _link_table(
    "contacts_contact_mailing_group", "contacts_mailing_group.code", "mailing_group_code"
)
contact_job_responsibility = _link_table(
    "contacts_contact_job_responsibility",
    "contacts_job_responsibility.code",
    "job_responsibility_code",
)
contact_web_source = _link_table(
    "contacts_contact_web_source",
    "contacts_web_source.code",
    "web_source_code",
    sa.Column("search_word", sa.String(30), nullable=False, default=""),
)

# -- business relations and links (§3.1) -------------------------------------------------------

contact_business_relation = sa.Table(
    "contacts_contact_business_relation",
    metadata,
    sa.Column("contact_no", Code(20), sa.ForeignKey("contacts_contact.no"), primary_key=True),
    sa.Column(
        "business_relation_code",
        Code(10),
        sa.ForeignKey("contacts_business_relation.code"),
        primary_key=True,
        index=True,
    ),
    sa.Column(
        "link_to_table", sa.String(20), nullable=False, default="", info={"choices": LINK_TO_TABLES}
    ),
    sa.Column("link_no", Code(20), nullable=False, default=""),
)
sa.Index(
    "ix_contacts_cbr_link",
    contact_business_relation.c.link_to_table,
    contact_business_relation.c.link_no,
)

# -- alternative addresses (§2.8) --------------------------------------------------------------

alt_address = sa.Table(
    "contacts_alt_address",
    metadata,
    sa.Column("contact_no", Code(20), sa.ForeignKey("contacts_contact.no"), primary_key=True),
    sa.Column("code", Code(10), primary_key=True),
    sa.Column("company_name", sa.String(100), nullable=False, default=""),
    sa.Column("company_name_2", sa.String(50), nullable=False, default=""),
    sa.Column("address", sa.String(100), nullable=False, default=""),
    sa.Column("address_2", sa.String(50), nullable=False, default=""),
    sa.Column("city", sa.String(30), nullable=False, default=""),
    sa.Column("post_code", Code(20), nullable=False, default=""),
    sa.Column("county", sa.String(30), nullable=False, default=""),
    sa.Column("country_region_code", Code(10), nullable=False, default=""),
    sa.Column("phone_no", sa.String(30), nullable=False, default=""),
    sa.Column("mobile_phone_no", sa.String(30), nullable=False, default=""),
    sa.Column("fax_no", sa.String(30), nullable=False, default=""),
    sa.Column("email", sa.String(80), nullable=False, default=""),
    sa.Column("home_page", sa.String(255), nullable=False, default=""),
)

alt_address_date_range = sa.Table(
    "contacts_alt_address_date_range",
    metadata,
    sa.Column("contact_no", Code(20), sa.ForeignKey("contacts_contact.no"), primary_key=True),
    sa.Column("starting_date", sa.Date, primary_key=True),
    sa.Column("ending_date", sa.Date, nullable=True),
    sa.Column("contact_alt_address_code", Code(10), nullable=False),
)

# -- duplicates (§2.10) ------------------------------------------------------------------------

duplicate_search_string_setup = sa.Table(
    "contacts_duplicate_search_string_setup",
    metadata,
    sa.Column("field_name", sa.String(30), primary_key=True),
    sa.Column("part_of_field", sa.String(5), primary_key=True, info={"choices": ("first", "last")}),
    sa.Column("length", sa.Integer, nullable=False, default=5),
)

# Derived data, rebuilt wholesale by "duplicates --regenerate": no foreign key to the contact
# (its check cost ~40 % of a rebuild and of the index part of an import, and on SQLite it
# turns "DELETE FROM" row by row); the contact service removes a contact's rows on delete.
duplicate_search_string = sa.Table(
    "contacts_duplicate_search_string",
    metadata,
    sa.Column("contact_company_no", Code(20), primary_key=True),
    sa.Column("field_name", sa.String(30), primary_key=True),
    sa.Column("part_of_field", sa.String(5), primary_key=True),
    sa.Column("search_string", sa.String(10), nullable=False),
)
sa.Index(
    "ix_contacts_dup_string_lookup",
    duplicate_search_string.c.field_name,
    duplicate_search_string.c.part_of_field,
    duplicate_search_string.c.search_string,
)

contact_duplicate = sa.Table(
    "contacts_contact_duplicate",
    metadata,
    sa.Column("contact_no", Code(20), sa.ForeignKey("contacts_contact.no"), primary_key=True),
    sa.Column(
        "duplicate_contact_no",
        Code(20),
        sa.ForeignKey("contacts_contact.no"),
        primary_key=True,
        index=True,
    ),
    sa.Column("separate_contacts", sa.Boolean, nullable=False, default=False),
    sa.Column("no_of_matching_strings", sa.Integer, nullable=False, default=0),
)

# -- profile questionnaires (§2.11) ------------------------------------------------------------

PROFILE_CONTACT_TYPES = ("", "companies", "people")
PRIORITIES = ("very_low", "low", "normal", "high", "very_high")
LINE_TYPES = ("question", "answer")
CLASSIFICATION_METHODS = ("", "defined_value", "percentage_of_value", "percentage_of_contacts")
SORTING_METHODS = ("", "descending", "ascending")

profile_questionnaire = master_table(
    "contacts_profile_questionnaire",
    _code("code", 20, primary_key=True),
    sa.Column("description", sa.String(250), nullable=False, default=""),
    sa.Column(
        "contact_type",
        sa.String(10),
        nullable=False,
        default="",
        info={"choices": PROFILE_CONTACT_TYPES},
    ),
    _fk_code("business_relation_code", "contacts_business_relation.code"),
    sa.Column(
        "priority", sa.String(10), nullable=False, default="normal", info={"choices": PRIORITIES}
    ),
)

profile_questionnaire_line = sa.Table(
    "contacts_profile_questionnaire_line",
    metadata,
    sa.Column(
        "profile_questionnaire_code",
        Code(20),
        sa.ForeignKey("contacts_profile_questionnaire.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("line_no", sa.Integer, primary_key=True),
    sa.Column("type", sa.String(10), nullable=False, info={"choices": LINE_TYPES}),
    sa.Column("description", sa.String(250), nullable=False),
    sa.Column("multiple_answers", sa.Boolean, nullable=False, default=False),
    sa.Column("auto_contact_classification", sa.Boolean, nullable=False, default=False),
    sa.Column("customer_class_field", sa.String(40), nullable=False, default=""),
    sa.Column("vendor_class_field", sa.String(40), nullable=False, default=""),
    sa.Column("contact_class_field", sa.String(40), nullable=False, default=""),
    sa.Column("starting_date_formula", sa.String(30), nullable=False, default=""),
    sa.Column("ending_date_formula", sa.String(30), nullable=False, default=""),
    sa.Column(
        "classification_method",
        sa.String(30),
        nullable=False,
        default="",
        info={"choices": CLASSIFICATION_METHODS},
    ),
    sa.Column(
        "sorting_method",
        sa.String(12),
        nullable=False,
        default="",
        info={"choices": SORTING_METHODS},
    ),
    sa.Column("from_value", Money(5), nullable=False, default=0),
    sa.Column("to_value", Money(5), nullable=False, default=0),
    sa.Column(
        "priority", sa.String(10), nullable=False, default="normal", info={"choices": PRIORITIES}
    ),
    sa.Column("no_of_decimals", sa.Integer, nullable=False, default=0),
    sa.Column("min_pct_questions_answered", Money(2), nullable=False, default=0),
)

contact_profile_answer = sa.Table(
    "contacts_contact_profile_answer",
    metadata,
    sa.Column("contact_no", Code(20), sa.ForeignKey("contacts_contact.no"), primary_key=True),
    sa.Column("profile_questionnaire_code", Code(20), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True),
    sa.Column("contact_company_no", Code(20), nullable=False, default="", index=True),
    sa.Column("answer_priority", sa.String(10), nullable=False, default="normal"),
    sa.Column("profile_questionnaire_priority", sa.String(10), nullable=False, default="normal"),
    sa.Column("last_date_updated", sa.Date, nullable=True),
    sa.Column("questions_answered_pct", Money(2), nullable=False, default=0),
    sa.ForeignKeyConstraint(
        ["profile_questionnaire_code", "line_no"],
        [
            "contacts_profile_questionnaire_line.profile_questionnaire_code",
            "contacts_profile_questionnaire_line.line_no",
        ],
        ondelete="CASCADE",
    ),
)
sa.Index(
    "ix_contacts_answer_line",
    contact_profile_answer.c.profile_questionnaire_code,
    contact_profile_answer.c.line_no,
)

rating = sa.Table(
    "contacts_rating",
    metadata,
    sa.Column("profile_questionnaire_code", Code(20), primary_key=True),
    sa.Column("profile_questionnaire_line_no", sa.Integer, primary_key=True),
    sa.Column("rating_profile_quest_code", Code(20), primary_key=True),
    sa.Column("rating_profile_quest_line_no", sa.Integer, primary_key=True),
    sa.Column("points", Money(2), nullable=False, default=0),
)
