"""``relcore contacts duplicates|merge|erase``: duplicate detection, merging, personal data."""

from __future__ import annotations

import click

from relcore.cli.context import State, output, output_table, pass_state, table


def _pair_json(row: dict) -> dict:
    return {
        "contact_no": row["contact_no"],
        "duplicate_no": row["duplicate_contact_no"],
        "matching_strings": row["no_of_matching_strings"],
        "separate": bool(row["separate_contacts"]),
    }


@click.group("duplicates", invoke_without_command=True)
@click.option(
    "--regenerate",
    is_flag=True,
    help="Rebuild the index and all pairs for every company first (§2.10).",
)
@click.option("--contact", "contact_no", help="Only pairs of this contact.")
@pass_state
@click.pass_context
def duplicates_group(
    ctx: click.Context, state: State, regenerate: bool, contact_no: str | None
) -> None:
    """List duplicate contacts (§2.10); subcommands mark pairs and edit the search strings."""
    if ctx.invoked_subcommand is not None:
        return
    from relcore_contacts import duplicates

    with state.app.session() as session:
        done = duplicates.regenerate(session) if regenerate else None
        rows = duplicates.list_duplicates(session, contact_no.upper() if contact_no else None)
    data = [_pair_json(r) for r in rows]

    def human(console: object) -> None:
        if done is not None:
            click.echo(
                f"Index rebuilt: {done['search_strings']} search strings, "
                f"{done['duplicates']} new duplicate pairs."
            )
        console.print(
            table(
                "Duplicate contacts",
                ["contact", "name", "duplicate", "name", "matching strings", "separate"],
                [
                    [
                        r["contact_no"],
                        r["contact_name"],
                        r["duplicate_contact_no"],
                        r["duplicate_contact_name"],
                        r["no_of_matching_strings"],
                        "yes" if r["separate_contacts"] else "",
                    ]
                    for r in rows
                ],
            )
        )

    output(state, data, human=human)


@duplicates_group.command("separate")
@click.argument("contact_no")
@click.argument("duplicate_no")
@click.option("--undo", is_flag=True, help="Clear the mark again.")
@pass_state
def separate_command(state: State, contact_no: str, duplicate_no: str, undo: bool) -> None:
    """Mark CONTACT_NO and DUPLICATE_NO as separate contacts (kept through re-indexing)."""
    from relcore_contacts import duplicates

    with state.app.session() as session:
        row = duplicates.mark_separate(
            session, contact_no.upper(), duplicate_no.upper(), separate=not undo
        )
    verb = "no longer marked" if undo else "marked"
    output(
        state,
        _pair_json(row),
        human=f"{contact_no.upper()} and {duplicate_no.upper()} {verb} as separate contacts.",
    )


@duplicates_group.command("index")
@click.argument("contact_no")
@pass_state
def index_command(state: State, contact_no: str) -> None:
    """Show the search strings of a company contact."""
    from relcore_contacts import duplicates

    with state.app.session() as session:
        rows = duplicates.index_of(session, contact_no.upper())
    output_table(
        state,
        rows,
        f"Search strings of {contact_no.upper()}",
        {"field": "field_name", "part": "part_of_field", "string": "search_string"},
    )


@duplicates_group.group("setup", invoke_without_command=True)
@pass_state
@click.pass_context
def setup_group(ctx: click.Context, state: State) -> None:
    """Show the duplicate search-string setup (16 default lines), or change it."""
    if ctx.invoked_subcommand is not None:
        return
    from relcore_contacts import duplicates

    with state.app.session() as session:
        rows = duplicates.setup_lines(session)
        limit = duplicates.current_threshold(session, len(rows))
    output(
        state,
        rows,
        human=lambda c: (
            c.print(
                table(
                    "Duplicate search string setup",
                    ["field", "part", "length"],
                    [[r["field_name"], r["part_of_field"], r["length"]] for r in rows],
                )
            ),
            c.print(f"{len(rows)} lines; a pair needs {limit} matching strings."),
        ),
    )


@setup_group.command("set")
@click.argument("field_name")
@click.argument("part", type=click.Choice(["first", "last"]))
@click.option("--length", type=int, default=5, show_default=True, help="2..10 characters.")
@pass_state
def setup_set_command(state: State, field_name: str, part: str, length: int) -> None:
    """Add a setup line FIELD_NAME first|last, or change its length (then --regenerate)."""
    from relcore_contacts import duplicates

    with state.app.session() as session:
        row = duplicates.set_setup_line(session, field_name, part, length)
    output(
        state,
        row,
        human=f"{field_name} {part}: length {length}. "
        "Run 'relcore contacts duplicates --regenerate' to rebuild the index.",
    )


@setup_group.command("delete")
@click.argument("field_name")
@click.argument("part", type=click.Choice(["first", "last"]))
@pass_state
def setup_delete_command(state: State, field_name: str, part: str) -> None:
    """Delete a setup line and its search strings."""
    from relcore_contacts import duplicates

    with state.app.session() as session:
        n = duplicates.delete_setup_line(session, field_name, part)
    output(
        state,
        {"deleted": [{"field_name": field_name, "part": part}]},
        human=f"{field_name} {part} deleted with {n} search strings.",
    )


@click.command("merge")
@click.argument("survivor")
@click.argument("duplicate")
@click.option(
    "--take",
    "take",
    multiple=True,
    metavar="FIELD",
    help="Copy the duplicate's value of FIELD onto the survivor (repeatable).",
)
@click.option("--dry-run", is_flag=True, help="Report what would move; change nothing.")
@pass_state
def merge_command(
    state: State, survivor: str, duplicate: str, take: tuple[str, ...], dry_run: bool
) -> None:
    """Merge DUPLICATE into SURVIVOR: every plugin's rows move, then DUPLICATE is deleted."""
    from relcore_contacts import merge

    with state.app.session() as session:
        result = merge.merge(session, survivor, duplicate, list(take), dry_run=dry_run)

    def human(console: object) -> None:
        rows = [[tbl, n] for tbl, n in result["moved"].items() if n]
        console.print(
            table("Rows that would move" if dry_run else "Rows moved", ["table", "rows"], rows)
        )
        if result["taken"]:
            click.echo(f"Taken from {result['duplicate']}: {', '.join(result['taken'])}")
        click.echo(
            "Dry run: nothing changed."
            if dry_run
            else f"{result['duplicate']} merged into {result['survivor']} and deleted."
        )

    output(state, result, human=human)


@click.command("erase")
@click.argument("contact_no")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def erase_command(state: State, contact_no: str, yes: bool) -> None:
    """Erase a contact's personal data in every plugin and block it for privacy (GDPR)."""
    from relcore.errors import RelcoreError
    from relcore_contacts import erase

    no = contact_no.upper()
    if not yes and not click.confirm(
        f"Erase the personal data of contact {no} in every plugin? This cannot be undone",
        default=False,
        err=True,
    ):
        raise RelcoreError(f"contact {no}: personal data not erased (confirm, or add --yes)")
    with state.app.session() as session:
        result = erase.erase(session, [no])
    output(
        state,
        result,
        human=f"Personal data of {no} erased by: "
        f"{', '.join(result['plugins']) or 'no plugin'}; "
        "the contact is blocked for privacy.",
    )


def register(group: click.Group) -> None:
    """Add the duplicate, merge and erase commands to the ``contacts`` group."""
    group.add_command(duplicates_group)
    group.add_command(merge_command)
    group.add_command(erase_command)
