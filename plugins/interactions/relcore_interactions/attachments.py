"""Attachments (§4.9): stored embedded in the database or as files in the attachment folder.

The storage type of new attachments comes from setup (``interactions.attachment_storage_type``:
``embedded`` | ``disk_file``; the folder from ``interactions.attachment_storage_location``).
Attachments used by logged interactions become read only; an attachment is *unique* when no
other log entry or template language uses it, and only unique ones are ever removed (§4.8).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from relcore.app import app_of
from relcore.db import utcnow
from relcore.errors import ConfigError, NotFoundError, ValidationError
from relcore.files import write_new_file
from relcore_interactions.model import attachment, log_entry, template_language

TEXT_EXTENSIONS = frozenset({"txt", "html", "htm", "md", "eml", "xml", "csv", "json"})
"""Extensions of text documents: these can be merge templates and e-mail bodies."""


def extension_of(file_name: str) -> str:
    """The lower-case extension without the dot (``"letter.HTML"`` → ``"html"``)."""
    suffix = Path(file_name).suffix
    return suffix[1:].lower() if suffix else ""


def is_text(row: dict) -> bool:
    """True when the attachment is a text document (mergeable, sendable as a body)."""
    return row["file_extension"] in TEXT_EXTENSIONS


def _storage(session: Any) -> tuple[str, str | None]:
    setup = app_of(session).setup.get_many(
        session,
        ["interactions.attachment_storage_type", "interactions.attachment_storage_location"],
    )
    kind = setup["interactions.attachment_storage_type"] or "embedded"
    folder = setup["interactions.attachment_storage_location"]
    if kind == "disk_file" and not folder:
        raise ConfigError(
            "attachment storage type is disk_file but interactions.attachment_storage_location "
            "is not set (relcore setup set interactions.attachment_storage_location FOLDER)"
        )
    return kind, folder


def store_many(
    session: Any, items: Sequence[tuple[bytes, str]], *, read_only: bool = False
) -> list[int]:
    """Store attachments ``(content, file_name)`` in one statement; returns their numbers in order.

    Files of ``disk_file`` storage are written before the rows (a rollback may leave an orphan
    file, never a row without its file).
    """
    if not items:
        return []
    kind, folder = _storage(session)
    now = utcnow()
    rows = []
    for content, file_name in items:
        row = {
            "storage_type": kind,
            "file_name": file_name,
            "file_extension": extension_of(file_name),
            "read_only": read_only,
            "last_modified_at": now,
            "attachment_file": None,
            "storage_pointer": "",
        }
        if kind == "disk_file":
            stored_name = f"{uuid.uuid4().hex}.{row['file_extension'] or 'bin'}"
            written = write_new_file(folder, stored_name, content)  # type: ignore[arg-type]
            row["storage_pointer"] = str(written)
        else:
            row["attachment_file"] = content
        rows.append(row)
    result = session.execute(
        sa.insert(attachment).returning(attachment.c.no, sort_by_parameter_order=True), rows
    )
    return [r[0] for r in result]


def store(session: Any, content: bytes, file_name: str, *, read_only: bool = False) -> int:
    """Store one attachment; returns its number."""
    return store_many(session, [(content, file_name)], read_only=read_only)[0]


def get_rows(session: Any, nos: Iterable[int]) -> dict[int, dict]:
    """Attachment rows by number (one query); missing numbers raise NotFoundError."""
    wanted = sorted(set(nos))
    if not wanted:
        return {}
    rows = {
        r.no: dict(r._mapping)
        for r in session.execute(sa.select(attachment).where(attachment.c.no.in_(wanted)))
    }
    for no in wanted:
        if no not in rows:
            raise NotFoundError("does not exist", entity="Attachment", key=no)
    return rows


def content_of(row: dict) -> bytes:
    """The bytes of an attachment row (from the row or its file)."""
    if row["storage_type"] == "disk_file":
        try:
            return Path(row["storage_pointer"]).read_bytes()
        except OSError as exc:
            raise ValidationError(
                f"cannot read the attachment file: {exc.strerror}",
                entity="Attachment",
                key=row["no"],
            ) from None
    return bytes(row["attachment_file"] or b"")


def text_of(row: dict) -> str:
    """The text of a text attachment (UTF-8)."""
    try:
        return content_of(row).decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("is not UTF-8 text", entity="Attachment", key=row["no"]) from None


def mark_read_only(session: Any, nos: Iterable[int]) -> None:
    """Attachments used by logged interactions become read only (§4.9)."""
    nos = sorted(set(nos))
    if nos:
        session.execute(
            sa.update(attachment).where(attachment.c.no.in_(nos)).values(read_only=True)
        )


def unique_nos(
    session: Any, nos: Iterable[int], *, except_entries: Iterable[int] = ()
) -> list[int]:
    """Those of ``nos`` that no template language and no other log entry uses (§4.8)."""
    nos = sorted(set(nos))
    if not nos:
        return []
    excluded = list(except_entries)
    used_by_entries = sa.select(log_entry.c.attachment_no).where(log_entry.c.attachment_no.in_(nos))
    if excluded:
        used_by_entries = used_by_entries.where(log_entry.c.entry_no.not_in(excluded))
    used = {r[0] for r in session.execute(used_by_entries)}
    used |= {
        r[0]
        for r in session.execute(
            sa.select(template_language.c.attachment_no).where(
                template_language.c.attachment_no.in_(nos)
            )
        )
    }
    return [n for n in nos if n not in used]


def delete(session: Any, nos: Iterable[int]) -> int:
    """Delete attachments (and their files); callers check they are unused."""
    rows = get_rows(session, nos)
    if not rows:
        return 0
    session.execute(sa.delete(attachment).where(attachment.c.no.in_(list(rows))))
    for row in rows.values():
        if row["storage_type"] == "disk_file" and row["storage_pointer"]:
            Path(row["storage_pointer"]).unlink(missing_ok=True)
    return len(rows)


def attachment_content(session: Any, attachment_no: int) -> tuple[bytes, str]:
    """An attachment's ``(content, file_name)`` (NotFoundError naming a missing one)."""
    row = get_rows(session, [attachment_no])[attachment_no]
    return content_of(row), row["file_name"]
