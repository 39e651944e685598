"""The contacts plugin's public API: what other plugins and outside authors may import.

A plain re-export (documented in ``docs/api-reference.md``); other plugins import this module
only, never the contacts plugin's internals. The ``*_table`` objects are for joins in other
plugins' set-based SQL and are read only: write through the functions (or ``relcore.entities``
with the entity names of ``docs/contacts.md``).
"""

from __future__ import annotations

from relcore_contacts.alt_addresses import (
    active_alt_address,
    active_alt_address_expr,
    active_alt_addresses,
)
from relcore_contacts.classification import ClassificationField, classification_fields
from relcore_contacts.contacts import insert_contacts, modify_contact
from relcore_contacts.contacts import resolve_company_no as resolve_contact_no
from relcore_contacts.dependents import detach_deleted_contacts, refuse_if_linked
from relcore_contacts.dupl_index import pairs_deferred as duplicate_pairs_deferred
from relcore_contacts.lookups import (
    contact_company_no,
    ensure_salesperson_usable,
    ensure_usable,
    get_contact,
    get_contacts,
)
from relcore_contacts.model import alt_address as alt_address_table
from relcore_contacts.model import alt_address_date_range as alt_address_date_range_table
from relcore_contacts.model import contact as contact_table
from relcore_contacts.model import contact_business_relation as business_relation_table
from relcore_contacts.model import contact_industry_group as industry_group_link_table
from relcore_contacts.model import contact_job_responsibility as job_responsibility_link_table
from relcore_contacts.model import contact_mailing_group as mailing_group_link_table
from relcore_contacts.model import contact_profile_answer as profile_answer_table
from relcore_contacts.model import salesperson as salesperson_table
from relcore_contacts.model import team as team_table
from relcore_contacts.model import team_salesperson as team_salesperson_table
from relcore_contacts.relations import link
from relcore_contacts.relations import linked_contacts as link_of
from relcore_contacts.salutations import salutation_text as salutation

__all__ = [
    "ClassificationField",
    "active_alt_address",
    "active_alt_address_expr",
    "active_alt_addresses",
    "alt_address_date_range_table",
    "alt_address_table",
    "business_relation_table",
    "classification_fields",
    "contact_company_no",
    "contact_table",
    "detach_deleted_contacts",
    "duplicate_pairs_deferred",
    "ensure_salesperson_usable",
    "ensure_usable",
    "get_contact",
    "get_contacts",
    "industry_group_link_table",
    "insert_contacts",
    "job_responsibility_link_table",
    "link",
    "link_of",
    "mailing_group_link_table",
    "modify_contact",
    "profile_answer_table",
    "refuse_if_linked",
    "resolve_contact_no",
    "salesperson_table",
    "salutation",
    "team_salesperson_table",
    "team_table",
]
