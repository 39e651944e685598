"""``relcore contacts add|edit|show|list|delete|salutation|alt-address|date-range``.

With the global ``--json``, ``add``/``edit``/``show`` print the contact as one JSON object (keys
are the snake_case field names) and ``list`` prints a list of them.
"""

from __future__ import annotations

import datetime as dt

import click

from relcore.cli.context import DATE, State, output, pass_state, record_table, table
from relcore.cli.fields_help import columns, set_option

CONTACT_FIELDS = columns(
    "relcore_contacts.model:contact",
    exclude=("no", "lookup_contact_no", "contact_business_relation", "search_email", "no_series"),
)
ALT_ADDRESS_FIELDS = columns("relcore_contacts.model:alt_address", exclude=("contact_no", "code"))

LIST_COLUMNS = [
    "no",
    "type",
    "name",
    "company_name",
    "city",
    "phone_no",
    "email",
    "salesperson_code",
]


def _assignments(pairs: tuple[str, ...]) -> dict:
    from relcore.fields import parse_assignments

    return parse_assignments(pairs)


def _show_contact(
    state: State, row: dict, extra: dict | None = None, duplicates: list[dict] | None = None
) -> None:
    data = row if duplicates is None else {**row, "duplicates": duplicates}

    def human(console: object) -> None:
        console.print(record_table(row, title=f"Contact {row['no']} {row['name']}"))
        for kind, codes in (extra or {}).items():
            if codes:
                console.print(f"{_plural(kind)}: {', '.join(codes)}", markup=False)
        if duplicates:
            console.print(
                table(
                    "Duplicate contacts were found (relcore contacts duplicates)",
                    ["contact", "name", "duplicate", "duplicate name", "matching strings"],
                    [
                        [
                            d["contact_no"],
                            d["contact_name"],
                            d["duplicate_contact_no"],
                            d["duplicate_contact_name"],
                            d["no_of_matching_strings"],
                        ]
                        for d in duplicates
                    ],
                )
            )

    output(state, data, human=human)


def _plural(kind: str) -> str:
    """``job_responsibility`` → "job responsibilities": the plural the entity declares."""
    from relcore.entities import plural_of

    return plural_of(kind.replace("_", " "))


def _found_duplicates(session: object, row: dict) -> list[dict] | None:
    """§2.10 ``CheckDuplicates`` in the shell (BC's notification): with Autosearch for
    Duplicates on, a company's non-separated duplicates; None when autosearch is off."""
    from relcore.app import app_of
    from relcore_contacts.duplicates import list_duplicates

    if not app_of(session).setup.get(session, "contacts.autosearch_for_duplicates"):
        return None
    if row["type"] != "company":
        return []
    return [d for d in list_duplicates(session, row["no"]) if not d["separate_contacts"]]


@click.command("add")
@click.option(
    "--type",
    "type_",
    type=click.Choice(["company", "person"]),
    default="company",
    show_default=True,
    help="Company or person.",
)
@click.option("--name", required=True, help="The name (a person's is split into its parts).")
@click.option("--no", "no", default=None, help="A manual number (the series must allow it).")
@click.option("--company-no", default=None, help="A person's company.")
@set_option(CONTACT_FIELDS, "Any other field, e.g. --set city=Oslo.", "pairs")
@pass_state
def add_command(
    state: State,
    type_: str,
    name: str,
    no: str | None,
    company_no: str | None,
    pairs: tuple[str, ...],
) -> None:
    """Add a contact: setup defaults, company inheritance and name rules apply (§2.2)."""
    from relcore_contacts.contacts import insert_contact

    values = _assignments(pairs)
    values.update(type=type_, name=name)
    if no:
        values["no"] = no
    if company_no:
        values["company_no"] = company_no
    with state.app.session() as session:
        row = insert_contact(session, values)
        duplicates = _found_duplicates(session, row)
    _show_contact(state, row, duplicates=duplicates)


