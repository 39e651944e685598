"""Couplings: which local record is linked with which Dataverse row (BC table 5331, §A6).

Each side is coupled at most once per mapping. Besides reading and writing coupling rows in
batches, this module handles what happens to couplings when relcore's records change identity:

* **merge** (``relcore_contacts_merge``): the duplicate's couplings move to the survivor; when
  both are coupled in a mapping the survivor's coupling is kept and the duplicate's is removed and
  recorded as uncoupled (an uncoupling job names the Dataverse row left behind).
* **delete** (``relcore_contacts_check_delete``): with ``d365sales.on_local_delete = uncouple``
  (default) the couplings are removed and Dataverse is left alone; with ``deactivate`` or
  ``delete`` they are marked, and the next sync deactivates or deletes the Dataverse row and then
  removes the coupling.
* **erase** (``relcore_erase_personal_data``): the coupling is *kept and marked* erased and
  skipped, with an error row telling the user to handle the Dataverse row. Erased data is never
  pushed (that would silently blank the Dataverse row) and Dataverse data is never pulled back
  into the erased record; ``retry`` refuses erased couplings, ``uncouple`` ends them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import NotFoundError, ValidationError
from relcore_d365sales import jobs, model

C = model.coupling
CHUNK = 500


def _chunks(values: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def snapshot(row: dict) -> dict | None:
    """The coupling's snapshot of the last synchronised values (``None`` when never synced)."""
    text = row.get("last_values")
    return json.loads(text) if text else None


def dump_snapshot(values: dict | None) -> str | None:
    """Serialise a snapshot."""
    return None if values is None else json.dumps(values, sort_keys=True, default=str)


def by_local(session: Any, mapping: str, keys: Iterable[str]) -> dict[str, dict]:
    """Couplings of these local keys, by key."""
    out: dict[str, dict] = {}
    for chunk in _chunks(sorted(set(keys))):
        for r in session.execute(
            sa.select(C).where(C.c.mapping_name == mapping, C.c.local_key.in_(chunk))
        ):
            out[r.local_key] = dict(r._mapping)
    return out


def by_dv(session: Any, mapping: str, ids: Iterable[str]) -> dict[str, dict]:
    """Couplings of these Dataverse ids, by id."""
    out: dict[str, dict] = {}
    for chunk in _chunks(sorted({i.lower() for i in ids})):
        for r in session.execute(
            sa.select(C).where(C.c.mapping_name == mapping, C.c.dv_id.in_(chunk))
        ):
            out[r.dv_id] = dict(r._mapping)
    return out


def where(session: Any, mapping: str, *clauses: Any) -> list[dict]:
    """Couplings of a mapping matching extra clauses."""
    stmt = sa.select(C).where(C.c.mapping_name == mapping, *clauses).order_by(C.c.id)
    return [dict(r._mapping) for r in session.execute(stmt)]


def key_map(session: Any, mapping: str) -> dict[str, str]:
    """``{local_key: dv_id}`` of a mapping's coupled records."""
    stmt = sa.select(C.c.local_key, C.c.dv_id).where(
        C.c.mapping_name == mapping, C.c.state == "coupled"
    )
    return dict(session.execute(stmt).all())


def insert(session: Any, rows: list[dict]) -> None:
    """Insert coupling rows in one statement."""
    for chunk in _chunks(rows):
        entities.insert(session, "d365sales.coupling", chunk)


