"""d365-sync: HTTP requests per synchronised record (the Dataverse emulator counts them).

Initial full sync of ``size`` person contacts under ``size / 5`` customer companies into an empty
emulator (in-process), then an incremental run after changing 100 persons. Returns
``(R, 1.0, extra)`` with R = Web API requests per synced record on the initial run (the goal is
≤ 1.05: creates need no read-back, the initial load no per-record reads); ``extra`` carries the
incremental run's request count and breakdown (goal: the 100 changes plus at most one query per
mapping leg and WhoAmI).
"""

from __future__ import annotations

import time
from collections import Counter

GOAL = 1.05
RATIO_IS_VALUE = True
DEFAULT_SIZE = 10_000


def _kind(entry: dict) -> str:
    path = entry["path"].split("/api/data/", 1)[-1].split("/", 1)[-1]
    if path == "$batch":
        return "POST $batch"
    name = path.split("(", 1)[0]
    return f"{entry['method']} {name}"


def _ops(entries: list[dict]) -> int:
    return sum(
        (e.get("body") or "").count(" HTTP/1.1") if "$batch" in e["path"] else 1 for e in entries
    )


def run(size: int) -> tuple[float, float, dict]:
    """Measure one initial and one incremental synchronisation."""
    from relcore_contacts import api
    from relcore_d365sales.adapters import _link_customer
    from relcore_d365sales.testing import SyncEnv

    from relcore.testing import build_app

    app = build_app("sqlite://", ["contacts", "d365sales"])
    env = SyncEnv(app)
    n_companies = max(1, size // 5)
    with app.session() as session:
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
    env.emulator.request_log.clear()
    started = time.perf_counter()
    jobs = env.sync(full=True)
    initial_s = time.perf_counter() - started
    initial = env.api_requests()
    synced = sum(j.inserted for j in jobs.values())
    ratio = len(initial) / synced
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
            "HTTP requests (initial)": len(initial),
            "write operations inside $batch (initial)": _ops(initial),
            "initial run seconds": round(initial_s, 2),
            "incremental records modified": modified,
            "incremental HTTP requests": len(inc),
            "incremental breakdown": dict(Counter(_kind(e) for e in inc)),
            "incremental operations (batch parts counted)": _ops(inc),
            "incremental run seconds": round(incremental_s, 2),
        },
    )
