"""The contact service: insert (in batches), modify, change type, delete (§2.2–§2.7).

Every change of a contact goes through these functions, so the rules of Business Central's
Contact table (numbering, setup defaults, names, inheritance from the company, privacy, type
change, deletion) are applied in one place. Reads for other plugins are in :mod:`.api`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import methodcaller
from typing import Any

import sqlalchemy as sa

from relcore import entities, numbering
from relcore.db import one_of
from relcore.errors import NotFoundError, NumberSeriesError, ValidationError
from relcore_contacts import dupl_index, model
from relcore_contacts.inheritance import (
    SETUP_KEYS as INHERIT_KEYS,
)
from relcore_contacts.inheritance import (
    inherit_company_to_person,
    make_inheritor,
    propagate_company_change,
)
from relcore_contacts.names import calculated_name, name_breakdown, search_name
from relcore_contacts.privacy import apply_privacy_rules
from relcore_contacts.validation import check_contact_fields, make_coercer

C = model.contact
ENTITY = "contacts.contact"
READ_ONLY = ("lookup_contact_no", "contact_business_relation", "search_email", "no_series")
NAME_PARTS = ("first_name", "middle_name", "surname")
REFERENCE_FIELDS: dict[str, tuple[sa.Table, str]] = {
    "salesperson_code": (model.salesperson, "Salesperson"),
    "territory_code": (model.territory, "Territory"),
    "country_region_code": (model.country, "Country/Region"),
    "language_code": (model.language, "Language"),
    "salutation_code": (model.salutation, "Salutation"),
    "organizational_level_code": (model.organizational_level, "Organizational Level"),
}
DEFAULT_KEYS = {
    "salesperson_code": "contacts.default_salesperson_code",
    "territory_code": "contacts.default_territory_code",
    "country_region_code": "contacts.default_country_region_code",
    "language_code": "contacts.default_language_code",
    "format_region": "contacts.default_format_region",
    "correspondence_type": "contacts.default_correspondence_type",
}
SALUTATION_KEYS = {
    "company": "contacts.def_company_salutation_code",
    "person": "contacts.default_person_salutation_code",
}
DUPLICATE_FIELDS = (
    "name",
    "name_2",
    "address",
    "address_2",
    "city",
    "post_code",
    "vat_registration_no",
    "phone_no",
)
SETUP_KEYS = [
    "contacts.contact_nos",
    *DEFAULT_KEYS.values(),
    *SALUTATION_KEYS.values(),
    *INHERIT_KEYS,
]

_coerce = make_coercer(C, "Contact", READ_ONLY)
_TEMPLATE: dict[str, Any] = {
    col.name: (col.default.arg if col.default is not None and col.default.is_scalar else None)
    for col in C.c
    if col.name not in ("system_id", "created_at", "modified_at", "version")
}


def _app(session: Any) -> Any:
    from relcore.app import app_of

    return app_of(session)


def _setup(session: Any) -> dict[str, Any]:
    values = _app(session).setup.get_many(session, SETUP_KEYS)
    return {k.split(".", 1)[1]: v for k, v in values.items()}


# -- insert (§2.2) -----------------------------------------------------------------------------


def insert_contact(session: Any, values: dict, *, skip_defaults: bool = False) -> dict:
    """Insert one contact (see :func:`insert_contacts`); returns the row as written."""
    return insert_contacts(session, [values], skip_defaults=skip_defaults)[0]


def insert_contacts(
    session: Any,
    rows: Sequence[dict],
    row_labels: Sequence[str] | None = None,
    *,
    skip_defaults: bool = False,
) -> list[dict]:
    """Insert a batch of contacts, set-based (BC ``OnInsert``, §2.2).

    Per batch: one bulk number draw from ``contacts.contact_nos`` skipping numbers already used
    (§1.2.6; a given ``no`` is a manual number), one query resolving the referenced companies
    (``company_no``, or ``company_name`` = the company's name; companies earlier in the same
    batch count), one query per referenced code table, one ``INSERT``. Per row: setup defaults
    (unless ``skip_defaults``, used when a contact comes from a customer/vendor), inheritance
    from the company (§2.5.1: values given in the row win), name breakdown or calculated name
    and search name (§2.6), privacy (§2.1), the business relation summary (§3.5).

    :param rows: field values (text or typed) per contact; ``type`` defaults to ``company``.
    :param row_labels: how errors name each row (``"line 12"``); default: its given ``no``,
        else ``line N`` in a batch of several rows.
    :returns: the rows as written, in order.
    :raises ValidationError: naming the row and the field.
    """
    n = len(rows)
    if not n:
        return []
    setup = _setup(session)
    labels = (
        list(row_labels)
        if row_labels is not None
        else [(f"line {i + 1}" if n > 1 else None) for i in range(n)]
    )
    values: list[dict] = []
    keys: list[Any] = []
    explicit: list[frozenset[str]] = []
    for i, raw in enumerate(rows):
        given = raw.get("no")
        key = (str(given).strip().upper() if given else None) or labels[i]
        v = _coerce(raw, key)
        given_values = v.values()
        explicit.append(
            frozenset(v)
            if None not in given_values and "" not in given_values
            else frozenset(k for k, x in v.items() if x not in (None, ""))
        )
        values.append(v)
        keys.append(key)
    _number(session, values, keys, setup)
    companies = _resolve_companies(session, values, keys)
    flags = {k.split(".", 1)[1]: bool(setup[k.split(".", 1)[1]]) for k in INHERIT_KEYS}
    out: list[dict] = []
    prepared: dict[str, dict] = {}
    prepare = _new_contact_preparer(flags, setup, skip_defaults)
    for v, key, company, given in zip(values, keys, companies, explicit, strict=True):
        row = {**_TEMPLATE, **v}
        if company is not None and company.get("_batch"):
            company = prepared[company["no"]]  # earlier in this batch, defaults applied
        prepare(row, company, given, key)
        if row["type"] == "company":
            prepared[row["no"]] = row
        out.append(row)
    _check_references(session, out, keys)
    written = entities.insert(session, ENTITY, out, take_rows=True)
    dupl_index.add_new(session, [r for r in written if r["type"] == "company"])
    return written


def _number(session: Any, values: list[dict], keys: list[Any], setup: dict) -> None:
    """Give every row a number: manual ones checked, blank ones drawn in bulk (§1.2.6)."""
    series = setup["contact_nos"]
    manual = [(v["no"], keys[i]) for i, v in enumerate(values) if v.get("no")]
    if manual:
        numbering.test_manual(session, series)
        seen: set[str] = set()
        for no, key in manual:
            if no in seen:
                raise ValidationError(
                    "appears twice in the batch", entity="Contact", key=key, field="no"
                )
            seen.add(no)
        taken = _existing_nos(session, [no for no, _ in manual])
        for no, key in manual:
            if no in taken:
                raise ValidationError("already exists", entity="Contact", key=key, field="no")
    blank = [v for v in values if not v.get("no")]
    if not blank:
        return
    if not series:
        raise NumberSeriesError(
            "contacts.contact_nos must have a value in the setup. It cannot be zero or empty."
        )
    numbering.are_related(session, series, None)  # Default Nos. must be on
    used = {no for no, _ in manual}
    drawn_ok: list[str] = []
    while len(drawn_ok) < len(blank):
        drawn = numbering.next_nos(session, series, len(blank) - len(drawn_ok))
        taken = used | _existing_nos(session, drawn)
        drawn_ok += [d for d in drawn if d not in taken]  # Contact only: skip used numbers
    for v, no in zip(blank, drawn_ok, strict=True):
        v["no"] = no
        v["no_series"] = series


def _in(session: Any, expr: Any, values: Any) -> Any:
    return one_of(expr, values, session.dialect.name)


def _existing_nos(session: Any, nos: list[str]) -> set[str]:
    """Which of these contact numbers exist (one query; a range scan on SQLite)."""
    if not nos:
        return set()
    if session.dialect.name == "postgresql":
        return set(session.execute(sa.select(C.c.no).where(_in(session, C.c.no, nos))).scalars())
    wanted = set(nos)
    stmt = sa.select(C.c.no).where(C.c.no >= min(wanted), C.c.no <= max(wanted))
    return {r[0] for r in session.execute(stmt) if r[0] in wanted}


def _resolve_companies(session: Any, values: list[dict], keys: list[Any]) -> list[dict | None]:
    """The company row of each person (``None`` for companies and persons without one).

    One query for companies in the database (by number, or by name: exact, else
    case-insensitive); companies earlier in the batch are found by number or name too.
    """
    batch_nos = {v["no"] for v in values}
    ref_nos: set[str] = set()
    ref_names: set[str] = set()
    for v in values:
        if v.get("type", "company") != "person":
            continue
        if v.get("company_no"):
            if v["company_no"] not in batch_nos:
                ref_nos.add(v["company_no"])
        elif v.get("company_name"):
            ref_names.add(v["company_name"].lower())
    found: list[Any] = []
    if ref_nos:
        found += session.execute(sa.select(C).where(_in(session, C.c.no, ref_nos))).all()
    if ref_names:
        stmt = sa.select(C).where(
            C.c.type == "company", _in(session, sa.func.lower(C.c.name), ref_names)
        )
        found += session.execute(stmt).all()
    db_by_no = {r.no: dict(r._mapping) for r in found}
    db_by_name: dict[str, list[dict]] = {}
    for row in db_by_no.values():
        if row["type"] == "company":
            db_by_name.setdefault(row["name"].lower(), []).append(row)
    batch_by_no: dict[str, dict] = {}
    batch_by_name: dict[str, list[dict]] = {}
    result: list[dict | None] = []
    for i, v in enumerate(values):
        if v.get("type", "company") != "person":
            company = {
                "no": v["no"],
                "type": "company",
                "name": v.get("name") or "",
                "_batch": True,
            }
            batch_by_no[v["no"]] = company
            batch_by_name.setdefault((v.get("name") or "").lower(), []).append(company)
            result.append(None)
            continue
        if v.get("company_no"):
            no = v["company_no"]
            company = batch_by_no.get(no) or db_by_no.get(no)
            if company is None:
                raise NotFoundError(
                    f"company contact {no} does not exist",
                    entity="Contact",
                    key=keys[i],
                    field="company_no",
                )
            if company["type"] != "company":
                raise ValidationError(
                    f"contact {no} is not a company",
                    entity="Contact",
                    key=keys[i],
                    field="company_no",
                )
        elif v.get("company_name"):
            text = v["company_name"]
            candidates = batch_by_name.get(text.lower()) or db_by_name.get(text.lower()) or []
            exact = [c for c in candidates if c.get("name") == text]
            candidates = exact or candidates
            if len(candidates) != 1 and len(values) == 1:
                candidates = [_get(session, resolve_company_no(session, text))]
            if not candidates:
                raise NotFoundError(
                    f"no company contact is named {text!r}",
                    entity="Contact",
                    key=keys[i],
                    field="company_name",
                )
            if len(candidates) > 1:
                raise ValidationError(
                    f"several companies are named {text!r}: give company_no instead",
                    entity="Contact",
                    key=keys[i],
                    field="company_name",
                )
            company = candidates[0]
        else:
            company = None
        result.append(company)
    return result


def _new_contact_preparer(
    flags: dict[str, bool], setup: dict, skip_defaults: bool
) -> Callable[[dict, dict | None, frozenset[str], Any], None]:
    """``prepare(row, company, explicit, key)`` filling one new contact's derived fields in place
    (§2.2 steps 2–3, §2.5.1, §2.6); the setup defaults and inherit flags are looked up once per
    batch, not per row."""
    inherit = make_inheritor(flags)
    defaults = (
        ()
        if skip_defaults
        else tuple(
            (field, setup[setup_key.split(".", 1)[1]] or _TEMPLATE[field])
            for field, setup_key in DEFAULT_KEYS.items()
        )
    )
    salutations = {kind: setup[k.split(".", 1)[1]] for kind, k in SALUTATION_KEYS.items()}
    references = tuple(REFERENCE_FIELDS)

    def prepare(row: dict, company: dict | None, explicit: frozenset[str], key: Any) -> None:
        no = row["no"]
        if row["type"] == "person":
            if company is not None:
                row["company_no"] = company["no"]
                row.update(inherit(row, company, None, explicit))
                row["contact_business_relation"] = (
                    company.get("contact_business_relation") or "none"
                )
            else:
                row["company_no"] = None
                row["company_name"] = ""
            parts = not explicit.isdisjoint(NAME_PARTS)
            if parts and "name" not in explicit:
                row["name"] = calculated_name(row["first_name"], row["middle_name"], row["surname"])
            elif row["name"] and not parts:
                row["first_name"], row["middle_name"], row["surname"] = name_breakdown(row["name"])
            row["lookup_contact_no"] = no
        else:
            if row.get("organizational_level_code"):
                raise ValidationError(
                    "must be blank for a company (only persons have one)",
                    entity="Contact",
                    key=key,
                    field="organizational_level_code",
                )
            row["company_no"] = no
            row["company_name"] = row["name"] or ""
            row["first_name"] = row["middle_name"] = row["surname"] = row["job_title"] = ""
            row["lookup_contact_no"] = ""
        if not skip_defaults:
            for field, default in defaults:
                if not row.get(field):
                    row[field] = default
            if not row.get("salutation_code"):
                row["salutation_code"] = salutations[row["type"]]
        for field in references:
            if not row.get(field):
                row[field] = None
        if not row.get("search_name"):
            row["search_name"] = (row["name"] or "").upper()[:100]
        row["search_email"] = (row["email"] or "").upper()
        if row["vat_registration_no"]:
            row["vat_registration_no"] = row["vat_registration_no"].upper()
        if row["minor"] or row["parental_consent_received"] or row["privacy_blocked"]:
            privacy = {k: row[k] for k in ("minor", "parental_consent_received") if row[k]}
            if "privacy_blocked" in explicit or row["privacy_blocked"]:
                privacy["privacy_blocked"] = row["privacy_blocked"]
            row.update(apply_privacy_rules(None, privacy, key=key))
        check_contact_fields(row, key=key)

    return prepare


def _check_references(session: Any, rows: list[dict], keys: Sequence[Any]) -> None:
    """Every referenced code exists (one query per code table); salespeople usable (§1.3).

    Also fills a blank Format Region from the language (§2.1).
    """
    for field, (table, label) in REFERENCE_FIELDS.items():
        wanted = set(map(methodcaller("get", field), rows))
        wanted.difference_update((None, ""))
        if not wanted:
            continue
        cols = [table.c.code]
        if field == "salesperson_code":
            cols += [table.c.privacy_blocked, table.c.blocked]
        if field == "language_code":
            cols.append(table.c.format_region)
        stmt = sa.select(*cols).where(_in(session, table.c.code, wanted))
        found = {r.code: r for r in session.execute(stmt)}
        for row, key in zip(rows, keys, strict=True):
            code = row.get(field)
            if not code:
                continue
            ref = found.get(code)
            if ref is None:
                raise ValidationError(
                    f"{label.lower()} {code!r} does not exist",
                    entity="Contact",
                    key=key,
                    field=field,
                )
            if field == "salesperson_code" and (ref.privacy_blocked or ref.blocked):
                why = "privacy blocked" if ref.privacy_blocked else "blocked"
                raise ValidationError(
                    f"salesperson {code!r} is {why} and cannot be used",
                    entity="Contact",
                    key=key,
                    field=field,
                )
            if field == "language_code" and not row.get("format_region") and ref.format_region:
                row["format_region"] = ref.format_region


# -- modify (§2.3, §2.4, §2.5) -----------------------------------------------------------------


def _get(session: Any, no: str) -> dict:
    return entities.get(session, ENTITY, no)


def modify_contact(session: Any, no: str, values: dict) -> dict:
    """Change a contact's fields with the rules of BC's Contact table (§2.1–§2.5).

    Applies, as needed: the type change rules (§2.4, other plugins may veto through
    ``relcore_contacts_check_type_change``), name breakdown/calculated name/search name (§2.6),
    a person's move to another company (§2.5.1: ``relcore_contacts_check_company_change``
    before, ``relcore_contacts_company_changed`` after, inheritance from the new company),
    e-mail/phone/VAT rules, privacy (§2.1), then propagates a company's changes to its persons
    (§2.5.2) and keeps the duplicate index (§2.10).

    :returns: the contact after the change.
    """
    no = str(no).strip().upper()
    old = entities.get(session, ENTITY, no, lock=True)
    values = dict(values)
    if "no" in values and str(values.pop("no")).strip().upper() != no:
        raise ValidationError("a contact cannot be renamed", entity="Contact", key=no, field="no")
    v = _coerce(values, no)
    explicit = frozenset(v)
    for field in (*REFERENCE_FIELDS, "company_no"):
        if field in v:
            v[field] = v[field] or None
    setup = _setup(session)
    new = {**old, **v}
    changes = dict(v)
    type_changed = "type" in v and v["type"] != old["type"]
    if type_changed:
        _type_change(session, old, new, changes, setup, explicit)
    _names(old, new, changes, explicit)
    moves = _company_change(session, old, new, changes, setup, explicit)
    _field_rules(session, old, new, changes, explicit)
    _primary_contact(session, new, changes, explicit)
    if new["type"] == "company" and new.get("organizational_level_code"):
        raise ValidationError(
            "must be blank for a company (only persons have one)",
            entity="Contact",
            key=no,
            field="organizational_level_code",
        )
    changed = {k: x for k, x in changes.items() if old.get(k) != x}
    if not changed:
        return old
    check = {f: new[f] for f in REFERENCE_FIELDS if f in changed and new[f]}
    if check:
        check["format_region"] = new.get("format_region")
        _check_references(session, [check], [no])
        new.update(check)
        changed.update({k: x for k, x in check.items() if old.get(k) != x})
    row = entities.update(session, ENTITY, no, changed)
    if old["type"] == "person" and old["company_no"] and row["company_no"] != old["company_no"]:
        clear_primary_contacts(session, [no])
    if old["type"] == "company" and row["type"] == "company":
        flags = {k.split(".", 1)[1]: bool(setup[k.split(".", 1)[1]]) for k in INHERIT_KEYS}
        propagate_company_change(session, old, row, flags)
        if any(f in changed for f in DUPLICATE_FIELDS):
            dupl_index.make(session, [no])
    if type_changed or moves:
        from relcore_contacts.relations import update_business_relation

        update_business_relation(session, [no])
    if type_changed:
        if row["type"] == "company":
            dupl_index.make(session, [no])
        else:
            dupl_index.remove(session, [no])
    if moves:
        _app(session).pm.hook.relcore_contacts_company_changed(session=session, moves=moves)
    return _get(session, no)


def change_type(session: Any, no: str, new_type: str) -> dict:
    """Make a contact a company or a person (§2.4); see :func:`modify_contact`."""
    return modify_contact(session, no, {"type": new_type})


def _count(session: Any, table: sa.Table, where: sa.ColumnElement[bool]) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(table).where(where)).scalar()


def _type_change(
    session: Any, old: dict, new: dict, changes: dict, setup: dict, explicit: frozenset[str]
) -> None:
    """BC ``TypeChange`` (§2.4): vetoes, checks, and the fields a new type implies."""
    no, new_type = old["no"], new["type"]
    _app(session).pm.hook.relcore_contacts_check_type_change(
        session=session, contacts=[old], new_type=new_type
    )

    def refuse(message: str, field: str | None = "type") -> None:
        raise ValidationError(message, entity="Contact", key=no, field=field)

    if new_type == "company":
        if new.get("organizational_level_code"):
            refuse(
                "must be blank before the contact becomes a company", "organizational_level_code"
            )
        jr = model.contact_job_responsibility
        if _count(session, jr, jr.c.contact_no == no):
            refuse("Type cannot be changed because the contact has job responsibilities.")
        updates = {p: "" for p in (*NAME_PARTS, "job_title")}
        updates.update(company_no=no, company_name=new["name"], lookup_contact_no="")
        if "salutation_code" not in explicit:
            updates["salutation_code"] = setup["def_company_salutation_code"] or None
    else:
        if _count(session, C, sa.and_(C.c.company_no == no, C.c.no != no)):
            refuse(
                "Type cannot be changed because there are one or more related people linked "
                "to the contact."
            )
        for table, what in (
            (model.contact_business_relation, "business relations"),
            (model.contact_industry_group, "industry groups"),
            (model.contact_web_source, "web sources"),
        ):
            if _count(session, table, table.c.contact_no == no):
                refuse(f"Type cannot be changed because the contact has {what}.")
        for field in ("currency_code", "vat_registration_no"):
            if new.get(field):
                refuse("must be blank before the contact becomes a person", field)
        updates = {"lookup_contact_no": no}
        if new.get("company_no") == no and "company_no" not in explicit:
            updates.update(company_no=None, company_name="")
        if "salutation_code" not in explicit:
            updates["salutation_code"] = setup["default_person_salutation_code"] or None
        if not explicit.intersection(NAME_PARTS):
            first, middle, surname = name_breakdown(new["name"])
            updates.update(first_name=first, middle_name=middle, surname=surname)
    changes.update(updates)
    new.update(updates)


def _names(old: dict, new: dict, changes: dict, explicit: frozenset[str]) -> None:
    """Name breakdown / calculated name, search name, a company's own Company Name (§2.6)."""
    if new["type"] == "person":
        parts = explicit.intersection(NAME_PARTS)
        if "name" in explicit and not parts:
            first, middle, surname = name_breakdown(new["name"])
            changes.update(first_name=first, middle_name=middle, surname=surname)
        elif parts and "name" not in explicit:
            changes["name"] = calculated_name(new["first_name"], new["middle_name"], new["surname"])
        new.update(changes)
    else:
        changes["company_name"] = new["name"]
        if new.get("company_no") != new["no"]:
            if "company_no" in explicit:
                raise ValidationError(
                    "a company's Company No. is its own number",
                    entity="Contact",
                    key=new["no"],
                    field="company_no",
                )
            changes["company_no"] = new["no"]
        new.update(changes)
    if new["name"] != old["name"] and "search_name" not in explicit:
        sn = search_name(new["name"], old["name"], old["search_name"])
        if sn is not None:
            changes["search_name"] = new["search_name"] = sn


