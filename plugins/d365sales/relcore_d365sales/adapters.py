"""Local adapters: how a mapping reads and writes the relcore records it covers.

Each adapter is built per session (``Adapter(session)``) and offers, set-based:

* ``select(since=None, keys=None)`` — the records inside the mapping's local filter, as dicts with
  ``key``, ``modified_at`` and the mapped fields (``since``: modified at or after; ``keys``: these);
* ``existing(keys)`` — which keys exist at all (a missing one was deleted: §A8.2);
* ``insert(rows)`` / ``update(key, values)`` — writes through the owning plugin's public API, so
  numbering, inheritance and validation apply; both return the new ``modified_at`` values;
* ``columns`` — the local columns by field name (for type normalisation);
* ``update_with_dv`` (optional, default false) — ``update`` also receives the Dataverse row as
  ``values["_dv"]`` (as ``insert`` always does), e.g. to read a status reason.

Writes of contacts go through ``relcore_contacts.api`` (``insert_contacts``, ``modify_contact``);
salespeople, which that API does not cover, through :mod:`relcore.entities`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import ValidationError

CHUNK = 500


def _chunks(values: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _business_relation_table() -> sa.Table:
    """The contact business relation table (read only)."""
    from relcore_contacts.api import business_relation_table

    return business_relation_table


class _Adapter:
    """Shared select logic: a base statement plus key/modified filters, read in chunks."""

    label = "Record"
    key_column = "no"
    fields: tuple[str, ...] = ()

    def __init__(self, session: Any) -> None:
        self.session = session

    def base(self) -> sa.Select[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def table(self) -> sa.Table:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def columns(self) -> dict[str, sa.Column[Any]]:
        """The local columns by field name."""
        return {f: self.table.c[f] for f in self.fields if f in self.table.c}

    def select(self, *, since: Any = None, keys: Iterable[str] | None = None) -> list[dict]:
        """Records inside the filter: all, modified at/after ``since``, or with these keys."""
        stmt = self.base()
        key_col = self.table.c[self.key_column]
        if since is not None:
            stmt = stmt.where(self.table.c.modified_at >= since)
        if keys is None:
            return [dict(r._mapping) for r in self.session.execute(stmt.order_by(key_col))]
        rows: list[dict] = []
        for chunk in _chunks(sorted(set(keys))):
            rows += [dict(r._mapping) for r in self.session.execute(stmt.where(key_col.in_(chunk)))]
        return rows

    def existing(self, keys: Iterable[str]) -> set[str]:
        """Which of these keys exist (inside the filter or not)."""
        key_col = self.table.c[self.key_column]
        found: set[str] = set()
        for chunk in _chunks(sorted(set(keys))):
            found |= {
                r[0] for r in self.session.execute(sa.select(key_col).where(key_col.in_(chunk)))
            }
        return found


class SalespersonAdapter(_Adapter):
    """Salespeople (``contacts.salesperson``), all of them (mapping SALESPEOPLE, §A13)."""

    label = "Salesperson"
    key_column = "code"
    fields = ("name", "email", "phone_no")

    @property
    def table(self) -> sa.Table:
        from relcore_contacts.api import salesperson_table

        return salesperson_table

    def base(self) -> sa.Select[Any]:
        t = self.table
        return sa.select(t.c.code.label("key"), t.c.modified_at, *(t.c[f] for f in self.fields))

    def insert(self, rows: list[dict]) -> list[tuple[str, Any]]:
        """Create salespeople; the code is made from the user's initials (``AL``, ``AL2``…)."""
        t = self.table
        taken = {r[0] for r in self.session.execute(sa.select(t.c.code))}
        out = []
        for row in rows:
            code = _initials_code(row.get("name") or row.get("email") or "USER", taken)
            taken.add(code)
            out.append({"code": code, **{f: row.get(f) or "" for f in self.fields}})
        written = entities.insert(self.session, "contacts.salesperson", out)
        return [(w["code"], w["modified_at"]) for w in written]

    def update(self, key: str, values: dict) -> Any:
        """Change a salesperson's fields; returns the new ``modified_at``."""
        return entities.update(self.session, "contacts.salesperson", key, values)["modified_at"]


def _initials_code(name: str, taken: set[str]) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]
    base = "".join(w[0] for w in words).upper()[:8] or "SP"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}{n}"
    return code


_CONTACT_FIELDS = (
    "name",
    "first_name",
    "middle_name",
    "surname",
    "job_title",
    "company_no",
    "address",
    "address_2",
    "post_code",
    "city",
    "county",
    "country_region_code",
    "phone_no",
    "mobile_phone_no",
    "fax_no",
    "pager",
    "email",
    "home_page",
    "salesperson_code",
    "currency_code",
    "primary_contact_no",
    "type",
)


