"""The synchronisation engine (reference §A7–§A11, §D5).

:func:`synchronize` runs the enabled mappings in dependency order (``dependency_filter``, then
priority). One run of a mapping:

1. **Dataverse changes** (when the mapping reads from Dataverse, or is bidirectional and so needs
   them for conflict detection): rows with ``modifiedon ge watermark − overlap`` inside the
   Dataverse filter, ordered by ``modifiedon, <pk>`` and paged, without rows last written by the
   integration user (echo suppression, §A7.2); or, with change tracking, the stored delta link
   (deletions included; an expired token falls back to polling and re-baselines next run).
   Re-read rows whose ``versionnumber`` equals the coupling's are dropped silently (de-dup).
2. **Local changes** (when the mapping writes to Dataverse): records inside the local filter
   modified at/after the local watermark − overlap; rows whose ``modified_at`` equals the
   coupling's (within 10 ms) are dropped silently.
3. Failed-not-skipped, forced (manually coupled, merged, retried) and pending couplings join the
   candidates; skipped ones are counted as skipped (§A9).
4. Per coupled pair, :func:`.conflicts.decide` compares both sides with the coupling's snapshot:
   changes go across, disjoint edits both survive, a real conflict follows the mapping's strategy
   (§A8.1). A missing counterpart is a deletion conflict (§A8.2). Uncoupled records are created
   on the other side only when the mapping allows it (``only_coupled`` off, ``--full``, §A11).
5. Writes to Dataverse go in ``$batch`` requests (creates with client-generated ids, updates
   with ``If-Match`` and ``return=representation`` so the new version comes back without a
   read). A 412 re-reads the row and decides again once; a 404 is a deletion conflict.
6. Local writes go through the owning plugin's API, each in a savepoint, with the coupling.
7. Watermarks advance to the maximum timestamp *seen*, only when the leg completed.

Modules: this one orchestrates (settings, run context, dependency order); one mapping's run is
:mod:`.mapping_run` (reading and deciding), :mod:`.dv_writes` and :mod:`.local_writes` (writing);
field conversion is :mod:`.transfer`, the three-way decision :mod:`.conflicts`, the coupling
store :mod:`.couplings`, the logs :mod:`.jobs`, match-based coupling :mod:`.matching`.

Crash safety: before any create is sent its coupling is committed as ``pending_insert`` with the
client-generated id, so a killed run re-sends the same id (``DuplicateRecord`` ⇒ already there)
instead of creating a duplicate; coupling results are committed per batch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from relcore.errors import ConfigError, RelcoreError
from relcore_d365sales import jobs, model
from relcore_d365sales.mapping_run import MappingRun
from relcore_d365sales.mappings import ensure_mappings, registry, require
from relcore_d365sales.run_context import RunContext, Settings, session_factory


def _ordered(rows: list[dict]) -> list[dict]:
    """Mappings in dependency order (``dependency_filter``), then priority and name."""
    by_name = {r["name"]: r for r in rows}
    done: list[dict] = []
    seen: set[str] = set()

    def visit(row: dict, chain: tuple[str, ...]) -> None:
        if row["name"] in seen:
            return
        if row["name"] in chain:
            raise ConfigError("mapping dependency cycle: " + " -> ".join((*chain, row["name"])))
        for dep in filter(None, (d.strip().upper() for d in row["dependency_filter"].split("|"))):
            if dep in by_name:
                visit(by_name[dep], (*chain, row["name"]))
        seen.add(row["name"])
        done.append(row)

    for row in sorted(rows, key=lambda r: (r["priority"], r["name"])):
        visit(row, ())
    return done


def synchronize(
    app: Any,
    *,
    mapping: str | None = None,
    full: bool = False,
    client: Any = None,
    session: Any = None,
    progress: Any = None,
) -> list[jobs.Job]:
    """Synchronise the enabled mappings (or one) with Dataverse; returns the jobs written.

    :param full: full synchronisation (§A11): watermarks ignored and uncoupled records created
        and coupled on the other side — for initial loads where only one side has data.
    :param client: a :class:`~.http.DataverseClient` (default: from the setup).
    :param session: run everything in this transaction (the demo); default: the engine commits
        per batch so a killed run loses nothing it reported.
    :param progress: an object with ``advance(n)`` (the CLI's progress bar).
    """
    if mapping:
        require(app, mapping)  # a mapping that is out says why, before connecting
    sessions = session_factory(app, session)
    with sessions() as s:
        ensure_mappings(s)
        settings = Settings.load(app, s)
        t = model.table_mapping
        rows = [dict(r._mapping) for r in s.execute(sa.select(t))]
        own_client = client is None
        if client is None:
            from relcore_d365sales.connection import open_client

            client = open_client(app, s)
    try:
        return _synchronize(app, client, sessions, settings, rows, mapping, full, progress)
    finally:
        if own_client:
            client.close()


def _log_failed_run(
    sessions: Callable[[], Any], run_id: str, mapping: str | None, message: str
) -> None:
    """A run that never reached Dataverse (token request or WhoAmI failed) still leaves a job
    row with the error, as BC's job log does (§A10); mapping blank = all mappings."""
    with sessions() as s:
        job = jobs.start(s, run_id, (mapping or "").upper(), "")
        job.message = message
        jobs.finish(s, job)


def _synchronize(
    app: Any,
    client: Any,
    sessions: Callable[[], Any],
    settings: Settings,
    rows: list[dict],
    mapping: str | None,
    full: bool,
    progress: Any,
) -> list[jobs.Job]:
    from relcore_d365sales.auth import AuthError
    from relcore_d365sales.http import DataverseError

    reg = registry(app)
    rows = [r for r in rows if r["name"] in reg]  # rows left by a removed plugin stay idle
    if mapping:
        wanted = mapping.upper()
        rows_by = {r["name"]: r for r in rows}
        if wanted not in rows_by:
            raise ConfigError(
                f"no d365sales mapping named {mapping!r} (known: {', '.join(sorted(rows_by))})"
            )
        rows = [rows_by[wanted]]
    rows = [r for r in rows if r["enabled"]]
    if settings.ownership_model == "team":
        rows = [r for r in rows if r["name"] != "SALESPEOPLE"]  # §A13: no salespeople job
    ctx = RunContext(app, client, sessions, settings, progress)
    ctx.entity_sets = {r["name"]: r["dv_entity_set"] for r in rows}
    with sessions() as s:
        t = model.table_mapping
        ctx.entity_sets.update({r.name: r.dv_entity_set for r in s.execute(sa.select(t))})
    try:
        ctx.user_id = str(client.who_am_i()["UserId"]).lower()
    except (DataverseError, AuthError) as exc:
        message = f"cannot connect to Dataverse ({client.base_url}): {exc}"
        _log_failed_run(sessions, ctx.run_id, mapping, message)
        raise RelcoreError(message) from None
    all_jobs: list[jobs.Job] = []
    failed: set[str] = set()
    for row in _ordered(rows):
        deps = {d.strip().upper() for d in row["dependency_filter"].split("|") if d.strip()}
        blocked = sorted(deps & failed)
        run = MappingRun(ctx, row, full)
        if blocked:
            all_jobs += run.blocked(blocked)
            failed.add(row["name"])
            continue
        done = run.run()
        all_jobs += done
        if run.job_error:
            failed.add(row["name"])
        ctx.invalidate(row["name"])
    return all_jobs
