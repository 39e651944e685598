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


def describe(exc: BaseException) -> str:
    """One line for a person: what went wrong and what would be accepted — never a class name.

    :class:`RelcoreError` messages are used as they are; database, file, encoding and number
    errors that escaped a command are turned into sentences. The CLI prints this for every error
    (a traceback only with ``--debug``).
    """
    import csv
    import decimal

    orig = getattr(exc, "orig", None)
    if isinstance(orig, RelcoreError):  # raised inside a bind processor
        exc = orig
    if isinstance(exc, RelcoreError):
        text = str(exc).strip()
        return text.splitlines()[0] if text else "the request was refused"
    if "database is locked" in str(exc) or "database is busy" in str(exc):
        return _locked()
    database = _describe_database(exc)
    if database is not None:
        return database
    if isinstance(exc, UnicodeError):
        encoding = getattr(exc, "encoding", "the expected encoding")
        return (
            f"the input is not valid {encoding} text (at byte {getattr(exc, 'start', '?')}); "
            "give its encoding with --encoding (utf-8, latin-1, utf-16, cp1252)"
        )
    if isinstance(exc, OSError) and (exc.filename or exc.strerror):
        return f"cannot use the file {exc.filename}: {(exc.strerror or str(exc)).lower()}"
    if isinstance(exc, decimal.InvalidOperation):
        return "a value is not a valid number (use digits with a '.' for decimals)"
    if isinstance(exc, OverflowError):
        return "a number is too large for its field"
    if isinstance(exc, csv.Error):
        return f"the CSV file could not be read: {exc}"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply"
    text = str(exc).strip().splitlines()
    first = text[0] if text else "no details"
    return f"unexpected error: {first} (run with --debug for the traceback)"


def _describe_database(exc: BaseException) -> str | None:
    try:
        from sqlalchemy import exc as sa_exc
    except ImportError:  # pragma: no cover
        return None
    if not isinstance(exc, sa_exc.StatementError):
        return None
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = detail[0] if detail else ""
    low = first.lower()
    if "no such table" in low or ("relation" in low and "does not exist" in low):
        return "the database is not initialised or not up to date: run `relcore init` first"
    if isinstance(exc, sa_exc.IntegrityError):
        if "unique" in low or "duplicate key" in low:
            return f"a record with the same key already exists ({_constraint(first)})"
        if "foreign key" in low:
            return (
                "the change refers to a record that does not exist, or removes one that is "
                f"still in use ({_constraint(first)})"
            )
        if "not null" in low:
            return f"a required field is empty ({_constraint(first)})"
        return f"the database refused the change ({_constraint(first)})"
    if isinstance(exc, sa_exc.DataError):
        return f"a value does not fit its field: {first}"
    if isinstance(exc, sa_exc.OperationalError):
        return f"the database could not be used: {first}"
    if isinstance(exc, sa_exc.StatementError) and getattr(exc, "orig", None) is not None:
        return describe(exc.orig)
    return f"the database refused the request: {first}"


def _locked() -> str:
    from relcore import db

    return (
        f"another process holds the database for writing; waited {db.BUSY_TIMEOUT_SECONDS} s "
        "for it to finish — try again when it is done"
    )


def _constraint(message: str) -> str:
    """The constraint or column named in a driver message, without the driver's jargon."""
    for marker in ('constraint "', "failed: "):
        if marker in message:
            return message.split(marker, 1)[1].rstrip('"').split('"', 1)[0]
    return message
