"""Merge templates in the sandbox, e-mail delivery through a real SMTP server on loopback,
hard copies into a folder (§4.4 Merge, §4.5 deliver, §4.9)."""

from __future__ import annotations

import email
import email.policy
import re

import pytest
import sqlalchemy as sa

from relcore.errors import ValidationError
from relcore.interactions import InteractionRecord


def test_sandbox_renders_fields_but_never_reaches_python_or_files(tmp_path):
    from relcore_interactions.merge import render_text

    ctx = {"contact": {"name": "Anna <b>"}, "salesperson": {"name": "Jim"}}
    assert (
        render_text("Dear {{ contact.name }}, {{ salesperson.name }}", ctx) == "Dear Anna <b>, Jim"
    )
    assert render_text("<p>{{ contact.name }}</p>", ctx, html=True) == "<p>Anna &lt;b&gt;</p>"
    assert render_text("{{ contact.missing }}|{{ nothing.at.all }}", ctx) == "|"
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    attacks = [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ contact.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ contact.update({'name': 'x'}) }}",
    ]
    for source in attacks:  # refused, or an undefined (empty) value: never Python objects
        try:
            assert render_text(source, ctx) == ""
        except ValidationError as err:
            assert "merge template refused" in str(err)
    for source in (f"{{% include '{secret}' %}}", f"{{% import '{secret}' as s %}}"):
        with pytest.raises(ValidationError):
            render_text(source, ctx)
    with pytest.raises(ValidationError, match="merge template line 1"):
        render_text("{% if %}", ctx)


def _golf(
    ia,
    body=b"Dear {{ contact.first_name }} of {{ company.name }}, see you, {{ salesperson.name }}",
    name="golf.txt",
):
    from relcore_interactions import templates as t

    with ia.session() as s:
        t.import_attachment(s, "GOLF", "", body, name)
        t.edit_template(s, "GOLF", {"wizard_action": "merge"})


def test_merge_renders_one_document_per_contact(ia):
    from relcore_interactions.api import attachment_content

    _golf(ia)
    with ia.session() as s:
        rows = ia.log_interactions(
            s,
            [
                InteractionRecord(no, "GOLF", salesperson_code="JO")
                for no in ("CT000010", "CT000020")
            ],
        )
        texts = [attachment_content(s, r["attachment_no"])[0].decode() for r in rows]
    assert texts == ["Dear Anna of Adatum, see you, Jim Olive", "Dear  of , see you, Jim Olive"]
    assert rows[0]["attachment_no"] != rows[1]["attachment_no"]


