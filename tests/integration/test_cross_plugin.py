"""The plugins together, through the shell: contact rules that other plugins enforce or follow
(§2.4 type change, §2.5.1 company change, §2.7 deletion, merge)."""

from __future__ import annotations

import pytest


def ok(result):
    assert result.exit_code == 0, result.output
    return result.json if result.stdout.lstrip().startswith(("{", "[")) else result


@pytest.fixture
def edition(make_app, run_cli):
    """contacts, interactions, segments; a company with a person, template MEET, salesperson JO."""
    app = make_app("contacts", "interactions", "segments")

    def cli(*args):
        return run_cli(app, *args, json=True)

    ok(cli("contacts", "salespeople", "add", "JO", "--name", "Jo"))
    company = ok(cli("contacts", "add", "--type", "company", "--name", "Adatum"))["no"]
    person = ok(
        cli("contacts", "add", "--type", "person", "--name", "Anna Smith", "--company-no", company)
    )["no"]
    ok(cli("interactions", "groups", "add", "MEETING"))
    ok(
        cli(
            "interactions",
            "templates",
            "add",
            "MEET",
            "--group",
            "MEETING",
            "--set",
            "description=Meeting",
            "--set",
            "correspondence_type=",
        )
    )
    return app, cli, company, person


def log(cli, contact):
    return ok(
        cli(
            "interactions",
            "log",
            "--contact",
            contact,
            "--template",
            "MEET",
            "--set",
            "salesperson_code=JO",
        )
    )


def test_a_contact_with_interactions_cannot_change_type(edition):
    app, cli, company, person = edition
    log(cli, person)
    refused = cli("contacts", "edit", person, "--set", "type=company")
    assert refused.exit_code == 1
    assert "interaction log entries" in refused.output


def test_deleting_a_person_moves_its_interactions_to_the_company(edition):
    app, cli, company, person = edition
    entry = log(cli, person)["entry_no"]
    ok(cli("contacts", "delete", person))
    entries = ok(cli("interactions", "list", "--contact", company))
    moved = next(e for e in entries if e["entry_no"] == entry)
    assert (moved["contact_no"], moved["contact_company_no"]) == (company, company)


def test_a_person_on_an_unlogged_segment_keeps_its_company_and_cannot_be_deleted(edition):
    app, cli, company, person = edition
    other = ok(cli("contacts", "add", "--type", "company", "--name", "Fabrikam"))["no"]
    segment = ok(cli("segments", "add", "--description", "Mailing"))["no"]
    ok(cli("segments", "add-contacts", segment, "--where", f"contact.no={person}"))
    moved = cli("contacts", "edit", person, "--set", f"company_no={other}")
    assert moved.exit_code == 1 and "unlogged segments" in moved.output
    deleted = cli("contacts", "delete", person)
    assert deleted.exit_code == 1 and "unlogged segment" in deleted.output
    assert ok(cli("contacts", "show", person))["company_no"] == company


def test_merge_moves_interactions_and_segment_lines_and_reports_per_plugin(edition):
    app, cli, company, person = edition
    twin = ok(cli("contacts", "add", "--type", "company", "--name", "Adatum Ltd"))["no"]
    log(cli, twin)
    segment = ok(cli("segments", "add", "--description", "Mailing"))["no"]
    ok(cli("segments", "add-contacts", segment, "--where", f"contact.no={twin}"))
    preview = ok(cli("contacts", "merge", company, twin, "--dry-run"))
    assert preview["dry_run"] is True
    assert ok(cli("contacts", "show", twin))["no"] == twin  # nothing changed
    report = ok(cli("contacts", "merge", company, twin))
    assert report["moved"]["interactions_log_entry"]
    assert report["moved"]["segments_line"]
    assert cli("contacts", "show", twin).exit_code == 1
    lines = ok(cli("segments", "show", segment))["lines"]
    assert [line["contact_no"] for line in lines] == [company]
    assert all(
        e["contact_no"] == company for e in ok(cli("interactions", "list", "--contact", company))
    )
