"""Reference data, one generic service for all twelve kinds (§1.3).

Salespeople, teams (with their members), territories, countries/regions, languages,
salutations (with their formulas), business relations, industry groups, mailing groups, job
responsibilities, organizational levels and web sources are all code lists: ``add``, ``list``,
``show``, ``edit`` and ``delete`` work the same for each. A code still in use (by any table
that references it, or by the setup) cannot be deleted.
"""

from __future__ import annotations

from typing import Any

import attrs
import sqlalchemy as sa

from relcore import entities
from relcore.errors import NotFoundError, ValidationError
from relcore.fields import coerce_values
from relcore_contacts import model


@attrs.frozen
class ReferenceKind:
    """One kind of reference data.

    :param kind: its shell name (``"salespeople"``).
    :param entity: the registered entity (``"contacts.salesperson"``).
    :param text_field: the field ``--description`` sets (``description`` or ``name``).
    :param setup_keys: setup fields that may name a code of this kind.
    :param extra_usages: ``(table, column)`` pairs naming codes without a foreign key.
    """

    kind: str
    entity: str
    table: sa.Table
    text_field: str = "description"
    setup_keys: tuple[str, ...] = ()
    extra_usages: tuple[tuple[sa.Table, str], ...] = ()


KINDS: dict[str, ReferenceKind] = {
    k.kind: k
    for k in (
        ReferenceKind(
            "salespeople",
            "contacts.salesperson",
            model.salesperson,
            "name",
            ("contacts.default_salesperson_code",),
        ),
        ReferenceKind("teams", "contacts.team", model.team, "name"),
        ReferenceKind(
            "territories",
            "contacts.territory",
            model.territory,
            "name",
            ("contacts.default_territory_code",),
        ),
        ReferenceKind(
            "countries",
            "contacts.country",
            model.country,
            "name",
            ("contacts.default_country_region_code",),
            ((model.alt_address, "country_region_code"),),
        ),
        ReferenceKind(
            "languages",
            "contacts.language",
            model.language,
            "name",
            ("contacts.default_language_code",),
            ((model.salutation_formula, "language_code"),),
        ),
        ReferenceKind(
            "salutations",
            "contacts.salutation",
            model.salutation,
            "description",
            ("contacts.def_company_salutation_code", "contacts.default_person_salutation_code"),
        ),
        ReferenceKind(
            "business-relations",
            "contacts.business_relation",
            model.business_relation,
            "description",
            (
                "contacts.bus_rel_code_for_customers",
                "contacts.bus_rel_code_for_vendors",
                "contacts.bus_rel_code_for_bank_accs",
                "contacts.bus_rel_code_for_employees",
            ),
        ),
        ReferenceKind("industry-groups", "contacts.industry_group", model.industry_group),
        ReferenceKind("mailing-groups", "contacts.mailing_group", model.mailing_group),
        ReferenceKind(
            "job-responsibilities", "contacts.job_responsibility", model.job_responsibility
        ),
        ReferenceKind(
            "organizational-levels", "contacts.organizational_level", model.organizational_level
        ),
        ReferenceKind("web-sources", "contacts.web_source", model.web_source),
    )
}
SYSTEM = ("system_id", "created_at", "modified_at", "version")


def reference_kind(kind: str) -> ReferenceKind:
    """The kind by its shell name, or an error listing the kinds."""
    try:
        return KINDS[kind]
    except KeyError:
        raise ValidationError(f"{kind!r} is not one of: {', '.join(KINDS)}") from None


def _label(session: Any, k: ReferenceKind) -> str:
    from relcore.app import app_of

    return app_of(session).entities[k.entity].label


def _typed(
    session: Any, k: ReferenceKind, code: str, description: str | None, values: dict | None
) -> dict:
    raw = dict(values or {})
    if description is not None:
        raw[k.text_field] = description
    allowed = [c.name for c in k.table.c if c.name not in (*SYSTEM, "code")]
    typed = coerce_values(k.table, raw, entity=_label(session, k), key=code, allowed=allowed)
    if typed.get("email"):
        from relcore_contacts.validation import check_email

        check_email(typed["email"], key=code, field="email", entity=_label(session, k))
    return typed