class Inbox:
    """Messages received by the test SMTP server."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.test"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as sock:  # a free port on loopback
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def _configure(ia, controller, tmp_path):
    with ia.session() as s:
        ia.setup.set(s, "interactions.smtp_host", "127.0.0.1")
        ia.setup.set(s, "interactions.smtp_port", controller.port)
        ia.setup.set(s, "interactions.smtp_from", "crm@cronus.test")
        ia.setup.set(s, "interactions.hard_copy_folder", str(tmp_path / "print"))


def test_email_delivery_through_smtp(ia, run_cli, smtp_server, tmp_path):
    controller, inbox = smtp_server
    _configure(ia, controller, tmp_path)
    _golf(ia, b"<p>Dear {{ contact.first_name }}</p>", "golf.html")
    r = run_cli(ia, "interactions", "log", "--contact", "CT000010", "--template", "GOLF", json=True)
    assert r.exit_code == 0, r.output
    assert r.json["delivery_status"] == "sent" and r.json["delivery"]["sent"] == [1]
    ((to, msg),) = inbox.messages
    assert to == ["anna@adatum.test"]
    assert msg["Subject"] == "Golf event" and msg["From"] == "crm@cronus.test"
    assert "<p>Dear Anna</p>" in msg.get_body(("html",)).get_content()
    assert "Dear Anna" in msg.get_body(("plain",)).get_content()


def test_one_failing_recipient_never_blocks_the_others(ia, smtp_server, tmp_path):
    from relcore_interactions.api import deliver

    from relcore import entities

    controller, inbox = smtp_server
    _configure(ia, controller, tmp_path)
    _golf(ia)
    with ia.session() as s:
        entities.update(s, "contacts.contact", "CT000020", {"email": "carla@refused.test"})
        rows = ia.log_interactions(
            s,
            [
                InteractionRecord(no, "GOLF", salesperson_code="JO")
                for no in ("CT000010", "CT000020", "CT000001")
            ],
        )
        nos = [r["entry_no"] for r in rows]
        result = deliver(s, nos + [999])
    assert result["sent"] == [nos[0], nos[2]]
    assert list(result["error"]) == [nos[1]] and "refused" in result["error"][nos[1]]
    assert result["skipped"] == {999: "does not exist"}
    assert sorted(to[0] for to, _ in inbox.messages) == ["anna@adatum.test", "info@adatum.test"]
    from relcore_interactions.model import log_entry

    with ia.session() as s:
        status = dict(s.execute(sa.select(log_entry.c.entry_no, log_entry.c.delivery_status)).all())
    assert status == {nos[0]: "sent", nos[1]: "error", nos[2]: "sent"}


def test_email_delivery_errors_are_recorded_not_raised(ia, run_cli):
    _golf(ia)
    r = run_cli(ia, "interactions", "log", "--contact", "CT000010", "--template", "GOLF", json=True)
    assert r.exit_code == 0, r.output
    assert r.json["delivery_status"] == "error"
    assert "smtp_host" in r.json["delivery_error"]


def test_hard_copy_renders_one_file_per_interaction(ia, run_cli, tmp_path):
    from relcore_interactions import templates as t

    with ia.session() as s:
        ia.setup.set(s, "interactions.hard_copy_folder", str(tmp_path / "print"))
        t.import_attachment(s, "BUS", "", b"Dear {{ contact.name }}", "bus.txt")
        t.edit_template(s, "BUS", {"wizard_action": "merge"})
    for no in ("CT000010", "CT000001"):
        r = run_cli(ia, "interactions", "log", "--contact", no, "--template", "BUS", json=True)
        assert r.exit_code == 0, r.output
        assert r.json["correspondence_type"] == "hard_copy"
        assert r.json["delivery_status"] == "sent"
    files = sorted(p.name for p in (tmp_path / "print").iterdir())
    assert [re.sub(r"_[0-9a-f]{8}\.", "_*.", f) for f in files] == [
        "interaction_00000001_CT000010_*.txt",
        "interaction_00000002_CT000001_*.txt",
    ]
    assert (tmp_path / "print" / files[0]).read_text() == "Dear Anna Smith"
    r = run_cli(ia, "interactions", "deliver", "1", "2", json=True)
    assert r.json["sent"] == [1, 2]


def test_hard_copies_never_follow_a_planted_symlink(ia, run_cli, tmp_path):
    """#13 item 6: predictable names + a symlink in the folder used to overwrite its target."""
    from relcore_interactions import templates as t

    folder = tmp_path / "print"
    folder.mkdir(mode=0o700)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for no in range(1, 4):
        (folder / f"interaction_{no:08d}_CT000010.txt").symlink_to(victim)
    with ia.session() as s:
        ia.setup.set(s, "interactions.hard_copy_folder", str(folder))
        t.import_attachment(s, "BUS", "", b"Dear {{ contact.name }}", "bus.txt")
        t.edit_template(s, "BUS", {"wizard_action": "merge"})
    r = run_cli(ia, "interactions", "log", "--contact", "CT000010", "--template", "BUS", json=True)
    assert r.exit_code == 0 and r.json["delivery_status"] == "sent"
    assert victim.read_text() == "precious"
    written = [p for p in folder.iterdir() if not p.is_symlink()]
    assert len(written) == 1 and written[0].read_text() == "Dear Anna Smith"


def test_a_hard_copy_folder_that_is_a_symlink_is_refused(ia, run_cli, tmp_path):
    from relcore_interactions import templates as t

    (tmp_path / "elsewhere").mkdir(mode=0o700)
    (tmp_path / "print").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with ia.session() as s:
        ia.setup.set(s, "interactions.hard_copy_folder", str(tmp_path / "print"))
        t.import_attachment(s, "BUS", "", b"Dear {{ contact.name }}", "bus.txt")
        t.edit_template(s, "BUS", {"wizard_action": "merge"})
    r = run_cli(ia, "interactions", "log", "--contact", "CT000010", "--template", "BUS", json=True)
    assert r.json["delivery_status"] == "error"
    assert "is a symbolic link" in r.json["delivery_error"]
    assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'x' * 30000000 }}",  # one expression building 30 MB
        "{% for i in range(200) %}{{ contact.name * 100 }}{% endfor %}",  # many small chunks
        "{{ 7 ** 99999999 }}",  # a number that would take minutes to build
    ],
)
def test_merge_output_is_capped_and_the_entry_fails_clearly(ia, run_cli, tmp_path, source):
    """#13 item 7: rendered output is capped by setup interactions.merge_output_limit."""
    from relcore_interactions import templates as t

    with ia.session() as s:
        ia.setup.set(s, "interactions.hard_copy_folder", str(tmp_path / "print"))
        ia.setup.set(s, "interactions.merge_output_limit", 10_000)
        t.import_attachment(s, "BUS", "", source.encode(), "bus.txt")
        t.edit_template(s, "BUS", {"wizard_action": "merge"})
    r = run_cli(ia, "interactions", "log", "--contact", "CT000010", "--template", "BUS")
    assert r.exit_code == 1
    assert r.output.count("\n") == 1 and "Attachment" in r.output
    assert "10000 characters" in r.output or "exponents above 1000" in r.output
    with ia.session() as s:
        assert s.execute(sa.text("select count(*) from interactions_log_entry")).scalar() == 0
