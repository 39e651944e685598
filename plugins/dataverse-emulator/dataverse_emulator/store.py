"""In-memory row storage with server-managed columns (Part E2 items 7-8, Part E6).

The store knows nothing about HTTP. It keeps rows per entity set, a global strictly
increasing ``versionnumber``, and a log of deletions so change tracking can report them.
"""

from __future__ import annotations

import copy
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime

from .schema import TableDef, build_tables


@dataclass(frozen=True)
class Tombstone:
    """A deleted row, remembered for delta queries (Part B17)."""

    entity_set: str
    record_id: str
    version: int
    at: datetime


def truncate(moment: datetime) -> datetime:
    """Drop sub-second precision: Dataverse timestamps are whole seconds (Part E2 item 8)."""
    return moment.replace(microsecond=0)


def full_name(row: dict) -> str | None:
    """Compute ``fullname`` from first/middle/last name (Part E2 item 9)."""
    parts = [row.get(k) for k in ("firstname", "middlename", "lastname")]
    text = " ".join(p.strip() for p in parts if p and p.strip())
    return text or None


class Store:
    """Rows of every table plus the global version counter.

    Public attributes: ``tables`` (metadata by entity set), ``rows`` (entity set -> id -> row),
    ``tombstones`` and ``lock`` (an ``RLock`` callers hold around multi-step operations).
    """

    def __init__(self, tables: dict[str, TableDef] | None = None) -> None:
        self.tables = tables or build_tables()
        self.lock = threading.RLock()
        self.rows: dict[str, dict[str, dict]] = {name: {} for name in self.tables}
        self.tombstones: list[Tombstone] = []
        self.version = 1000
        self.business_unit_id = str(uuid.uuid4())

    def table(self, entity_set: str) -> TableDef:
        """Return metadata of ``entity_set`` (KeyError when unknown)."""
        return self.tables[entity_set]

    def get(self, entity_set: str, record_id: str) -> dict | None:
        """Return the stored row (not a copy) or ``None``."""
        return self.rows[entity_set].get(record_id.lower())

    def next_version(self) -> int:
        """Allocate the next global row version."""
        self.version += 1
        return self.version

    def insert(self, entity_set: str, values: dict, caller: str, now: datetime) -> dict:
        """Insert a row; ``values`` are already validated column values.

        Sets the primary key when absent, ``createdon``/``modifiedon`` (whole seconds; honours
        ``overriddencreatedon``), creator/modifier, owner (defaults to ``caller``), state and
        status defaults, ``fullname`` and ``versionnumber``.
        """
        table = self.tables[entity_set]
        row = {name: None for name in table.all_columns()}
        for col in table.columns.values():
            if col.type == "bool":
                row[col.name] = False
        row.update(values)
        row[table.primary_key] = str(row.get(table.primary_key) or uuid.uuid4()).lower()
        stamp = truncate(now)
        row["createdon"] = truncate(values.get("overriddencreatedon") or stamp)
        row["modifiedon"] = stamp
        row["_createdby_value"] = caller
        row["_modifiedby_value"] = caller
        row["_owningbusinessunit_value"] = self.business_unit_id
        if "ownerid" in table.lookups and not row.get("_ownerid_value"):
            row["_ownerid_value"] = caller
            row["owneridtype"] = "systemuser"
        if table.states is not None:
            if row.get("statecode") is None:
                row["statecode"] = 0
            if row.get("statuscode") is None:
                row["statuscode"] = table.states[row["statecode"]][0]
        if table.computed_fullname and (table.logical_name != "systemuser" or not row["fullname"]):
            row["fullname"] = full_name(row)
        row["versionnumber"] = self.next_version()
        self.rows[entity_set][row[table.primary_key]] = row
        return row

    def update(
        self, entity_set: str, record_id: str, values: dict, caller: str, now: datetime
    ) -> dict:
        """Apply validated ``values`` to an existing row and bump version/modifiedon/modifier."""
        table = self.tables[entity_set]
        row = self.rows[entity_set][record_id.lower()]
        row.update(values)
        if table.computed_fullname and table.logical_name != "systemuser":
            row["fullname"] = full_name(row)
        row["modifiedon"] = truncate(now)
        row["_modifiedby_value"] = caller
        row["versionnumber"] = self.next_version()
        return row

    def delete(self, entity_set: str, record_id: str, now: datetime) -> None:
        """Remove a row and record a tombstone for change tracking (Part E4 item 22)."""
        del self.rows[entity_set][record_id.lower()]
        self.tombstones.append(Tombstone(entity_set, record_id.lower(), self.next_version(), now))

    def find_by_key(self, entity_set: str, key: dict[str, object]) -> dict | None:
        """Return the row whose columns equal ``key`` (alternate-key lookup, Part B11)."""
        for row in self.rows[entity_set].values():
            if all(_same(row.get(col), value) for col, value in key.items()):
                return row
        return None

    def snapshot(self) -> tuple:
        """Return a deep copy of the mutable state (for atomic change sets, Part E8 item 35)."""
        return copy.deepcopy((self.rows, self.tombstones, self.version))

    def restore(self, state: tuple) -> None:
        """Restore a state captured by :meth:`snapshot`."""
        self.rows, self.tombstones, self.version = copy.deepcopy(state)

    def clear(self) -> None:
        """Drop every row and tombstone (version keeps increasing)."""
        self.rows = {name: {} for name in self.tables}
        self.tombstones = []


def _same(left: object, right: object) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    return left == right