def update_many(session: Any, changes: list[dict]) -> None:
    """Update couplings by ``id``, one executemany statement per set of columns."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for change in changes:
        cols = tuple(sorted(k for k in change if k != "id"))
        groups.setdefault(cols, []).append(change)
    for cols, rows in groups.items():
        if not cols:
            continue
        stmt = (
            sa.update(C)
            .where(C.c.id == sa.bindparam("b_id"))
            .values({c: sa.bindparam(f"b_{c}") for c in cols})
        )
        session.execute(stmt, [{f"b_{k}": v for k, v in r.items()} for r in rows])


def delete(session: Any, ids: Iterable[int]) -> int:
    """Delete couplings by id."""
    ids = list(ids)
    return entities.delete(session, "d365sales.coupling", ids) if ids else 0


# -- manual coupling (§A6, "Couple" / "Delete Coupling") ---------------------------------------


def _log_single(session: Any, mapping: str, type_: str, counter: str, message: str = "") -> None:
    job = jobs.start(session, str(uuid.uuid4()), mapping, "", type_)
    job.count(counter)
    job.message = message
    jobs.finish(session, job)


def couple(session: Any, mapping: str, local_key: str, dv_id: str, *, exists_in_dv: bool) -> dict:
    """Couple a local record with a Dataverse row; the next sync aligns them.

    The record and the row must exist (``exists_in_dv`` is checked by the caller); neither may
    be coupled already, unless the other local record of the existing coupling was deleted (the
    stale coupling is then removed first, BC ``UncoupleCRMIDIfRecordDeleted``).
    """
    from relcore_d365sales.mappings import adapter_for

    mapping = mapping.upper()
    dv_id = dv_id.lower()
    adapter = adapter_for(session, mapping)
    local_key = local_key.strip().upper() if adapter.key_column in ("no", "code") else local_key
    if not adapter.select(keys=[local_key]):
        raise NotFoundError(
            f"is not a record of mapping {mapping} ({adapter.label.lower()} "
            "missing or outside the mapping's filter)",
            entity=adapter.label,
            key=local_key,
        )
    if not exists_in_dv:
        raise NotFoundError(
            f"Dataverse row {dv_id} does not exist", entity=adapter.label, key=local_key
        )
    mine = by_local(session, mapping, [local_key]).get(local_key)
    if mine is not None:
        raise ValidationError(
            f"is already coupled to {mine['dv_id']} in mapping {mapping}",
            entity=adapter.label,
            key=local_key,
        )
    other = by_dv(session, mapping, [dv_id]).get(dv_id)
    if other is not None:
        if adapter.existing([other["local_key"]]):
            raise ValidationError(
                f"Dataverse row {dv_id} is already coupled to {other['local_key']}",
                entity=adapter.label,
                key=local_key,
            )
        delete(session, [other["id"]])
    row = {
        "mapping_name": mapping,
        "local_key": local_key,
        "dv_id": dv_id,
        "state": "coupled",
        "force_sync": True,
    }
    insert(session, [row])
    _log_single(session, mapping, "coupling", "coupled")
    return by_local(session, mapping, [local_key])[local_key]


def uncouple(session: Any, mapping: str, local_key: str) -> dict:
    """Remove a coupling (BC "Delete Coupling"); neither record is touched."""
    mapping = mapping.upper()
    found = by_local(session, mapping, [local_key]) or by_local(
        session, mapping, [local_key.upper()]
    )
    if not found:
        raise NotFoundError(f"is not coupled in mapping {mapping}", entity="Record", key=local_key)
    row = next(iter(found.values()))
    delete(session, [row["id"]])
    _log_single(session, mapping, "uncoupling", "uncoupled")
    return row


# -- identity changes in relcore ---------------------------------------------------------------


def _contact_mappings(session: Any) -> list[str]:
    t = model.table_mapping
    stmt = sa.select(t.c.name).where(t.c.local_entity == "contacts.contact")
    return [r[0] for r in session.execute(stmt)]


def merge_couplings(session: Any, merges: list[tuple[str, str]], dry_run: bool) -> dict[str, int]:
    """Re-point each duplicate's couplings to its survivor (contact merge).

    When both are coupled in a mapping, the survivor's coupling stays; the duplicate's is
    removed and recorded as an uncoupling job naming the Dataverse row left behind.
    """
    moved = removed = 0
    pairs = [
        (mapping, survivor_no, duplicate_no)
        for mapping in _contact_mappings(session)
        for survivor_no, duplicate_no in merges
    ]
    for mapping, survivor_no, duplicate_no in pairs:
        found = by_local(session, mapping, [survivor_no, duplicate_no])
        dup = found.get(duplicate_no)
        if dup is None:
            continue
        if survivor_no in found:
            removed += 1
            if not dry_run:
                delete(session, [dup["id"]])
                _log_single(
                    session,
                    mapping,
                    "uncoupling",
                    "uncoupled",
                    f"contact {duplicate_no} merged into {survivor_no}: Dataverse row "
                    f"{dup['dv_id']} uncoupled (the survivor keeps its coupling)",
                )
        else:
            moved += 1
            if not dry_run:
                update_many(
                    session,
                    [
                        {
                            "id": dup["id"],
                            "local_key": survivor_no,
                            "force_sync": True,
                            "last_local_modified": None,
                        }
                    ],
                )
    return {"d365_coupling": moved, "d365_coupling (uncoupled)": removed}


def local_records_deleted(session: Any, local_entity: str, keys: list[str]) -> None:
    """Handle deleted local records by ``d365sales.on_local_delete`` (see the module doc)."""
    from relcore.app import app_of

    if not keys:
        return
    policy = app_of(session).setup.get(session, "d365sales.on_local_delete") or "uncouple"
    t = model.table_mapping
    names = [
        r[0] for r in session.execute(sa.select(t.c.name).where(t.c.local_entity == local_entity))
    ]
    for mapping in names:
        found = by_local(session, mapping, keys)
        if not found:
            continue
        if policy == "uncouple":
            delete(session, [r["id"] for r in found.values()])
            job = jobs.start(session, str(uuid.uuid4()), mapping, "", "uncoupling")
            job.count("uncoupled", len(found))
            job.message = "local records deleted: " + ", ".join(sorted(found))[:200]
            jobs.finish(session, job)
        else:
            update_many(
                session,
                [{"id": r["id"], "local_deleted": True, "skipped": False} for r in found.values()],
            )


def contacts_deleted(session: Any, contact_nos: list[str]) -> None:
    """``relcore_contacts_check_delete``: couplings of deleted contacts (see the module doc)."""
    local_records_deleted(session, "contacts.contact", contact_nos)


def contacts_erased(session: Any, contact_nos: list[str]) -> dict[str, int]:
    """``relcore_erase_personal_data``: mark the couplings erased and skipped (never pushed),
    drop their last-synchronised snapshot (``last_values``: names, e-mail, address, phone) and
    error texts, and scrub the contacts' earlier sync error messages (#13 item 1)."""
    count = scrubbed = 0
    for mapping in _contact_mappings(session):
        found = by_local(session, mapping, contact_nos)
        if not found:
            continue
        update_many(
            session,
            [
                {
                    "id": r["id"],
                    "erased": True,
                    "skipped": True,
                    "last_values": None,
                    "last_error_to_dv": "",
                    "last_error_from_dv": "",
                }
                for r in found.values()
            ],
        )
        E = model.sync_error
        scrubbed += session.execute(
            sa.update(E)
            .where(E.c.mapping_name == mapping, E.c.local_key.in_(list(found)))
            .values(message="(erased)", detail="")
        ).rowcount
        job = jobs.start(session, str(uuid.uuid4()), mapping, "", "synchronization")
        job.count("skipped", len(found))
        job.message = "personal data erased in relcore; Dataverse rows left unchanged"
        jobs.log_errors(
            session,
            [
                {
                    "job_id": job.id,
                    "mapping_name": mapping,
                    "direction": "",
                    "local_key": key,
                    "dv_id": r["dv_id"],
                    "message": f"Contact {key} was erased in relcore: its personal data is not "
                    f"sent to Dataverse. Anonymise or delete Dataverse row {r['dv_id']}, "
                    "then uncouple.",
                    "detail": "",
                }
                for key, r in found.items()
            ],
        )
        jobs.finish(session, job)
        count += len(found)
    return {"d365_coupling": count, "d365_sync_error": scrubbed}