def _company_change(
    session: Any, old: dict, new: dict, changes: dict, setup: dict, explicit: frozenset[str]
) -> list[tuple[str, str, str]]:
    """A person joining, leaving or changing company (§2.5.1); returns the move, if any."""
    if new["type"] != "person" or not explicit.intersection(("company_no", "company_name")):
        return []
    no = old["no"]
    old_company_no = old["company_no"] if old["type"] == "person" else None
    if "company_no" in explicit:
        target = new.get("company_no") or None
    else:
        text = new.get("company_name") or ""
        target = resolve_company_no(session, text) if text else None
    company = None
    if target:
        if target == no:
            raise ValidationError(
                "a person cannot be its own company", entity="Contact", key=no, field="company_no"
            )
        company = entities.find(session, ENTITY, target)
        if company is None:
            raise NotFoundError(
                f"company contact {target} does not exist",
                entity="Contact",
                key=no,
                field="company_no",
            )
        if company["type"] != "company":
            raise ValidationError(
                f"contact {target} is not a company", entity="Contact", key=no, field="company_no"
            )
    if target == old_company_no:
        changes["company_no"] = target
        changes["company_name"] = company["name"] if company else ""
        new.update(changes)
        return []
    _app(session).pm.hook.relcore_contacts_check_company_change(session=session, contact_nos=[no])
    updates: dict[str, Any] = {"company_no": target, "company_name": ""}
    if company is not None:
        previous = entities.find(session, ENTITY, old_company_no) if old_company_no else None
        flags = {k.split(".", 1)[1]: bool(setup[k.split(".", 1)[1]]) for k in INHERIT_KEYS}
        updates.update(inherit_company_to_person(new, company, previous, flags, explicit))
        updates["company_name"] = company["name"]
    changes.update(updates)
    new.update(updates)
    return [(no, old_company_no or "", target or "")]


