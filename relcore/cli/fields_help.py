"""What a user may ``--set``: field lists generated from the tables, never written by hand.

Commands that take ``--set FIELD=VALUE`` declare the option with :func:`set_option`, naming a
function that returns the settable columns; ``--help`` then lists each field with its type::

    @set_option("relcore_segments.segments:header_columns")

The function is imported only when help is shown, so ``relcore --help`` stays fast.
``relcore fields ENTITY`` prints the same description for any registered entity.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

import click


def describe_type(column: Any) -> str:
    """A column's type in the words ``--set`` accepts: ``code (20)``, ``yes/no``, ``date
    (YYYY-MM-DD)``, ``one of: a, b`` ..."""
    import sqlalchemy as sa

    from relcore.db import Code
    from relcore.fields import _base, _type_name

    choices = column.info.get("choices")
    if choices:
        return "one of: " + ", ".join(c if c else "''" for c in choices)
    base = _base(column)
    if isinstance(base, sa.Boolean):
        return "yes/no"
    length = getattr(base, "length", None)
    if isinstance(column.type, Code):
        return f"code ({length})" if length else "code"
    if isinstance(column.type, sa.Uuid):
        return "uuid"
    if isinstance(base, sa.String):
        return f"text ({length})" if length else "text"
    return _type_name(column)


def field_rows(columns: Iterable[Any]) -> list[dict[str, str]]:
    """``{"field", "type", "required", "description"}`` per column, in table order."""
    rows = []
    for column in columns:
        rows.append(
            {
                "field": column.name,
                "type": describe_type(column),
                "required": "yes" if not column.nullable and column.default is None else "",
                "description": column.info.get("description") or column.doc or _refers(column),
            }
        )
    return rows


def _refers(column: Any) -> str:
    """``refers to contacts_contact.no`` for a foreign key column, else ''."""
    targets = [fk.target_fullname for fk in column.foreign_keys]
    return f"refers to {', '.join(targets)}" if targets else ""


def resolve(source: str | Callable[[], Any]) -> list[Any]:
    """The columns named by ``"module:function"`` (called), ``"module:table"`` or a callable
    returning a table or columns (for command factories)."""
    import sqlalchemy as sa

    from relcore.fields import SYSTEM_FIELDS

    if callable(source):
        target = source()
    else:
        module_name, attr = source.split(":")
        target = getattr(importlib.import_module(module_name), attr)
    if isinstance(target, sa.Table):
        return [c for c in target.c if c.name not in SYSTEM_FIELDS]
    return list(target() if callable(target) else target)


def columns(
    table: str, names: str | Iterable[str] | None = None, exclude: Iterable[str] = ()
) -> Callable[[], list[Any]]:
    """A lazy fields source: the columns of ``table`` (``"module:attr"``), limited to ``names``
    (an iterable, or ``"module:attr"`` naming one) and without ``exclude``; for
    :func:`set_option` where no function of the plugin returns them already."""
    excluded = set(exclude)

    def source() -> list[Any]:
        from relcore.fields import SYSTEM_FIELDS

        module_name, attr = table.split(":")
        t = getattr(importlib.import_module(module_name), attr)
        wanted = names
        if isinstance(wanted, str):
            mod, name = wanted.split(":")
            wanted = getattr(importlib.import_module(mod), name)
        chosen = [c for c in t.c if c.name not in SYSTEM_FIELDS | excluded]
        if wanted is not None:
            keep = set(wanted)
            chosen = [c for c in chosen if c.name in keep]
        return chosen

    return source


class SetOption(click.Option):
    """``--set FIELD=VALUE`` (repeatable) whose help lists the settable fields and their types."""

    def __init__(
        self, *args: Any, fields_source: str | Callable[[], Any], intro: str = "", **kwargs: Any
    ) -> None:
        kwargs.setdefault("multiple", True)
        kwargs.setdefault("metavar", "FIELD=VALUE")
        super().__init__(*args, **kwargs)
        self.fields_source = fields_source
        self.intro = intro

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        try:
            rows = field_rows(resolve(self.fields_source))
        except Exception as exc:  # help must never break
            listed = f"(fields unavailable: {exc})"
        else:
            listed = "; ".join(f"{r['field']} ({r['type']})" for r in rows)
        self.help = f"{self.intro} Settable fields: {listed}.".strip()
        return super().get_help_record(ctx)


def set_option(
    fields_source: str | Callable[[], Any],
    intro: str = "Set a field; repeat for several.",
    name: str = "assignments",
    **kwargs: Any,
) -> Callable[[Any], Any]:
    """The ``--set`` option (parameter ``name``) of a command, typed from ``fields_source``
    (see the module docstring)."""
    return click.option(
        "--set", name, cls=SetOption, fields_source=fields_source, intro=intro, **kwargs
    )


@click.command("fields")
@click.argument("entity", required=False)
@click.pass_context
def fields_command(ctx: click.Context, entity: str | None) -> None:
    """The fields of ENTITY (e.g. contacts.contact) with type and description; without ENTITY,
    the registered entities."""
    from relcore.cli.context import State, output_table
    from relcore.errors import ValidationError

    state = ctx.find_object(State) or ctx.ensure_object(State)
    registry = state.app.registries.entities
    if entity is None:
        rows = [
            {"entity": name, "label": registry[name].label, "plugin": registry[name].plugin or ""}
            for name in registry.names()
        ]
        output_table(
            state, rows, "Entities", {"entity": "entity", "label": "label", "plugin": "plugin"}
        )
        return
    if entity not in registry:
        raise ValidationError(
            f"unknown entity {entity!r} (entities: {', '.join(registry.names())})"
        )
    et = registry[entity]
    rows = field_rows(resolve_table(et.table))
    for row in rows:
        row["key"] = "yes" if row["field"] in et.key else ""
    output_table(
        state,
        rows,
        f"{et.label} ({entity})",
        {
            "field": "field",
            "type": "type",
            "key": "key",
            "required": "required",
            "description": "description",
        },
    )


def resolve_table(table: Any) -> list[Any]:
    """A table's columns without the system columns."""
    from relcore.fields import SYSTEM_FIELDS

    return [c for c in table.c if c.name not in SYSTEM_FIELDS]
