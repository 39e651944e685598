"""Interaction groups, templates and template languages with their attachments (§4.1, §4.2)."""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from relcore import entities
from relcore.errors import ValidationError
from relcore.fields import coerce_values
from relcore_interactions import attachments
from relcore_interactions.model import group, log_entry, template, template_language, template_setup

GROUP = "interactions.group"
TEMPLATE = "interactions.template"
LANGUAGE = "interactions.template_language"

TEMPLATE_FIELDS = tuple(
    c.name
    for c in template.c
    if c.name not in ("code", "system_id", "created_at", "modified_at", "version")
)
"""Fields ``templates add/edit --set`` accepts."""


def template_columns() -> list[sa.Column]:
    """The template fields ``templates add/edit --set`` take (for ``--help``)."""
    return [template.c[name] for name in TEMPLATE_FIELDS]


# -- groups (§4.1) --------------------------------------------------------------------------------


def add_group(session: Any, code: str, description: str = "") -> dict:
    """Create an interaction group (Code NotBlank)."""
    values = coerce_values(
        group, {"code": code, "description": description}, entity="Interaction Group", key=code
    )
    if not values["code"]:
        raise ValidationError("must not be blank", entity="Interaction Group", field="code")
    if entities.exists(session, GROUP, values["code"]):
        raise ValidationError("already exists", entity="Interaction Group", key=values["code"])
    return entities.insert(session, GROUP, [values])[0]


def edit_group(session: Any, code: str, description: str) -> dict:
    """Change a group's description."""
    return entities.update(session, GROUP, code.upper(), {"description": description})


def list_groups(session: Any) -> list[dict]:
    """All groups, by code."""
    return [dict(r._mapping) for r in session.execute(sa.select(group).order_by(group.c.code))]


def get_group(session: Any, code: str) -> dict:
    """One group (NotFoundError naming it)."""
    return entities.get(session, GROUP, code.upper())


def delete_group(session: Any, code: str) -> None:
    """Delete a group; refused while templates or log entries use it."""
    code = code.upper()
    entities.get(session, GROUP, code)
    used = session.execute(
        sa.select(template.c.code).where(template.c.interaction_group_code == code).limit(1)
    ).first()
    if used:
        raise ValidationError(
            f"cannot be deleted: template {used[0]} belongs to it",
            entity="Interaction Group",
            key=code,
        )
    if session.execute(
        sa.select(log_entry.c.entry_no).where(log_entry.c.interaction_group_code == code).limit(1)
    ).first():
        raise ValidationError(
            "cannot be deleted: interaction log entries use it",
            entity="Interaction Group",
            key=code,
        )
    entities.delete(session, GROUP, [code])


# -- templates (§4.2) -----------------------------------------------------------------------------


def _check_template(session: Any, code: str, row: Mapping[str, Any]) -> None:
    """The field rules of a template (§4.2)."""

    def fail(message: str, field: str) -> None:
        raise ValidationError(message, entity="Interaction Template", key=code, field=field)

    if not row.get("interaction_group_code"):
        fail("must not be blank", "interaction_group_code")
    if not entities.exists(session, GROUP, row["interaction_group_code"]):
        fail(
            f"interaction group {row['interaction_group_code']!r} does not exist",
            "interaction_group_code",
        )
    for field in ("unit_cost", "unit_duration"):
        if decimal.Decimal(row.get(field) or 0) < 0:
            fail("must not be negative", field)
    action = row.get("wizard_action") or ""
    if action in ("open", "merge"):
        lang = row.get("language_code_default") or ""
        att = session.execute(
            sa.select(template_language.c.attachment_no).where(
                template_language.c.interaction_template_code == code,
                template_language.c.language_code == lang,
            )
        ).scalar()
        if not att:
            fail(
                f"wizard action {action} needs an attachment on the default language "
                f"{lang or '(blank)'}: import one first",
                "wizard_action",
            )
        if action == "merge":
            att_row = attachments.get_rows(session, [att])[att]
            if not attachments.is_text(att_row):
                fail("wizard action merge needs a text or HTML attachment", "wizard_action")