@click.command("edit")
@click.argument("no")
@set_option(CONTACT_FIELDS, "Fields to change; repeat for several.", "pairs", required=True)
@pass_state
def edit_command(state: State, no: str, pairs: tuple[str, ...]) -> None:
    """Change a contact's fields (type change, company change and inheritance rules apply)."""
    from relcore_contacts.contacts import modify_contact

    with state.app.session() as session:
        row = modify_contact(session, no, _assignments(pairs))
        duplicates = _found_duplicates(session, row)
    _show_contact(state, row, duplicates=duplicates)


@click.command("show")
@click.argument("no")
@pass_state
def show_command(state: State, no: str) -> None:
    """Show a contact (and, on screen, its classification codes)."""
    from relcore_contacts.lookups import get_contact
    from relcore_contacts.memberships import codes_of

    with state.app.session() as session:
        row = get_contact(session, no.strip().upper())
        codes = {} if state.json else codes_of(session, row["no"])
    _show_contact(state, row, codes)


@click.command("list")
@click.option(
    "--type",
    "type_",
    type=click.Choice(["company", "person"]),
    default=None,
    help="Only companies or only persons.",
)
@click.option("--company-no", default=None, help="A company and its persons.")
@click.option("--search", default=None, help="Text in the number, name, city or e-mail.")
@click.option("--limit", type=int, default=None, help="At most this many contacts.")
@pass_state
def list_command(
    state: State, type_: str | None, company_no: str | None, search: str | None, limit: int | None
) -> None:
    """List contacts, each company followed by its persons."""
    from relcore_contacts.contacts import list_contacts

    with state.app.session() as session:
        rows = list_contacts(session, type=type_, company_no=company_no, search=search, limit=limit)
    output(
        state,
        rows,
        human=lambda c: c.print(
            table(
                f"Contacts ({len(rows)})",
                LIST_COLUMNS,
                [
                    [
                        ("" if r["type"] == "company" else "  ") + r["no"] if k == "no" else r[k]
                        for k in LIST_COLUMNS
                    ]
                    for r in rows
                ],
            )
        ),
    )


@click.command("delete")
@click.argument("no")
@pass_state
def delete_command(state: State, no: str) -> None:
    """Delete a contact (a company with its persons) and its links (§2.7)."""
    from relcore_contacts.contacts import delete_contacts

    with state.app.session() as session:
        deleted = delete_contacts(session, [no])
    output(state, {"deleted": [{"no": n} for n in deleted]}, human=f"Deleted {', '.join(deleted)}.")


@click.command("salutation")
@click.argument("no")
@click.option("--formal", "kind", flag_value="formal", default=True, help="Formal (default).")
@click.option("--informal", "kind", flag_value="informal", help="Informal.")
@click.option("--language", default=None, help="Language code (default: the contact's).")
@pass_state
def salutation_command(state: State, no: str, kind: str, language: str | None) -> None:
    """Print the contact's salutation from its salutation formula (§2.6)."""
    from relcore_contacts.salutations import salutation_text

    with state.app.session() as session:
        text = salutation_text(session, no.strip().upper(), kind, language)
    output(
        state, {"no": no.strip().upper(), "salutation_type": kind, "salutation": text}, human=text
    )


# -- alternative addresses (§2.8) --------------------------------------------------------------


@click.group("alt-address")
def alt_address_group() -> None:
    """Alternative addresses of a contact, and when they apply (§2.8)."""


@alt_address_group.command("add")
@click.argument("no")
@click.argument("code")
@set_option(ALT_ADDRESS_FIELDS, "Address fields; repeat for several.", "pairs")
@pass_state
def alt_add_command(state: State, no: str, code: str, pairs: tuple[str, ...]) -> None:
    """Add the alternative address CODE to contact NO."""
    from relcore_contacts.alt_addresses import add_alt_address

    with state.app.session() as session:
        row = add_alt_address(session, no, code, _assignments(pairs))
    output(state, row, human=lambda c: c.print(record_table(row)))