def _primary_contact(session: Any, new: dict, changes: dict, explicit: frozenset[str]) -> None:
    """Primary Contact No. (BC Customer field 5049, mapped to ``primarycontactid``, §A5): a
    person of this company, or blank; a person has none."""
    no = new["no"]
    value = str(new.get("primary_contact_no") or "").strip().upper()
    if new["type"] != "company":
        if value and "primary_contact_no" in explicit:
            raise ValidationError(
                "only a company has a primary contact",
                entity="Contact",
                key=no,
                field="primary_contact_no",
            )
        value = ""
    if value and "primary_contact_no" in explicit:
        person = entities.find(session, ENTITY, value)
        if person is None or person["type"] != "person" or person["company_no"] != no:
            raise ValidationError(
                f"contact {value} is not a person of company {no}",
                entity="Contact",
                key=no,
                field="primary_contact_no",
            )
    changes["primary_contact_no"] = new["primary_contact_no"] = value


def clear_primary_contacts(session: Any, person_nos: Sequence[str]) -> int:
    """Blank the Primary Contact No. of companies whose primary contact is one of
    ``person_nos`` (the person left the company or is deleted); returns the companies changed."""
    if not person_nos:
        return 0
    return entities.update_where(
        session, ENTITY, C.c.primary_contact_no.in_(list(person_nos)), {"primary_contact_no": ""}
    )


