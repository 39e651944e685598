"""Change detection and update-conflict resolution (reference §A7.3 steps 4–8, §A8.1).

relcore keeps, per coupling, a snapshot of the values last synchronised. A record's changes are
its fields that differ from that snapshot, so the decision is a three-way comparison:

* only one side changed → its changes go to the other side;
* both changed, on different fields → both edits survive (each goes to the other side);
* both changed the same bidirectional field to different values → an update conflict, resolved
  by the mapping's strategy: ``none`` (fail; the user resolves), ``send_update`` (relcore wins) or
  ``get_update`` (Dataverse wins). As in BC, both sides changing is no conflict when no
  bidirectional value actually differs.

Timestamps decide whether a side changed at all: the local ``modified_at`` is compared with the
coupling's with BC's 10 ms tolerance (``CompareDateTime``), the Dataverse row by its
``versionnumber``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

TOLERANCE = dt.timedelta(milliseconds=10)


class UpdateConflict(Exception):
    """Both sides changed a bidirectional field (strategy ``none``)."""


def changed_since(modified: dt.datetime | None, last_synced: dt.datetime | None) -> bool:
    """BC ``CompareDateTime(modified, last) > 0`` with its 10 ms tolerance."""
    if modified is None:
        return False
    if last_synced is None:
        return True
    return modified - last_synced > TOLERANCE


@attrs.define
class Decision:
    """What to do with one coupled pair.

    :ivar push: local field → value to write to Dataverse.
    :ivar pull: local field → value to write locally.
    :ivar conflicts: the conflicting bidirectional fields (resolved or not).
    """

    push: dict[str, Any] = attrs.Factory(dict)
    pull: dict[str, Any] = attrs.Factory(dict)
    conflicts: list[str] = attrs.Factory(list)


def decide(
    *,
    base: dict[str, Any] | None,
    local: dict[str, Any] | None,
    dv: dict[str, Any] | None,
    bidirectional: set[str],
    strategy: str,
    label: str = "record",
    local_current: dict[str, Any] | None = None,
    to_keys: set[str] | None = None,
    from_keys: set[str] | None = None,
) -> Decision:
    """Three-way decision for one coupled pair.

    :param base: snapshot of the values last synchronised (``None``: never synchronised — the
        side the strategy prefers wins: relcore, unless ``get_update``).
    :param local: canonical local values when relcore changed (``None`` = unchanged).
    :param dv: canonical local values of the Dataverse row when it changed (``None`` =
        unchanged or not read).
    :param local_current: the current local values (also when unchanged).
    :param to_keys: local fields sent to Dataverse; ``from_keys``: fields read from it.
    :param strategy: the mapping's update-conflict resolution.
    :raises UpdateConflict: strategy ``none`` and a bidirectional field differs.
    """
    decision = Decision()
    cur = local_current if local_current is not None else (local or {})
    to_keys = set(cur) if to_keys is None else to_keys
    from_keys = set(dv or {}) if from_keys is None else from_keys
    if base is None:
        prefer_local = strategy != "get_update" and bool(cur)
        for k in to_keys:
            if k not in cur:
                continue
            if dv is None or k not in from_keys:
                decision.push[k] = cur[k]
            elif cur[k] != dv.get(k):
                if prefer_local:
                    decision.push[k] = cur[k]
                else:
                    decision.pull[k] = dv[k]
        for k in from_keys - to_keys:
            if dv is not None and k in dv and cur.get(k) != dv[k]:
                decision.pull[k] = dv[k]
        return decision
    local_delta = {
        k: local[k]
        for k in to_keys
        if local is not None and k in local and local[k] != base.get(k, "")
    }
    dv_delta = {
        k: dv[k] for k in from_keys if dv is not None and k in dv and dv[k] != base.get(k, "")
    }
    conflicts = sorted(
        k
        for k in bidirectional
        if k in local_delta and k in dv_delta and local_delta[k] != dv_delta[k]
    )
    decision.conflicts = conflicts
    if conflicts:
        if strategy == "send_update":
            for k in conflicts:
                dv_delta.pop(k)
        elif strategy == "get_update":
            for k in conflicts:
                local_delta.pop(k)
        else:
            raise UpdateConflict(
                f"Cannot update {label}: the mapping of field"
                f"{'s' if len(conflicts) > 1 else ''} {', '.join(conflicts)} is bidirectional, "
                "and one or both values have changed since the last synchronization"
            )
    decision.push = {
        k: v for k, v in local_delta.items() if dv is None or k not in dv or dv[k] != v
    }
    decision.pull = {k: v for k, v in dv_delta.items() if cur.get(k) != v}
    return decision