def _code(session: Any, k: ReferenceKind, code: str) -> str:
    col = k.table.c.code
    text = (code or "").strip().upper()
    if not text:
        raise ValidationError("must have a value", entity=_label(session, k), field="code")
    if len(text) > col.type.length:
        raise ValidationError(
            f"{text!r} is longer than {col.type.length} characters",
            entity=_label(session, k),
            field="code",
        )
    return text


def add(
    session: Any, kind: str, code: str, description: str | None = None, values: dict | None = None
) -> dict:
    """Add a code of ``kind``; ``description`` sets its description (or name)."""
    k = reference_kind(kind)
    code = _code(session, k, code)
    if entities.exists(session, k.entity, code):
        raise ValidationError("already exists", entity=_label(session, k), key=code)
    row = {
        c.name: c.default.arg for c in k.table.c if c.default is not None and c.default.is_scalar
    }
    row.update(_typed(session, k, code, description, values), code=code)
    return entities.insert(session, k.entity, [row])[0]


def list_codes(session: Any, kind: str) -> list[dict]:
    """All codes of ``kind``, by code."""
    k = reference_kind(kind)
    stmt = sa.select(*(c for c in k.table.c if c.name not in SYSTEM)).order_by(k.table.c.code)
    return [dict(r._mapping) for r in session.execute(stmt)]


def show(session: Any, kind: str, code: str) -> dict:
    """One code with its fields (a team with ``members``, a salutation with ``formulas``)."""
    k = reference_kind(kind)
    code = _code(session, k, code)
    row = entities.get(session, k.entity, code)  # system columns included, as every show
    if kind == "teams":
        t = model.team_salesperson
        row["members"] = [
            r[0]
            for r in session.execute(
                sa.select(t.c.salesperson_code)
                .where(t.c.team_code == code)
                .order_by(t.c.salesperson_code)
            )
        ]
    if kind == "salutations":
        f = model.salutation_formula
        row["formulas"] = [
            dict(r._mapping)
            for r in session.execute(
                sa.select(f)
                .where(f.c.salutation_code == code)
                .order_by(f.c.language_code, f.c.salutation_type)
            )
        ]
    return row


def edit(
    session: Any, kind: str, code: str, description: str | None = None, values: dict | None = None
) -> dict:
    """Change fields of a code (the code itself cannot be renamed)."""
    k = reference_kind(kind)
    code = _code(session, k, code)
    typed = _typed(session, k, code, description, values)
    entities.get(session, k.entity, code)
    if typed:
        entities.update(session, k.entity, code, typed)
    return show(session, kind, code)


def usages(session: Any, kind: str, code: str) -> list[str]:
    """Where a code is used: ``["3 rows of contacts_contact.salesperson_code", ...]``.

    Looks at every table with a foreign key to the kind's table (other plugins' too; cascading
    child rows such as team members do not count), the ``extra_usages`` and the setup.
    """
    k = reference_kind(kind)
    existing = set(sa.inspect(session).get_table_names())
    found = []
    refs: list[tuple[sa.Table, sa.Column[Any]]] = []
    for table in k.table.metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.column.table is k.table and fk.ondelete is None:
                refs.append((table, fk.parent))
    refs += [(t, t.c[c]) for t, c in k.extra_usages]
    for table, column in refs:
        if table.name not in existing:
            continue
        n = session.execute(
            sa.select(sa.func.count()).select_from(table).where(column == code)
        ).scalar()
        if n:
            found.append(f"{n} row{'s' if n > 1 else ''} of {table.name}.{column.name}")
    if k.setup_keys:
        from relcore.app import app_of

        values = app_of(session).setup.get_many(session, list(k.setup_keys))
        found += [f"setup {key}" for key, value in values.items() if value == code]
    return found


