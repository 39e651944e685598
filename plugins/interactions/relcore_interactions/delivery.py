"""Delivering logged interactions (§4.5 "deliver", §4.9): e-mail by SMTP, hard copy as files.

* Correspondence type ``email``: the entry's attachment (merged text/HTML becomes the body; any
  other document is attached) is sent to the contact's (or alternative address's) e-mail with the
  standard library's :mod:`smtplib` (setup ``interactions.smtp_*``; the password only from the
  environment variable ``RELCORE_SMTP_PASSWORD``).
* Correspondence type ``hard_copy``: the attachment is rendered into one file per interaction in
  ``interactions.hard_copy_folder``.

Each entry gets its own Delivery Status (``sent`` or ``error`` with the reason in
``delivery_error``); one failing recipient never stops or loses the others.
"""

from __future__ import annotations

import contextlib
import html as htmllib
import os
import re
import secrets
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from relcore.app import app_of
from relcore.errors import RelcoreError
from relcore_interactions import attachments
from relcore_interactions.model import log_entry
from relcore_interactions.setup_fields import SMTP_PASSWORD_ENV

_SETUP_KEYS = (
    "interactions.smtp_host",
    "interactions.smtp_port",
    "interactions.smtp_starttls",
    "interactions.smtp_user",
    "interactions.smtp_from",
    "interactions.hard_copy_folder",
)


class _Outcome:
    def __init__(self) -> None:
        self.status: dict[int, tuple[str, str]] = {}
        self.skipped: dict[int, str] = {}

    def ok(self, no: int) -> None:
        self.status[no] = ("sent", "")

    def error(self, no: int, reason: str) -> None:
        self.status[no] = ("error", reason[:250])


def _recipients(session: Any, rows: list[dict]) -> dict[int, str]:
    from relcore_contacts.api import alt_address_table as alt
    from relcore_contacts.api import contact_table as ct

    nos = {r["contact_no"] for r in rows} - {None}
    emails = (
        dict(session.execute(sa.select(ct.c.no, ct.c.email).where(ct.c.no.in_(nos))).all())
        if nos
        else {}
    )
    pairs = {
        (r["contact_no"], r["contact_alt_address_code"])
        for r in rows
        if r["contact_alt_address_code"]
    }
    alt_emails = {}
    if pairs:
        for r in session.execute(
            sa.select(alt.c.contact_no, alt.c.code, alt.c.email).where(
                alt.c.contact_no.in_({p[0] for p in pairs})
            )
        ):
            alt_emails[(r.contact_no, r.code)] = r.email
    out = {}
    for r in rows:
        alt_email = alt_emails.get((r["contact_no"], r["contact_alt_address_code"]), "")
        out[r["entry_no"]] = alt_email or emails.get(r["contact_no"], "") or ""
    return out