def _field_rules(
    session: Any, old: dict, new: dict, changes: dict, explicit: frozenset[str]
) -> None:
    """E-mail, phones, VAT no., language → format region, country change, privacy (§2.1)."""
    no = old["no"]
    if "email" in changes:
        changes["search_email"] = (new.get("email") or "").upper()
    if changes.get("vat_registration_no"):
        changes["vat_registration_no"] = changes["vat_registration_no"].upper()
    if (
        "country_region_code" in explicit
        and old["country_region_code"]
        and new["country_region_code"] != old["country_region_code"]
    ):
        for field in ("post_code", "city", "county"):
            if field not in explicit:
                changes[field] = ""
    if "language_code" in explicit and new.get("language_code") and not new.get("format_region"):
        lang = entities.find(session, "contacts.language", new["language_code"])
        if lang is not None and lang["format_region"]:
            changes["format_region"] = lang["format_region"]
    privacy = {
        k: changes[k]
        for k in ("minor", "parental_consent_received", "privacy_blocked")
        if k in changes
    }
    if privacy:
        changes.update(apply_privacy_rules(old, privacy, key=no))
    new.update(changes)
    check_contact_fields({k: new.get(k) for k in changes}, key=no)


# -- resolving free text (§2.9) ----------------------------------------------------------------