class _ContactAdapter(_Adapter):
    label = "Contact"
    fields = _CONTACT_FIELDS

    @property
    def table(self) -> sa.Table:
        from relcore_contacts.api import contact_table

        return contact_table

    def update(self, key: str, values: dict) -> Any:
        """Change a contact through contacts' API (all of §2.3–§2.5 applies)."""
        from relcore_contacts.api import modify_contact

        values = {k: v for k, v in values.items() if k in self.table.c and k != "no"}
        return modify_contact(self.session, key, values)["modified_at"]

    def _customer_links(self) -> sa.Subquery:
        r = _business_relation_table()
        return (
            sa.select(r.c.contact_no, sa.func.max(r.c.link_no).label("customer_no"))
            .where(r.c.link_to_table == "customer", r.c.link_no != "")
            .group_by(r.c.contact_no)
            .subquery("customer_link")
        )


class CustomerAdapter(_ContactAdapter):
    """Company contacts linked to a customer (mapping CUSTOMER ↔ accounts, §D4)."""

    fields = (*_CONTACT_FIELDS, "customer_no")

    @property
    def columns(self) -> dict[str, sa.Column[Any]]:
        cols = super().columns
        cols["customer_no"] = _business_relation_table().c.link_no
        return cols

    def base(self) -> sa.Select[Any]:
        c = self.table
        link = self._customer_links()
        return (
            sa.select(
                c.c.no.label("key"),
                c.c.modified_at,
                *(c.c[f] for f in _CONTACT_FIELDS),
                link.c.customer_no,
            )
            .join(link, link.c.contact_no == c.c.no)
            .where(c.c.type == "company")
        )

    def insert(self, rows: list[dict]) -> list[tuple[str, Any]]:
        """Create company contacts and link each with a customer (the account number, else the
        new contact's number) (§3.2)."""
        from relcore_contacts.api import insert_contacts

        clean = [
            {k: v for k, v in r.items() if k in self.table.c and k != "no"} | {"type": "company"}
            for r in rows
        ]
        written = insert_contacts(self.session, clean)
        out = []
        for row, w in zip(rows, written, strict=True):
            number = row.get("customer_no") or (row.get("_dv") or {}).get("accountnumber")
            _link_customer(self.session, w["no"], number or w["no"])
            out.append((w["no"], self.select(keys=[w["no"]])[0]["modified_at"]))
        return out


def _link_customer(session: Any, contact_no: str, customer_no: str) -> None:
    """Link a company contact with a customer number (contacts' ``link``)."""
    from relcore_contacts.api import link

    try:
        link(session, contact_no, "customer", customer_no)
    except ValidationError as exc:
        raise ValidationError(
            f"cannot link it with customer {customer_no}: {exc}", entity="Contact", key=contact_no
        ) from None


class PersonAdapter(_ContactAdapter):
    """Person contacts whose company is linked to a customer (mapping CONTACT ↔ contacts, §D4).

    BC's filter is "Type = Person and Company No. <> ''"; persons of companies that are not
    customers could never get a parent account, so they are left out instead of failing.
    """

    def base(self) -> sa.Select[Any]:
        c = self.table
        link = self._customer_links()
        return (
            sa.select(c.c.no.label("key"), c.c.modified_at, *(c.c[f] for f in _CONTACT_FIELDS))
            .join(link, link.c.contact_no == c.c.company_no)
            .where(c.c.type == "person")
        )

    def insert(self, rows: list[dict]) -> list[tuple[str, Any]]:
        """Create person contacts in one batch (inheritance from the company applies)."""
        from relcore_contacts.api import insert_contacts

        clean = [
            {k: v for k, v in r.items() if k in self.table.c and k != "no"} | {"type": "person"}
            for r in rows
        ]
        written = insert_contacts(self.session, clean)
        return [(w["no"], w["modified_at"]) for w in written]


class CurrencyAdapter(_ContactAdapter):
    """The currency codes used by customer companies (mapping CURRENCY → transactioncurrencies,
    §A15): one record per non-blank code, ``modified_at`` = the latest change of a company using
    it. Read-only: CURRENCY never writes locally."""

    label = "Currency"
    key_column = "currency_code"
    fields = ("currency_code",)

    def base(self) -> sa.Select[Any]:
        c = self.table
        link = self._customer_links()
        return (
            sa.select(
                c.c.currency_code.label("key"),
                sa.func.max(c.c.modified_at).label("modified_at"),
                c.c.currency_code,
            )
            .join(link, link.c.contact_no == c.c.no)
            .where(c.c.type == "company", c.c.currency_code != "")
            .group_by(c.c.currency_code)
        )

    def select(self, *, since: Any = None, keys: Iterable[str] | None = None) -> list[dict]:
        """The codes in use: all, those of companies changed at/after ``since``, or these."""
        stmt = self.base()
        if since is not None:
            stmt = stmt.having(sa.func.max(self.table.c.modified_at) >= since)
        if keys is not None:
            stmt = stmt.where(self.table.c.currency_code.in_(sorted(set(keys))))
        return [dict(r._mapping) for r in self.session.execute(stmt.order_by("key"))]
