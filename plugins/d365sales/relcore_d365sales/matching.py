"""Match-based coupling (BC "Match-Based Coupling", reference §A11).

Uncoupled local records and uncoupled Dataverse rows are compared on the field mappings marked
for matching (``match_priority``), group by group in ascending priority (0 first): a record
whose values agree with exactly one row of a group is coupled. Blank values never match;
comparisons ignore case unless the field is case-sensitive. A record matching several rows is
tried with the next group and reported as "multiple matches" when none decides. With
``--create-missing`` (:func:`.coupling_service.match_couple`) the records left over are
created on the other side by a full synchronisation of the mapping. New couplings are aligned
by the next sync (relcore's values win unless the mapping's update conflict resolution is
``get_update``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from relcore.errors import ConfigError
from relcore_d365sales import couplings, jobs, model, transfer


def _match_value(f: transfer.FieldSpec, row: dict, ctx: Any, columns: dict) -> Any:
    raw = row.get(f.read_column)
    if f.lookup_mapping:
        return (ctx.local_key(f.lookup_mapping, raw) or "") if raw else ""
    value = transfer.transform(raw, f.transformation_rule, towards_dv=False)
    try:
        return transfer._normalise(columns.get(f.local_field), f.local_field, value)
    except transfer.TransferError:
        return transfer.canonical(value)


def _key(fields: list[transfer.FieldSpec], values: dict) -> tuple | None:
    parts = []
    for f in fields:
        v = transfer.canonical(values.get(f.local_field))
        if v == "":
            return None
        parts.append(v if f.match_case_sensitive else str(v).casefold())
    return tuple(parts)


def couple_by_match(
    app: Any,
    mapping: str,
    *,
    client: Any = None,
    session: Any = None,
    sessions: Any = None,
) -> dict[str, Any]:
    """Couple uncoupled records of ``mapping`` by their match fields; see the module doc
    (:func:`relcore_d365sales.coupling_service.match_couple` adds ``--create-missing``).

    :param sessions: a session factory to use instead of ``session`` / the app's (a sync run).
    :returns: ``{"mapping", "coupled", "no_match", "unmatched" (their keys),
        "multiple_matches", "created" (0), "failures", "jobs"}``.
    """
    from relcore_d365sales.mappings import ensure_mappings, registry
    from relcore_d365sales.run_context import RunContext, Settings, session_factory

    sessions = sessions or session_factory(app, session)
    definition = registry(app)[mapping]
    name = definition.name
    with sessions() as s:
        ensure_mappings(s)
        row = dict(
            s.execute(sa.select(model.table_mapping).where(model.table_mapping.c.name == name))
            .one()
            ._mapping
        )
        fields = [
            f
            for f in transfer.load_fields(s, name)
            if f.match_priority is not None and f.local_field and not f.is_constant
        ]
        if not fields:
            raise ConfigError(f"mapping {name} has no fields marked for match-based coupling")
        settings = Settings.load(app, s)
        entity_sets = {r.name: r.dv_entity_set for r in s.execute(sa.select(model.table_mapping))}
        adapter = definition.adapter(s)
        columns = adapter.columns
        coupled = couplings.key_map(s, name)
        pending = {r["local_key"] for r in couplings.where(s, name)}
        local = [r for r in adapter.select() if r["key"] not in pending]
        if client is None:
            from relcore_d365sales.connection import open_client

            client = open_client(app, s)
    ctx = RunContext(app, client, sessions, settings)
    ctx.entity_sets = entity_sets
    ctx.current_entity_set = row["dv_entity_set"]
    taken = set(coupled.values())
    pk = row["dv_pk"]
    select = sorted({pk, *(f.read_column for f in fields)})
    dv_rows = [
        r
        for r in client.query(row["dv_entity_set"], select=select, filter=row["dv_filter"] or None)
        if str(r[pk]).lower() not in taken
    ]
    dv_values = {
        str(r[pk]).lower(): {f.local_field: _match_value(f, r, ctx, columns) for f in fields}
        for r in dv_rows
    }
    groups: dict[int, list[transfer.FieldSpec]] = defaultdict(list)
    for f in fields:
        groups[f.match_priority or 0].append(f)
    remaining = {r["key"]: r for r in local}
    claimed: set[str] = set()
    made: list[dict] = []
    multiple: dict[str, int] = {}
    for priority in sorted(groups):
        group = groups[priority]
        index: dict[tuple, list[str]] = defaultdict(list)
        for dv_id, values in dv_values.items():
            key = _key(group, values)
            if key is not None and dv_id not in claimed:
                index[key].append(dv_id)
        for local_key, record in list(remaining.items()):
            key = _key(group, {f.local_field: record.get(f.local_field) for f in group})
            found = [i for i in index.get(key, []) if i not in claimed] if key else []
            if len(found) == 1:
                claimed.add(found[0])
                made.append(
                    {
                        "mapping_name": name,
                        "local_key": local_key,
                        "dv_id": found[0],
                        "state": "coupled",
                        "force_sync": True,
                    }
                )
                del remaining[local_key]
                multiple.pop(local_key, None)
            elif len(found) > 1:
                multiple[local_key] = len(found)
    failures = [
        f"{k}: {n} Dataverse rows match (multiple matches)" for k, n in sorted(multiple.items())
    ]
    with sessions() as s:
        couplings.insert(s, made)
        recorded: list = []
        if made or multiple:  # a routine run of a match-only mapping records nothing
            job = jobs.start(s, str(uuid.uuid4()), name, "", "coupling")
            job.count("coupled", len(made))
            job.count("failed", len(failures))
            jobs.log_errors(
                s,
                [
                    {
                        "job_id": job.id,
                        "mapping_name": name,
                        "direction": "",
                        "local_key": k,
                        "dv_id": "",
                        "message": f"multiple matches ({n})",
                        "detail": "",
                    }
                    for k, n in sorted(multiple.items())
                ],
            )
            jobs.finish(s, job)
            recorded.append(job)
    result: dict[str, Any] = {
        "mapping": name,
        "coupled": len(made),
        "no_match": len(remaining) - len(multiple),
        "unmatched": sorted(k for k in remaining if k not in multiple),
        "multiple_matches": len(multiple),
        "created": 0,
        "failures": failures,
        "jobs": recorded,
    }
    return result
