"""Importing and exporting contacts (CSV with a header row, or JSON lines).

Import streams the file in batches through the contact service's batch insert
(:func:`relcore_contacts.contacts.insert_contacts`: the same validation and numbering as single
inserts), inside one transaction: all or nothing. When a batch fails, its bad rows are isolated
(each error names its row's label, else the batch is halved) and the good rows still go in, so
the whole file is validated and *every* bad row is reported as ``line N: field: reason``; then
everything is rolled back. Companies must come before their persons in a file; a person names
its company by ``company_no`` or by ``company_name`` (resolved by the batch insert).
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from relcore.errors import ValidationError
from relcore_contacts import dupl_index, model

BATCH_SIZE = 5000
FORMATS = ("csv", "jsonl")
ENCODINGS = ("utf-8", "latin-1", "utf-16", "cp1252")
"""Encodings ``relcore contacts import --encoding`` reads (utf-8 also skips a BOM)."""
SYSTEM_FIELDS = ("system_id", "created_at", "modified_at", "version")
DERIVED_FIELDS = ("lookup_contact_no", "contact_business_relation", "search_email", "no_series")
EXPORT_FIELDS = tuple(
    c.name for c in model.contact.c if c.name not in SYSTEM_FIELDS + DERIVED_FIELDS
)
"""Columns an export writes (and an import accepts): every contact field but derived ones."""

_contact = model.contact


class ImportFailed(ValidationError):
    """The file has bad rows; nothing was written. ``errors`` lists ``line N: field: reason``."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = "; ".join(errors[:20]) + (
            f"; ... ({len(errors)} in all)" if len(errors) > 20 else ""
        )
        super().__init__(f"{len(errors)} bad row(s), nothing imported: {shown}")


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    """``csv`` or ``jsonl``: the given format, else by extension (.jsonl/.json/.ndjson)."""
    if fmt:
        fmt = fmt.lower()
        if fmt == "json":
            fmt = "jsonl"
        if fmt not in FORMATS:
            raise ValidationError(f"unknown format {fmt!r} (csv or jsonl)", field="format")
        return fmt
    return "jsonl" if Path(path).suffix.lower() in (".jsonl", ".json", ".ndjson") else "csv"


Row = tuple[str, dict[str, Any] | None, str | None]  # (label, row, parse error)


def _check_fields(names: list[str], label: str) -> None:
    unknown = [n for n in names if n not in EXPORT_FIELDS]
    if unknown:
        known = ", ".join(EXPORT_FIELDS)
        raise ValidationError(
            f"{label}: not contact field(s): {', '.join(unknown)} (known: {known})"
        )


def text_lines(path: str | Path, encoding: str = "utf-8") -> Iterator[str]:
    """The file's lines decoded; an undecodable line is refused naming it and ``--encoding``.

    :raises ValidationError: ``line N: not valid utf-8 text ...``.
    """
    if encoding not in ENCODINGS:
        raise ValidationError(
            f"unknown encoding {encoding!r} (one of {', '.join(ENCODINGS)})", field="encoding"
        )
    hint = f"give the file's encoding with --encoding ({', '.join(ENCODINGS)})"
    with open(path, "rb") as fh:
        if encoding == "utf-16":  # not splittable into lines before decoding
            data = fh.read()
            try:
                text = data.decode("utf-16")
            except UnicodeDecodeError as exc:
                line = data[: exc.start].decode("utf-16", "replace").count("\n") + 1
                raise ValidationError(f"line {line}: not valid utf-16 text; {hint}") from None
            yield from io.StringIO(text, newline="")
            return
        codec = "utf-8-sig" if encoding == "utf-8" else encoding
        for n, raw in enumerate(fh, start=1):
            try:
                yield raw.decode(codec if n == 1 else encoding)
            except UnicodeDecodeError:
                raise ValidationError(f"line {n}: not valid {encoding} text; {hint}") from None


