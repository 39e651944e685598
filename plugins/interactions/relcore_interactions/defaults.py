"""Plugin-shipped defaults of the Interaction Template Setup (§4.6): a plugin ships the
template its event logs with, so automatic logging works before an admin configures anything.

A plugin registers :class:`DefaultTemplate` values through
``relcore_interactions_register_default_templates`` and names the template in its event
(``InteractionEvent(code, description, default_template="VISIT")``). ``relcore init`` (the core
hook ``relcore_init_defaults``) then creates each missing template, with its group, and maps the
events that name it — only when it creates the template, so an admin's later choices (another
template, or no mapping at all) are never overwritten.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa

from relcore import entities
from relcore.app import app_of
from relcore_interactions.model import group, template, template_setup


@attrs.frozen
class DefaultTemplate:
    """An interaction template a plugin ships (BC Interaction Template, §4.4).

    :param code: the template code (Code[10]).
    :param description: its description (also the default description of the entries).
    :param interaction_group_code: its group; created (with ``group_description``) if missing.
    :param unit_cost: cost (LCY) per interaction.
    :param unit_duration: duration (min.) per interaction.
    :param information_flow: ``""``, ``"outbound"`` or ``"inbound"``.
    :param initiated_by: ``""``, ``"us"`` or ``"them"``.
    :param correspondence_type: ``""``, ``"hard_copy"``, ``"email"``.
    """

    code: str
    description: str
    interaction_group_code: str
    group_description: str = ""
    unit_cost: Decimal = Decimal(0)
    unit_duration: Decimal = Decimal(0)
    information_flow: str = ""
    initiated_by: str = ""
    correspondence_type: str = ""
    plugin: str | None = None


def default_templates(app: Any) -> Any:
    """The registered default templates by code (collected once per app)."""
    return app.registry(
        "relcore_interactions_register_default_templates",
        kind="default interaction template",
        key=lambda t: t.code,
        normalize=str.upper,
    )


def ensure_defaults(session: Any) -> list[str]:
    """Create missing default templates (and groups) and map the events that name them.

    :returns: the template codes created (``[]`` when everything existed: idempotent).
    """
    from relcore_interactions.templates import add_group, add_template

    app = app_of(session)
    shipped = default_templates(app)
    if not shipped:
        return []
    existing = set(session.execute(sa.select(template.c.code)).scalars())
    groups = set(session.execute(sa.select(group.c.code)).scalars())
    mapped = set(session.execute(sa.select(template_setup.c.event_code)).scalars())
    created = []
    for code, default in shipped.items():
        if code in existing:
            continue
        group_code = default.interaction_group_code.upper()
        if group_code not in groups:
            add_group(session, group_code, default.group_description)
            groups.add(group_code)
        add_template(
            session,
            code,
            group_code,
            {
                "description": default.description,
                "unit_cost": default.unit_cost,
                "unit_duration": default.unit_duration,
                "information_flow": default.information_flow,
                "initiated_by": default.initiated_by,
                "correspondence_type": default.correspondence_type,
            },
        )
        created.append(code)
        for event in app.registries.interaction_events.values():
            if (event.default_template or "").upper() == code and event.code not in mapped:
                entities.insert(
                    session,
                    "interactions.template_setup",
                    [{"event_code": event.code, "template_code": code}],
                )
                mapped.add(event.code)
    return created
