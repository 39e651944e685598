"""Merge templates: text/HTML documents with placeholders for contact and salesperson fields.

Rendered with Jinja2's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` and no loader: a
template reads the values it is given (``contact``, ``company``, ``salesperson``, ``interaction``,
``today``) and nothing else — no Python internals (``__class__``, ``__globals__``...), no
``include``/``import`` of files. This replaces BC's Word-template merge with "Interaction Merge
Data" (contact no. + salesperson code, §4.4 wizard action Merge).

Example: ``Dear {{ contact.first_name or contact.name }}, ... {{ salesperson.name }}``.

Output is capped (setup ``interactions.merge_output_limit``, default
:data:`DEFAULT_OUTPUT_LIMIT` characters): rendering stops at the limit with a clear error, and
``*``/``**`` on strings, lists and numbers that would build something larger are refused before
they allocate it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from relcore.errors import ValidationError

_SYSTEM_FIELDS = frozenset({"system_id", "created_at", "modified_at", "version"})

DEFAULT_OUTPUT_LIMIT = 1_000_000
"""Characters a rendered merge document may have unless setup says otherwise."""

_MAX_EXPONENT = 1_000


class _CappedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, refusing ``*`` and ``**`` results beyond the output limit."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *, output_limit: int, **options: Any) -> None:
        super().__init__(**options)
        self.output_limit = output_limit

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                sized = isinstance(seq, (str, bytes, list, tuple)) and isinstance(times, int)
                if sized and len(seq) * times > self.output_limit:
                    raise SecurityError(
                        f"the result would exceed the output limit of "
                        f"{self.output_limit} characters"
                    )
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > _MAX_EXPONENT:
            raise SecurityError(f"exponents above {_MAX_EXPONENT} are not allowed")
        return super().call_binop(context, operator, left, right)


def environment(html: bool, output_limit: int = DEFAULT_OUTPUT_LIMIT) -> jinja2.Environment:
    """A sandboxed environment without a loader; HTML documents autoescape values."""
    return _CappedSandbox(
        output_limit=output_limit,
        loader=None,
        autoescape=html,
        undefined=jinja2.ChainableUndefined,
        keep_trailing_newline=True,
    )


def compile_template(
    source: str, *, html: bool, label: str, output_limit: int = DEFAULT_OUTPUT_LIMIT
) -> jinja2.Template:
    """Compile a merge template once (then render it per contact).

    :param label: how errors name the document (``"Attachment 4"``).
    :param output_limit: the most characters a rendered document may have.
    """
    try:
        return environment(html, output_limit).from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise ValidationError(
            f"merge template line {exc.lineno}: {exc.message}", entity=label
        ) from None


def render(template: jinja2.Template, context: dict[str, Any], *, label: str) -> str:
    """Render a compiled merge template; sandbox violations, errors and output beyond the
    environment's limit name the document."""
    limit = getattr(template.environment, "output_limit", DEFAULT_OUTPUT_LIMIT)
    try:
        parts, size = [], 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > limit:
                raise ValidationError(
                    f"merge template output exceeds {limit} characters "
                    "(setup interactions.merge_output_limit)",
                    entity=label,
                )
            parts.append(chunk)
        return "".join(parts)
    except ValidationError:
        raise
    except SecurityError as exc:
        raise ValidationError(f"merge template refused: {exc}", entity=label) from None
    except jinja2.TemplateError as exc:
        raise ValidationError(f"merge template: {exc}", entity=label) from None
    except Exception as exc:  # noqa: BLE001 - template code may fail in any way
        raise ValidationError(f"merge template failed: {exc}", entity=label) from None


def output_limit(session: Any) -> int:
    """The setup's cap on rendered merge documents (characters)."""
    from relcore.app import app_of

    value = app_of(session).setup.get(session, "interactions.merge_output_limit")
    return int(value or DEFAULT_OUTPUT_LIMIT)


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
