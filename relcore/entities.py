"""Entities: the registry of record types, and the write path every plugin uses.

An entity is a Core table plus an attrs value class. Plugins register them through
``relcore_register_entities``. All writes go through :func:`insert`, :func:`update`,
:func:`delete` (or :func:`insert_from_select` for set-based work), which

* run the ``relcore_before_write`` hook (validation, vetoes) and ``relcore_after_write``,
* maintain the system columns (``system_id``, ``created_at``, ``modified_at``, ``version``),
* refuse values the column cannot store as given (:mod:`relcore.checks`: lengths, control
  characters in codes, NaN and out-of-range numbers), naming record and field,
* work on batches: one statement per call, never a per-row loop.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from relcore import checks, references
from relcore.bulk import bulk_insert
from relcore.db import Session, new_uuid, utcnow
from relcore.errors import NotFoundError, PluginError, ValidationError
from relcore.registries import KeyedRegistry
from relcore.rows import transpose


def plural_of(label: str) -> str:
    """The English plural of a label's last word: Entry → Entries, Address → Addresses,
    Salesperson → Salespeople; messages use it instead of appending an "s"."""
    head, _, word = label.rpartition(" ")
    low = word.lower()
    if low.endswith("person"):
        plural = word[: -len("person")] + ("people" if word[-6].islower() else "People")
    elif low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        plural = word[:-1] + "ies"
    elif low.endswith(("s", "x", "z", "ch", "sh")):
        plural = word + "es"
    else:
        plural = word + "s"
    return f"{head} {plural}" if head else plural


@attrs.frozen
class EntityType:
    """A record type a plugin owns.

    :param name: unique name, ``<plugin>.<entity>`` (``"contacts.contact"``).
    :param table: its SQLAlchemy table.
    :param label: how messages name a record (``"Contact"``).
    :param key: the key column(s) (``("no",)``, ``("entry_no",)``).
    :param cls: the attrs class a row converts to (optional).
    :param number_series_setup_key: the setup key naming its number series
        (``"contacts.contact_nos"``).
    :param personal_data_fields: fields erased by ``relcore_erase_personal_data``.
    :param plural: how messages name several records (default: :func:`plural_of` the label).
    """

    name: str
    table: sa.Table
    label: str
    key: tuple[str, ...] = ("no",)
    cls: type | None = None
    number_series_setup_key: str | None = None
    personal_data_fields: tuple[str, ...] = ()
    plugin: str | None = None
    plural: str = ""

    @property
    def plural_label(self) -> str:
        """The declared plural, else the label's English plural ("Job Responsibilities")."""
        return self.plural or plural_of(self.label)

    @property
    def has_system_columns(self) -> bool:
        """True for master records (they carry ``system_id`` ... ``version``)."""
        return "system_id" in self.table.c

    def key_of(self, row: Mapping[str, Any]) -> Any:
        """The key value of a row (a scalar for one key column, else a tuple)."""
        if len(self.key) == 1:
            return row.get(self.key[0])
        return tuple(row.get(k) for k in self.key)

    def key_clause(self, key: Any) -> sa.ColumnElement[bool]:
        """A WHERE clause selecting the row with this key."""
        values = (key,) if len(self.key) == 1 else tuple(key)
        return sa.and_(*(self.table.c[k] == v for k, v in zip(self.key, values, strict=True)))


class EntityRegistry(KeyedRegistry[EntityType]):
    """All registered entities by name (a :class:`~relcore.registries.KeyedRegistry`); refuses
    duplicates, naming both plugins."""

    def __init__(self) -> None:
        super().__init__(
            "entity",
            lambda entity: entity.name,
            unknown=lambda name, _known: PluginError(f"no entity named {name!r} is registered"),
        )


def _app(session: Session) -> Any:
    from relcore.app import app_of

    return app_of(session)


def _entity(session: Session, entity: EntityType | str) -> EntityType:
    if isinstance(entity, EntityType):
        return entity
    return _app(session).entities[entity]


def row_to_dict(row: Any) -> dict[str, Any]:
    """A result row as a plain dict."""
    return dict(row._mapping)


def get(session: Session, entity: EntityType | str, key: Any, *, lock: bool = False) -> dict:
    """The row with this key, or :class:`NotFoundError` naming the entity and key."""
    et = _entity(session, entity)
    stmt = sa.select(et.table).where(et.key_clause(key))
    if lock:
        stmt = stmt.with_for_update()
    row = session.execute(stmt).first()
    if row is None:
        raise NotFoundError("does not exist", entity=et.label, key=key)
    return row_to_dict(row)


