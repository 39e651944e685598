"""After ``contacts erase``, no copy of the erased values is left anywhere (issue #13 item 1).

The search is generic: every text and binary column of every table the loaded plugins declare
(so a future plugin's tables are searched too, and its registered entities among them), and
every file relcore wrote (attachment storage and hard-copy folders).
"""

from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa

from relcore import entities
from relcore.db import metadata

SECRETS = {
    "first_name": "Zyxwvette",
    "surname": "Qutsrova",
    "email": "zyxwvette.q@erase.test",
    "address": "Erasegate 977",
    "phone_no": "+47 91827364",
}


def _texts_in_database(app) -> list[str]:
    """Every text/binary value of every table of the app's plugins, lower-cased."""
    found = []
    with app.session() as s:
        existing = set(sa.inspect(s).get_table_names())
        registered = {et.table.name for et in app.entities.values()}
        tables = [t for t in metadata.sorted_tables if t.name in existing]
        assert registered <= {t.name for t in tables}  # every registered entity is searched
        for table in tables:
            cols = [
                c
                for c in table.c
                if isinstance(c.type, (sa.String, sa.Text, sa.LargeBinary))
                and not isinstance(c.type, sa.Uuid)
            ]
            if not cols:
                continue
            for row in s.execute(sa.select(*cols)):
                for col, value in zip(cols, row, strict=True):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if value:
                        found.append(f"{table.name}.{col.name}: {value}".lower())
    return found


def _texts_in_files(*folders) -> list[str]:
    return [
        f"{p}: {p.read_bytes().decode('utf-8', 'replace')}".lower()
        for folder in folders
        if folder.exists()
        for p in folder.rglob("*")
        if p.is_file()
    ]


@pytest.fixture
def crowded(make_app, run_cli, tmp_path):
    """A person whose data reached every plugin: entries with comments and merged documents,
    a printed hard copy, a segment, a Dataverse coupling snapshot and a sync error."""
    from relcore_d365sales import couplings, jobs
    from relcore_d365sales.mappings import ensure_mappings
    from relcore_interactions import templates as t
    from relcore_segments import criteria, segments

    app = make_app("contacts", "interactions", "segments", "d365sales")
    with app.session() as s:
        entities.insert(s, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        app.setup.set(s, "interactions.attachment_storage_type", "disk_file")
        app.setup.set(s, "interactions.attachment_storage_location", str(tmp_path / "store"))
        app.setup.set(s, "interactions.hard_copy_folder", str(tmp_path / "print"))
        t.add_group(s, "LETTER")
        t.add_template(
            s, "BUS", "LETTER", {"correspondence_type": "hard_copy", "description": "Letter"}
        )
        t.import_attachment(s, "BUS", "", b"Dear {{ contact.name }}, {{ contact.email }}", "b.txt")
        t.edit_template(s, "BUS", {"wizard_action": "merge"})
    company = run_cli(app, "contacts", "add", "--name", "Keep Ltd", json=True).json["no"]
    person = run_cli(
        app,
        "contacts",
        "add",
        "--type",
        "person",
        "--name",
        f"{SECRETS['first_name']} {SECRETS['surname']}",
        "--company-no",
        company,
        *(f"--set={k}={v}" for k, v in SECRETS.items() if k not in ("first_name", "surname")),
        json=True,
    ).json["no"]
    r = run_cli(
        app,
        "interactions",
        "log",
        "--contact",
        person,
        "--template",
        "BUS",
        "--set",
        "salesperson_code=JO",
        json=True,
    )
    assert r.exit_code == 0 and r.json["delivery_status"] == "sent", r.output
    from relcore.interactions import InteractionRecord

    with app.session() as s:
        app.log_interactions(
            s,
            [
                InteractionRecord(
                    person,
                    "BUS",
                    salesperson_code="JO",
                    description=f"Call with {SECRETS['surname']}",
                    extra={"comments": [f"mail {SECRETS['email']}"]},
                )
            ],
        )
        seg = segments.create_segment(s, {"description": "Mailing", "salesperson_code": "JO"})
        criteria.add_contacts(s, seg["no"])
        mapping = next(m for m in ensure_mappings(s) if m.upper().startswith("CONTACT"))
        snapshot = {"emailaddress1": SECRETS["email"], "address1_line1": SECRETS["address"]}
        couplings.insert(
            s,
            [
                {
                    "mapping_name": mapping,
                    "local_key": person,
                    "dv_id": str(uuid.uuid4()),
                    "last_values": json.dumps(snapshot),
                }
            ],
        )
        job = jobs.start(s, str(uuid.uuid4()), mapping, "to_integration", "synchronization")
        jobs.log_errors(
            s,
            [
                {
                    "job_id": job.id,
                    "mapping_name": mapping,
                    "direction": "to_integration",
                    "local_key": person,
                    "dv_id": "",
                    "message": f"emailaddress1 {SECRETS['email']} refused",
                    "detail": f"phone {SECRETS['phone_no']}",
                }
            ],
        )
        jobs.finish(s, job)
    return app, person, tmp_path


def test_erase_leaves_no_copy_of_the_personal_data(crowded, run_cli):
    app, person, tmp_path = crowded
    before = _texts_in_database(app) + _texts_in_files(tmp_path / "store", tmp_path / "print")
    for value in SECRETS.values():  # the scenario really spread the data
        assert any(value.lower() in text for text in before), value
    r = run_cli(app, "contacts", "erase", person, "--yes")
    assert r.exit_code == 0, r.output
    after = _texts_in_database(app) + _texts_in_files(tmp_path / "store", tmp_path / "print")
    left = [t for t in after for v in SECRETS.values() if v.lower() in t]
    assert left == []
