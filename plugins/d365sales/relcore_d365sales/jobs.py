"""The job log and the error log (BC tables 5338/5339, reference §A7.4, §A10).

Each processed source record increments exactly one counter of its job; uncoupled records
ignored because the mapping synchronises only coupled records are not counted.
"""

from __future__ import annotations

import uuid
from typing import Any

import attrs
import sqlalchemy as sa

from relcore import entities
from relcore.db import utcnow
from relcore_d365sales import model

COUNTERS = (
    "inserted",
    "modified",
    "deleted",
    "unchanged",
    "skipped",
    "failed",
    "coupled",
    "uncoupled",
)


@attrs.define
class Job:
    """One job: a mapping, a direction, a type, its counters (the ``--json`` job object)."""

    id: str
    run_id: str
    mapping: str
    direction: str
    type: str = "synchronization"
    inserted: int = 0
    modified: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    coupled: int = 0
    uncoupled: int = 0
    message: str = ""

    def count(self, counter: str, n: int = 1) -> None:
        """Add ``n`` to a counter."""
        setattr(self, counter, getattr(self, counter) + n)

    @property
    def idle(self) -> bool:
        """BC: a job with no inserts, modifies, deletes or failures is idle (§A10)."""
        return not (self.inserted or self.modified or self.deleted or self.failed)


def start(
    session: Any, run_id: str, mapping: str, direction: str, type: str = "synchronization"
) -> Job:
    """Write a new job row (started now) and return it."""
    job = Job(str(uuid.uuid4()), run_id, mapping, direction, type)
    entities.insert(
        session,
        "d365sales.sync_job",
        [
            {
                "id": job.id,
                "run_id": run_id,
                "mapping_name": mapping,
                "type": type,
                "direction": direction,
                "started_at": utcnow(),
                "message": "",
            }
        ],
    )
    return job


def finish(session: Any, job: Job) -> None:
    """Store the job's counters and message, and its finish time."""
    entities.update(
        session,
        "d365sales.sync_job",
        job.id,
        {
            **{c: getattr(job, c) for c in COUNTERS},
            "message": job.message[:250],
            "finished_at": utcnow(),
        },
    )


def log_errors(session: Any, errors: list[dict]) -> None:
    """Write error rows (``job_id``, ``mapping_name``, ``direction``, ``local_key``, ``dv_id``,
    ``message``, ``detail``) in one statement."""
    if errors:
        now = utcnow()
        entities.insert(
            session,
            "d365sales.sync_error",
            [{**e, "message": e["message"][:250], "at": now} for e in errors],
        )


def recent_jobs(session: Any, limit: int = 20) -> list[dict]:
    """The latest jobs, newest first."""
    j = model.sync_job
    stmt = sa.select(j).order_by(j.c.started_at.desc(), j.c.id).limit(limit)
    return [dict(r._mapping) for r in session.execute(stmt)]


def errors(session: Any, *, job_id: str | None = None, limit: int = 50) -> list[dict]:
    """Error rows, newest first (optionally of one job)."""
    e = model.sync_error
    stmt = sa.select(e).order_by(e.c.id.desc()).limit(limit)
    if job_id:
        stmt = stmt.where(e.c.job_id == job_id)
    return [dict(r._mapping) for r in session.execute(stmt)]
