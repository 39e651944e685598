"""Typed setup values: the Marketing Setup (BC §1.1), split by owner plugin.

Plugins register :class:`SetupField` objects (key ``<plugin>.<field>``) with a type and a default.
Values are stored in one table, ``core_setup``, as JSON text; unset fields read as their default.
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import sqlalchemy as sa

from relcore.db import Session, metadata
from relcore.errors import ConfigError, PluginError, ValidationError

setup_table = sa.Table(
    "core_setup",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text(), nullable=True),
)

FIELD_TYPES = ("bool", "int", "decimal", "str", "code", "choice", "series")

_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off"}


@attrs.frozen
class SetupField:
    """One typed setup field.

    :param key: ``<plugin>.<snake_case field>`` (``"contacts.search_hit_pct"``).
    :param type: one of ``bool``, ``int``, ``decimal``, ``str``, ``code`` (upper-cased, max
        ``max_length``), ``choice`` (one of ``choices``), ``series`` (a number series code that
        must exist).
    :param default: the value before anyone sets it (``None`` = blank).
    :param description: what it means, shown by ``relcore setup show``.
    :param min_value: lowest allowed ``int``/``decimal``.
    :param max_value: highest allowed ``int``/``decimal``.
    :param max_length: longest allowed ``str``/``code``.
    :param choices: allowed values of a ``choice``.
    :param validator: extra check ``validator(session, value)`` raising ``ValidationError``
        (e.g. "must name an existing salesperson").
    :param references: the entity whose code this field names (``"contacts.salesperson"``):
        setting a code that does not exist, or whose record is blocked, is refused, and deleting
        the record while the field names it is refused (:mod:`relcore.references`).
    :param set_by: the command that owns this field (``"d365 setup"``) because it checks it
        together with other fields (a connection setting): ``relcore setup set`` refuses the
        key with a one-line error naming that command. The command itself stores it with
        :meth:`Setup.set`; ``relcore setup show`` lists it like any other field.
    """

    key: str
    type: str
    default: Any = None
    description: str = ""
    min_value: Any = None
    max_value: Any = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    validator: Callable[[Session, Any], None] | None = None
    plugin: str | None = None
    references: str | None = None
    set_by: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise PluginError(f"setup field {self.key}: unknown type {self.type!r}")
        if "." not in self.key:
            raise PluginError(f"setup field {self.key}: keys are '<plugin>.<field>'")

    def parse(self, text: str) -> Any:
        """Turn shell input into a typed value (blank text clears the field)."""
        if text == "" and self.type not in ("bool",):
            return None
        try:
            if self.type == "bool":
                low = text.strip().lower()
                if low in _TRUE:
                    return True
                if low in _FALSE:
                    return False
                raise ValueError("expected yes/no, true/false or 1/0")
            if self.type == "int":
                return int(text)
            if self.type == "decimal":
                return decimal.Decimal(text)
        except (ValueError, decimal.InvalidOperation) as exc:
            msg = str(exc) if self.type == "bool" else f"{text!r} is not a valid {self.type}"
            raise ValidationError(msg, entity="Setup", field=self.key) from None
        return text

    def validate(self, value: Any) -> Any:
        """Check a typed value against the field's rules; returns it normalised."""
        if value is None:
            return None

        def fail(msg: str) -> None:
            raise ValidationError(msg, entity="Setup", field=self.key)

        if self.type == "bool":
            if not isinstance(value, bool):
                fail(f"expected a boolean, got {value!r}")
        elif self.type == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                fail(f"expected a whole number, got {value!r}")
        elif self.type == "decimal":
            if isinstance(value, float) or not isinstance(value, (int, decimal.Decimal)):
                fail(f"expected a decimal, got {value!r}")
            value = decimal.Decimal(value)
        elif self.type in ("str", "code", "series", "choice"):
            if not isinstance(value, str):
                fail(f"expected text, got {value!r}")
            if self.type in ("code", "series"):
                value = value.strip().upper()
            if self.type == "choice" and value not in self.choices:
                fail(f"{value!r} is not one of {', '.join(self.choices)}")
        if self.min_value is not None and value < self.min_value:
            fail(f"{value} is below the minimum {self.min_value}")
        if self.max_value is not None and value > self.max_value:
            fail(f"{value} is above the maximum {self.max_value}")
        limit = self.max_length or (20 if self.type in ("code", "series") else None)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            fail(f"{value!r} is longer than {limit} characters")
        return value

    def dump(self, value: Any) -> str | None:
        """The stored JSON text of a value."""
        if value is None:
            return None
        if isinstance(value, decimal.Decimal):
            return json.dumps({"decimal": str(value)})
        return json.dumps(value)

    def load(self, text: str | None) -> Any:
        """A stored JSON text back to the typed value."""
        if text is None:
            return None
        value = json.loads(text)
        if isinstance(value, dict) and "decimal" in value:
            return decimal.Decimal(value["decimal"])
        return value