def read_rows(fh: Iterable[str], fmt: str) -> Iterator[Row]:
    """Rows of the file with their labels (``line N``); blank cells mean "not given".

    Refused: duplicate CSV header columns, rows with more or fewer cells than the header, a cell
    larger than the CSV limit (:data:`MAX_CELL`), and in JSON lines values of the wrong type
    (by the field checks: ``expected text, got a list``).
    """
    if fmt == "csv":
        yield from _read_csv(fh)
        return
    for n, text in enumerate(fh, start=1):
        if not text.strip():
            continue
        label = f"line {n}"
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            yield label, None, f"invalid JSON: {exc.msg}"
            continue
        if not isinstance(row, dict):
            yield label, None, "expected a JSON object"
            continue
        unknown = [k for k in row if k not in EXPORT_FIELDS]
        if unknown:
            yield label, None, f"not contact field(s): {', '.join(unknown)}"
            continue
        yield label, {k: v for k, v in row.items() if v is not None}, None


MAX_CELL = 131_072
"""The largest CSV cell (characters) an import reads."""


def _read_csv(fh: Iterable[str]) -> Iterator[Row]:
    reader = csv.reader(fh)
    done = 0
    try:
        header = next(reader, None)
        if header is None:
            return
        done = reader.line_num
        names = [f.strip() for f in header]
        _check_fields(names, "line 1")
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValidationError(f"line 1: column(s) {', '.join(twice)} appear more than once")
        width = len(names)
        for cells in reader:
            done = reader.line_num  # the last line read whole (errors name the one after it)
            if len(cells) != width:
                if not cells:  # a blank line
                    continue
                label = f"line {reader.line_num}"
                if len(cells) > width:
                    yield label, None, "more values than header columns"
                else:
                    yield label, None, f"fewer values than header columns ({len(cells)} of {width})"
                continue
            row = {k: v for k, v in zip(names, cells, strict=True) if v}
            if row:
                yield f"line {reader.line_num}", row, None
    except csv.Error as exc:
        line = done + 1  # the line being read when the error came
        if "field larger than field limit" in str(exc):
            raise ValidationError(
                f"line {line}: a cell is larger than {MAX_CELL} characters"
            ) from None
        raise ValidationError(f"line {line}: not valid CSV ({exc})") from None


def _format_error(exc: ValidationError, label: str | None = None) -> str:
    where = label if label is not None else exc.key
    parts = [str(where)] if where not in (None, "") else []
    if exc.field:
        parts.append(exc.field)
    parts.append(exc.message)
    return ": ".join(parts)


def _insert_collecting(
    session: Any,
    insert: Callable[..., list[dict]],
    rows: list[dict],
    labels: list[str],
    errors: list[str],
) -> int:
    """Insert a batch; on errors isolate the bad rows (savepoints) and insert the good ones."""
    pending = [(rows, labels)]
    done = 0
    while pending:
        part_rows, part_labels = pending.pop()
        if not part_rows:
            continue
        savepoint = session.begin_nested()
        try:
            insert(session, part_rows, row_labels=part_labels)
        except ValidationError as exc:
            savepoint.rollback()
            if exc.key in part_labels:
                i = part_labels.index(exc.key)
                errors.append(_format_error(exc))
                pending.append(
                    (part_rows[:i] + part_rows[i + 1 :], part_labels[:i] + part_labels[i + 1 :])
                )
            elif len(part_rows) == 1:
                errors.append(_format_error(exc, part_labels[0]))
            else:
                mid = len(part_rows) // 2
                pending.append((part_rows[mid:], part_labels[mid:]))
                pending.append((part_rows[:mid], part_labels[:mid]))
            continue
        savepoint.commit()
        done += len(part_rows)
    return done


