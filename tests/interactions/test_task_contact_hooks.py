"""Tasks and the contacts plugin's hooks: type change blocked (§2.4), deletion refused with open
tasks and re-pointing otherwise (§2.7), merge, erase."""

from __future__ import annotations

import pytest
from relcore_interactions import task_service, task_status, tasks

from relcore.errors import ValidationError


def _task(session, contact_no, **values):
    values.setdefault("description", "Visit")
    values.setdefault("salesperson_code", "JO")
    return task_service.create_task(session, {"contact_no": contact_no, **values})[0]


def test_type_change_blocked_while_tasks_exist(ia, run_cli):
    with ia.session() as session:
        _task(session, "CT000020")
    r = run_cli(ia, "contacts", "edit", "CT000020", "--set", "type=company")
    assert r.exit_code == 1
    assert "Type cannot be changed because one or more tasks are linked to the contact." in r.output


def test_delete_refused_with_open_tasks_then_repointed(ia, run_cli):
    with ia.session() as session:
        row = _task(session, "CT000011")
    r = run_cli(ia, "contacts", "delete", "CT000011")
    assert r.exit_code == 1
    assert (
        "You cannot delete contact CT000011 because there are one or more tasks open." in r.output
    )
    with ia.session() as session:
        task_status.close(session, row["no"])
    assert run_cli(ia, "contacts", "delete", "CT000011").exit_code == 0
    with ia.session() as session:
        moved = tasks.get_task(session, row["no"])
    assert (moved["contact_no"], moved["contact_company_no"]) == ("CT000001", "CT000001")


def test_merge_moves_tasks_and_attendees(ia):
    from relcore_contacts import merge as contact_merge

    with ia.session() as session:
        row = task_service.create_task(
            session,
            {"description": "Demo", "salesperson_code": "JO", "contact_no": "CT000011"},
            attendees=[tasks.parse_attendee("contact:CT000011")],
        )[0]
    with ia.session() as session:
        contact_merge.merge(session, "CT000010", "CT000011")
        moved = tasks.show_task(session, row["no"])
    assert moved["contact_no"] == "CT000010"
    assert [a["attendee_no"] for a in moved["attendees"]] == ["CT000010"]


def test_erase_scrubs_task_personal_data(ia):
    with ia.session() as session:
        row = task_service.create_task(
            session,
            {"description": "Demo", "salesperson_code": "JO", "contact_no": "CT000010"},
            attendees=[tasks.parse_attendee("contact:CT000010")],
            comments=["Anna's private phone 555"],
        )[0]
        results = ia.pm.hook.relcore_erase_personal_data(session=session, contact_nos=["CT000010"])
        shown = tasks.show_task(session, row["no"])
    assert shown["comments"] == []
    assert shown["attendees"][0]["attendee_name"] == ""
    assert {"interactions_task_attendee": 1, "interactions_task_comment": 1}.items() <= {
        k: v for r in results for k, v in r.items()
    }.items()


def test_unknown_contact_is_refused(ia):
    with ia.session() as session, pytest.raises(ValidationError, match="CT000999"):
        _task(session, "CT000999")
