"""``relcore contacts KIND add|list|show|edit|delete`` for the twelve kinds of reference data.

One command factory serves every kind (salespeople, teams, territories, countries, languages,
salutations, business-relations, industry-groups, mailing-groups, job-responsibilities,
organizational-levels, web-sources); teams add members, salutations add formulas.
"""

from __future__ import annotations

import click

from relcore.cli.context import State, output, pass_state, record_table, table
from relcore.cli.fields_help import set_option

KINDS = (
    "salespeople",
    "teams",
    "territories",
    "countries",
    "languages",
    "salutations",
    "business-relations",
    "industry-groups",
    "mailing-groups",
    "job-responsibilities",
    "organizational-levels",
    "web-sources",
)
NAME_KINDS = ("salespeople", "teams", "territories", "countries", "languages")


def _pairs(pairs: tuple[str, ...]) -> dict:
    from relcore.fields import parse_assignments

    return parse_assignments(pairs)


def _settable(kind: str):
    """The fields ``--set`` may change for ``kind`` (read when help is shown)."""

    def columns() -> list:
        from relcore_contacts.reference import reference_kind

        return [c for c in reference_kind(kind).table.c if c.name != "code"]

    return columns


def _make_group(kind: str) -> click.Group:
    text_field = "name" if kind in NAME_KINDS else "description"
    # the option is named after the field it writes (issue #9: --description wrote name)
    text_option = click.option(
        f"--{text_field}", "text", default=None, help=f"The {text_field} (text)."
    )
    set_fields = set_option(_settable(kind), name="pairs")

    @click.group(kind)
    def group() -> None:
        pass

    group.help = f"Reference data: {kind.replace('-', ' ')} (§1.3)."

    @group.command("add")
    @click.argument("code")
    @text_option
    @set_fields
    @pass_state
    def add_cmd(state: State, code: str, text: str | None, pairs: tuple[str, ...]) -> None:
        """Add a code."""
        from relcore_contacts import reference

        with state.app.session() as session:
            reference.add(session, kind, code, text, _pairs(pairs))
            row = reference.show(session, kind, code)
        output(state, row, human=lambda c: c.print(record_table(row)))

    @group.command("list")
    @pass_state
    def list_cmd(state: State) -> None:
        """List the codes."""
        from relcore_contacts import reference

        with state.app.session() as session:
            rows = reference.list_codes(session, kind)
        cols = [k for k in (rows[0] if rows else {"code": 0, text_field: 0})][:6]
        output(
            state,
            rows,
            human=lambda c: c.print(
                table(
                    kind.replace("-", " ").capitalize(), cols, [[r[k] for k in cols] for r in rows]
                )
            ),
        )

    @group.command("show")
    @click.argument("code")
    @pass_state
    def show_cmd(state: State, code: str) -> None:
        """Show a code (with team members or salutation formulas)."""
        from relcore_contacts import reference

        with state.app.session() as session:
            row = reference.show(session, kind, code)
        output(state, row, human=lambda c: c.print(record_table(row)))

    @group.command("edit")
    @click.argument("code")
    @text_option
    @set_fields
    @pass_state
    def edit_cmd(state: State, code: str, text: str | None, pairs: tuple[str, ...]) -> None:
        """Change a code's fields."""
        from relcore_contacts import reference

        with state.app.session() as session:
            row = reference.edit(session, kind, code, text, _pairs(pairs))
        output(state, row, human=lambda c: c.print(record_table(row)))

    @group.command("delete")
    @click.argument("code")
    @pass_state
    def delete_cmd(state: State, code: str) -> None:
        """Delete a code (refused while it is in use)."""
        from relcore_contacts import reference

        with state.app.session() as session:
            reference.delete(session, kind, code)
        output(state, {"deleted": [{"code": code.upper()}]}, human=f"Deleted {code.upper()}.")

    if kind == "teams":
        _team_commands(group)
    if kind == "salutations":
        _formula_commands(group)
    return group


def _team_commands(group: click.Group) -> None:
    @group.group("members")
    def members() -> None:
        """The salespeople of a team."""

    @members.command("add")
    @click.argument("team")
    @click.argument("salesperson")
    @pass_state
    def add_member(state: State, team: str, salesperson: str) -> None:
        """Add a salesperson to a team."""
        from relcore_contacts import reference

        with state.app.session() as session:
            reference.add_team_member(session, team, salesperson)
            row = reference.show(session, "teams", team)
        output(state, row, human=lambda c: c.print(record_table(row)))

    @members.command("delete")
    @click.argument("team")
    @click.argument("salesperson")
    @pass_state
    def remove_member(state: State, team: str, salesperson: str) -> None:
        """Take a salesperson off a team."""
        from relcore_contacts import reference

        with state.app.session() as session:
            reference.remove_team_member(session, team, salesperson)
        key = {"team_code": team.upper(), "salesperson_code": salesperson.upper()}
        output(
            state,
            {"deleted": [key]},
            human=f"{key['salesperson_code']} taken off team {key['team_code']}.",
        )


def _formula_commands(group: click.Group) -> None:
    @group.group("formulas")
    def formulas() -> None:
        """The formal and informal salutation formulas of a salutation code, per language."""

    @formulas.command("set")
    @click.argument("code")
    @click.option(
        "--formal", "kind", flag_value="formal", default=True, help="The formal formula (default)."
    )
    @click.option("--informal", "kind", flag_value="informal", help="The informal formula.")
    @click.option("--language", default="", help="Language code (blank = no language).")
    @click.option("--text", required=True, help='The formula, e.g. "Dear %1 %2,".')
    @click.option(
        "--name",
        "names",
        multiple=True,
        help="What %1, %2, ... stand for, in order: first_name, middle_name, surname, "
        "initials, job_title, company_name.",
    )
    @pass_state
    def set_formula(
        state: State, code: str, kind: str, language: str, text: str, names: tuple[str, ...]
    ) -> None:
        """Create or replace the formal/informal salutation formula of a language (§2.6)."""
        from relcore_contacts import reference

        with state.app.session() as session:
            reference.set_salutation_formula(session, code, kind, text, names, language)
            row = reference.show(session, "salutations", code)
        output(state, row, human=lambda c: c.print(record_table(row)))

    @formulas.command("delete")
    @click.argument("code")
    @click.option(
        "--formal", "kind", flag_value="formal", default=True, help="The formal formula (default)."
    )
    @click.option("--informal", "kind", flag_value="informal", help="The informal formula.")
    @click.option("--language", default="", help="Language code (blank = no language).")
    @pass_state
    def delete_formula(state: State, code: str, kind: str, language: str) -> None:
        """Delete a salutation formula."""
        from relcore_contacts import reference

        with state.app.session() as session:
            reference.delete_salutation_formula(session, code, kind, language)
        key = {"salutation_code": code.upper(), "salutation_type": kind, "language_code": language}
        output(state, {"deleted": [key]}, human=f"Deleted the {kind} formula of {code.upper()}.")


def register(group: click.Group) -> None:
    """Add one command group per kind of reference data to ``relcore contacts``."""
    for kind in KINDS:
        group.add_command(_make_group(kind))
