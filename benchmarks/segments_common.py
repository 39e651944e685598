"""Shared set-up of the segments benchmarks: contacts filled with plain SQL (one statement each),
on SQLite or PostgreSQL (see :mod:`baseline`)."""

from __future__ import annotations

from typing import Any

from baseline import Target, transaction

PLUGINS = ["contacts", "interactions", "segments"]

_CONTACT_COLUMNS = """no, type, name, search_name, company_no, company_name,
    post_code, correspondence_type, exclude_from_segment, contact_business_relation,
    privacy_blocked, minor, parental_consent_received, lookup_contact_no, currency_code,
    name_2, first_name, middle_name, surname, initials, job_title, format_region,
    address, address_2, city, county, phone_no, mobile_phone_no, fax_no, telex_no,
    telex_answer_back, pager, extension_no, email, email_2, search_email, home_page,
    vat_registration_no, registration_number, external_id, no_series, primary_contact_no,
    system_id, created_at, modified_at, version"""


def fill_contacts(target: Target, size: int) -> None:
    """``size`` contacts (every 5th a company, its persons after it), 1 in 5 persons a
    purchasing manager; post codes 1000..10999 spread evenly; every contact has an e-mail."""
    if target.is_postgres:
        series = f"generate_series(0, {size - 1}) AS n(i)"
        no = "'CT' || lpad(i::text, 7, '0')"
        company = "'CT' || lpad((i - i % 5)::text, 7, '0')"
        text = "({})::text"
        uuid, false = "gen_random_uuid()", "false"
    else:
        series = f"(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {size - 1}) SELECT i FROM n)"  # noqa: E501
        no = "printf('CT%07d', i)"
        company = "printf('CT%07d', i - i % 5)"
        text = "CAST({} AS TEXT)"
        uuid, false = "lower(hex(randomblob(16)))", "0"
    con = target.connect()
    with transaction(con):
        con.execute(
            "INSERT INTO contacts_job_responsibility (code, description, system_id, created_at, "
            f"modified_at, version) VALUES ('PURCHASE', 'Purchasing', {uuid}, '2024-01-01', "
            "'2024-01-01', 1)"
        )
        con.execute(
            f"INSERT INTO contacts_contact ({_CONTACT_COLUMNS}) "
            f"SELECT {no}, CASE WHEN i % 5 = 0 THEN 'company' ELSE 'person' END, "
            f"'Contact ' || {text.format('i')}, 'CONTACT ' || {text.format('i')}, {company}, "
            f"'Company ' || {text.format('i - i % 5')}, "
            f"{text.format('1000 + (i * 7919) % 10000')}, '', {false}, 'none', {false}, "
            f"{false}, {false}, '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', "
            f"'', '', '', '', 'c' || {text.format('i')} || '@example.test', '', '', '', '', '', "
            f"'', '', '', {uuid}, '2024-01-01', '2024-01-01', 1 FROM {series}"
        )
        con.execute(
            "INSERT INTO contacts_contact_job_responsibility (contact_no, job_responsibility_code) "
            "SELECT no, 'PURCHASE' FROM contacts_contact WHERE type = 'person' "
            "AND CAST(substr(no, 3) AS INTEGER) % 5 = 1"
        )
    con.execute("ANALYZE")
    if target.is_postgres:
        con.commit()
    con.close()


def run_sql(target: Target, sql: str, params: Any = ()) -> None:
    """One statement in its own transaction on a plain connection."""
    con = target.connect()
    with transaction(con):
        con.execute(sql, params)
    con.close()