def delete(session: Any, kind: str, code: str) -> None:
    """Delete a code; refused while it is in use (the message says where)."""
    k = reference_kind(kind)
    code = _code(session, k, code)
    entities.get(session, k.entity, code)
    used = usages(session, kind, code)
    if used:
        raise ValidationError(
            f"cannot be deleted because it is in use: {'; '.join(used)}",
            entity=_label(session, k),
            key=code,
        )
    if kind == "teams":
        t = model.team_salesperson
        session.execute(sa.delete(t).where(t.c.team_code == code))
    if kind == "salutations":
        f = model.salutation_formula
        session.execute(sa.delete(f).where(f.c.salutation_code == code))
    entities.delete(session, k.entity, [code])


# -- team members and salutation formulas -----------------------------------------------------


def add_team_member(session: Any, team_code: str, salesperson_code: str) -> dict:
    """Add a salesperson to a team (§1.3 Team Salesperson)."""
    team = entities.get(session, "contacts.team", team_code.strip().upper())
    sp = entities.get(session, "contacts.salesperson", salesperson_code.strip().upper())
    t = model.team_salesperson
    if session.execute(
        sa.select(t.c.team_code).where(
            t.c.team_code == team["code"], t.c.salesperson_code == sp["code"]
        )
    ).first():
        raise ValidationError(
            f"salesperson {sp['code']} is already a member", entity="Team", key=team["code"]
        )
    row = {"team_code": team["code"], "salesperson_code": sp["code"]}
    session.execute(sa.insert(t).values(**row))
    return row


def remove_team_member(session: Any, team_code: str, salesperson_code: str) -> None:
    """Remove a salesperson from a team."""
    t = model.team_salesperson
    team, sp = team_code.strip().upper(), salesperson_code.strip().upper()
    res = session.execute(sa.delete(t).where(t.c.team_code == team, t.c.salesperson_code == sp))
    if res.rowcount == 0:
        raise NotFoundError(f"salesperson {sp} is not a member", entity="Team", key=team)


def set_salutation_formula(
    session: Any,
    salutation_code: str,
    salutation_type: str,
    salutation: str,
    names: list[str] | tuple[str, ...] = (),
    language_code: str = "",
) -> dict:
    """Create or replace a salutation formula (§2.6): text with ``%1``..``%5`` and the name
    part each placeholder stands for (``first_name``, ``surname``, ``job_title``, ...)."""
    code = salutation_code.strip().upper()
    entities.get(session, "contacts.salutation", code)
    f = model.salutation_formula
    if len(names) > 5:
        raise ValidationError("at most 5 name parts", entity="Salutation Formula", key=code)
    raw = {
        "salutation_code": code,
        "language_code": language_code or "",
        "salutation_type": salutation_type,
        "salutation": salutation,
        **{f"name_{i}": part for i, part in enumerate(names, start=1)},
    }
    row = {f"name_{i}": "" for i in range(1, 6)}
    row.update(coerce_values(f, raw, entity="Salutation Formula", key=code))
    if row["language_code"] and not entities.exists(
        session, "contacts.language", row["language_code"]
    ):
        raise NotFoundError("does not exist", entity="Language", key=row["language_code"])
    session.execute(
        sa.delete(f).where(
            f.c.salutation_code == code,
            f.c.language_code == row["language_code"],
            f.c.salutation_type == row["salutation_type"],
        )
    )
    session.execute(sa.insert(f).values(**row))
    return row


def delete_salutation_formula(
    session: Any, salutation_code: str, salutation_type: str, language_code: str = ""
) -> None:
    """Delete one salutation formula."""
    f = model.salutation_formula
    code, lang = salutation_code.strip().upper(), (language_code or "").strip().upper()
    res = session.execute(
        sa.delete(f).where(
            f.c.salutation_code == code,
            f.c.language_code == lang,
            f.c.salutation_type == salutation_type,
        )
    )
    if res.rowcount == 0:
        raise NotFoundError(
            f"has no {salutation_type} formula for language {lang or '(blank)'}",
            entity="Salutation",
            key=code,
        )