def find(session: Session, entity: EntityType | str, key: Any) -> dict | None:
    """The row with this key, or ``None``."""
    et = _entity(session, entity)
    row = session.execute(sa.select(et.table).where(et.key_clause(key))).first()
    return None if row is None else row_to_dict(row)


def exists(session: Session, entity: EntityType | str, key: Any) -> bool:
    """True when a row with this key exists."""
    et = _entity(session, entity)
    stmt = sa.select(sa.literal(1)).select_from(et.table).where(et.key_clause(key)).limit(1)
    return session.execute(stmt).first() is not None


def _hooks(session: Session):
    return _app(session).pm.hook


_SYSTEM_COLUMNS = ("system_id", "created_at", "modified_at", "version")


def _stamp_inserts(
    et: EntityType, rows: Sequence[dict], by_column: dict[str, tuple[Any, ...]] | None = None
) -> None:
    """Fill the system columns a row does not give; with ``by_column`` (the rows' shared columns)
    the stamped columns are added to it too."""
    if not et.has_system_columns:
        return
    now = utcnow()
    if by_column is None:
        for row in rows:
            row.setdefault("system_id", uuid.uuid4())
            row.setdefault("created_at", now)
            row.setdefault("modified_at", now)
            row.setdefault("version", 1)
        return
    # every row names the same columns: the same ones are missing everywhere
    missing = [name for name in _SYSTEM_COLUMNS if name not in by_column]
    if not missing:
        return
    constant = {name: (now if name != "version" else 1) for name in missing if name != "system_id"}
    if "system_id" in missing:
        ids = tuple(uuid.uuid4() for _ in rows)
        for row, system_id in zip(rows, ids, strict=True):
            row["system_id"] = system_id
            row.update(constant)
        by_column["system_id"] = ids
    else:
        for row in rows:
            row.update(constant)
    n = len(rows)
    for name, value in constant.items():
        by_column[name] = (value,) * n


def insert(
    session: Session, entity: EntityType | str, rows: Sequence[dict], *, take_rows: bool = False
) -> list[dict]:
    """Insert a batch of rows in one statement, with the write hooks and system columns.

    :param take_rows: the caller gives its dicts away (built for this call): they are filled in
        and returned instead of copies (bulk work saves a copy of every row).
    :returns: the rows as written (with system columns filled in).
    """
    et = _entity(session, entity)
    rows = list(rows) if take_rows else [dict(r) for r in rows]
    if not rows:
        return rows
    hooks = _hooks(session)
    hooks.relcore_before_write(session=session, entity=et.name, action="insert", rows=rows)
    by_column = transpose(rows)  # read column by column by the checks and the bulk insert
    checks.check_rows(et.table, rows, entity=et.label, key_of=et.key_of, by_column=by_column)
    references.check_rows(session, et, rows)
    _stamp_inserts(et, rows, by_column)
    if by_column is not None:  # the rows share their columns: one statement
        bulk_insert(session, et.table, rows, by_column=by_column)
    else:
        for group in _same_keys(et.table, rows):
            bulk_insert(session, et.table, group)
    hooks.relcore_after_write(session=session, entity=et.name, action="insert", rows=rows)
    return rows


def _same_keys(table: sa.Table, rows: list[dict]) -> list[list[dict]]:
    """Rows grouped so each group names the same columns (an executemany needs that).

    A missing value whose column has a plain scalar default (or none) is filled in, so rows that
    differ only there still go in one statement; the rest are grouped by their keys.
    """
    first = rows[0].keys()
    if all(row.keys() == first for row in rows):
        return [rows]
    names = set().union(*(row.keys() for row in rows))
    fill = {}
    for name in names:
        default = table.c[name].default if name in table.c else None
        if default is None or default.is_scalar:
            fill[name] = default.arg if default is not None else None
    groups: dict[frozenset[str], list[dict]] = {}
    for row in rows:
        for name, value in fill.items():
            row.setdefault(name, value)
        groups.setdefault(frozenset(row), []).append(row)
    return list(groups.values())


