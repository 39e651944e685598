"""``relcore contacts profiles ...``: profile questionnaires, answers, classification (§2.11)."""

from __future__ import annotations

import click

from relcore.cli.context import State, output, output_table, pass_state, record_table, table
from relcore.cli.fields_help import columns, set_option

_LINE_FIELDS = (
    "description",
    "multiple_answers",
    "auto_contact_classification",
    "customer_class_field",
    "vendor_class_field",
    "contact_class_field",
    "starting_date_formula",
    "ending_date_formula",
    "classification_method",
    "sorting_method",
    "from_value",
    "to_value",
    "priority",
    "no_of_decimals",
    "min_pct_questions_answered",
)


def _line_values(code: str, line_no: int | None, pairs: tuple[str, ...]) -> dict:
    from relcore.fields import coerce_values, parse_assignments
    from relcore_contacts import model

    return coerce_values(
        model.profile_questionnaire_line,
        parse_assignments(pairs),
        entity="Profile Questionnaire Line",
        key=f"{code} {line_no}" if line_no else code,
        allowed=_LINE_FIELDS,
    )


_HEADER_FIELDS = ("description", "contact_type", "business_relation_code", "priority")
HEADER_SOURCE = columns("relcore_contacts.model:profile_questionnaire", _HEADER_FIELDS)
LINE_SOURCE = columns("relcore_contacts.model:profile_questionnaire_line", _LINE_FIELDS)


def _header_values(code: str, pairs: tuple[str, ...]) -> dict:
    from relcore.fields import coerce_values, parse_assignments
    from relcore_contacts import model

    return coerce_values(
        model.profile_questionnaire,
        parse_assignments(pairs),
        entity="Profile Questionnaire",
        key=code,
        allowed=_HEADER_FIELDS,
    )


def _lines_table(code: str, rows: list[dict]) -> object:
    return table(
        f"Profile questionnaire {code}",
        ["line", "type", "description", "from", "to", "class field", "method", "auto"],
        [
            [
                r["line_no"],
                r["type"],
                ("" if r["type"] == "question" else "  ") + r["description"],
                r["from_value"] or "",
                r["to_value"] or "",
                r["customer_class_field"] or r["vendor_class_field"] or r["contact_class_field"],
                r["classification_method"],
                "yes" if r["auto_contact_classification"] else "",
            ]
            for r in rows
        ],
    )


@click.group("profiles")
def profiles_group() -> None:
    """Profile questionnaires: questions, answers, ratings and classification (§2.11)."""


@profiles_group.command("add")
@click.argument("code")
@click.option("--description", required=True, help="What the questionnaire is for.")
@set_option(HEADER_SOURCE, "Questionnaire fields; repeat for several.", "pairs")
@pass_state
def add_command(state: State, code: str, description: str, pairs: tuple[str, ...]) -> None:
    """Create the questionnaire CODE."""
    from relcore_contacts import profiles

    with state.app.session() as session:
        row = profiles.add_questionnaire(
            session, code.upper(), description, **_header_values(code.upper(), pairs)
        )
    output(state, row, human=f"Profile questionnaire {row['code']} created.")


@profiles_group.command("edit")
@click.argument("code")
@set_option(HEADER_SOURCE, "Questionnaire fields; repeat for several.", "pairs", required=True)
@pass_state
def modify_command(state: State, code: str, pairs: tuple[str, ...]) -> None:
    """Change a questionnaire (a new priority is copied onto its answers)."""
    from relcore_contacts import profiles

    with state.app.session() as session:
        row = profiles.modify_questionnaire(
            session, code.upper(), _header_values(code.upper(), pairs)
        )
    output(state, row, human=lambda c: c.print(record_table(row)))


@profiles_group.command("delete")
@click.argument("code")
@pass_state
def delete_command(state: State, code: str) -> None:
    """Delete a questionnaire with its lines and answers."""
    from relcore_contacts import profiles

    with state.app.session() as session:
        profiles.delete_questionnaire(session, code.upper())
    output(
        state,
        {"deleted": [{"code": code.upper()}]},
        human=f"Profile questionnaire {code.upper()} deleted.",
    )


@profiles_group.command("list")
@pass_state
def list_command(state: State) -> None:
    """List the questionnaires."""
    import sqlalchemy as sa

    from relcore_contacts import model

    t = model.profile_questionnaire
    with state.app.session() as session:
        rows = [
            dict(r._mapping)
            for r in session.execute(
                sa.select(t.c.code, t.c.description, t.c.contact_type, t.c.priority).order_by(
                    t.c.code
                )
            )
        ]
    output(
        state,
        rows,
        human=lambda c: c.print(
            table(
                "Profile questionnaires",
                ["code", "description", "contact type", "priority"],
                [list(r.values()) for r in rows],
            )
        ),
    )


@profiles_group.command("show")
@click.argument("code")
@pass_state
def show_command(state: State, code: str) -> None:
    """Show a questionnaire's lines (answers indented under their question)."""
    from relcore import entities
    from relcore_contacts import profiles

    with state.app.session() as session:
        header = entities.get(session, "contacts.profile_questionnaire", code.upper())
        rows = profiles.lines(session, code.upper())
    output(
        state, {**header, "lines": rows}, human=lambda c: c.print(_lines_table(code.upper(), rows))
    )


def _add_line(
    state: State,
    code: str,
    line_type: str,
    description: str,
    line_no: int | None,
    pairs: tuple[str, ...],
) -> None:
    from relcore_contacts import profiles

    code = code.upper()
    with state.app.session() as session:
        row = profiles.add_line(
            session, code, line_type, description, line_no, **_line_values(code, line_no, pairs)
        )
    output(state, row, human=f"{line_type.capitalize()} {code} {row['line_no']} added.")


