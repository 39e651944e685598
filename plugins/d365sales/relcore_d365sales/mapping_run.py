"""One run of one mapping: reading both sides, deciding per record (reference §A7.2–§A8, §D5).

:class:`MappingRun` reads the Dataverse changes (query or delta link) and the local changes,
joins them with the couplings, and decides per pair with :func:`.conflicts.decide`; the writes
are done by its mixins :class:`.dv_writes.DataverseWrites` (``$batch`` creates/updates, actions,
412/404 handling) and :class:`.local_writes.LocalWrites` (updates and inserts through the owning
plugin's API). See :mod:`.engine` for the whole algorithm.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from relcore.errors import RelcoreError
from relcore_d365sales import conflicts, couplings, jobs, model, transfer
from relcore_d365sales.dv_writes import DataverseWrites
from relcore_d365sales.local_writes import LocalWrites
from relcore_d365sales.mappings import registry

if TYPE_CHECKING:
    from relcore_d365sales.run_context import RunContext

TO = transfer.TO
FROM = transfer.FROM
ID_CHUNK = 40


@attrs.define
class Pair:
    """One coupled pair (or one uncoupled record) being processed."""

    coupling: dict | None
    local: dict | None = None
    dv: dict | None = None
    local_changed: bool = False
    dv_changed: bool = False
    push: dict = attrs.Factory(dict)
    pull: dict = attrs.Factory(dict)
    snapshot: dict | None = None
    etag: str = "*"
    result_dv: dict | None = None
    retried: bool = False
    gone: bool = False


class MappingRun(DataverseWrites, LocalWrites):
    """One run of one mapping (both legs)."""

    def __init__(self, ctx: RunContext, row: dict, full: bool) -> None:
        self.ctx = ctx
        self.row = row
        self.full = full
        self.name = row["name"]
        self.definition = registry(ctx.app)[self.name]
        self.to_ok = row["direction"] in TO
        self.from_ok = row["direction"] in FROM
        self.create_allowed = (full or not row["only_coupled"]) and not self.definition.match_only
        self.job_error = False
        self.job_to: jobs.Job | None = None
        self.job_from: jobs.Job | None = None
        self.couplings_changed: list[dict] = []
        self.coupling_deletes: list[int] = []
        self.new_couplings: list[dict] = []
        self.errors: list[dict] = []

    # -- jobs ----------------------------------------------------------------------------
    def _start_jobs(self) -> list[jobs.Job]:
        with self.ctx.sessions() as s:
            if self.to_ok:
                self.job_to = jobs.start(s, self.ctx.run_id, self.name, "to_integration")
            if self.from_ok:
                self.job_from = jobs.start(s, self.ctx.run_id, self.name, "from_integration")
        return [j for j in (self.job_to, self.job_from) if j is not None]

    def blocked(self, deps: list[str]) -> list[jobs.Job]:
        """Jobs recording that a dependency failed in this run (nothing synchronised)."""
        started = self._start_jobs()
        with self.ctx.sessions() as s:
            for job in started:
                job.message = f"not run: dependency {', '.join(deps)} failed in this run"
                jobs.finish(s, job)
        return started

    # -- the run -------------------------------------------------------------------------
    def run(self) -> list[jobs.Job]:
        """Run the mapping; a job-level failure is recorded in the jobs' message."""
        from relcore_d365sales.http import DataverseError

        started = self._start_jobs()
        self.ctx.current_entity_set = self.row["dv_entity_set"]
        with self.ctx.sessions() as s:
            self.fields = transfer.load_fields(s, self.name)
        self.to_fields = transfer.to_fields(self.fields)
        self.from_fields = transfer.from_fields(self.fields)
        self.to_keys = [f.local_field for f in self.to_fields]
        self.from_keys = [f.local_field for f in self.from_fields]
        self.bidir = transfer.bidirectional(self.fields)
        self.state = self.definition.state_handler
        if self.state is not None:  # state changed through actions (opportunity won/lost)
            if self.to_ok:
                self.to_keys.append(self.state.local_field)
            if self.from_ok:
                self.from_keys.append(self.state.local_field)
            if self.row["direction"] == "bidirectional":
                self.bidir.add(self.state.local_field)
        for lookup in {f.lookup_mapping for f in self.fields if f.lookup_mapping}:
            self.ctx.invalidate(lookup)
            self.ctx._load_keys(lookup)  # before any write session opens (no nesting)
        self.ctx._load_options()
        try:
            if self.definition.match_only and self.to_ok:
                self._match_first()
            marks = self._run()
        except (DataverseError, RelcoreError, OSError) as exc:
            self.job_error = True
            message = f"{type(exc).__name__}: {exc}"
            with self.ctx.sessions() as s:
                for job in started:
                    job.message = message
                    jobs.finish(s, job)
            return started
        with self.ctx.sessions() as s:
            values = {k: v for k, v in marks.items() if v is not _KEEP}
            if values:
                from relcore import entities

                entities.update(s, "d365sales.table_mapping", self.name, values)
            for job in started:
                jobs.finish(s, job)
        return started

    def _match_first(self) -> None:
        """``match_only`` mappings: couple by match fields, fail what has no Dataverse row."""
        from relcore_d365sales.matching import couple_by_match

        result = couple_by_match(
            self.ctx.app, self.name, client=self.ctx.client, sessions=self.ctx.sessions
        )
        self.ctx.invalidate(self.name)
        label = getattr(self.definition.adapter, "label", "record").lower()
        for key in result["unmatched"]:
            self._fail(
                Pair(None, {"key": key}),
                "to",
                f"no {self.row['dv_entity_set']} row matches {label} {key}: add it in Dataverse "
                f"(relcore does not create them: mapping {self.name} is match-only)",
            )
        self._flush()

    def _run(self) -> dict[str, Any]:
        row, ctx = self.row, self.ctx
        overlap = dt.timedelta(seconds=ctx.settings.overlap)
        # 1. Dataverse changes
        dv_rows: dict[str, dict] = {}
        dv_deleted: set[str] = set()
        marks: dict[str, Any] = {
            "dv_watermark": _KEEP,
            "local_watermark": _KEEP,
            "dv_delta_link": _KEEP,
        }
        if self.from_ok or row["direction"] == "bidirectional":
            dv_rows, dv_deleted, seen, link = self._dv_changes(overlap)
            if seen is not None and (row["dv_watermark"] is None or seen > row["dv_watermark"]):
                marks["dv_watermark"] = seen
            if link is not _KEEP:
                marks["dv_delta_link"] = link
        # 2. local changes, couplings, classification
        with ctx.sessions() as s:
            adapter = self.definition.adapter(s)
            self.columns = adapter.columns
            since = None
            if not self.full and row["local_watermark"] is not None:
                since = row["local_watermark"] - overlap
            local_rows: dict[str, dict] = {}
            if self.to_ok:
                local_rows = {r["key"]: r for r in adapter.select(since=since)}
                seen_local = max((r["modified_at"] for r in local_rows.values()), default=None)
                if seen_local is not None and (
                    row["local_watermark"] is None or seen_local > row["local_watermark"]
                ):
                    marks["local_watermark"] = seen_local
            cps = self._load_couplings(s, local_rows, dv_rows)
            missing_local = [
                c["local_key"] for c in cps.values() if c["local_key"] not in local_rows
            ]
            if missing_local:
                local_rows.update({r["key"]: r for r in adapter.select(keys=missing_local)})
                existing = adapter.existing(missing_local)
            else:
                existing = set()
        need_dv = [
            c["dv_id"]
            for c in cps.values()
            if c["dv_id"] not in dv_rows
            and c["state"] == "coupled"
            and not c["local_deleted"]
            and not c["skipped"]
            and (
                c["last_result_from_dv"] == "failure"
                or c["force_sync"]
                or (c["last_values"] is None and self.from_ok)
                or self._state_read(c, local_rows)
            )
        ]
        fetched_missing: set[str] = set()
        if need_dv:
            got = self._fetch_ids(need_dv)
            dv_rows.update(got)
            fetched_missing = set(need_dv) - set(got)
        total = len(cps) + len(local_rows) + len(dv_rows)
        self._progress_total = total
        pairs = self._classify(cps, local_rows, existing, dv_rows, dv_deleted | fetched_missing)
        self._execute(pairs)
        return marks

    def _state_read(self, c: dict, local_rows: dict) -> bool:
        """Mappings with a state (opportunity won/lost, §D5.6) read the Dataverse row of every
        locally changed pair first: a closed row is read-only, and a close must be sent only
        when the row is still open (a retried run whose action's answer was lost)."""
        if self.state is None or not self.to_ok:
            return False
        local = local_rows.get(c["local_key"])
        return local is not None and (
            changed_local(c, local) or c["last_result_to_dv"] == "failure"
        )

    # -- reading Dataverse ---------------------------------------------------------------
    def _select(self) -> list[str]:
        cols = {self.row["dv_pk"], "modifiedon", "versionnumber", "_modifiedby_value"}
        cols |= {f.read_column for f in self.from_fields if not f.is_constant}
        if self.from_ok:  # match fields (accountnumber) help records created from Dataverse
            cols |= {
                f.read_column
                for f in self.fields
                if f.match_priority is not None and f.dv_column and not f.is_constant
            }
        cols |= set(_FILTER_COLUMNS.get(self.row["dv_entity_set"], ()))
        if self.state is not None:
            cols |= set(self.state.dv_columns)
        return sorted(cols)

    def _dv_changes(self, overlap: dt.timedelta) -> tuple[dict, set, Any, Any]:
        from relcore_d365sales.http import DataverseError, parse_datetime

        row, client = self.row, self.ctx.client
        pk = row["dv_pk"]
        tracking = row["use_change_tracking"] or self.ctx.settings.use_change_tracking
        rows: list[dict] = []
        deleted: set[str] = set()
        link: Any = _KEEP
        if tracking:
            predicate = self.definition.dv_predicate or (lambda r: True)
            try:
                pages = (
                    client.iter_delta(row["dv_delta_link"])
                    if row["dv_delta_link"] and not self.full
                    else client.iter_pages(
                        row["dv_entity_set"], select=self._select(), track_changes=True
                    )
                )
                for page in pages:
                    for item in page.value:
                        if item.get("reason") == "deleted" or "$deletedEntity" in str(
                            item.get("@odata.context", "")
                        ):
                            deleted.add(str(item["id"]).lower())
                        elif predicate(item):
                            rows.append(item)
                    if page.delta_link:
                        link = page.delta_link
            except DataverseError as exc:
                if exc.status not in (400, 410, 422):
                    raise
                rows, deleted, link = [], set(), None  # expired token: poll, re-baseline next run
                tracking = False
        if not tracking:
            filters = [f"({row['dv_filter']})"] if row["dv_filter"] else []
            if row["dv_watermark"] is not None and not self.full:
                from relcore_d365sales.http import format_datetime

                filters.append(f"modifiedon ge {format_datetime(row['dv_watermark'] - overlap)}")
            if self.to_ok:
                filters.append(f"_modifiedby_value ne {self.ctx.user_id}")
            rows = list(
                client.query(
                    row["dv_entity_set"],
                    select=self._select(),
                    filter=" and ".join(filters) or None,
                    orderby=f"modifiedon asc,{pk} asc",
                )
            )
        out = {str(r[pk]).lower(): r for r in rows}
        seen = max(
            (parse_datetime(r["modifiedon"]) for r in rows if r.get("modifiedon")), default=None
        )
        return out, deleted, seen, link

    def _fetch_ids(self, ids: list[str]) -> dict[str, dict]:
        pk = self.row["dv_pk"]
        out: dict[str, dict] = {}
        ids = sorted(set(ids))
        for i in range(0, len(ids), ID_CHUNK):
            chunk = ids[i : i + ID_CHUNK]
            flt = " or ".join(f"{pk} eq {x}" for x in chunk)
            for r in self.ctx.client.query(
                self.row["dv_entity_set"], select=self._select(), filter=flt
            ):
                out[str(r[pk]).lower()] = r
        return out

    # -- couplings and classification ---------------------------------------------------
    def _load_couplings(self, s: Any, local_rows: dict, dv_rows: dict) -> dict[int, dict]:
        c = model.coupling
        cps = {r["id"]: r for r in couplings.by_local(s, self.name, local_rows).values()}
        cps.update({r["id"]: r for r in couplings.by_dv(s, self.name, dv_rows).values()})
        special = couplings.where(
            s,
            self.name,
            sa.or_(
                sa.and_(
                    c.c.skipped.is_(False),
                    sa.or_(
                        c.c.last_result_to_dv == "failure",
                        c.c.last_result_from_dv == "failure",
                        c.c.force_sync.is_(True),
                        c.c.state == "pending_insert",
                        c.c.local_deleted.is_(True),
                    ),
                )
            ),
        )
        cps.update({r["id"]: r for r in special})
        return cps

    def _classify(
        self, cps: dict[int, dict], local_rows: dict, existing: set, dv_rows: dict, dv_gone: set
    ) -> list[Pair]:
        pairs: list[Pair] = []
        coupled_local = {c["local_key"] for c in cps.values()}
        coupled_dv = {c["dv_id"] for c in cps.values()}
        for c in cps.values():
            local = local_rows.get(c["local_key"])
            dv = dv_rows.get(c["dv_id"])
            pair = Pair(c, local, dv)
            if c["erased"] or c["skipped"]:
                if local is not None and self.job_to is not None and changed_local(c, local):
                    self.job_to.count("skipped")
                elif dv is not None and self.job_from is not None and changed_dv(c, dv):
                    self.job_from.count("skipped")
                continue
            if c["local_deleted"]:
                pairs.append(pair)
                continue
            if c["state"] == "pending_insert":
                if local is not None:
                    pair.local_changed = True
                    pairs.append(pair)
                elif c["local_key"] not in existing:
                    self.coupling_deletes.append(c["id"])
                continue
            pair.local_changed = bool(
                self.to_ok
                and local is not None
                and (
                    changed_local(c, local)
                    or c["force_sync"]
                    or c["last_result_to_dv"] == "failure"
                )
            )
            pair.dv_changed = bool(
                dv is not None
                and (changed_dv(c, dv) or c["force_sync"] or c["last_result_from_dv"] == "failure")
            )
            local_missing = (
                local is None
                and c["local_key"] not in local_rows
                and (c["local_key"] not in existing)
            )
            dv_missing = c["dv_id"] in dv_gone
            if local_missing and (pair.dv_changed or dv_missing):
                if not dv_missing:
                    pairs.append(pair)  # deletion conflict, local side deleted
                else:
                    self.coupling_deletes.append(c["id"])  # both gone
                continue
            if dv_missing:
                pair.dv, pair.dv_changed, pair.gone = None, False, True
                pairs.append(pair)
                continue
            if pair.local_changed or pair.dv_changed:
                pairs.append(pair)
        if self.create_allowed:
            if self.to_ok:
                pairs += [Pair(None, r) for k, r in local_rows.items() if k not in coupled_local]
            if self.from_ok:
                pairs += [
                    Pair(None, None, r)
                    for k, r in dv_rows.items()
                    if k not in coupled_dv and k not in dv_gone
                ]
        return pairs

    # -- execution -----------------------------------------------------------------------
    def _execute(self, pairs: list[Pair]) -> None:
        creates = [p for p in pairs if p.coupling is None and p.local is not None]
        pending = [
            p
            for p in pairs
            if p.coupling is not None
            and p.coupling["state"] == "pending_insert"
            and not p.coupling["local_deleted"]
        ]
        pending_ids = {id(p) for p in pending}
        pairs = [p for p in pairs if id(p) not in pending_ids]
        local_inserts = [p for p in pairs if p.coupling is None and p.local is None]
        coupled = [p for p in pairs if p.coupling is not None]
        dv_ops: list[tuple[str, Pair]] = [("create", p) for p in pending]
        local_ops: list[Pair] = []
        for pair in coupled:
            self._plan(pair, dv_ops, local_ops)
        self._prepare_creates(creates, dv_ops)
        self._flush()
        self._run_dv_ops(dv_ops, local_ops)
        self._run_local(local_ops)
        self._run_local_inserts(local_inserts)
        self._flush()

    def _fail(self, pair: Pair, direction: str, message: str, detail: str = "") -> None:
        job = self.job_to if direction == "to" else self.job_from
        if job is None:
            job = self.job_to or self.job_from
        job.count("failed")
        c = pair.coupling
        key = c["local_key"] if c else (pair.local or {}).get("key", "")
        dv_id = c["dv_id"] if c else str((pair.dv or {}).get(self.row["dv_pk"], ""))
        self.errors.append(
            {
                "job_id": job.id,
                "mapping_name": self.name,
                "direction": job.direction,
                "local_key": key or "",
                "dv_id": dv_id,
                "message": message,
                "detail": detail,
            }
        )
        if c is None:
            return
        side = "to_dv" if direction == "to" else "from_dv"
        message = message[:250]
        repeated = c[f"last_result_{side}"] == "failure" and c[f"last_error_{side}"] == message
        self.couplings_changed.append(
            {
                "id": c["id"],
                f"last_result_{side}": "failure",
                f"last_job_{side}": job.id,
                f"last_error_{side}": message,
                "skipped": bool(repeated),
            }
        )

    def _plan(self, pair: Pair, dv_ops: list, local_ops: list) -> None:
        c = pair.coupling
        if c["local_deleted"]:
            policy = self.ctx.app.setup.get
            with self.ctx.sessions() as s:
                action = policy(s, "d365sales.on_local_delete")
            dv_ops.append(("delete" if action == "delete" else "deactivate", pair))
            return
        if pair.local is None and pair.coupling["local_key"] and pair.dv is not None:
            self._local_deleted_conflict(pair, dv_ops, local_ops)
            return
        if pair.gone:
            self._dv_deleted_conflict(pair, dv_ops)
            return
        self._decide(pair, dv_ops, local_ops)

    def _values(self, pair: Pair) -> tuple[dict | None, dict | None]:
        local = None
        if pair.local is not None:
            local = {
                **transfer.local_values(self.fields, pair.local),
                **{k: transfer.canonical(pair.local.get(k)) for k in self.from_keys},
            }
        dv = None
        if pair.dv is not None:
            dv = transfer.dv_values(self.fields, pair.dv, self.ctx, self.columns)
        if self.state is not None:
            if local is not None:
                local[self.state.local_field] = self.state.local_state(pair.local)
            if dv is not None:
                dv[self.state.local_field] = self.state.dv_state(pair.dv)
        return local, dv

    def _decide(self, pair: Pair, dv_ops: list, local_ops: list) -> None:
        c = pair.coupling
        label = f"{self.definition.adapter.label} {c['local_key']}"
        try:
            local, dv = self._values(pair)
            base = couplings.snapshot(c)
            decision = conflicts.decide(
                base=base,
                local=local if pair.local_changed or base is None else None,
                dv=dv if pair.dv_changed or base is None else None,
                bidirectional=self.bidir,
                strategy=self.row["update_conflict"],
                label=label,
                local_current=local,
                to_keys=set(self.to_keys),
                from_keys=set(self.from_keys),
            )
        except (transfer.TransferError, conflicts.UpdateConflict) as exc:
            direction = "to" if pair.local_changed and self.to_ok else "from"
            self._fail(pair, direction, str(exc))
            return
        pair.push = decision.push if self.to_ok else {}
        pair.pull = decision.pull if self.from_ok else {}
        if self.state is not None and not self._closed_rules(pair, local, dv, base):
            return
        keys = set(self.to_keys) | set(self.from_keys)
        pair.snapshot = {
            k: pair.pull.get(k, (local or {}).get(k, (base or {}).get(k, ""))) for k in keys
        }
        if pair.dv is not None:
            pair.etag = pair.dv.get("@odata.etag") or f'W/"{pair.dv["versionnumber"]}"'
        elif c["last_dv_version"] is not None and self.row["direction"] == "bidirectional":
            pair.etag = f'W/"{c["last_dv_version"]}"'
        else:
            pair.etag = "*"
        if pair.push:
            dv_ops.append(("update", pair))
        elif pair.pull:
            local_ops.append(pair)
        else:
            self._unchanged(pair)

    def _closed_rules(self, pair: Pair, local: dict | None, dv: dict | None, base: Any) -> bool:
        """A closed Dataverse row is read-only (§D5.6): local changes of other fields are not
        sent (the local record keeps them), and a different local state is a conflict that
        needs an explicit reopen — never an automatic one. Returns False when the pair failed."""
        field = self.state.local_field
        closed = getattr(self.state, "closed_states", ("won", "lost"))
        dv_state = (dv or {}).get(field, (base or {}).get(field))
        if dv_state not in closed:
            return True
        local_state = (local or {}).get(field)
        if field in pair.push and field not in pair.pull and local_state != dv_state:
            label = f"{self.definition.adapter.label} {pair.coupling['local_key']}"
            self._fail(
                pair,
                "to",
                f"Cannot update {label}: it is {local_state} in relcore but {dv_state} in "
                "Dataverse; reopening is never automatic (reopen one side explicitly, or "
                "uncouple it)",
            )
            return False
        pair.push = {}
        return True

    def _unchanged(self, pair: Pair) -> None:
        if pair.local_changed and self.job_to is not None:
            self.job_to.count("unchanged")
        elif pair.dv_changed and self.job_from is not None:
            self.job_from.count("unchanged")
        self._succeed(pair, to=pair.local_changed, frm=pair.dv_changed)

    def _succeed(self, pair: Pair, *, to: bool, frm: bool, local_modified: Any = None) -> None:
        c = pair.coupling
        change: dict[str, Any] = {"id": c["id"], "force_sync": False, "state": "coupled"}
        if to or (not frm):
            change.update(last_result_to_dv="success", last_error_to_dv="")
            if self.job_to is not None:
                change["last_job_to_dv"] = self.job_to.id
        if frm:
            change.update(last_result_from_dv="success", last_error_from_dv="")
            if self.job_from is not None:
                change["last_job_from_dv"] = self.job_from.id
        if pair.local is not None:
            change["last_local_modified"] = local_modified or pair.local["modified_at"]
        dv = pair.result_dv or pair.dv
        if dv is not None and dv.get("versionnumber") is not None:
            change["last_dv_version"] = int(dv["versionnumber"])
            if dv.get("modifiedon"):
                from relcore_d365sales.http import parse_datetime

                change["last_dv_modified"] = parse_datetime(dv["modifiedon"])
        if pair.snapshot is not None:
            change["last_values"] = couplings.dump_snapshot(pair.snapshot)
        self.couplings_changed.append(change)

    # deletion conflicts (§A8.2)
    def _local_deleted_conflict(self, pair: Pair, dv_ops: list, local_ops: list) -> None:
        strategy = self.row["deletion_conflict"]
        job = self.job_from or self.job_to
        if strategy == "remove_coupling":
            self.coupling_deletes.append(pair.coupling["id"])
            job.count("uncoupled")
        elif strategy == "restore_records" and self.from_ok:
            self.coupling_deletes.append(pair.coupling["id"])
            self._restore_local.append(pair)
        else:
            self._fail(
                pair,
                "from",
                f"The {self.name} record {pair.coupling['dv_id']} cannot be "
                f"updated because it is coupled to a deleted record "
                f"({pair.coupling['local_key']})",
            )

    def _dv_deleted_conflict(self, pair: Pair, dv_ops: list) -> None:
        strategy = self.row["deletion_conflict"]
        if strategy == "remove_coupling":
            self.coupling_deletes.append(pair.coupling["id"])
            self.job_to.count("uncoupled")
        elif strategy == "restore_records" and pair.local is not None:
            with self.ctx.sessions() as s:
                couplings.delete(s, [pair.coupling["id"]])
            self._prepare_creates([Pair(None, pair.local)], dv_ops)
        else:
            self._fail(
                pair,
                "to",
                f"The {pair.coupling['local_key']} record cannot be updated "
                "because it is coupled to a deleted record "
                f"(Dataverse {pair.coupling['dv_id']})",
            )

    @property
    def _restore_local(self) -> list[Pair]:
        if not hasattr(self, "_restore"):
            self._restore: list[Pair] = []
        return self._restore

    # creates (§D5 step 2)
    def _prepare_creates(self, creates: list[Pair], dv_ops: list) -> None:
        if not creates:
            return
        with self.ctx.sessions() as s:
            rows = []
            for pair in creates:
                dv_id = str(uuid.uuid4())
                rows.append(
                    {
                        "mapping_name": self.name,
                        "local_key": pair.local["key"],
                        "dv_id": dv_id,
                        "state": "pending_insert",
                    }
                )
            couplings.insert(s, rows)
            made = couplings.by_local(s, self.name, [p.local["key"] for p in creates])
        for pair in creates:
            pair.coupling = made[pair.local["key"]]
            pair.local_changed = True
            dv_ops.append(("create", pair))

    def _flush(self) -> None:
        if not (self.couplings_changed or self.coupling_deletes or self.errors):
            return
        with self.ctx.sessions() as s:
            couplings.update_many(s, self.couplings_changed)
            if self.coupling_deletes:
                c = model.coupling
                s.execute(sa.delete(c).where(c.c.id.in_(sorted(set(self.coupling_deletes)))))
            jobs.log_errors(s, self.errors)
        self.couplings_changed, self.coupling_deletes, self.errors = [], [], []


_KEEP = object()
_FILTER_COLUMNS = {
    "systemusers": ("isdisabled", "islicensed", "isintegrationuser"),
    "accounts": ("statecode", "customertypecode"),
    "contacts": ("parentcustomeridtype",),
}


def changed_local(c: dict, local: dict) -> bool:
    """The local record changed since the coupling's last sync (10 ms tolerance)."""
    return conflicts.changed_since(local.get("modified_at"), c["last_local_modified"])


def changed_dv(c: dict, dv: dict) -> bool:
    """The Dataverse row's version differs from the coupling's."""
    version = dv.get("versionnumber")
    return (
        version is None or c["last_dv_version"] is None or int(version) != int(c["last_dv_version"])
    )
