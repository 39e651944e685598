"""Words of the shell (issue #14 item 12): plurals from the entity's names, no double spaces, a
batch error names the input row."""

from __future__ import annotations

import pytest

from relcore import entities
from relcore.entities import plural_of
from relcore.errors import ValidationError


@pytest.mark.parametrize(
    "label,plural",
    [
        ("Job Responsibility", "Job Responsibilities"),
        ("Interaction Log Entry", "Interaction Log Entries"),
        ("Salesperson", "Salespeople"),
        ("Alternative Address", "Alternative Addresses"),
        ("Segment Line", "Segment Lines"),
        ("Day", "Days"),
    ],
)
def test_plural_of(label, plural):
    assert plural_of(label) == plural


def test_contact_show_names_classification_kinds_in_plural(make_app, run_cli):
    app = make_app("contacts")
    run_cli(app, "contacts", "add", "--name", "Acme")
    run_cli(
        app, "contacts", "add", "--type", "person", "--name", "Ann Lee", "--company-no", "CT000001"
    )
    run_cli(app, "contacts", "job-responsibilities", "add", "BUYER", "--description", "Buyer")
    assigned = run_cli(app, "contacts", "assign", "CT000002", "--job-responsibility", "BUYER")
    assert assigned.exit_code == 0, assigned.output
    shown = run_cli(app, "contacts", "show", "CT000002")
    assert "job responsibilities: BUYER" in shown.output
    assert "responsibilitys" not in shown.output


def test_privacy_blocked_message_has_single_spaces(make_app):
    from relcore_contacts.api import ensure_usable

    app = make_app("contacts")
    with app.session() as s:
        entities.insert(
            s,
            "contacts.contact",
            [{"no": "CT000009", "type": "company", "name": "", "privacy_blocked": True}],
        )
        with pytest.raises(ValidationError) as err:
            ensure_usable(s, ["CT000009"])
    assert "  " not in str(err.value)
    assert "You cannot use contact CT000009 because they are marked as blocked" in str(err.value)
