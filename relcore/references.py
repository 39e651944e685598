"""References to code tables, checked where they are set and where the code is deleted.

A value that names a record of another entity (a salesperson code, a language code, a number
series) is checked on every write:

* a setup field declares ``SetupField(..., references="contacts.salesperson")``: setting it to a
  code that does not exist — or whose record is ``blocked`` — is refused;
* a column declares ``info={"references": "contacts.salesperson"}`` (or has a foreign key to the
  entity's table): :func:`relcore.entities.insert` / ``update`` refuse a code that does not exist;
* deleting a record still named by a setup field, or by such a column of any registered entity,
  is refused, naming the user ("Salesperson JO is used by setup field
  contacts.default_salesperson_code"); foreign keys with ``ON DELETE`` rules are left to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from relcore.errors import ValidationError

REFERENCES_KEY = "references"
"""The column ``info`` key naming the entity a column's codes belong to."""


def _app(session: Any) -> Any:
    from relcore.app import app_of

    return app_of(session)


def check_code(session: Any, entity: str, value: Any, *, refuse_blocked: bool = False) -> str:
    """The problem with ``value`` as a code of ``entity``, or ``""`` when it exists.

    :param refuse_blocked: also refuse a record whose ``blocked`` column is set.
    """
    from relcore import entities

    et = _app(session).entities[entity]
    row = entities.find(session, et, value)
    if row is None:
        return f"{et.label} {value!r} does not exist"
    if refuse_blocked and row.get("blocked"):
        return f"{et.label} {value!r} is blocked"
    return ""


def referenced_entity(column: sa.Column[Any], registry: Any) -> Any:
    """The entity a column's values name (``info["references"]``), or None."""
    name = column.info.get(REFERENCES_KEY)
    return registry[name] if name else None


def check_rows(session: Any, et: Any, rows: Sequence[dict]) -> None:
    """Refuse a value of a ``references`` column that names no record (one query per column)."""
    if not rows:
        return
    registry = _app(session).entities
    for column in et.table.c:
        target = referenced_entity(column, registry)
        if target is None:
            continue
        values = {r.get(column.name) for r in rows if r.get(column.name) not in (None, "")}
        if not values:
            continue
        key = target.table.c[target.key[0]]
        normalised = {key.type.process_bind_param(v, None) if _is_code(key) else v for v in values}
        found = set(session.execute(sa.select(key).where(key.in_(normalised))).scalars())
        missing = sorted(normalised - found, key=str)
        if missing:
            row = next(r for r in rows if _norm(key, r.get(column.name)) == missing[0])
            raise ValidationError(
                f"{target.label} {missing[0]!r} does not exist",
                entity=et.label,
                key=et.key_of(row),
                field=column.name,
            )


def _is_code(column: sa.Column[Any]) -> bool:
    from relcore.db import Code

    return isinstance(column.type, Code)


def _norm(column: sa.Column[Any], value: Any) -> Any:
    return column.type.process_bind_param(value, None) if _is_code(column) else value


def check_delete(session: Any, et: Any, keys: Iterable[Any]) -> None:
    """Refuse deleting records of ``et`` still named by a setup field or a referencing column."""
    if len(et.key) != 1:
        return
    keys = {k for k in keys if k not in (None, "")}
    if not keys:
        return
    app = _app(session)
    for field in app.setup.fields.values():
        if getattr(field, "references", None) != et.name:
            continue
        value = app.setup.get(session, field.key)
        if value is not None and value in keys:
            raise ValidationError(
                f"is used by setup field {field.key}: change that setting first",
                entity=et.label,
                key=value,
            )
    key_column = et.table.c[et.key[0]]
    for other in app.entities.values():
        for column in other.table.c:
            if not _refers_to(column, et, key_column):
                continue
            stmt = sa.select(*(other.table.c[k] for k in other.key), column).where(column.in_(keys))
            if other.table is et.table:  # rows naming themselves (a company's company no.)
                stmt = stmt.where(key_column.not_in(keys))
            used = session.execute(stmt.limit(1)).first()
            if used is not None:
                user_key = used[0] if len(other.key) == 1 else tuple(used[: len(other.key)])
                raise ValidationError(
                    f"is still used by {other.label} {user_key} (field {column.name})",
                    entity=et.label,
                    key=used[-1],
                )


def _refers_to(column: sa.Column[Any], et: Any, key_column: sa.Column[Any]) -> bool:
    if column.info.get(REFERENCES_KEY) == et.name:
        return True
    return any(fk.column is key_column and fk.ondelete is None for fk in column.foreign_keys)


def series_users(session: Any, code: str) -> list[str]:
    """The setup fields (type ``series``) that name the number series ``code``."""
    app = _app(session)
    keys = [k for k, f in app.setup.fields.items() if f.type == "series"]
    values = app.setup.get_many(session, keys)
    return sorted(k for k, v in values.items() if v == code)