def resolve_company_no(session: Any, text: str) -> str:
    """The company contact a text names (BC ``GetCompNo``, §2.9).

    Tries in turn: exact number, exact name, case-insensitive name, "starts with" on number or
    name, "contains" on number, name, city, phone no. or post code. The first step with exactly
    one match wins; several matches in a step are ambiguous.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            "give a company number or name", entity="Contact", field="company_name"
        )
    low = text.lower()
    like = low.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    companies = C.c.type == "company"
    steps = [
        C.c.no == text.upper(),
        C.c.name == text,
        sa.func.lower(C.c.name) == low,
        sa.or_(
            sa.func.lower(C.c.no).like(f"{like}%", escape="\\"),
            sa.func.lower(C.c.name).like(f"{like}%", escape="\\"),
        ),
        sa.or_(
            *(
                sa.func.lower(col).like(f"%{like}%", escape="\\")
                for col in (C.c.no, C.c.name, C.c.city, C.c.phone_no, C.c.post_code)
            )
        ),
    ]
    for where in steps:
        found = session.execute(
            sa.select(C.c.no, C.c.name).where(companies, where).order_by(C.c.no).limit(6)
        ).all()
        if len(found) == 1:
            return found[0].no
        if len(found) > 1:
            names = ", ".join(f"{r.no} {r.name}" for r in found[:5])
            raise ValidationError(
                f"{text!r} matches several companies ({names}); give the number",
                entity="Contact",
                field="company_name",
            )
    raise NotFoundError(
        f"no company contact matches {text!r}", entity="Contact", field="company_name"
    )


# -- delete (§2.7) -----------------------------------------------------------------------------

LINK_TABLES = (
    model.contact_business_relation,
    model.contact_industry_group,
    model.contact_mailing_group,
    model.contact_job_responsibility,
    model.contact_web_source,
    model.alt_address_date_range,
    model.alt_address,
    model.contact_profile_answer,
)


def delete_contacts(session: Any, nos: Sequence[str]) -> list[str]:
    """Delete contacts with BC's ``OnDelete`` rules (§2.7).

    A company's persons are deleted with it. Other plugins refuse or detach their rows through
    ``relcore_contacts_check_delete`` (given every row about to go). Then the contacts' link
    rows (business relations, industry/mailing groups, job responsibilities, web sources,
    alternative addresses and date ranges, profile answers) and duplicate index go, and the
    contacts themselves, in one statement.

    :returns: the numbers deleted (persons of deleted companies included).
    """
    wanted = list(dict.fromkeys(str(n).strip().upper() for n in nos))
    from relcore_contacts.lookups import get_contacts

    rows = get_contacts(session, wanted)
    companies = [no for no in wanted if rows[no]["type"] == "company"]
    all_rows = [rows[no] for no in wanted]
    if companies:
        persons = session.execute(
            sa.select(C)
            .where(C.c.company_no.in_(companies), C.c.type == "person", C.c.no.not_in(wanted))
            .order_by(C.c.no)
        ).all()
        all_rows += [dict(p._mapping) for p in persons]
    all_nos = [r["no"] for r in all_rows]
    _app(session).pm.hook.relcore_contacts_check_delete(session=session, contacts=all_rows)
    for table in LINK_TABLES:
        session.execute(sa.delete(table).where(table.c.contact_no.in_(all_nos)))
    dupl_index.remove(session, all_nos, always=True)
    clear_primary_contacts(session, all_nos)
    entities.delete(session, ENTITY, all_nos)
    return all_nos


# -- listing -----------------------------------------------------------------------------------


def list_contacts(
    session: Any,
    *,
    type: str | None = None,
    company_no: str | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Contacts in BC's grouped order (a company followed by its persons) (§2.1 keys).

    :param type: ``company`` or ``person``.
    :param company_no: a company and its persons.
    :param search: text contained in the number, name, search name, city or e-mail (any case).
    """
    stmt = sa.select(C)
    if type:
        stmt = stmt.where(C.c.type == type)
    if company_no:
        stmt = stmt.where(C.c.company_no == company_no.strip().upper())
    if search:
        low = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(
            sa.or_(
                *(
                    sa.func.lower(col).like(f"%{low}%", escape="\\")
                    for col in (C.c.no, C.c.name, C.c.search_name, C.c.city, C.c.email)
                )
            )
        )
    stmt = stmt.order_by(C.c.company_name, C.c.company_no, C.c.type, C.c.name, C.c.no)
    if limit:
        stmt = stmt.limit(limit)
    return [dict(r._mapping) for r in session.execute(stmt)]
