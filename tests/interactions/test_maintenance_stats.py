"""Maintenance (§4.8), statistics FlowFields (§2.1, IL5), contacts' hooks (§2.4, §2.5.1, §2.7),
classification values (§2.11), personal-data erasure."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
import sqlalchemy as sa

from relcore import hookimpl
from relcore.errors import ValidationError
from relcore.interactions import InteractionRecord

D = decimal.Decimal


def _log(app, *specs):
    """specs: (contact, template, date, extra kwargs)."""
    with app.session() as s:
        return [
            r["entry_no"]
            for r in app.log_interactions(
                s,
                [
                    InteractionRecord(c, t, date=d, salesperson_code="JO", **kw)
                    for c, t, d, kw in specs
                ],
            )
        ]


def test_il5_canceled_entries_leave_the_statistics(ia, run_cli):
    a, b = _log(
        ia,
        ("CT000010", "BUS", dt.date(2025, 1, 5), {}),
        ("CT000010", "INHOUSE", dt.date(2025, 1, 6), {}),
    )
    r = run_cli(ia, "interactions", "cancel", str(b), json=True)
    assert r.exit_code == 0 and r.json["canceled"] == [b]
    r = run_cli(ia, "interactions", "stats", "--contact", "CT000010", json=True)
    assert r.json == {
        "no_of_interactions": 1,
        "cost": "8.00",
        "duration": "30.00",
        "date_of_last_interaction": "2025-01-06",
        "last_date_attempted": "2025-01-05",
    }
    r = run_cli(ia, "interactions", "uncancel", str(b))
    assert r.exit_code == 0
    r = run_cli(ia, "interactions", "stats", "--contact", "CT000010", json=True)
    assert r.json["no_of_interactions"] == 2 and r.json["cost"] == "33.00"


def test_company_statistics_aggregate_persons_within_a_date_filter(ia, run_cli):
    _log(
        ia,
        ("CT000001", "BUS", dt.date(2025, 1, 1), {}),
        ("CT000010", "INHOUSE", dt.date(2025, 1, 10), {}),
        ("CT000011", "OUTGOING", dt.date(2025, 2, 1), {"attempt_failed": True}),
        ("CT000002", "ONSITE", dt.date(2025, 1, 10), {}),
        ("CT000010", "ONSITE", dt.date(2025, 3, 1), {"postponed": True}),
    )
    r = run_cli(ia, "interactions", "stats", "--contact", "CT000001", json=True)
    assert r.json == {
        "no_of_interactions": 3,
        "cost": "34.00",
        "duration": "165.00",
        "date_of_last_interaction": "2025-01-10",
        "last_date_attempted": "2025-02-01",
    }
    r = run_cli(
        ia,
        "interactions",
        "stats",
        "--contact",
        "CT000001",
        "--from",
        "2025-01-05",
        "--to",
        "2025-01-31",
        json=True,
    )
    assert (r.json["no_of_interactions"], r.json["cost"]) == (1, "25.00")
    r = run_cli(ia, "interactions", "stats", "--contact", "CT000011", json=True)
    assert r.json["no_of_interactions"] == 1 and r.json["date_of_last_interaction"] is None
    r = run_cli(ia, "interactions", "stats", "--group", "MEETING", json=True)
    assert (r.json["no_of_interactions"], r.json["cost"]) == (2, "70.00")
    r = run_cli(ia, "interactions", "stats", "--template", "ONSITE", json=True)
    assert r.json["no_of_interactions"] == 1
    r = run_cli(ia, "interactions", "stats", "--salesperson", "JO", "--to", "2025-01-31", json=True)
    assert r.json["no_of_interactions"] == 3
    r = run_cli(ia, "interactions", "stats", "--contact", "CT000404")
    assert r.exit_code == 1 and "Contact CT000404: does not exist" in r.output


def test_statistics_use_an_index(ia):
    from relcore_interactions.statistics import aggregate_select, contact_filter

    from relcore.db import is_postgres

    with ia.session() as s:
        if is_postgres(s):
            pytest.skip("plan shape checked on SQLite")
        stmt = aggregate_select(contact_filter(s, "CT000001"))
        sql = str(stmt.compile(s, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r) for r in s.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "ix_interactions_log_entry_company_stats" in plan


class Veto:
    """A plugin owning logged segments refuses un-cancelling (§4.8)."""

    requires = ("interactions",)

    @staticmethod
    @hookimpl
    def relcore_interactions_check_uncancel(session, entries):
        for e in entries:
            if e["logged_segment_entry_no"]:
                raise ValidationError(
                    "its logged segment is canceled",
                    entity="Interaction Log Entry",
                    key=e["entry_no"],
                )


def test_uncancel_vetoed_and_delete_canceled_and_evaluate(make_app, run_cli, seed):
    app = make_app("contacts", "interactions", extra=[("segs", Veto)])
    with app.session() as s:
        seed(s)
    a, b, c = _log(
        app,
        ("CT000010", "BUS", None, {"logged_segment_entry_no": 7, "comment": "x"}),
        ("CT000010", "BUS", None, {}),
        ("CT000011", "BUS", None, {}),
    )
    assert run_cli(app, "interactions", "cancel", str(a), str(b)).exit_code == 0
    r = run_cli(app, "interactions", "uncancel", str(a))
    assert r.exit_code == 1 and f"Interaction Log Entry {a}: its logged segment" in r.output
    r = run_cli(app, "interactions", "evaluate", str(c), "--evaluation", "very_positive", json=True)
    assert r.json["evaluated"] == [c]
    r = run_cli(app, "interactions", "delete-canceled", "--contact", "CT000011", json=True)
    assert r.json == {"deleted": []}  # c is not canceled
    r = run_cli(app, "interactions", "delete-canceled", "--template", "BUS")
    assert r.exit_code == 0 and "2 Interaction Log Entries have been deleted." in r.output
    r = run_cli(app, "interactions", "list", json=True)
    assert [(e["entry_no"], e["evaluation"]) for e in r.json] == [(c, "very_positive")]
    r = run_cli(app, "interactions", "cancel", "999")
    assert r.exit_code == 1 and "Interaction Log Entry 999: does not exist" in r.output


def test_type_change_is_vetoed_while_entries_exist(ia):
    from relcore_contacts.api import get_contact

    _log(ia, ("CT000020", "BUS", None, {}))
    with ia.session() as s:
        rows = [get_contact(s, "CT000020"), get_contact(s, "CT000002")]
        with pytest.raises(
            ValidationError,
            match="Type cannot be changed because one or more interaction log entries",
        ):
            ia.pm.hook.relcore_contacts_check_type_change(
                session=s, contacts=rows[:1], new_type="company"
            )
        ia.pm.hook.relcore_contacts_check_type_change(
            session=s, contacts=rows[1:], new_type="person"
        )


def _pairs(app):
    from relcore_interactions.model import log_entry as E

    with app.session() as s:
        return [
            tuple(r)
            for r in s.execute(
                sa.select(E.c.entry_no, E.c.contact_company_no, E.c.contact_no).order_by(
                    E.c.entry_no
                )
            )
        ]


def test_check_delete_repoints_persons_and_detaches_companies(ia):
    from relcore_contacts.api import get_contact

    _log(
        ia,
        ("CT000010", "BUS", None, {}),
        ("CT000001", "BUS", None, {}),
        ("CT000020", "BUS", None, {}),
        ("CT000002", "BUS", None, {}),
    )
    with ia.session() as s:
        ia.pm.hook.relcore_contacts_check_delete(
            session=s, contacts=[get_contact(s, n) for n in ("CT000010", "CT000020")]
        )
    assert _pairs(ia) == [
        (1, "CT000001", "CT000001"),
        (2, "CT000001", "CT000001"),
        (3, None, None),
        (4, "CT000002", "CT000002"),
    ]
    with ia.session() as s:
        ia.pm.hook.relcore_contacts_check_delete(session=s, contacts=[get_contact(s, "CT000001")])
    assert [p[1:] for p in _pairs(ia)] == [
        (None, None),
        (None, None),
        (None, None),
        ("CT000002", "CT000002"),
    ]


def test_company_change_repoints_history(ia):
    _log(ia, ("CT000010", "BUS", None, {}), ("CT000020", "BUS", None, {}))
    with ia.session() as s:
        ia.pm.hook.relcore_contacts_company_changed(
            session=s, moves=[("CT000010", "CT000001", "CT000002"), ("CT000020", "", "CT000002")]
        )
    assert _pairs(ia) == [(1, "CT000001", "CT000001"), (2, "CT000002", "CT000020")]


def test_merge_moves_entries_with_dry_run_counts(ia):
    _log(
        ia,
        ("CT000020", "BUS", None, {}),
        ("CT000020", "BUS", None, {}),
        ("CT000011", "BUS", None, {}),
    )
    with ia.session() as s:
        counts = ia.pm.hook.relcore_contacts_merge(
            session=s, merges=[("CT000010", "CT000020")], dry_run=True
        )
    assert {"interactions_log_entry": 2, "interactions_task": 0} in counts
    assert _pairs(ia)[0] == (1, None, "CT000020")
    with ia.session() as s:
        ia.pm.hook.relcore_contacts_merge(
            session=s, merges=[("CT000010", "CT000020")], dry_run=False
        )
    assert _pairs(ia) == [
        (1, "CT000001", "CT000010"),
        (2, "CT000001", "CT000010"),
        (3, "CT000001", "CT000011"),
    ]


def test_erase_personal_data_keeps_statistics(ia):
    from relcore_interactions.api import statistics
    from relcore_interactions.queries import get_entry

    _log(
        ia,
        (
            "CT000010",
            "BUS",
            None,
            {
                "description": "Met Anna at home",
                "subject": "Anna",
                "comment": "lives at 1 Main St",
                "extra": {"contact_via": "555-0110"},
            },
        ),
    )
    with ia.session() as s:
        before = statistics(s, contact_no="CT000010")
        scrubbed = ia.pm.hook.relcore_erase_personal_data(session=s, contact_nos=["CT000010"])
        [ours] = [r for r in scrubbed if "interactions_log_entry" in r]
        assert (ours["interactions_log_entry"], ours["interactions_log_comment"]) == (1, 1)
        e = get_entry(s, 1, with_comments=True)
        assert (e["description"], e["subject"], e["contact_via"], e["comments"]) == (
            "Business letter",
            "",
            "",
            [],
        )
        assert statistics(s, contact_no="CT000010") == before


def test_classification_values(ia):
    _log(
        ia,
        ("CT000001", "BUS", dt.date(2024, 3, 1), {}),
        ("CT000010", "INHOUSE", dt.date(2024, 6, 1), {}),
        ("CT000010", "INHOUSE", dt.date(2023, 6, 1), {}),
    )
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    with ia.session() as s:

        def values(field, nos):
            return ia.pm.hook.relcore_contacts_classification_values(
                session=s, field=field, contact_nos=nos, starting_date=start, ending_date=end
            )

        assert values("interaction_quantity", ["CT000001", "CT000010", "CT000002"]) == {
            "CT000001": D(2),
            "CT000010": D(1),
            "CT000002": D(0),
        }
        assert values("interaction_frequency", ["CT000001"]) == {"CT000001": D("1.99")}
        assert values("avg_interaction_cost", ["CT000001"]) == {"CT000001": D("16.50")}
        assert values("avg_interaction_duration", ["CT000010"]) == {"CT000010": D("120.00")}
        assert values("something_else", None) is None
        assert "CT000020" in values("interaction_quantity", None)
    from relcore_contacts.api import classification_fields

    fields = classification_fields(ia)
    assert fields.plugin_of("interaction_quantity") == "interactions"
    assert set(fields) == {
        "rating",
        "interaction_quantity",
        "interaction_frequency",
        "avg_interaction_cost",
        "avg_interaction_duration",
    }
