"""Demo data and tour (run on top of whatever the contacts demo provides)."""

from __future__ import annotations

import sqlalchemy as sa


def test_demo_loads_templates_and_logs_on_existing_contacts(ia):
    from relcore_interactions import demo
    from relcore_interactions.model import log_entry, template

    with ia.session() as s:
        s.execute(template.delete())  # the fixture's templates: the demo brings its own
        from relcore_interactions.model import group

        s.execute(group.delete())
        demo.load_demo_data(ia, s)
        assert s.execute(sa.select(sa.func.count()).select_from(template)).scalar() == 10
        n = s.execute(sa.select(sa.func.count()).select_from(log_entry)).scalar()
        assert n == 5  # one per usable contact (CT000099 is privacy blocked)
        lines = demo.tour(ia, s)
    assert lines[0] == "5 interaction groups, 10 templates, 5 interactions"