def insert_from_select(
    session: Session,
    entity: EntityType | str,
    columns: Sequence[str],
    select: sa.Select[Any],
) -> int:
    """Set-based ``INSERT ... SELECT``; system columns come from SQL expressions per row.

    The rows never pass through Python, so the row-level write hooks are not called: use it for
    rows no other plugin validates (segment lines, index rows, copies), and :func:`insert` else.

    :returns: the number of rows inserted.
    """
    et = _entity(session, entity)
    cols = list(columns)
    checks.check_select_lengths(session, et.table, cols, select, entity=et.label)
    exprs = list(select.selected_columns)
    if et.has_system_columns:
        now = utcnow()
        extra = {
            "system_id": new_uuid(),
            "created_at": sa.literal(now, et.table.c.created_at.type),
            "modified_at": sa.literal(now, et.table.c.modified_at.type),
            "version": sa.literal(1),
        }
        for name, expr in extra.items():
            if name not in cols:
                cols.append(name)
                exprs.append(expr)
        select = select.with_only_columns(*exprs)
    stmt = sa.insert(et.table).from_select(cols, select).execution_options(preserve_rowcount=True)
    result = session.execute(stmt)
    return result.rowcount


def update(
    session: Session,
    entity: EntityType | str,
    key: Any,
    values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> dict:
    """Update one row by key; bumps ``version`` and ``modified_at``.

    :param expected_version: optimistic concurrency: refuse when the row's version differs.
    :returns: the row after the update.
    """
    et = _entity(session, entity)
    values = dict(values)
    if not values:
        return get(session, et, key)
    hooks = _hooks(session)
    change = {**dict(zip(et.key, (key,) if len(et.key) == 1 else key, strict=True)), **values}
    hooks.relcore_before_write(session=session, entity=et.name, action="update", rows=[change])
    checks.check_rows(et.table, [values], entity=et.label, key_of=lambda _row: key)
    references.check_rows(session, et, [change])
    stmt = sa.update(et.table).where(et.key_clause(key)).values(**values)
    if expected_version is not None:
        stmt = stmt.where(et.table.c.version == expected_version)
    result = session.execute(stmt)
    if result.rowcount == 0:
        if expected_version is not None and exists(session, et, key):
            raise ValidationError(
                "was changed by someone else; read it again", entity=et.label, key=key
            )
        raise NotFoundError("does not exist", entity=et.label, key=key)
    hooks.relcore_after_write(session=session, entity=et.name, action="update", rows=[change])
    return get(session, et, key)


def update_where(
    session: Session,
    entity: EntityType | str,
    where: sa.ColumnElement[bool],
    values: Mapping[str, Any],
) -> int:
    """Set-based update of every row matching ``where`` (system columns maintained).

    The write hooks receive the affected keys with the new values.
    """
    et = _entity(session, entity)
    keys = [
        tuple(r) for r in session.execute(sa.select(*(et.table.c[k] for k in et.key)).where(where))
    ]
    if not keys:
        return 0
    changes = [{**dict(zip(et.key, k, strict=True)), **values} for k in keys]
    hooks = _hooks(session)
    hooks.relcore_before_write(session=session, entity=et.name, action="update", rows=changes)
    checks.check_rows(et.table, [dict(values)], entity=et.label)
    references.check_rows(session, et, changes[:1])
    result = session.execute(sa.update(et.table).where(where).values(**values))
    hooks.relcore_after_write(session=session, entity=et.name, action="update", rows=changes)
    return result.rowcount


def delete(session: Session, entity: EntityType | str, keys: Iterable[Any]) -> int:
    """Delete rows by key, after ``relcore_before_write`` (which may refuse or detach dependants).

    :returns: the number of rows deleted.
    """
    et = _entity(session, entity)
    keys = list(keys)
    if not keys:
        return 0
    if len(et.key) == 1:
        where = et.table.c[et.key[0]].in_(keys)
    else:
        where = sa.or_(*(et.key_clause(k) for k in keys))
    rows = [row_to_dict(r) for r in session.execute(sa.select(et.table).where(where))]
    found = {et.key_of(r) for r in rows}
    for k in keys:
        if k not in found:
            raise NotFoundError("does not exist", entity=et.label, key=k)
    hooks = _hooks(session)
    hooks.relcore_before_write(session=session, entity=et.name, action="delete", rows=rows)
    references.check_delete(session, et, found)
    result = session.execute(sa.delete(et.table).where(where))
    hooks.relcore_after_write(session=session, entity=et.name, action="delete", rows=rows)
    return result.rowcount
