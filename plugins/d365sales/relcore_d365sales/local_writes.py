"""Writing to relcore for a mapping run: updates and inserts through the owning plugin's API,
each in a savepoint with its coupling; values the write added (inheritance) are carried back to
Dataverse on the next run (reference §A7.3 step 10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from relcore.errors import RelcoreError
from relcore_d365sales import couplings, jobs, transfer


class LocalWrites:
    """Mixin of :class:`.mapping_run.MappingRun`: the relcore side of its writes."""

    def _run_local(self, local_ops: list[Any]) -> None:
        if not local_ops:
            return
        with self.ctx.sessions() as s:
            adapter = self.definition.adapter(s)
            for pair in local_ops:
                try:
                    with s.begin_nested():
                        values = dict(pair.pull)
                        if getattr(adapter, "update_with_dv", False):  # opt-in (close code…)
                            values["_dv"] = pair.dv or {}
                        modified = adapter.update(pair.coupling["local_key"], values)
                except (RelcoreError, ValueError) as exc:
                    self._fail(pair, "from", str(exc))
                    continue
                if self.job_from is not None:
                    self.job_from.count("modified")
                if pair.local is not None:
                    after = adapter.select(keys=[pair.coupling["local_key"]])
                    drift = after and any(
                        transfer.canonical(after[0].get(k)) != pair.snapshot.get(k)
                        for k in self.to_keys
                    )
                    if drift:  # the write changed more (inheritance): carry it back (§A7.3.10)
                        modified = modified - dt.timedelta(seconds=1)
                self._succeed(pair, to=bool(pair.push), frm=True, local_modified=modified)
                if self.ctx.progress is not None:
                    self.ctx.progress.advance(1)
            couplings.update_many(s, self.couplings_changed)
            jobs.log_errors(s, self.errors)
            self.couplings_changed, self.errors = [], []

    def _run_local_inserts(self, pairs: list[Any]) -> None:
        pairs = pairs + self._restore_local
        if not pairs:
            return
        pk = self.row["dv_pk"]
        with self.ctx.sessions() as s:
            adapter = self.definition.adapter(s)
            for pair in pairs:
                try:
                    values = transfer.dv_values(self.fields, pair.dv, self.ctx, self.columns)
                    with s.begin_nested():
                        ((key, modified),) = adapter.insert([{**values, "_dv": pair.dv}])
                        couplings.insert(
                            s,
                            [
                                {
                                    "mapping_name": self.name,
                                    "local_key": key,
                                    "dv_id": str(pair.dv[pk]).lower(),
                                    "state": "coupled",
                                }
                            ],
                        )
                except (RelcoreError, ValueError, transfer.TransferError) as exc:
                    self._fail(type(pair)(None, None, pair.dv), "from", str(exc))
                    continue
                self.job_from.count("inserted")
                made = couplings.by_local(s, self.name, [key])[key]
                after = adapter.select(keys=[key])[0]
                snapshot = {
                    k: values.get(k, transfer.canonical(after.get(k)))
                    for k in set(self.to_keys) | set(self.from_keys)
                }
                drift = any(
                    transfer.canonical(after.get(k)) != snapshot.get(k) for k in self.to_keys
                )
                new = type(pair)(made, after, pair.dv, snapshot=snapshot)
                self._succeed(
                    new,
                    to=False,
                    frm=True,
                    local_modified=modified - dt.timedelta(seconds=1) if drift else modified,
                )
            couplings.update_many(s, self.couplings_changed)
            jobs.log_errors(s, self.errors)
            self.couplings_changed, self.errors = [], []
