"""Writing to Dataverse for a mapping run: ``$batch`` creates and updates, state actions, and
the answers (DuplicateRecord after a killed run, 412 re-read and decide again, 404 deletion
conflict) (reference §B9–§B16, §D5 step 2, §D5.6)."""

from __future__ import annotations

from typing import Any

from relcore_d365sales import transfer


class DataverseWrites:
    """Mixin of :class:`.mapping_run.MappingRun`: the Dataverse side of its writes."""

    def _op(self, kind: str, pair: Any) -> Any:
        from relcore_d365sales.dv_batch import BatchOp

        es, pk = self.row["dv_entity_set"], self.row["dv_pk"]
        c = pair.coupling
        columns = [pk, "modifiedon", "versionnumber"]
        if self.state is not None:  # the state read back with the write (see _state_action)
            columns += [c for c in self.state.dv_columns if c not in columns]
        select = f"?$select={','.join(columns)}"
        if kind == "create":
            values = {**transfer.local_values(self.fields, pair.local)}
            cleared: set[str] = set()
            body = transfer.to_payload(
                self.fields, values, self.ctx, creating=True, cleared=cleared
            )
            body[pk] = c["dv_id"]
            pair.snapshot = {
                **values,
                **{k: transfer.canonical(pair.local.get(k)) for k in self.from_keys},
                **dict.fromkeys(cleared, ""),
            }
            if self.state is not None:
                pair.snapshot[self.state.local_field] = self.state.local_state(pair.local)
                pair.push = {self.state.local_field: pair.snapshot[self.state.local_field]}
            return BatchOp("POST", es + select, body, {"Prefer": "return=representation"})
        if kind == "update":
            cleared = set()
            body = transfer.to_payload(
                self.fields, pair.push, self.ctx, creating=False, cleared=cleared
            )
            if pair.snapshot is not None:
                # sent as null (not coupled yet): the next run sends it again (§A5)
                pair.snapshot.update(dict.fromkeys(cleared, ""))
            if not body:
                return None  # only the state changes: the action does it
            return BatchOp(
                "PATCH",
                f"{es}({c['dv_id']}){select}",
                body,
                {"Prefer": "return=representation", "If-Match": pair.etag},
            )
        if kind == "deactivate":
            return BatchOp(
                "PATCH",
                f"{es}({c['dv_id']}){select}",
                {"statecode": 1, "statuscode": 2},
                {"Prefer": "return=representation", "If-Match": "*"},
            )
        return BatchOp("DELETE", f"{es}({c['dv_id']})", None, {})

    def _run_dv_ops(self, dv_ops: list[tuple[str, Any]], local_ops: list[Any]) -> None:
        from relcore_d365sales.dv_batch import send_batch

        size = max(1, self.ctx.settings.batch_size)
        queue = list(dv_ops)
        while queue:
            chunk, queue = queue[:size], queue[size:]
            ops, kept = [], []
            for kind, pair in chunk:
                try:
                    op = self._op(kind, pair)
                except transfer.TransferError as exc:
                    self._fail(pair, "to", str(exc))
                    continue
                if op is None:
                    from relcore_d365sales.dv_batch import BatchResult

                    self._result(kind, pair, BatchResult(204, {}, None), [], local_ops)
                    continue
                ops.append(op)
                kept.append((kind, pair))
            if size == 1 and ops:
                results = [self._single(ops[0])]
            else:
                results = send_batch(self.ctx.client, ops) if ops else []
            retry: list[tuple[str, Any]] = []
            for (kind, pair), result in zip(kept, results, strict=True):
                self._result(kind, pair, result, retry, local_ops)
            if self.ctx.progress is not None:
                self.ctx.progress.advance(len(chunk))
            self._flush()
            queue = retry + queue

    def _state_action(self, pair: Any, result: Any) -> Any:
        """Close the Dataverse row through its action when the local state asks for it
        (``WinOpportunity``/``LoseOpportunity``, §D5.6), then read its new version back."""
        from relcore_d365sales.dv_batch import BatchResult
        from relcore_d365sales.http import DataverseError

        state = self.state
        if state.local_field not in pair.push:
            return result
        dv_id = pair.coupling["dv_id"]
        # The row's state as it is now, read right before the call — from the write's
        # representation, else by id. A run killed after Dataverse applied the action, but
        # before its answer arrived, finds the row closed on retry and calls nothing: the
        # action is sent at most once per close.
        current = result.body if isinstance(result.body, dict) else None
        if not current or state.dv_columns[0] not in current:
            current = self._fetch_ids([dv_id]).get(dv_id)
            if current is None:
                return BatchResult(404, {}, {"error": {"code": "", "message": "not found"}})
        wanted = state.local_state(pair.local)
        now = state.dv_state(current)
        if now == wanted:
            return BatchResult(200, {}, current)  # already done (the answer had been lost)
        if now in getattr(state, "closed_states", ()):
            message = (
                f"it is {wanted} in relcore but {now} in Dataverse; reopening is never "
                "automatic (reopen one side explicitly, or uncouple it)"
            )
            return BatchResult(400, {}, {"error": {"code": "", "message": message}})
        action = state.action(pair.local, dv_id, current)
        if action is None:
            return BatchResult(200, {}, current)
        name, body = action
        try:
            self.ctx.client.call_action(name, body)
        except DataverseError as exc:
            return BatchResult(
                exc.status, {}, {"error": {"code": exc.code, "message": exc.message}}
            )
        fresh = self._fetch_ids([pair.coupling["dv_id"]]).get(pair.coupling["dv_id"])
        return BatchResult(200, {}, fresh)

    def _single(self, op: Any) -> Any:
        """Send one op without ``$batch`` (``batch_size = 1``)."""
        from relcore_d365sales.dv_batch import BatchResult
        from relcore_d365sales.http import DataverseError

        path, _, query = op.url.partition("?")
        params = dict(p.split("=", 1) for p in query.split("&")) if query else None
        headers = {k: v for k, v in op.headers.items()}
        try:
            response = self.ctx.client.request(
                op.method, path, params=params, json=op.body, headers=headers, idempotent=True
            )
        except DataverseError as exc:
            return BatchResult(
                exc.status, {}, {"error": {"code": exc.code, "message": exc.message}}
            )
        body = response.json() if response.content else None
        return BatchResult(response.status_code, dict(response.headers), body)

    def _result(self, kind: str, pair: Any, result: Any, retry: list, local_ops: list) -> None:
        from relcore_d365sales.http import DUPLICATE_RECORD_CODE

        c = pair.coupling
        if result.ok and kind in ("create", "update") and self.state is not None:
            result = self._state_action(pair, result)
        if result.ok:
            pair.result_dv = result.body if isinstance(result.body, dict) else None
            if kind == "create":
                self.job_to.count("inserted")
                self._succeed(pair, to=True, frm=False)
            elif kind in ("delete", "deactivate"):
                self.job_to.count("deleted")
                self.coupling_deletes.append(c["id"])
            else:
                self.job_to.count("modified")
                if pair.pull:
                    local_ops.append(pair)
                else:
                    self._succeed(pair, to=True, frm=False)
            return
        if kind == "create" and result.error_code == DUPLICATE_RECORD_CODE:
            got = self._fetch_ids([c["dv_id"]]).get(c["dv_id"])  # sent by a killed run
            if got is not None:
                pair.result_dv = got
                self.job_to.count("inserted")
                self._succeed(pair, to=True, frm=False)
                return
        if kind in ("update", "deactivate", "delete") and result.status == 404:
            if kind != "update":
                self.coupling_deletes.append(c["id"])
                self.job_to.count("uncoupled")
                return
            pair.gone = True
            self._dv_deleted_conflict(pair, retry)
            return
        if kind == "update" and result.status == 412 and not pair.retried:
            fresh = self._fetch_ids([c["dv_id"]]).get(c["dv_id"])  # §B12: re-read, decide again
            if fresh is not None:
                pair.retried = True
                pair.dv, pair.dv_changed = fresh, True
                again: list = []
                self._decide(pair, again, local_ops)
                retry += again
                return
        self._fail(
            pair, "to", result.error_message, f"HTTP {result.status} {result.error_code}".strip()
        )