def _plain_from_html(text: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def build_message(row: dict, att: dict, content: bytes, sender: str, to: str) -> EmailMessage:
    """The e-mail of one interaction: text/HTML attachments are the body, others are attached."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = row["subject"] or row["description"]
    ext = att["file_extension"]
    if ext in ("html", "htm"):
        text = content.decode("utf-8")
        msg.set_content(_plain_from_html(text) or row["description"])
        msg.add_alternative(text, subtype="html")
    elif attachments.is_text(att):
        msg.set_content(content.decode("utf-8"))
    else:
        msg.set_content(row["description"] or row["subject"] or "")
        msg.add_attachment(
            content,
            maintype="application",
            subtype="octet-stream",
            filename=att["file_name"] or f"attachment.{ext or 'bin'}",
        )
    return msg


class _Mailer:
    """One SMTP connection, opened on first use and reopened after a broken link."""

    def __init__(self, setup: dict[str, Any]) -> None:
        self.setup = setup
        self.smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        host = self.setup["interactions.smtp_host"]
        smtp = smtplib.SMTP(host, self.setup["interactions.smtp_port"] or 25, timeout=30)
        if self.setup["interactions.smtp_starttls"]:
            smtp.starttls()
        user = self.setup["interactions.smtp_user"]
        if user:
            smtp.login(user, os.environ.get(SMTP_PASSWORD_ENV, ""))
        return smtp

    def send(self, msg: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._open()
        try:
            self.smtp.send_message(msg)
        except smtplib.SMTPServerDisconnected:
            self.close()  # reconnect for the next message
            raise
        except smtplib.SMTPException:
            raise  # a refused message: the link stays usable
        except OSError:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError):  # SMTPException is an OSError
                self.smtp.quit()
            self.smtp = None


def _send_emails(
    rows: list[dict],
    atts: dict[int, dict],
    contents: dict[int, bytes],
    recipients: dict[int, str],
    setup: dict[str, Any],
    out: _Outcome,
) -> None:
    if not rows:
        return
    if not setup["interactions.smtp_host"] or not setup["interactions.smtp_from"]:
        for r in rows:
            out.error(
                r["entry_no"],
                "e-mail delivery needs interactions.smtp_host and interactions.smtp_from in setup",
            )
        return
    mailer = _Mailer(setup)
    try:
        for r in rows:
            no = r["entry_no"]
            to = recipients.get(no, "")
            if not to:
                out.error(no, f"contact {r['contact_no']} has no e-mail address")
                continue
            try:
                msg = build_message(
                    r,
                    atts[r["attachment_no"]],
                    contents[r["attachment_no"]],
                    setup["interactions.smtp_from"],
                    to,
                )
                mailer.send(msg)
                out.ok(no)
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                out.error(no, f"recipient {to} refused: {code} {_decode(text)}")
            except smtplib.SMTPResponseException as exc:
                out.error(no, f"SMTP error {exc.smtp_code}: {_decode(exc.smtp_error)}")
            except (smtplib.SMTPException, OSError, UnicodeError, ValueError) as exc:
                out.error(no, f"sending failed: {exc}")
    finally:
        mailer.close()


def _decode(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _print_hard_copies(
    rows: list[dict],
    atts: dict[int, dict],
    contents: dict[int, bytes],
    folder: str | None,
    out: _Outcome,
) -> None:
    if not rows:
        return
    if not folder:
        for r in rows:
            out.error(
                r["entry_no"], "hard-copy delivery needs interactions.hard_copy_folder in setup"
            )
        return
    from relcore.files import write_new_file

    path = Path(folder)
    for r in rows:
        att = atts[r["attachment_no"]]
        # a random part: names cannot be predicted (and a symlink planted in advance)
        name = (
            f"interaction_{r['entry_no']:08d}_{r['contact_no'] or 'none'}_"
            f"{secrets.token_hex(4)}.{att['file_extension'] or 'bin'}"
        )
        try:
            write_new_file(path, name, contents[r["attachment_no"]])
            out.ok(r["entry_no"])
        except RelcoreError as exc:
            out.error(r["entry_no"], str(exc))
        except OSError as exc:
            out.error(r["entry_no"], f"cannot write {path / name}: {exc.strerror or exc}")


def remove_hard_copies(session: Any, contact_nos: list[str]) -> int:
    """Delete the hard copies printed for these contacts (GDPR erase); returns how many.

    Hard copies are named ``interaction_<entry no.>_<contact no.>_<random>.<ext>``.
    """
    folder = app_of(session).setup.get(session, "interactions.hard_copy_folder")
    if not folder or not Path(folder).is_dir():
        return 0
    removed = 0
    for no in contact_nos:
        for path in Path(folder).glob(f"interaction_*_{no}_*"):
            if path.is_file() or path.is_symlink():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def deliver(session: Any, entry_nos: list[int]) -> dict:
    """Deliver logged interactions by their correspondence type; record each entry's status.

    Entries that are canceled, postponed, have no correspondence type or no attachment are
    skipped (nothing to deliver).

    :returns: ``{"sent": [entry_no...], "error": {entry_no: reason}, "skipped": {entry_no:
        reason}}``.
    """
    nos = sorted(set(int(n) for n in entry_nos))
    rows = (
        [
            dict(r._mapping)
            for r in session.execute(
                sa.select(log_entry)
                .where(log_entry.c.entry_no.in_(nos))
                .order_by(log_entry.c.entry_no)
            )
        ]
        if nos
        else []
    )
    found = {r["entry_no"] for r in rows}
    out = _Outcome()
    for no in nos:
        if no not in found:
            out.skipped[no] = "does not exist"
    todo = []
    for r in rows:
        reason = (
            "canceled"
            if r["canceled"]
            else "postponed"
            if r["postponed"]
            else "no correspondence type"
            if not r["correspondence_type"]
            else "no attachment"
            if not r["attachment_no"]
            else None
        )
        if reason:
            out.skipped[r["entry_no"]] = reason
        else:
            todo.append(r)
    atts = attachments.get_rows(session, {r["attachment_no"] for r in todo})
    contents: dict[int, bytes] = {}
    for no, att in atts.items():
        try:
            contents[no] = attachments.content_of(att)
        except Exception as exc:  # noqa: BLE001 - a broken file fails its entries only
            for r in todo:
                if r["attachment_no"] == no:
                    out.error(r["entry_no"], str(exc))
    todo = [r for r in todo if r["attachment_no"] in contents]
    setup = app_of(session).setup.get_many(session, _SETUP_KEYS)
    emails = [r for r in todo if r["correspondence_type"] == "email"]
    _send_emails(emails, atts, contents, _recipients(session, emails), setup, out)
    _print_hard_copies(
        [r for r in todo if r["correspondence_type"] == "hard_copy"],
        atts,
        contents,
        setup["interactions.hard_copy_folder"],
        out,
    )
    if out.status:
        session.execute(
            sa.update(log_entry)
            .where(log_entry.c.entry_no == sa.bindparam("b_no"))
            .values(delivery_status=sa.bindparam("b_status"), delivery_error=sa.bindparam("b_err")),
            [{"b_no": no, "b_status": s, "b_err": e} for no, (s, e) in out.status.items()],
        )
    return {
        "sent": sorted(no for no, (s, _) in out.status.items() if s == "sent"),
        "error": {no: e for no, (s, e) in sorted(out.status.items()) if s == "error"},
        "skipped": dict(sorted(out.skipped.items())),
    }
