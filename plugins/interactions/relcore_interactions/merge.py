"""Merge templates: text/HTML documents with placeholders for contact and salesperson fields.

Rendered with Jinja2's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` and no loader: a
template reads the values it is given (``contact``, ``company``, ``salesperson``, ``interaction``,
``today``) and nothing else — no Python internals (``__class__``, ``__globals__``...), no
``include``/``import`` of files. This replaces BC's Word-template merge with "Interaction Merge
Data" (contact no. + salesperson code, §4.4 wizard action Merge).

Example: ``Dear {{ contact.first_name or contact.name }}, ... {{ salesperson.name }}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from relcore.errors import ValidationError

_SYSTEM_FIELDS = frozenset({"system_id", "created_at", "modified_at", "version"})


def environment(html: bool) -> jinja2.Environment:
    """A sandboxed environment without a loader; HTML documents autoescape values."""
    return ImmutableSandboxedEnvironment(
        loader=None,
        autoescape=html,
        undefined=jinja2.ChainableUndefined,
        keep_trailing_newline=True,
    )


def compile_template(source: str, *, html: bool, label: str) -> jinja2.Template:
    """Compile a merge template once (then render it per contact).

    :param label: how errors name the document (``"Attachment 4"``).
    """
    try:
        return environment(html).from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise ValidationError(
            f"merge template line {exc.lineno}: {exc.message}", entity=label
        ) from None


def render(template: jinja2.Template, context: dict[str, Any], *, label: str) -> str:
    """Render a compiled merge template; sandbox violations and errors name the document."""
    try:
        return template.render(context)
    except SecurityError as exc:
        raise ValidationError(f"merge template refused: {exc}", entity=label) from None
    except jinja2.TemplateError as exc:
        raise ValidationError(f"merge template: {exc}", entity=label) from None
    except Exception as exc:  # noqa: BLE001 - template code may fail in any way
        raise ValidationError(f"merge template failed: {exc}", entity=label) from None


def render_text(
    source: str, context: dict[str, Any], *, html: bool = False, label: str = "Merge template"
) -> str:
    """Compile and render in one go."""
    return render(compile_template(source, html=html, label=label), context, label=label)


def public_fields(row: dict | None) -> dict[str, Any]:
    """A record's fields a template may read (system columns left out)."""
    if not row:
        return {}
    return {k: v for k, v in row.items() if k not in _SYSTEM_FIELDS}


def merge_context(
    contact: dict, company: dict | None, salesperson: dict | None, interaction: dict, today: dt.date
) -> dict[str, Any]:
    """The values a merge template sees (plain dicts of plain values)."""
    return {
        "contact": public_fields(contact),
        "company": public_fields(company),
        "salesperson": public_fields(salesperson),
        "interaction": {
            k: interaction.get(k)
            for k in (
                "entry_no",
                "date",
                "time_of_interaction",
                "description",
                "subject",
                "interaction_template_code",
                "language_code",
                "campaign_no",
                "document_type",
                "document_no",
            )
        },
        "today": today,
    }