def _batches(rows: Iterator[Row], errors: list[str]) -> Iterator[tuple[list[dict], list[str]]]:
    batch: list[dict] = []
    labels: list[str] = []
    for label, row, problem in rows:
        if problem is not None:
            errors.append(f"{label}: {problem}")
            continue
        batch.append(row)  # type: ignore[arg-type]
        labels.append(label)
        if len(batch) >= BATCH_SIZE:
            yield batch, labels
            batch, labels = [], []
    if batch:
        yield batch, labels


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one batch, on again after it (as it was).

    A batch builds tens of thousands of short-lived dicts, which are freed by reference counting;
    each full collection they trigger meanwhile walks every object of the process (the app, its
    tables and plugins) and cost about a tenth of an import's time while finding nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_rows(
    session: Any, rows: Iterator[Row], *, advance: Callable[[int], None] | None = None
) -> dict:
    """Import rows into the session's transaction; the caller rolls back when errors come back.

    The duplicate pairs of the imported companies are searched once, at the end, and only when
    no row failed (a failed import is rolled back whole, so the search would be wasted).

    :returns: ``{"imported": n, "errors": [...]}`` (``imported`` counts rows that went in).
    """
    from relcore_contacts.contacts import insert_contacts

    errors: list[str] = []
    imported = 0
    # duplicate pairs of all imported companies in one search at the end, not one per batch;
    # leaving the block by an exception skips the search
    with contextlib.suppress(_RolledBack), dupl_index.pairs_deferred(session):
        for batch, labels in _batches(rows, errors):
            with _gc_paused():
                imported += _insert_collecting(session, insert_contacts, batch, labels, errors)
            if advance is not None:
                advance(len(batch))
        if errors:
            raise _RolledBack
    return {"imported": imported, "errors": errors}


class _RolledBack(Exception):
    """Rows failed: the caller rolls the import back, so no duplicate pairs are searched."""


def import_file(
    app: Any,
    path: str | Path,
    *,
    fmt: str | None = None,
    dry_run: bool = False,
    advance: Callable[[int], None] | None = None,
    encoding: str = "utf-8",
) -> dict:
    """Import a file in one transaction: all rows or none (§ import; ``--dry-run`` writes none).

    :returns: ``{"imported": n, "errors": [], "dry_run": bool}``.
    :raises ImportFailed: listing every bad row; nothing is written.
    """
    fmt = detect_format(path, fmt)

    class _Rollback(Exception):
        pass

    result: dict = {}
    try:
        with app.session() as session:
            lines = text_lines(path, encoding)
            result = import_rows(session, read_rows(lines, fmt), advance=advance)
            if result["errors"] or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except FileNotFoundError:
        raise ValidationError(f"file {path} does not exist") from None
    if result["errors"]:
        raise ImportFailed(result["errors"])
    return {**result, "dry_run": dry_run}


def count_rows(path: str | Path) -> int:
    """Data rows in a file (for the progress bar): lines minus the CSV header."""
    with open(path, "rb") as fh:
        n = sum(1 for line in fh if line.strip())
    return max(n - (1 if detect_format(path) == "csv" else 0), 0)


# -- export -------------------------------------------------------------------------------------


def export_rows(session: Any) -> Iterator[dict]:
    """Every contact (companies first, then by number), streamed in batches."""
    order = sa.case((_contact.c.type == "company", 0), else_=1)
    stmt = (
        sa.select(*(_contact.c[f] for f in EXPORT_FIELDS))
        .order_by(order, _contact.c.no)
        .execution_options(yield_per=5000)
    )
    for row in session.execute(stmt):
        yield dict(row._mapping)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def export(session: Any, fh: io.TextIOBase, fmt: str = "csv") -> int:
    """Write every contact to ``fh`` as CSV (header row) or JSON lines; returns the count."""
    fmt = detect_format("", fmt)
    n = 0
    if fmt == "csv":
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(EXPORT_FIELDS)
        for row in export_rows(session):
            writer.writerow([_text(row[f]) for f in EXPORT_FIELDS])
            n += 1
        return n
    for row in export_rows(session):
        fh.write(
            json.dumps(
                {
                    k: (v if isinstance(v, (bool, int)) or v is None else str(v))
                    for k, v in row.items()
                },
                ensure_ascii=False,
            )
            + "\n"
        )
        n += 1
    return n
