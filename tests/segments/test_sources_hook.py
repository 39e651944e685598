"""Any plugin contributes criteria sources (relcore_segments_register_criteria_sources)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from relcore import hookimpl
from relcore.errors import PluginError
from tests.segments.conftest import WORK_DATE, add_contacts


class CitySource:
    """A third-party source: contacts whose city matches, named ``town``."""

    @hookimpl
    def relcore_segments_register_criteria_sources(self, register):
        from relcore_contacts.api import contact_table as c
        from relcore_segments.sources import CriteriaSource

        register(
            CriteriaSource(
                name="town",
                label="Town of the contact",
                fields={"name": c.c.city},
                contact_nos=lambda conditions: sa.select(c.c.no).where(*conditions),
            )
        )


def test_a_plugin_contributes_a_source_the_shell_can_filter_on(make_app, run_cli):
    app = make_app(
        "contacts", "interactions", "segments", extra=[("towns", CitySource())], work_date=WORK_DATE
    )
    with app.session() as session:
        add_contacts(
            session,
            {"no": "C1", "name": "North Ltd", "city": "Oslo"},
            {"no": "C2", "name": "South Ltd", "city": "Bergen"},
        )
    no = run_cli(app, "segments", "add", "--description", "Oslo", json=True).json["no"]
    added = run_cli(app, "segments", "add-contacts", no, "--where", "town.name=Os*", json=True)
    assert added.exit_code == 0, added.output
    lines = run_cli(app, "segments", "show", no, json=True).json["lines"]
    assert [line["contact_no"] for line in lines] == ["C1"]
    bad = run_cli(app, "segments", "add-contacts", no, "--where", "town.nope=x")
    assert bad.exit_code == 1 and "nope" in bad.output


def test_a_source_name_registered_twice_is_refused(make_app):
    app = make_app(
        "contacts", "interactions", "segments", extra=[("one", CitySource()), ("two", CitySource())]
    )
    from relcore_segments.sources import sources_of

    with pytest.raises(PluginError, match="'town' registered twice: by one and two"):
        sources_of(app)
