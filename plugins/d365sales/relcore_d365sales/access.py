"""The application user's access to each mapped table (``relcore d365 test-connection``).

Dataverse guards a table with privileges named ``prv<Type><SchemaName>`` (§B2: a missing one
answers ``403`` "Principal user … is missing … privilege", the typical error class of §A10). Two
requests find what a sync would lack before it runs: ``EntityDefinitions`` (the mapped tables'
``Privileges``, filtered by entity set name) and ``RetrieveUserPrivileges`` of the user WhoAmI
returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from relcore_d365sales.http import odata_string


def needed_privileges(direction: str) -> tuple[str, ...]:
    """Privilege types a mapping of ``direction`` needs on its table: ``Read`` always; ``Create``
    and ``Write`` when it writes to Dataverse."""
    if direction == "from_integration":
        return ("Read",)
    return ("Read", "Create", "Write")


def check_access(client: Any, user_id: str, mappings: Iterable[dict]) -> list[dict]:
    """One row per mapping: ``mapping``, ``dv_entity_set``, ``logical_name`` (``None`` when the
    table does not exist in the environment), ``needs`` and ``missing`` (privilege names, or
    ``["table not found"]``).

    :param mappings: rows with ``name``, ``dv_entity_set`` and ``direction``.
    """
    mappings = list(mappings)
    sets = sorted({m["dv_entity_set"] for m in mappings})
    if not sets:
        return []
    flt = " or ".join(f"EntitySetName eq {odata_string(s)}" for s in sets)
    found = client.request(
        "GET",
        "EntityDefinitions",
        params={"$select": "LogicalName,EntitySetName,Privileges", "$filter": flt},
    ).json()["value"]
    by_set = {d["EntitySetName"]: d for d in found}
    held = {
        p["PrivilegeId"]
        for p in client.request(
            "GET", f"systemusers({user_id})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()"
        ).json()["RolePrivileges"]
    }
    rows = []
    for m in mappings:
        definition = by_set.get(m["dv_entity_set"])
        kinds = needed_privileges(m["direction"])
        if definition is None:
            rows.append(
                {
                    "mapping": m["name"],
                    "dv_entity_set": m["dv_entity_set"],
                    "logical_name": None,
                    "needs": list(kinds),
                    "missing": ["table not found"],
                }
            )
            continue
        privileges = {p["PrivilegeType"]: p for p in definition.get("Privileges") or []}
        missing = [
            privileges[k]["Name"] if k in privileges else f"prv{k} (not defined)"
            for k in kinds
            if k not in privileges or privileges[k]["PrivilegeId"] not in held
        ]
        rows.append(
            {
                "mapping": m["name"],
                "dv_entity_set": m["dv_entity_set"],
                "logical_name": definition["LogicalName"],
                "needs": [privileges[k]["Name"] for k in kinds if k in privileges],
                "missing": missing,
            }
        )
    return rows
