"""Reading the choice-value map (``d365_option_map``, §A14) outside a synchronisation run."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from relcore_d365sales import model


def option_codes(session: Any, dv_column: str) -> dict[int, str]:
    """The option map of one ``<entity set>.<column>`` (``opportunities.statuscode``): choice
    value → local code (empty when nothing is mapped)."""
    o = model.option_map
    rows = session.execute(
        sa.select(o.c.option_value, o.c.local_code).where(o.c.dv_column == dv_column)
    )
    return {int(r.option_value): r.local_code for r in rows}
