"""Shared set-up of the segments benchmarks: a SQLite file with the schema and plain-SQL data."""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any


def build(size: int) -> tuple[Any, str, str]:
    """An App (contacts, interactions, segments) on a fresh SQLite file; returns (app, path,
    tmpdir)."""
    from relcore.testing import build_app

    tmp = tempfile.mkdtemp(prefix="relcore-bench-")
    path = os.path.join(tmp, "bench.db")
    app = build_app(f"sqlite:///{path}", ["contacts", "interactions", "segments"])
    return app, path, tmp


def fill_contacts(path: str, size: int) -> None:
    """``size`` contacts (every 5th a company, its persons after it), 1 in 5 persons a
    purchasing manager; post codes 1000..10999 spread evenly. Plain SQL, one statement each."""
    con = sqlite3.connect(path)
    con.executescript(f"""
        INSERT INTO contacts_job_responsibility (code, description, system_id, created_at,
            modified_at, version) VALUES ('PURCHASE', 'Purchasing', 'jr1', '2024-01-01',
            '2024-01-01', 1);
        INSERT INTO contacts_contact (no, type, name, search_name, company_no, company_name,
            post_code, correspondence_type, exclude_from_segment, contact_business_relation,
            privacy_blocked, minor, parental_consent_received, lookup_contact_no, currency_code,
            name_2, first_name, middle_name, surname, initials, job_title, format_region,
            address, address_2, city, county, phone_no, mobile_phone_no, fax_no, telex_no,
            telex_answer_back, pager, extension_no, email, email_2, search_email, home_page,
            vat_registration_no, registration_number, external_id, no_series,
            system_id, created_at, modified_at, version)
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {size - 1})
        SELECT printf('CT%07d', i), CASE WHEN i % 5 = 0 THEN 'company' ELSE 'person' END,
               printf('Contact %d', i), printf('CONTACT %d', i),
               printf('CT%07d', i - i % 5), printf('Company %d', i - i % 5),
               CAST(1000 + (i * 7919) % 10000 AS TEXT), '', 0, 'none', 0, 0, 0, '', '',
               '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
               printf('c%d@example.test', i), '', '', '', '', '', '', '',
               lower(hex(randomblob(16))), '2024-01-01', '2024-01-01', 1
        FROM n;
        INSERT INTO contacts_contact_job_responsibility (contact_no, job_responsibility_code)
        SELECT no, 'PURCHASE' FROM contacts_contact WHERE type = 'person'
           AND CAST(substr(no, 3) AS INTEGER) % 5 = 1;
        ANALYZE;
    """)
    con.commit()
    con.close()


def median_time(function: Callable[[], Any], repeat: int) -> float:
    """The median wall time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
