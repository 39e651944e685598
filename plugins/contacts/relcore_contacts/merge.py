"""Merging a duplicate contact into a survivor (the Merge Duplicate page, §2.10).

Every plugin moves its rows that point at the duplicate through the published hook
``relcore_contacts_merge`` (the contacts plugin's own link tables included, see
:func:`move_contact_rows`); chosen fields are copied from the duplicate; the duplicate is deleted.
Link rows that exist on both sides (same code) are deduplicated: the survivor's row stays.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import ValidationError
from relcore_contacts import model

_contact = model.contact

# (table, key columns besides contact_no) of rows moved from the duplicate to the survivor
LINK_TABLES: tuple[tuple[sa.Table, tuple[str, ...]], ...] = (
    (model.contact_business_relation, ("business_relation_code",)),
    (model.contact_industry_group, ("industry_group_code",)),
    (model.contact_mailing_group, ("mailing_group_code",)),
    (model.contact_job_responsibility, ("job_responsibility_code",)),
    (model.contact_web_source, ("web_source_code",)),
    (model.alt_address, ("code",)),
    (model.alt_address_date_range, ("starting_date",)),
    (model.contact_profile_answer, ("profile_questionnaire_code", "line_no")),
)

NOT_TAKEN = {
    "no",
    "type",
    "system_id",
    "created_at",
    "modified_at",
    "version",
    "no_series",
    "search_name",
    "contact_business_relation",
    "privacy_blocked",
    "lookup_contact_no",
}


def _count(session: Any, stmt: Any) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()


def _move_links(
    session: Any,
    table: sa.Table,
    keys: tuple[str, ...],
    survivor: str,
    duplicate: str,
    dry_run: bool,
) -> int:
    other = table.alias("o")
    clash = sa.exists().where(
        other.c.contact_no == survivor, *(other.c[k] == table.c[k] for k in keys)
    )
    movable = sa.and_(table.c.contact_no == duplicate, ~clash)
    if dry_run:
        return _count(session, sa.select(table.c.contact_no).where(movable))
    values: dict[str, Any] = {"contact_no": survivor}
    if table is model.contact_profile_answer:
        company = session.execute(
            sa.select(_contact.c.company_no).where(_contact.c.no == survivor)
        ).scalar()
        values["contact_company_no"] = company or ""
    moved = session.execute(sa.update(table).where(movable).values(**values)).rowcount
    session.execute(sa.delete(table).where(table.c.contact_no == duplicate))
    return moved


def _move_persons(session: Any, survivor: str, duplicate: str, dry_run: bool) -> int:
    where = sa.and_(_contact.c.company_no == duplicate, _contact.c.no != duplicate)
    if dry_run:
        return _count(session, sa.select(_contact.c.no).where(where))
    name = session.execute(sa.select(_contact.c.name).where(_contact.c.no == survivor)).scalar()
    return entities.update_where(
        session, "contacts.contact", where, {"company_no": survivor, "company_name": name or ""}
    )


def _move_primary_contact(session: Any, survivor: str, duplicate: str, dry_run: bool) -> int:
    """A company whose primary contact is the duplicate gets the survivor when the survivor is
    a person of that company (after the persons moved), else a blank Primary Contact No."""
    where = _contact.c.primary_contact_no == duplicate
    if dry_run:
        return _count(session, sa.select(_contact.c.no).where(where))
    company = session.execute(
        sa.select(_contact.c.company_no).where(
            _contact.c.no == survivor, _contact.c.type == "person"
        )
    ).scalar()
    moved = 0
    if company:
        moved = entities.update_where(
            session,
            "contacts.contact",
            sa.and_(where, _contact.c.no == company),
            {"primary_contact_no": survivor},
        )
    entities.update_where(session, "contacts.contact", where, {"primary_contact_no": ""})
    return moved


def _move_separated_pairs(session: Any, survivor: str, duplicate: str, dry_run: bool) -> int:
    """Pairs marked "separate contacts" follow the survivor; other pairs are re-computed."""
    d = model.contact_duplicate
    other_side = sa.case(
        (d.c.contact_no == duplicate, d.c.duplicate_contact_no), else_=d.c.contact_no
    )
    o = d.alias("o")
    known = sa.exists().where(
        sa.or_(
            sa.and_(o.c.contact_no == survivor, o.c.duplicate_contact_no == other_side),
            sa.and_(o.c.duplicate_contact_no == survivor, o.c.contact_no == other_side),
        )
    )
    movable = sa.and_(
        d.c.separate_contacts == sa.true(),
        sa.or_(d.c.contact_no == duplicate, d.c.duplicate_contact_no == duplicate),
        other_side != survivor,
        ~known,
    )
    rows = session.execute(sa.select(other_side.label("other")).where(movable)).scalars().all()
    if dry_run:
        return len(rows)
    if rows:
        session.execute(
            sa.insert(d),
            [
                {
                    "contact_no": survivor,
                    "duplicate_contact_no": other,
                    "separate_contacts": True,
                    "no_of_matching_strings": 0,
                }
                for other in rows
            ],
        )
    from relcore_contacts import duplicates

    duplicates.remove_index(session, [duplicate])
    return len(rows)


def move_contact_rows(session: Any, merges: list[tuple[str, str]], dry_run: bool) -> dict[str, int]:
    """The contacts plugin's part of a merge (its ``relcore_contacts_merge`` implementation):
    each ``(survivor_no, duplicate_no)`` pair's link rows, persons and separated pairs."""
    moved: Counter[str] = Counter()
    for survivor_no, duplicate_no in merges:
        for table, keys in LINK_TABLES:
            moved[table.name] += _move_links(
                session, table, keys, survivor_no, duplicate_no, dry_run
            )
        moved["contacts_contact (persons)"] += _move_persons(
            session, survivor_no, duplicate_no, dry_run
        )
        moved["contacts_contact (primary contact)"] += _move_primary_contact(
            session, survivor_no, duplicate_no, dry_run
        )
        moved[model.contact_duplicate.name] += _move_separated_pairs(
            session, survivor_no, duplicate_no, dry_run
        )
    return dict(moved)


