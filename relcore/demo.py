"""Building the demo database: init, every plugin's demo data in dependency order, the tour."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore.errors import RelcoreError


def _is_empty(app: Any) -> bool:
    inspector = sa.inspect(app.engine)
    return not inspector.get_table_names()


def build_demo(app: Any) -> dict[str, Any]:
    """Initialise an empty database with demo data; returns what the tour shows.

    :returns: ``{"plugins": [...], "loaded": [...], "tour": [{"plugin", "lines"}]}``.
    """
    if not _is_empty(app):
        raise RelcoreError(
            f"the demo needs an empty database, and {app.database_url} has tables "
            "(run 'relcore demo' without --db to use a fresh demo file)"
        )
    app.init()
    with app.session() as session:
        app.pm.hook.relcore_load_demo_data(app=app, session=session)
    loaded = app.pm.implementers("relcore_load_demo_data")
    with app.session() as session:
        tour = [{"plugin": "core", "lines": _core_tour(app, session)}]
        for name, call in app.pm.plugin_callers("relcore_demo_tour"):
            lines = call(app=app, session=session)
            if lines:
                tour.append({"plugin": name, "lines": lines})
    return {"plugins": app.plugin_names, "loaded": loaded, "tour": tour}


def _core_tour(app: Any, session: Any) -> list[str]:
    from relcore import numbering

    series = numbering.list_series(session)
    lines = [
        f"{len(series)} number series, {len(app.setup.fields)} setup fields, "
        f"{len(app.entities.names())} entities"
    ]
    for s in series[:8]:
        try:
            upcoming = numbering.peek_no(session, s.code)
        except RelcoreError as exc:  # an exhausted or dated series says why instead
            upcoming = str(exc)
        lines.append(f"series {s.code}: {s.description} (next {upcoming})")
    return lines