@profiles_group.group("lines")
def lines_group() -> None:
    """The questions and answers of a questionnaire (§2.9)."""


@lines_group.command("add")
@click.argument("code")
@click.argument("description")
@click.option(
    "--type",
    "line_type",
    type=click.Choice(["question", "answer"]),
    required=True,
    help="A question, or an answer (to the nearest preceding question).",
)
@click.option("--line-no", type=int, help="Default: after the last line.")
@set_option(
    LINE_SOURCE,
    "Line fields (a question's classification settings, an answer's from/to values).",
    "pairs",
)
@pass_state
def add_line_command(
    state: State,
    code: str,
    description: str,
    line_type: str,
    line_no: int | None,
    pairs: tuple[str, ...],
) -> None:
    """Add a question or an answer to questionnaire CODE."""
    _add_line(state, code, line_type, description, line_no, pairs)


@lines_group.command("edit")
@click.argument("code")
@click.argument("line_no", type=int)
@set_option(LINE_SOURCE, "Line fields (the line-type rules apply).", "pairs", required=True)
@pass_state
def modify_line_command(state: State, code: str, line_no: int, pairs: tuple[str, ...]) -> None:
    """Change a line (the line-type rules apply)."""
    from relcore_contacts import profiles

    code = code.upper()
    with state.app.session() as session:
        row = profiles.modify_line(session, code, line_no, _line_values(code, line_no, pairs))
    output(state, row, human=lambda c: c.print(record_table(row)))


@lines_group.command("delete")
@click.argument("code")
@click.argument("line_no", type=int)
@pass_state
def delete_line_command(state: State, code: str, line_no: int) -> None:
    """Delete a line with its answers."""
    from relcore_contacts import profiles

    with state.app.session() as session:
        profiles.delete_line(session, code.upper(), line_no)
    output(
        state,
        {"deleted": [{"profile_questionnaire_code": code.upper(), "line_no": line_no}]},
        human=f"Line {code.upper()} {line_no} deleted.",
    )


@profiles_group.command("answer")
@click.argument("contact_no")
@click.argument("code")
@click.argument("line_no", type=int)
@click.option("--remove", is_flag=True, help="Take the answer away instead.")
@pass_state
def answer_command(state: State, contact_no: str, code: str, line_no: int, remove: bool) -> None:
    """Give contact CONTACT_NO the answer LINE_NO of questionnaire CODE."""
    from relcore_contacts import profiles

    no, code = contact_no.upper(), code.upper()
    with state.app.session() as session:
        if remove:
            profiles.remove_answer(session, no, code, line_no)
            row: dict = {
                "contact_no": no,
                "profile_questionnaire_code": code,
                "line_no": line_no,
                "removed": True,
            }
        else:
            row = profiles.answer(session, no, code, line_no)
    output(state, row, human=f"{no}: answer {code} {line_no} {'removed' if remove else 'given'}.")


@profiles_group.command("answers")
@click.argument("contact_no")
@pass_state
def answers_command(state: State, contact_no: str) -> None:
    """Show a contact's profile answers."""
    from relcore_contacts import profiles

    with state.app.session() as session:
        rows = profiles.contact_answers(session, contact_no.upper())
    output_table(
        state,
        rows,
        f"Profile of {contact_no.upper()}",
        {
            "questionnaire": "profile_questionnaire_code",
            "line": "line_no",
            "question": "question",
            "answer": "answer",
            "updated": "last_date_updated",
        },
    )


@profiles_group.command("points")
@click.argument("rating_code")
@click.argument("rating_line_no", type=int)
@click.argument("answer_code")
@click.argument("answer_line_no", type=int)
@click.argument("points")
@pass_state
def points_command(
    state: State,
    rating_code: str,
    rating_line_no: int,
    answer_code: str,
    answer_line_no: int,
    points: str,
) -> None:
    """Set the POINTS an answer gives to a Rating question."""
    from decimal import Decimal, InvalidOperation

    from relcore.errors import ValidationError
    from relcore_contacts import profiles

    try:
        value = Decimal(points)
    except InvalidOperation:
        raise ValidationError(f"{points!r} is not a number", field="points") from None
    with state.app.session() as session:
        row = profiles.set_points(
            session, rating_code.upper(), rating_line_no, answer_code.upper(), answer_line_no, value
        )
        profiles.update_ratings(session, None)
    output(
        state,
        row,
        human=f"{answer_code.upper()} {answer_line_no} gives {value} points to "
        f"{rating_code.upper()} {rating_line_no}.",
    )


@profiles_group.command("classify")
@click.option(
    "--date",
    "date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Reference date of the period formulas (default: the work date).",
)
@click.option("--questionnaire", help="Only this questionnaire.")
@pass_state
def classify_command(state: State, date: object, questionnaire: str | None) -> None:
    """Update contact classification of every automatic question (report 5199)."""
    from relcore_contacts import classification

    with state.app.session() as session:
        result = classification.classify(
            session, date.date() if date else None, questionnaire.upper() if questionnaire else None
        )
    output(
        state,
        result,
        human=lambda c: c.print(
            table(
                "Contact classification",
                ["question", "answers given"],
                [[k, v] for k, v in result.items()],
            )
        ),
    )


def register(group: click.Group) -> None:
    """Add the ``profiles`` group to the ``contacts`` group."""
    group.add_command(profiles_group)
