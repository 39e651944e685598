"""OP24 / §9.5 item 2: an opportunity's campaign must be activated and run on the
opportunity's Creation Date — the ``relcore_opportunities_check_campaigns`` hook, published by
opportunities and implemented by campaigns (§6.4.2 ``CheckCampaign``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.opportunities.conftest import WORK_DATE, add_campaign


@pytest.fixture
def app(full_app: Any) -> Any:
    """Contacts, interactions, segments, campaigns and opportunities; WorkDate 2024-01-15."""
    return full_app


def _add(app: Any, run_cli: Any, campaign: str | None) -> Any:
    args = ["--contact", "C1", "--description", "X", "--cycle", "NEW"]
    if campaign is not None:
        args += ["--campaign", campaign]
    return run_cli(app, "opportunities", "add", *args, json=True)


def _count(app: Any) -> int:
    import sqlalchemy as sa
    from relcore_opportunities.model import opportunity

    with app.session() as session:
        return session.execute(sa.select(sa.func.count()).select_from(opportunity)).scalar_one()


def test_op24_campaign_without_target_groups_is_refused(app, run_cli):
    """OP24: Campaign No. of a campaign without target groups → TestField error on Activated;
    no opportunity is written."""
    add_campaign(app, "CP01", "2024-01-01", "2024-12-31", activated=False)
    result = _add(app, run_cli, "CP01")
    assert result.exit_code == 1
    assert "Campaign CP01" in result.output and "Activated must be equal to 'Yes'" in result.output
    assert _count(app) == 0
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("start", "end", "accepted"),
    [
        ("2024-01-01", "2024-12-31", True),
        (None, "2024-01-15", True),  # a blank Starting Date passes; ending on the creation date
        ("2024-01-15", "2024-01-15", True),
        ("2024-01-16", "2024-12-31", False),  # starts after the creation date
        ("2023-01-01", "2024-01-14", False),  # ended before it
        ("2024-01-01", None, False),  # §9.5 item 2: a blank Ending Date (0D) fails
        (None, None, False),
    ],
)
def test_campaign_period_must_include_the_creation_date(app, run_cli, start, end, accepted):
    """§6.4.2 / §9.5 item 2: Starting Date ≤ Creation Date (WorkDate) ≤ Ending Date."""
    add_campaign(app, "CP01", start, end, activated=True)
    result = _add(app, run_cli, "CP01")
    if accepted:
        assert result.exit_code == 0, result.output
        assert result.json["campaign_no"] == "CP01"
        assert result.json["creation_date"] == WORK_DATE.isoformat()
    else:
        assert result.exit_code == 1
        assert "Campaign No. CP01 is not active on the creation date 2024-01-15" in result.output
        assert _count(app) == 0


def test_hook_is_implemented_by_campaigns_and_called_with_the_creation_date(app):
    """``relcore_opportunities_check_campaigns`` is campaigns' (optional) implementation; the
    veto can be called directly with any creation date."""
    from relcore.errors import ValidationError

    add_campaign(app, "CP01", "2024-01-01", "2024-01-31", activated=True)
    hook = app.pm.hook.relcore_opportunities_check_campaigns
    assert [impl.plugin_name for impl in hook.get_hookimpls()] == ["campaigns"]
    import datetime as dt

    with app.session() as session:
        hook(session=session, campaign_nos=["CP01"], creation_date=dt.date(2024, 1, 31))
        with pytest.raises(ValidationError, match="not active on the creation date 2024-02-01"):
            hook(session=session, campaign_nos=["CP01"], creation_date=dt.date(2024, 2, 1))


def test_edit_checks_the_campaign_as_on_creation(app, run_cli):
    """§6.4.2: ``opportunities edit --set campaign_no=`` checks existence, Activated and the
    period against the opportunity's Creation Date (not the current work date)."""
    add_campaign(app, "CP01", "2024-01-01", "2024-01-31", activated=True)
    add_campaign(app, "CP02", "2024-01-01", "2024-12-31", activated=False)
    add_campaign(app, "CP03", "2024-02-01", "2024-12-31", activated=True)
    no = _add(app, run_cli, None).json["no"]
    app.work_date = WORK_DATE.replace(month=3)

    def edit(campaign):
        return run_cli(app, "opportunities", "edit", no, "--set", f"campaign_no={campaign}")

    result = edit("CP02")
    assert result.exit_code == 1 and "Activated must be equal to 'Yes'" in result.output
    result = edit("CP03")
    assert result.exit_code == 1
    assert "Campaign No. CP03 is not active on the creation date 2024-01-15" in result.output
    result = edit("NOPE")
    assert result.exit_code == 1 and "NOPE" in result.output
    assert edit("CP01").exit_code == 0
    with app.session() as session:
        from relcore_opportunities.queries import show

        assert show(session, no)["campaign_no"] == "CP01"
