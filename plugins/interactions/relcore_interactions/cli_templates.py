"""``relcore interactions templates ...``: templates, languages, attachments (§4.2)."""

from __future__ import annotations

from pathlib import Path

import click

from relcore.cli.context import output, output_table, pass_state, record_table
from relcore.cli.fields_help import set_option

TEMPLATE_SOURCE = "relcore_interactions.templates:template_columns"


@click.group("templates")
def templates_group() -> None:
    """Interaction templates: defaults of logged interactions."""


def _values(pairs: tuple[str, ...]) -> dict:
    from relcore.fields import parse_assignments

    return parse_assignments(pairs)


@templates_group.command("add")
@click.argument("code")
@click.option("--group", "group_code", required=True, help="The interaction group.")
@click.option("--description", default=None, help="Default description of interactions.")
@set_option(TEMPLATE_SOURCE, "Template fields; repeat for several.", "pairs")
@pass_state
def add(state, code: str, group_code: str, description: str | None, pairs: tuple[str, ...]) -> None:
    """Create template CODE in a group."""
    from relcore_interactions import templates

    values = _values(pairs)
    if description is not None:
        values["description"] = description
    with state.app.session() as session:
        row = templates.add_template(session, code, group_code, values)
    output(state, row, f"Interaction template {row['code']} created.")


@templates_group.command("edit")
@click.argument("code")
@set_option(TEMPLATE_SOURCE, "Template fields; repeat for several.", "pairs", required=True)
@pass_state
def edit(state, code: str, pairs: tuple[str, ...]) -> None:
    """Change template fields."""
    from relcore_interactions import templates

    with state.app.session() as session:
        row = templates.edit_template(session, code, _values(pairs))
    output(state, row, f"Interaction template {row['code']} changed.")


@templates_group.command("list")
@click.option("--group", "group_code", default=None, help="Only this group's templates.")
@pass_state
def list_(state, group_code: str | None) -> None:
    """List templates."""
    from relcore_interactions import templates

    with state.app.session() as session:
        rows = templates.list_templates(session, group_code)
    output_table(
        state,
        rows,
        "Interaction templates",
        {
            "code": "code",
            "group": "interaction_group_code",
            "description": "description",
            "unit cost": "unit_cost",
            "unit duration": "unit_duration",
            "flow": "information_flow",
            "initiated by": "initiated_by",
            "corr. type": "correspondence_type",
            "wizard": "wizard_action",
        },
    )


@templates_group.command("show")
@click.argument("code")
@pass_state
def show(state, code: str) -> None:
    """Show a template, its languages and statistics."""
    from relcore_interactions import statistics, templates

    with state.app.session() as session:
        row = templates.get_template(session, code)
        row = {
            **row,
            "languages": templates.list_languages(session, code),
            **statistics.statistics(session, template_code=row["code"]),
        }
    output(state, row, lambda c: c.print(record_table(row)))


@templates_group.command("delete")
@click.argument("code")
@pass_state
def delete(state, code: str) -> None:
    """Delete a template with its languages and attachments."""
    from relcore_interactions import templates

    with state.app.session() as session:
        templates.delete_template(session, code)
    output(
        state,
        {"deleted": [{"code": code.upper()}]},
        f"Interaction template {code.upper()} deleted.",
    )


# -- languages ----------------------------------------------------------------------------------


@templates_group.group("languages")
def languages() -> None:
    """Language versions of a template."""


@languages.command("list")
@click.argument("code")
@pass_state
def languages_list(state, code: str) -> None:
    """List a template's languages."""
    from relcore_interactions import templates

    with state.app.session() as session:
        rows = templates.list_languages(session, code)
    output_table(
        state,
        rows,
        f"Languages of {code.upper()}",
        {
            "language": lambda r: r["language_code"] or "(blank)",
            "description": "description",
            "attachment": "attachment_no",
        },
    )


@languages.command("add")
@click.argument("code")
@click.argument("language")
@click.option("--description", default="", help="The template's description in this language.")
@pass_state
def languages_add(state, code: str, language: str, description: str) -> None:
    """Add LANGUAGE to template CODE."""
    from relcore_interactions import templates

    with state.app.session() as session:
        row = templates.add_language(session, code, language, description)
    output(
        state, row, f"Language {row['language_code']} added to {row['interaction_template_code']}."
    )


@languages.command("delete")
@click.argument("code")
@click.argument("language")
@pass_state
def languages_delete(state, code: str, language: str) -> None:
    """Remove LANGUAGE from template CODE."""
    from relcore_interactions import templates

    with state.app.session() as session:
        templates.delete_language(session, code, language)
    output(
        state,
        {
            "deleted": [
                {"interaction_template_code": code.upper(), "language_code": language.upper()}
            ]
        },
        "Language removed.",
    )


# -- attachments --------------------------------------------------------------------------------


@templates_group.group("attachments")
def attachments_group() -> None:
    """The attachment of a template language (a document or a merge template)."""


_LANG = click.option("--language", default="", help="Language code (default: blank).")


@attachments_group.command("import")
@click.argument("code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@_LANG
@pass_state
def att_import(state, code: str, file: str, language: str) -> None:
    """Import FILE as the attachment of template CODE (text/HTML files can merge)."""
    from relcore_interactions import templates

    content = Path(file).read_bytes()
    with state.app.session() as session:
        row = templates.import_attachment(session, code, language, content, Path(file).name)
    output(state, row, f"Attachment {row['attachment_no']} imported.")


@attachments_group.command("export")
@click.argument("code")
@click.argument("file", type=click.Path(dir_okay=False))
@_LANG
@pass_state
def att_export(state, code: str, file: str, language: str) -> None:
    """Write the attachment of template CODE to FILE."""
    from relcore_interactions import templates

    with state.app.session() as session:
        content, name = templates.export_attachment(session, code, language)
    from relcore.files import open_new_output

    with open_new_output(file, binary=True) as fh:
        fh.write(content)
    output(
        state,
        {"file": file, "file_name": name, "bytes": len(content)},
        f"Written {len(content)} bytes to {file}.",
    )


@attachments_group.command("delete")
@click.argument("code")
@_LANG
@pass_state
def att_remove(state, code: str, language: str) -> None:
    """Delete the attachment of template CODE (in one language)."""
    from relcore_interactions import templates

    with state.app.session() as session:
        templates.remove_attachment(session, code, language)
    output(
        state,
        {
            "deleted": [
                {"interaction_template_code": code.upper(), "language_code": language.upper()}
            ]
        },
        "Attachment deleted.",
    )


@attachments_group.command("copy")
@click.argument("code")
@click.option("--from", "from_code", required=True, help="Template to copy from.")
@click.option("--from-language", default="", help="Its language (default blank).")
@_LANG
@pass_state
def att_copy(state, code: str, from_code: str, from_language: str, language: str) -> None:
    """Copy another template language's attachment to template CODE."""
    from relcore_interactions import templates

    with state.app.session() as session:
        row = templates.copy_attachment(session, code, language, from_code, from_language)
    output(state, row, f"Attachment {row['attachment_no']} copied.")


def register(group: click.Group) -> None:
    """Add the ``templates`` commands."""
    group.add_command(templates_group)
