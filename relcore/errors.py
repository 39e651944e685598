"""The errors relcore raises on bad input or broken rules.

Every error a user can cause is a :class:`RelcoreError`; the CLI prints its message on one line and
exits 1. Errors about one record say which record and which field, so a message reads like
``Contact CT000001: field salesperson_code: salesperson 'XX' does not exist``.
"""

from __future__ import annotations


class RelcoreError(Exception):
    """Base class of every error a user can cause; the CLI prints it on one line and exits 1."""


class ValidationError(RelcoreError):
    """A value or a record breaks a rule.

    :param message: what is wrong, in a user's words.
    :param entity: the entity's label (``"Contact"``), when the error is about one record.
    :param key: the record's key (``"CT000001"``).
    :param field: the field (snake_case) the rule is about.
    """

    def __init__(
        self,
        message: str,
        *,
        entity: str | None = None,
        key: object | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.entity = entity
        self.key = key
        self.field = field
        super().__init__(self._render())

    def _render(self) -> str:
        parts = []
        if self.entity:
            parts.append(f"{self.entity} {self.key}" if self.key not in (None, "") else self.entity)
        if self.field:
            parts.append(f"field {self.field}")
        parts.append(self.message)
        return ": ".join(parts)


class NotFoundError(ValidationError):
    """A record named by the user does not exist."""


class NumberSeriesError(RelcoreError):
    """A number could not be drawn or entered (BC §1.2): exhausted line, no line for the date."""


class PluginError(RelcoreError):
    """A plugin is missing, fails to load, or breaks the hook contract."""


class ConfigError(RelcoreError):
    """The configuration file, an environment variable or a setup value is wrong."""
