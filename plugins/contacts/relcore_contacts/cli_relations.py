"""``relcore contacts assign|unassign|link|unlink``: classification codes and business
relations (§1.3, §3)."""

from __future__ import annotations

import click

from relcore.cli.context import State, output, pass_state

_CODE_OPTIONS = (
    ("business_relation", "--business-relation", "A business relation (companies only)."),
    ("industry_group", "--industry-group", "An industry group (companies only)."),
    ("mailing_group", "--mailing-group", "A mailing group."),
    ("job_responsibility", "--job-responsibility", "A job responsibility (persons only)."),
    ("web_source", "--web-source", "A web source (companies only)."),
)
_LINK_OPTIONS = (
    ("customer", "--customer"),
    ("vendor", "--vendor"),
    ("bank_account", "--bank-account"),
    ("employee", "--employee"),
)


def _one(no: str, given: dict[str, str | None], what: str) -> tuple[str, str]:
    chosen = [(k, v) for k, v in given.items() if v]
    if len(chosen) != 1:
        from relcore.errors import ValidationError

        raise ValidationError(f"give exactly one {what}", entity="Contact", key=no.upper())
    return chosen[0]


def _code_options(f: click.Command) -> click.Command:
    for dest, flag, help_text in reversed(_CODE_OPTIONS):
        f = click.option(flag, dest, default=None, metavar="CODE", help=help_text)(f)
    return f


def _codes_payload(session: object, no: str) -> dict:
    from relcore_contacts.memberships import codes_of

    return {"no": no.upper(), **codes_of(session, no)}


def _print_codes(payload: dict) -> str:
    return "\n".join(f"{k}: {', '.join(v) or '-'}" for k, v in payload.items() if k != "no")


@click.command("assign")
@click.argument("no")
@_code_options
@click.option("--search-word", default="", help="With --web-source: the word to search for.")
@pass_state
def assign_command(state: State, no: str, search_word: str, **codes: str | None) -> None:
    """Give contact NO a classification code (one option per call)."""
    from relcore_contacts import memberships, relations

    kind, code = _one(no, codes, "of " + ", ".join(f for _, f, _ in _CODE_OPTIONS))
    with state.app.session() as session:
        if kind == "business_relation":
            relations.assign_business_relation(session, no.strip().upper(), code)
        else:
            memberships.assign(session, no, kind, code, search_word)
        payload = _codes_payload(session, no)
    output(state, payload, human=_print_codes(payload))


@click.command("unassign")
@click.argument("no")
@_code_options
@pass_state
def unassign_command(state: State, no: str, **codes: str | None) -> None:
    """Remove a classification code from contact NO."""
    from relcore_contacts import memberships, relations

    kind, code = _one(no, codes, "of " + ", ".join(f for _, f, _ in _CODE_OPTIONS))
    with state.app.session() as session:
        if kind == "business_relation":
            relations.unassign_business_relation(session, no.strip().upper(), code)
        else:
            memberships.unassign(session, no, kind, code)
        payload = _codes_payload(session, no)
    output(state, payload, human=_print_codes(payload))


def _link_options(f: click.Command, with_value: bool) -> click.Command:
    for dest, flag in reversed(_LINK_OPTIONS):
        if with_value:
            f = click.option(
                flag,
                dest,
                default=None,
                metavar="NO",
                help=f"Link with this {dest.replace('_', ' ')}.",
            )(f)
        else:
            f = click.option(
                flag,
                dest,
                is_flag=True,
                default=False,
                help=f"Remove the {dest.replace('_', ' ')} link.",
            )(f)
    return f


@click.command("link")
@click.argument("no")
@click.option(
    "--create",
    type=click.Choice([k for k, _ in _LINK_OPTIONS]),
    default=None,
    help="Create the record through the installed ERP connector instead.",
)
@pass_state
def link_command(state: State, no: str, create: str | None, **links: str | None) -> None:
    """Link contact NO with a customer, vendor, bank account or employee (§3.2)."""
    from relcore_contacts.relations import link

    if create:
        kind, number = create, None
        if any(links.values()):
            from relcore.errors import ValidationError

            raise ValidationError(
                "give either --create or a number", entity="Contact", key=no.upper()
            )
    else:
        kind, number = _one(no, links, "of --customer, --vendor, --bank-account, --employee")
    with state.app.session() as session:
        row = link(session, no.strip().upper(), kind, number)
    output(
        state,
        row,
        human=f"Contact {row['contact_no']} is linked with "
        f"{kind.replace('_', ' ')} {row['link_no']} "
        f"(business relation {row['business_relation_code']}).",
    )


@click.command("unlink")
@click.argument("no")
@pass_state
def unlink_command(state: State, no: str, **flags: bool) -> None:
    """Remove the link of contact NO with a customer, vendor, bank account or employee."""
    from relcore_contacts.relations import unlink

    kind, _ = _one(
        no,
        {k: ("x" if v else None) for k, v in flags.items()},
        "of --customer, --vendor, --bank-account, --employee",
    )
    with state.app.session() as session:
        row = unlink(session, no.strip().upper(), kind)
    output(
        state,
        row,
        human=f"Removed the link of contact {row['contact_no']} with "
        f"{kind.replace('_', ' ')} {row['link_no']}.",
    )


link_command = _link_options(link_command, True)
unlink_command = _link_options(unlink_command, False)


def register(group: click.Group) -> None:
    """Add the classification and link commands to ``relcore contacts``."""
    for command in (assign_command, unassign_command, link_command, unlink_command):
        group.add_command(command)
