"""Criteria sources: the data a segment criterion may filter on (BC §5.5.1 request-page data items).

A :class:`CriteriaSource` names the fields a user may filter and turns compiled filters into a
SQL ``SELECT`` of matching contact numbers. Any plugin contributes sources through the
``relcore_segments_register_criteria_sources`` hook; the segments plugin registers the ones of
the installed contacts and interactions plugins (:mod:`relcore_segments.builtin_sources`).

Filters use BC filter syntax (``docs/filter-syntax.md``) and compile with
:func:`relcore_segments.filters.compile_filter`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import sqlalchemy as sa

from relcore.db import Code
from relcore.errors import ValidationError
from relcore_segments.filters import FilterSyntaxError, compile_filter


@attrs.frozen
class CriteriaSource:
    """A set of records segment criteria filter on, linked to contacts.

    :param name: the name used in criteria (``"job_responsibility"``).
    :param label: how messages and criteria views name it (``"Contact Job Responsibility"``).
    :param fields: public field name → the column filtered (aliases may share a column).
    :param contact_nos: ``contact_nos(conditions)`` → a ``SELECT`` of one column, the numbers of
        the contacts for which a record matches all ``conditions`` ("exists" semantics, §5.5.1).
    :param on_contact: the fields are columns of the contacts table itself: their conditions
        apply to the contact directly (the driving data item).
    """

    name: str
    label: str
    fields: Mapping[str, Any]
    contact_nos: Callable[[list[Any]], sa.Select[Any]]
    on_contact: bool = False
    plugin: str | None = None


def _unknown_source(name: str, known: list[str]) -> Exception:
    return ValidationError(f"unknown criteria source {name!r} (sources: {', '.join(known)})")


def sources_of(app: Any) -> Mapping[str, CriteriaSource]:
    """The app's criteria sources by name (collected once per app through
    ``relcore_segments_register_criteria_sources``; a name registered twice is refused naming
    both plugins; an unknown name raises :class:`ValidationError` listing the sources)."""
    return app.registry(
        "relcore_segments_register_criteria_sources",
        kind="criteria source",
        key=lambda source: source.name,
        unknown=_unknown_source,
    )


# -- filters: "source.field=expression" --------------------------------------------------------

Filters = dict[str, dict[str, str]]
"""Criteria filters: source name → field → BC filter expression."""


def parse_where(items: Iterable[str]) -> Filters:
    """``["contact.post_code=1000..1999", "job_responsibility.code=PURCHASE"]`` → filters.

    Several fields of one source are ANDed; so are the sources (§5.5.1).
    """
    filters: Filters = {}
    for item in items:
        target, sep, expression = item.partition("=")
        source, dot, field = target.strip().partition(".")
        if not sep or not dot or not source or not field:
            raise ValidationError(f"expected SOURCE.FIELD=FILTER, got {item!r}")
        fields = filters.setdefault(source.strip(), {})
        if field.strip() in fields:
            raise ValidationError(f"filter {target.strip()} is given twice")
        fields[field.strip()] = expression
    return filters


def dump_view(fields: Mapping[str, str]) -> str:
    """A source's filters as stored in a criteria line's ``table_view`` (JSON)."""
    return json.dumps(dict(fields), ensure_ascii=False, sort_keys=True)


def load_view(text: str) -> dict[str, str]:
    """A criteria line's ``table_view`` back to ``{field: expression}``."""
    return json.loads(text) if text else {}


def _choices(column: Any) -> Any:
    """The option values of a column, also through an alias (``alias.c.x`` has no ``info``)."""
    for candidate in (column, *getattr(column, "base_columns", ())):
        choices = (getattr(candidate, "info", None) or {}).get("choices")
        if choices:
            return choices
    return None


def _filter_column(column: Any) -> Any:
    """The column as filters see it: option fields become ordered, case-insensitive options
    (``type=Company`` works as in BC), their blank value the blank filter ``''``."""
    choices = _choices(column)
    if not choices:
        return column
    named = [c for c in choices if c]
    enum = sa.Enum(*named, native_enum=False, create_constraint=False, validate_strings=False)
    return sa.type_coerce(sa.func.nullif(column, ""), enum)


def compile_source_filters(
    source: CriteriaSource, fields: Mapping[str, str], columns: Mapping[str, Any] | None = None
) -> list[Any]:
    """Compile one source's filters; errors name the source, the field and the position.

    :param columns: the columns to filter (default ``source.fields``), e.g. an alias's.
    """
    columns = columns or source.fields
    compiled = []
    for field, expression in fields.items():
        if field not in source.fields:
            raise ValidationError(
                f"{source.name} has no field {field!r} (fields: {', '.join(sorted(source.fields))})"
            )
        column = columns[field]
        try:
            compiled.append(
                compile_filter(
                    _filter_column(column), expression, code=isinstance(column.type, Code)
                )
            )
        except FilterSyntaxError as exc:
            raise ValidationError(
                f"filter {source.name}.{field}: {exc.message} "
                f"(position {exc.position} in {expression!r})"
            ) from None
    return compiled


@attrs.frozen
class CompiledCriteria:
    """Filters of one criteria action, compiled: :meth:`condition` over any contacts alias."""

    on_contact: tuple[tuple[CriteriaSource, Mapping[str, str]], ...]
    subqueries: tuple[Any, ...]

    @property
    def is_empty(self) -> bool:
        """True when no filter was given (every contact matches, §5.5.2)."""
        return not self.on_contact and not self.subqueries

    def condition(self, alias: Any) -> Any:
        """The condition "this contact matches" over ``alias`` (an alias of the contacts table)."""
        conds: list[Any] = []
        for source, fields in self.on_contact:
            columns = {name: alias.c[col.name] for name, col in source.fields.items()}
            conds += compile_source_filters(source, fields, columns)
        conds += [alias.c.no.in_(sub) for sub in self.subqueries]
        return sa.and_(sa.true(), *conds)


def compile_criteria(app: Any, filters: Mapping[str, Mapping[str, str]]) -> CompiledCriteria:
    """Compile an action's filters (every source's, ANDed across sources)."""
    registry = sources_of(app)
    on_contact = []
    subqueries = []
    for name, fields in filters.items():
        source = registry[name]
        conditions = compile_source_filters(source, fields)  # validates every filter now
        if source.on_contact:
            on_contact.append((source, dict(fields)))
        elif fields:
            subqueries.append(source.contact_nos(conditions).correlate(None))
    return CompiledCriteria(tuple(on_contact), tuple(subqueries))


def describe_view(app: Any, source_name: str, fields: Mapping[str, str]) -> str:
    """A readable criteria view: ``Contact Job Responsibility: code=PURCHASE``."""
    try:
        label = sources_of(app)[source_name].label
    except ValidationError:
        label = source_name
    return f"{label}: " + ", ".join(f"{f}={e}" for f, e in fields.items())