def retry(session: Any, *, error_id: int | None = None, all_: bool = False) -> int:
    """Include skipped/failed records in the next sync again (BC "Retry" / "Retry All").

    :returns: the number of couplings released.
    :raises ValidationError: the record was erased (uncouple it instead).
    """
    if all_:
        stmt = sa.select(C).where(
            sa.or_(
                C.c.skipped.is_(True),
                C.c.last_result_to_dv == "failure",
                C.c.last_result_from_dv == "failure",
            ),
            C.c.erased.is_(False),
        )
        rows = [dict(r._mapping) for r in session.execute(stmt)]
    else:
        e = model.sync_error
        err = session.execute(sa.select(e).where(e.c.id == error_id)).first()
        if err is None:
            raise NotFoundError("does not exist", entity="Synchronization Error", key=error_id)
        stmt = sa.select(C).where(C.c.mapping_name == err.mapping_name)
        stmt = (
            stmt.where(C.c.local_key == err.local_key)
            if err.local_key
            else stmt.where(C.c.dv_id == err.dv_id)
        )
        rows = [dict(r._mapping) for r in session.execute(stmt)]
        if not rows:
            raise NotFoundError(
                "has no coupling any more (nothing to retry)",
                entity="Synchronization Error",
                key=error_id,
            )
        if rows[0]["erased"]:
            raise ValidationError(
                "was erased in relcore and is never synchronised again; uncouple it instead",
                entity="Record",
                key=rows[0]["local_key"],
            )
    update_many(
        session,
        [
            {
                "id": r["id"],
                "skipped": False,
                "force_sync": True,
                "last_error_to_dv": "",
                "last_error_from_dv": "",
            }
            for r in rows
        ],
    )
    return len(rows)