def _ensure_default_language(session: Any, code: str, language: str | None) -> None:
    """A default language without a language row gets one (BC asks to create it, §4.2)."""
    if language is None:
        return
    exists = entities.exists(session, LANGUAGE, (code, language))
    if not exists:
        entities.insert(
            session,
            LANGUAGE,
            [{"interaction_template_code": code, "language_code": language, "description": ""}],
        )


def add_template(
    session: Any, code: str, group_code: str, values: Mapping[str, Any] | None = None
) -> dict:
    """Create an interaction template in a group, with optional field values (typed or text)."""
    values = dict(values or {})
    typed = coerce_values(
        template,
        {"code": code, "interaction_group_code": group_code, **values},
        entity="Interaction Template",
        key=code,
        allowed=("code", *TEMPLATE_FIELDS),
    )
    code = typed["code"]
    if not code:
        raise ValidationError("must not be blank", entity="Interaction Template", field="code")
    if entities.exists(session, TEMPLATE, code):
        raise ValidationError("already exists", entity="Interaction Template", key=code)
    defaults = {
        c.name: c.default.arg
        for c in template.c
        if c.default is not None and not callable(c.default.arg) and c.name in TEMPLATE_FIELDS
    }
    row = {**defaults, **typed}
    language = row.get("language_code_default")
    action = row.pop("wizard_action", "") or ""
    row["wizard_action"] = ""
    _check_template(session, code, row)
    entities.insert(session, TEMPLATE, [row])
    _ensure_default_language(session, code, language)
    if action:
        return edit_template(session, code, {"wizard_action": action})
    return get_template(session, code)


def edit_template(session: Any, code: str, values: Mapping[str, Any]) -> dict:
    """Change template fields (typed or text values); the field rules are checked again."""
    code = code.upper()
    current = entities.get(session, TEMPLATE, code)
    typed = coerce_values(
        template, values, entity="Interaction Template", key=code, allowed=TEMPLATE_FIELDS
    )
    if "language_code_default" in typed:
        _ensure_default_language(session, code, typed["language_code_default"])
    _check_template(session, code, {**current, **typed})
    return entities.update(session, TEMPLATE, code, typed)


def get_template(session: Any, code: str) -> dict:
    """One template (NotFoundError naming it)."""
    return entities.get(session, TEMPLATE, code.upper())


def list_templates(session: Any, group_code: str | None = None) -> list[dict]:
    """Templates (of one group), by code."""
    stmt = sa.select(template).order_by(template.c.code)
    if group_code:
        stmt = stmt.where(template.c.interaction_group_code == group_code.upper())
    return [dict(r._mapping) for r in session.execute(stmt)]


def delete_template(session: Any, code: str) -> None:
    """Delete a template with its language rows and their (unique) attachments (§4.2).

    Refused while the template setup maps an event to it, or log entries use it (the log keeps
    its reference; delete the canceled entries first).
    """
    code = code.upper()
    entities.get(session, TEMPLATE, code)
    event = session.execute(
        sa.select(template_setup.c.event_code)
        .where(template_setup.c.template_code == code)
        .limit(1)
    ).scalar()
    if event:
        raise ValidationError(
            f"cannot be deleted: the template setup uses it for event {event}",
            entity="Interaction Template",
            key=code,
        )
    if session.execute(
        sa.select(log_entry.c.entry_no)
        .where(log_entry.c.interaction_template_code == code)
        .limit(1)
    ).first():
        raise ValidationError(
            "cannot be deleted: interaction log entries use it",
            entity="Interaction Template",
            key=code,
        )
    att_nos = [
        r[0]
        for r in session.execute(
            sa.select(template_language.c.attachment_no).where(
                template_language.c.interaction_template_code == code,
                template_language.c.attachment_no.is_not(None),
            )
        )
    ]
    session.execute(
        sa.delete(template_language).where(template_language.c.interaction_template_code == code)
    )
    entities.delete(session, TEMPLATE, [code])
    attachments.delete(session, attachments.unique_nos(session, att_nos))


# -- languages and attachments (§4.2 Interaction Tmpl. Language) ----------------------------------


