"""Manual coupling with a check on the Dataverse side (``relcore d365 couple``) and match-based
coupling with creation of the rest (``relcore d365 match-couple --create-missing``)."""

from __future__ import annotations

from typing import Any

from relcore_d365sales import couplings
from relcore_d365sales.mappings import ensure_mappings


def couple_checked(app: Any, mapping: str, local_key: str, dv_id: str, client: Any = None) -> dict:
    """Couple after reading the Dataverse row (it must exist); see :func:`.couplings.couple`."""
    from relcore_d365sales.connection import open_client
    from relcore_d365sales.http import NotFoundError

    with app.session() as session:
        ensure_mappings(session)
        from relcore_d365sales.mappings import registry

        definition = registry(app)[mapping]
        own = client is None
        client = client or open_client(app, session)
    try:
        try:
            exists = (
                client.retrieve(definition.dv_entity_set, dv_id.lower(), select=[definition.dv_pk])
                is not None
            )
        except NotFoundError:
            exists = False
    finally:
        if own:
            client.close()
    with app.session() as session:
        return couplings.couple(session, definition.name, local_key, dv_id, exists_in_dv=exists)


def match_couple(
    app: Any, mapping: str, *, create_missing: bool = False, client: Any = None, session: Any = None
) -> dict[str, Any]:
    """Couple by match fields (:func:`.matching.couple_by_match`); with ``create_missing`` the
    records left over are then created on the other side by a full synchronisation of the
    mapping (``created`` counts them, their jobs are added to ``jobs``)."""
    from relcore_d365sales.engine import synchronize
    from relcore_d365sales.matching import couple_by_match

    result = couple_by_match(app, mapping, client=client, session=session)
    if create_missing:
        created = synchronize(
            app, mapping=result["mapping"], full=True, client=client, session=session
        )
        result["created"] = sum(j.inserted for j in created)
        result["jobs"] += created
    return result
