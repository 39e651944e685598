"""d365-sync: Dataverse write operations per synchronised record (counted by the emulator).

Initial full sync of ``size`` person contacts under ``size / 5`` customer companies, plus 50
campaigns when the campaigns plugin is installed and 2,000 open opportunities (of the first
persons, first stage activated with values) when the opportunities plugin is, into an empty
emulator (in-process), then an incremental run after changing 100 persons. Returns
``(R, 1.0, extra)`` with the headline R = **write operations per synced record** on the initial
run: every create/update/delete/action counts once, each one inside a ``$batch`` too (goal ≤ 1.05:
one write per record, no read-back, no repeated writes). These are counts, not seconds. The second
figure is HTTP requests per synced record (a ``$batch`` counts as one request); ``extra`` also
carries the incremental run's requests and breakdown (goal: the 100 changes plus at most one
query per mapping leg and WhoAmI).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

GOAL = 1.05
RATIO_IS_VALUE = True
UNIT = " write operations per synced record"  # a count, not seconds
DEFAULT_SIZE = 10_000
WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")
_BATCH_WRITE = re.compile(r"^(?:POST|PATCH|PUT|DELETE) \S+ HTTP/1\.1\r?$", re.MULTILINE)


def _kind(entry: dict) -> str:
    path = entry["path"].split("/api/data/", 1)[-1].split("/", 1)[-1]
    if path == "$batch":
        return "POST $batch"
    name = path.split("(", 1)[0]
    return f"{entry['method']} {name}"


def _ops(entries: list[dict]) -> int:
    """Operations, each part of a ``$batch`` counted (reads and writes)."""
    return sum(
        (e.get("body") or "").count(" HTTP/1.1") if "$batch" in e["path"] else 1 for e in entries
    )


def writes(entries: list[dict]) -> int:
    """Write operations: POST/PATCH/PUT/DELETE requests (actions included), a ``$batch``
    counted by the writes inside it, not as one."""
    total = 0
    for e in entries:
        if e["path"].endswith("/$batch"):
            total += len(_BATCH_WRITE.findall(e.get("body") or ""))
        elif e["method"] in WRITE_METHODS:
            total += 1
    return total


OPPORTUNITIES = 2_000


def _opportunities(app: Any, session: Any, persons: list[dict]) -> None:
    """Open opportunities of these persons (Contoso cycles, first stage with values)."""
    import datetime as dt
    from decimal import Decimal

    from relcore_opportunities.api import create_opportunity
    from relcore_opportunities.demo import load_setup

    from relcore import entities

    load_setup(session)
    entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
    app.setup.set(session, "opportunities.salesperson_code", "JO")
    app.setup.set(session, "opportunities.default_sales_cycle", "NEW")
    close = app.work_date + dt.timedelta(days=60)
    for i, p in enumerate(persons):
        create_opportunity(
            session,
            {"description": f"Deal {i}", "contact_no": p["no"]},
            activate_first_stage=True,
            wizard={
                "estimated_value_lcy": Decimal(1000 + i),
                "chances_of_success_pct": Decimal(25),
                "estimated_close_date": close,
            },
        )


def run(size: int) -> tuple[float, float, dict]:
    """Measure one initial and one incremental synchronisation."""
    import importlib.util

    from relcore_contacts import api
    from relcore_d365sales.adapters import _link_customer
    from relcore_d365sales.testing import SyncEnv

    from relcore.testing import build_app

    with_campaigns = importlib.util.find_spec("relcore_campaigns") is not None
    with_opportunities = importlib.util.find_spec("relcore_opportunities") is not None
    plugins = ["contacts", "d365sales"]
    if with_campaigns:  # CAMPAIGN mapping: 50 campaigns in the initial load (issue 12)
        plugins[1:1] = ["interactions", "segments", "campaigns"]
    if with_opportunities:  # OPPORTUNITY mapping: 2,000 opportunities (issue 12)
        plugins[1:1] = [p for p in ("interactions", "opportunities") if p not in plugins]
    app = build_app("sqlite://", plugins)
    env = SyncEnv(app)
    n_companies = max(1, size // 5)
    with app.session() as session:
        if with_campaigns:
            from relcore import entities

            entities.insert(
                session,
                "campaigns.campaign",
                [{"no": f"CP{i:04d}", "description": f"Campaign {i}"} for i in range(1, 51)],
            )
        companies = api.insert_contacts(
            session,
            [
                {"type": "company", "name": f"Company {i:05d}", "city": "Leeds"}
                for i in range(n_companies)
            ],
        )
        for c in companies:
            _link_customer(session, c["no"], "C" + c["no"])
        persons = api.insert_contacts(
            session,
            [
                {
                    "type": "person",
                    "first_name": f"First{i}",
                    "surname": f"Last{i}",
                    "company_no": companies[i % n_companies]["no"],
                    "email": f"p{i}@x.example",
                }
                for i in range(size)
            ],
        )
        if with_opportunities:
            _opportunities(app, session, persons[:OPPORTUNITIES])
    env.emulator.request_log.clear()
    started = time.perf_counter()
    jobs = env.sync(full=True)
    initial_s = time.perf_counter() - started
    initial = env.api_requests()
    synced = sum(j.inserted for j in jobs.values())
    failed = sum(j.failed for j in jobs.values())
    ratio = writes(initial) / synced
    with app.session() as session:
        for p in persons[:100]:
            api.modify_contact(session, p["no"], {"job_title": "Changed"})
    env.emulator.request_log.clear()
    started = time.perf_counter()
    again = env.sync()
    incremental_s = time.perf_counter() - started
    inc = env.api_requests()
    modified = sum(j.modified for j in again.values())
    return (
        ratio,
        1.0,
        {
            "records synced (initial)": synced,
            "records failed (initial)": failed,
            "records synced by mapping (initial)": {
                m: j.inserted for (m, _d), j in sorted(jobs.items()) if j.inserted
            },
            "write operations (initial, each $batch part counted)": writes(initial),
            "HTTP requests per synced record (initial, a $batch = 1)": round(
                len(initial) / synced, 4
            ),
            "HTTP requests (initial)": len(initial),
            "operations incl. reads (initial, $batch parts counted)": _ops(initial),
            "initial run seconds": round(initial_s, 2),
            "incremental records modified": modified,
            "incremental HTTP requests": len(inc),
            "incremental breakdown": dict(Counter(_kind(e) for e in inc)),
            "incremental write operations ($batch parts counted)": writes(inc),
            "incremental operations incl. reads ($batch parts counted)": _ops(inc),
            "incremental run seconds": round(incremental_s, 2),
        },
    )
