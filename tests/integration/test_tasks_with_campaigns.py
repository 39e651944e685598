"""Tasks with the real campaigns plugin installed: a task's campaign must exist (checked through
relcore_interactions_check_campaigns, §7.1 / §4.5); per-segment tasks check the lines' campaigns."""

from __future__ import annotations

import pytest
from relcore_campaigns.campaigns import create_campaign
from relcore_interactions import task_service

from relcore import entities
from relcore.errors import ValidationError


def test_task_campaign_must_exist(make_app):
    app = make_app("contacts", "interactions", "segments", "campaigns")
    with app.session() as session:
        entities.insert(session, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        no = create_campaign(session, {"description": "Spring fair"})["no"]
        row = task_service.create_task(
            session, {"description": "Invite", "salesperson_code": "JO", "campaign_no": no}
        )[0]
        assert row["campaign_no"] == no
        with pytest.raises(ValidationError, match="CP9999"):
            task_service.create_task(
                session, {"description": "x", "salesperson_code": "JO", "campaign_no": "CP9999"}
            )
        with pytest.raises(ValidationError, match="CP9999"):
            task_service.edit_task(session, row["no"], {"campaign_no": "CP9999"})