def list_languages(session: Any, code: str) -> list[dict]:
    """The language rows of a template."""
    code = code.upper()
    entities.get(session, TEMPLATE, code)
    stmt = (
        sa.select(template_language)
        .where(template_language.c.interaction_template_code == code)
        .order_by(template_language.c.language_code)
    )
    return [dict(r._mapping) for r in session.execute(stmt)]


def add_language(session: Any, code: str, language_code: str, description: str = "") -> dict:
    """Add a language version to a template."""
    code = code.upper()
    entities.get(session, TEMPLATE, code)
    values = coerce_values(
        template_language,
        {"language_code": language_code, "description": description},
        entity="Interaction Tmpl. Language",
        key=(code, language_code),
    )
    if entities.exists(session, LANGUAGE, (code, values["language_code"])):
        raise ValidationError(
            "already exists",
            entity="Interaction Tmpl. Language",
            key=f"{code} {values['language_code']}",
        )
    entities.insert(
        session, LANGUAGE, [{"interaction_template_code": code, "attachment_no": None, **values}]
    )
    return entities.get(session, LANGUAGE, (code, values["language_code"]))


def delete_language(session: Any, code: str, language_code: str) -> None:
    """Remove a language version (and its unique attachment); clears the template default."""
    code, language_code = code.upper(), language_code.upper()
    row = entities.get(session, LANGUAGE, (code, language_code))
    entities.delete(session, LANGUAGE, [(code, language_code)])
    tpl = entities.get(session, TEMPLATE, code)
    if tpl["language_code_default"] == language_code:
        entities.update(
            session, TEMPLATE, code, {"language_code_default": None, "wizard_action": ""}
        )
    if row["attachment_no"]:
        attachments.delete(session, attachments.unique_nos(session, [row["attachment_no"]]))


def import_attachment(
    session: Any, code: str, language_code: str, content: bytes, file_name: str
) -> dict:
    """Import a document as the attachment of a template language (created when missing).

    The language's previous attachment is removed when nothing else uses it.
    """
    code, language_code = code.upper(), (language_code or "").upper()
    entities.get(session, TEMPLATE, code)
    row = entities.find(session, LANGUAGE, (code, language_code))
    if row is None:
        row = add_language(session, code, language_code)
    old = row["attachment_no"]
    no = attachments.store(session, content, file_name)
    entities.update(session, LANGUAGE, (code, language_code), {"attachment_no": no})
    if old:
        attachments.delete(session, attachments.unique_nos(session, [old]))
    return entities.get(session, LANGUAGE, (code, language_code))


def export_attachment(session: Any, code: str, language_code: str) -> tuple[bytes, str]:
    """The attachment of a template language: ``(content, file_name)``."""
    row = entities.get(session, LANGUAGE, (code.upper(), (language_code or "").upper()))
    if not row["attachment_no"]:
        raise ValidationError(
            "has no attachment",
            entity="Interaction Tmpl. Language",
            key=f"{code.upper()} {language_code.upper()}",
        )
    att = attachments.get_rows(session, [row["attachment_no"]])[row["attachment_no"]]
    return attachments.content_of(att), att["file_name"]


def remove_attachment(session: Any, code: str, language_code: str) -> None:
    """Remove the attachment of a template language (kept while log entries use it)."""
    code, language_code = code.upper(), (language_code or "").upper()
    row = entities.get(session, LANGUAGE, (code, language_code))
    tpl = entities.get(session, TEMPLATE, code)
    if tpl["wizard_action"] in ("open", "merge") and tpl["language_code_default"] == language_code:
        raise ValidationError(
            f"wizard action {tpl['wizard_action']} needs this attachment",
            entity="Interaction Template",
            key=code,
            field="wizard_action",
        )
    if row["attachment_no"]:
        entities.update(session, LANGUAGE, (code, language_code), {"attachment_no": None})
        attachments.delete(session, attachments.unique_nos(session, [row["attachment_no"]]))


def copy_attachment(
    session: Any, code: str, language_code: str, from_code: str, from_language_code: str
) -> dict:
    """Copy another template language's attachment (a new attachment of the same content)."""
    content, name = export_attachment(session, from_code, from_language_code)
    return import_attachment(session, code, language_code, content, name)