def _check(session: Any, survivor_no: str, duplicate_no: str) -> tuple[dict, dict]:
    from relcore_contacts.lookups import get_contacts

    if survivor_no == duplicate_no:
        raise ValidationError("cannot be merged with itself", entity="Contact", key=survivor_no)
    rows = get_contacts(session, [survivor_no, duplicate_no])
    survivor, duplicate = rows[survivor_no], rows[duplicate_no]
    for row in (survivor, duplicate):
        if row["privacy_blocked"]:
            raise ValidationError(
                "is blocked due to privacy and cannot be merged",
                entity="Contact",
                key=row["no"],
                field="privacy_blocked",
            )
    if survivor["type"] != duplicate["type"]:
        raise ValidationError(
            f"is a {duplicate['type']} and cannot be merged into {survivor['type']} "
            f"{survivor_no}: change the type first",
            entity="Contact",
            key=duplicate_no,
            field="type",
        )
    if survivor["company_no"] == duplicate_no:
        raise ValidationError(
            f"is the company of {survivor_no} and cannot be merged into it",
            entity="Contact",
            key=duplicate_no,
            field="company_no",
        )
    return survivor, duplicate


def _taken_values(survivor: dict, duplicate: dict, take: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in take:
        field = field.strip().lower()
        if field not in _contact.c or field in NOT_TAKEN:
            raise ValidationError(
                "cannot be taken from the duplicate",
                entity="Contact",
                key=duplicate["no"],
                field=field,
            )
        if field == "company_no" and duplicate["company_no"] == survivor["no"]:
            continue
        values[field] = duplicate[field]
        if field == "company_no":
            values["company_name"] = duplicate["company_name"]
        if field == "name":
            values["search_name"] = duplicate["search_name"]
    return values


def _leftovers(session: Any, duplicate_no: str) -> list[str]:
    """Tables still pointing at the duplicate (a plugin without a merge hook)."""
    from relcore.db import metadata

    found = []
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is _contact.c.no and table is not _contact:
                n = _count(session, sa.select(fk.parent).where(fk.parent == duplicate_no))
                if n:
                    found.append(f"{table.name}.{fk.parent.name} ({n})")
    return found


def merge(
    session: Any,
    survivor_no: str,
    duplicate_no: str,
    take: list[str] | None = None,
    dry_run: bool = False,
) -> dict:
    """Merge ``duplicate_no`` into ``survivor_no``.

    :param take: fields whose value is copied from the duplicate onto the survivor.
    :param dry_run: report what would move, change nothing.
    :returns: ``{"survivor", "duplicate", "moved": {table: n}, "taken", "dry_run"}``.
    :raises ValidationError: merging a contact with itself, a company with a person, a
        privacy-blocked contact, or a person into its own company's place.
    """
    from relcore.app import app_of
    from relcore.plugins import sum_counts

    app = app_of(session)
    survivor_no, duplicate_no = survivor_no.upper(), duplicate_no.upper()
    survivor, duplicate = _check(session, survivor_no, duplicate_no)
    values = _taken_values(survivor, duplicate, list(take or []))
    moved = sum_counts(
        app.pm.hook.relcore_contacts_merge(
            session=session, merges=[(survivor_no, duplicate_no)], dry_run=dry_run
        )
    )
    if not dry_run:
        left = _leftovers(session, duplicate_no)
        if left:
            raise ValidationError(
                "still has rows no plugin moved: "
                + ", ".join(left)
                + " (their plugin does not implement relcore_contacts_merge)",
                entity="Contact",
                key=duplicate_no,
            )
        entities.delete(session, "contacts.contact", [duplicate_no])
        if values:
            _apply_taken(session, survivor_no, values)
        from relcore_contacts import dupl_index

        if survivor["type"] == "company":
            dupl_index.make(session, [survivor_no])
    return {
        "survivor": survivor_no,
        "duplicate": duplicate_no,
        "moved": moved,
        "taken": sorted(values),
        "dry_run": dry_run,
    }


def _apply_taken(session: Any, survivor_no: str, values: dict[str, Any]) -> None:
    """Copy the chosen values through the contact service (its rules apply)."""
    from relcore_contacts.contacts import modify_contact

    modify_contact(session, survivor_no, values)