@alt_address_group.command("list")
@click.argument("no")
@pass_state
def alt_list_command(state: State, no: str) -> None:
    """List a contact's alternative addresses and date ranges."""
    from relcore_contacts.alt_addresses import list_alt_addresses, list_date_ranges

    with state.app.session() as session:
        rows = list_alt_addresses(session, no)
        ranges = list_date_ranges(session, no)

    def human(c: object) -> None:
        c.print(
            table(
                f"Alternative addresses of {no.upper()}",
                ["code", "address", "city", "post_code", "country", "phone_no", "email"],
                [
                    [
                        r["code"],
                        r["address"],
                        r["city"],
                        r["post_code"],
                        r["country_region_code"],
                        r["phone_no"],
                        r["email"],
                    ]
                    for r in rows
                ],
            )
        )
        c.print(
            table(
                "Date ranges",
                ["starting_date", "ending_date", "code"],
                [
                    [r["starting_date"], r["ending_date"], r["contact_alt_address_code"]]
                    for r in ranges
                ],
            )
        )

    output(state, rows, human=human)


@alt_address_group.command("delete")
@click.argument("no")
@click.argument("code")
@pass_state
def alt_delete_command(state: State, no: str, code: str) -> None:
    """Delete an alternative address (and its date ranges)."""
    from relcore_contacts.alt_addresses import delete_alt_address

    with state.app.session() as session:
        delete_alt_address(session, no, code)
    output(
        state,
        {"deleted": [{"contact_no": no.upper(), "code": code.upper()}]},
        human=f"Deleted alternative address {code.upper()}.",
    )


@alt_address_group.command("active")
@click.argument("no")
@click.option("--date", "date_", type=DATE, default=None, help="Default: the work date.")
@pass_state
def alt_active_command(state: State, no: str, date_: dt.date | None) -> None:
    """Show the alternative address active on a date ('' = the contact's own address)."""
    from relcore_contacts.alt_addresses import active_alt_address

    day = date_ or state.app.work_date
    with state.app.session() as session:
        code = active_alt_address(session, no, day)
    output(
        state,
        {"no": no.upper(), "date": day, "alt_address_code": code},
        human=code or "(none: the contact's own address)",
    )


@click.group("date-range")
def date_range_group() -> None:
    """Date ranges in which an alternative address applies (§2.8)."""


@date_range_group.command("add")
@click.argument("no")
@click.argument("code")
@click.option(
    "--starting-date", "--from", "start", type=DATE, required=True, help="The first day it applies."
)
@click.option("--ending-date", "--to", "end", type=DATE, default=None, help="Blank = open-ended.")
@pass_state
def range_add_command(state: State, no: str, code: str, start: object, end: object) -> None:
    """Use alternative address CODE of contact NO from a starting date (to an ending date)."""
    from relcore_contacts.alt_addresses import add_date_range

    with state.app.session() as session:
        row = add_date_range(session, no, code, start, end)
    output(state, row, human=lambda c: c.print(record_table(row)))


@date_range_group.command("delete")
@click.argument("no")
@click.argument("starting_date", type=DATE)
@pass_state
def range_delete_command(state: State, no: str, starting_date: dt.date) -> None:
    """Delete the date range starting on STARTING_DATE."""
    from relcore_contacts.alt_addresses import delete_date_range

    with state.app.session() as session:
        delete_date_range(session, no, starting_date)
    output(
        state,
        {"deleted": [{"contact_no": no.upper(), "starting_date": starting_date}]},
        human="Deleted.",
    )


alt_address_group.add_command(date_range_group)


def register(group: click.Group) -> None:
    """Add the contact commands to ``relcore contacts``."""
    for command in (
        add_command,
        edit_command,
        show_command,
        list_command,
        delete_command,
        salutation_command,
        alt_address_group,
    ):
        group.add_command(command)
