"""The synchronisation status: per mapping its couplings, skipped and failed records, last jobs
(BC's Integration Table Mapping list with *No. of Errors* / *No. of Skipped*, §A2)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore_d365sales import jobs, model
from relcore_d365sales.mappings import ensure_mappings


def status(session: Any) -> dict[str, Any]:
    """``{"mappings": [...], "jobs": [...]}`` for ``relcore d365 status``."""
    ensure_mappings(session)
    t, c, j = model.table_mapping, model.coupling, model.sync_job
    counts = {
        r.mapping_name: r
        for r in session.execute(
            sa.select(
                c.c.mapping_name,
                sa.func.count().label("coupled"),
                sa.func.sum(sa.case((c.c.skipped.is_(True), 1), else_=0)).label("skipped"),
                sa.func.sum(
                    sa.case(
                        (
                            sa.or_(
                                c.c.last_result_to_dv == "failure",
                                c.c.last_result_from_dv == "failure",
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ).label("failed"),
            ).group_by(c.c.mapping_name)
        )
    }
    last = dict(
        session.execute(
            sa.select(j.c.mapping_name, sa.func.max(j.c.started_at)).group_by(j.c.mapping_name)
        ).all()
    )
    mappings = []
    for r in session.execute(sa.select(t).order_by(t.c.priority, t.c.name)):
        n = counts.get(r.name)
        mappings.append(
            {
                "name": r.name,
                "direction": r.direction,
                "enabled": r.enabled,
                "dv_entity_set": r.dv_entity_set,
                "only_coupled": r.only_coupled,
                "update_conflict": r.update_conflict,
                "deletion_conflict": r.deletion_conflict,
                "coupled": n.coupled if n else 0,
                "skipped": int(n.skipped or 0) if n else 0,
                "failed": int(n.failed or 0) if n else 0,
                "local_watermark": r.local_watermark,
                "dv_watermark": r.dv_watermark,
                "last_run": last.get(r.name),
            }
        )
    recent = [{**row, "mapping": row["mapping_name"]} for row in jobs.recent_jobs(session)]
    return {"mappings": mappings, "jobs": recent}