class SetupRegistry:
    """The registered setup fields, and reading/writing their values in a session."""

    def __init__(self) -> None:
        from relcore.registries import KeyedRegistry

        self.fields: KeyedRegistry[SetupField] = KeyedRegistry(
            "setup key",
            lambda f: f.key,
            unknown=lambda key, _known: ConfigError(
                f"unknown setup key {key!r} (see 'relcore setup show' for the keys)"
            ),
        )

    def register(self, field: SetupField, plugin: str | None = None) -> None:
        """Add a field (called through the ``register`` callback of the hook)."""
        self.fields.register(field, plugin)

    def field(self, key: str) -> SetupField:
        """The field for a key, or an error listing what exists."""
        return self.fields[key]

    def get(self, session: Session, key: str) -> Any:
        """The value of a setup field (its default when never set)."""
        field = self.field(key)
        row = session.execute(
            sa.select(setup_table.c.value).where(setup_table.c.key == key)
        ).first()
        if row is None:
            return field.default
        return field.load(row[0])

    def get_many(self, session: Session, keys: Iterable[str] | None = None) -> dict[str, Any]:
        """Values of several fields (all when ``keys`` is None) in one query."""
        keys = list(self.fields if keys is None else keys)
        fields = {k: self.field(k) for k in keys}
        stored = dict(
            session.execute(
                sa.select(setup_table.c.key, setup_table.c.value).where(setup_table.c.key.in_(keys))
            ).all()
        )
        return {k: (f.load(stored[k]) if k in stored else f.default) for k, f in fields.items()}

    def is_set(self, session: Session, key: str) -> bool:
        """True when the field has a stored value (even blank)."""
        stmt = sa.select(setup_table.c.key).where(setup_table.c.key == key)
        return session.execute(stmt).first() is not None

    def set(self, session: Session, key: str, value: Any) -> Any:
        """Validate and store a typed value; returns the stored (normalised) value."""
        field = self.field(key)
        value = field.validate(value)
        if field.type == "series" and value is not None:
            from relcore.numbering import series_exists

            if not series_exists(session, value):
                raise ValidationError(
                    f"number series {value!r} does not exist", entity="Setup", field=key
                )
        if field.references is not None and value is not None:
            from relcore.references import check_code

            problem = check_code(session, field.references, value, refuse_blocked=True)
            if problem:
                raise ValidationError(problem, entity="Setup", field=key)
        if field.validator is not None and value is not None:
            try:
                field.validator(session, value)
            except ValidationError as exc:
                if exc.field is not None:
                    raise
                raise ValidationError(exc.message, entity="Setup", field=key) from None
        text = field.dump(value)
        updated = session.execute(
            sa.update(setup_table).where(setup_table.c.key == key).values(value=text)
        )
        if updated.rowcount == 0:
            session.execute(sa.insert(setup_table).values(key=key, value=text))
        return value

    def set_text(self, session: Session, key: str, text: str) -> Any:
        """Parse shell input for a key, then :meth:`set` it."""
        return self.set(session, key, self.field(key).parse(text))
