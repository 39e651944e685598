"""Table metadata (``EntityDefinitions``) and security privileges of the emulator.

Dataverse guards every table with privileges named ``prv<Type><SchemaName>`` (``prvReadAccount``,
``prvWriteContact``…); an application user's security role grants them. The emulator grants every
privilege to every user until a test denies some (:meth:`Privileges.deny`), and then answers as
Dataverse does: ``403`` with code ``0x80040220`` naming the missing privilege.

Served (read-only, no privilege needed — metadata is readable by every user):

* ``GET EntityDefinitions`` (``$select``, ``$filter`` on its string properties) and
  ``GET EntityDefinitions(LogicalName='account')`` / ``EntityDefinitions(<MetadataId>)``, with
  ``Privileges`` = ``[{"PrivilegeId", "Name", "PrivilegeType"}]``;
* ``GET systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`` →
  ``{"RolePrivileges": [{"Depth", "PrivilegeId", "BusinessUnitId", "PrivilegeName"}]}``.
"""

from __future__ import annotations

import threading
import uuid

from . import schema
from .errors import PRIVILEGE_DENIED, ApiError

PRIVILEGE_TYPES = ("Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share")
_NAMESPACE = uuid.UUID("5f0c1d1e-8a51-4a57-9d1c-6e6d2b0f7a11")

#: Schema names (as in privilege names) of the emulated tables.
SCHEMA_NAMES = {
    "account": "Account",
    "contact": "Contact",
    "systemuser": "SystemUser",
    "team": "Team",
    "businessunit": "BusinessUnit",
    "opportunity": "Opportunity",
    "opportunityclose": "OpportunityClose",
    "campaign": "Campaign",
    "transactioncurrency": "TransactionCurrency",
    "lead": "Lead",
    "product": "Product",
}

#: The pseudo-table describing ``EntityDefinitions`` rows, so ``$select``/``$filter`` reuse the
#: query code of ordinary tables.
ENTITY_DEFINITIONS = schema.TableDef(
    "entitydefinition",
    "EntityDefinitions",
    "MetadataId",
    "LogicalName",
    columns={
        name: schema.Column(name, typ)
        for name, typ in (
            ("LogicalName", schema.STRING),
            ("SchemaName", schema.STRING),
            ("EntitySetName", schema.STRING),
            ("LogicalCollectionName", schema.STRING),
            ("PrimaryIdAttribute", schema.STRING),
            ("PrimaryNameAttribute", schema.STRING),
            ("ChangeTrackingEnabled", schema.BOOL),
            ("OwnershipType", schema.STRING),
            ("Privileges", schema.STRING),
        )
    },
    change_tracking=False,
    api_writable=False,
)


def schema_name(table: schema.TableDef) -> str:
    """The table's schema name (``Account``)."""
    return SCHEMA_NAMES.get(table.logical_name, table.logical_name.capitalize())


def privilege_name(table: schema.TableDef, kind: str) -> str:
    """``prv<kind><SchemaName>``, e.g. ``prvWriteAccount``."""
    return f"prv{kind}{schema_name(table)}"


def privilege_id(name: str) -> str:
    """A stable id for a privilege name."""
    return str(uuid.uuid5(_NAMESPACE, name))


def entity_definition(table: schema.TableDef) -> dict:
    """The ``EntityDefinitions`` row of a table."""
    owned = "ownerid" in table.lookups
    return {
        "MetadataId": str(uuid.uuid5(_NAMESPACE, "entity:" + table.logical_name)),
        "LogicalName": table.logical_name,
        "SchemaName": schema_name(table),
        "EntitySetName": table.entity_set,
        "LogicalCollectionName": table.entity_set,
        "PrimaryIdAttribute": table.primary_key,
        "PrimaryNameAttribute": table.primary_name,
        "ChangeTrackingEnabled": table.change_tracking,
        "OwnershipType": "UserOwned" if owned else "OrganizationOwned",
        "Privileges": [
            {
                "PrivilegeId": privilege_id(privilege_name(table, kind)),
                "Name": privilege_name(table, kind),
                "PrivilegeType": kind,
            }
            for kind in PRIVILEGE_TYPES
        ],
    }


class Privileges:
    """Which privileges each user lacks (everything is granted by default)."""

    def __init__(self) -> None:
        self._denied: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def deny(self, user_id: str, *names: str) -> None:
        """Take privileges (``prvWriteAccount``…) away from ``user_id``."""
        with self._lock:
            self._denied.setdefault(user_id, set()).update(names)

    def grant(self, user_id: str, *names: str) -> None:
        """Give denied privileges back (no names: all of them)."""
        with self._lock:
            denied = self._denied.setdefault(user_id, set())
            if names:
                denied.difference_update(names)
            else:
                denied.clear()

    def clear(self) -> None:
        """Grant everything to everyone again."""
        with self._lock:
            self._denied.clear()

    def has(self, user_id: str, name: str) -> bool:
        """True when ``user_id`` holds the privilege ``name``."""
        with self._lock:
            return name not in self._denied.get(user_id, ())

    def require(self, user_id: str, table: schema.TableDef, kind: str) -> None:
        """Raise the Dataverse ``403`` when ``user_id`` lacks ``prv<kind><table>``."""
        name = privilege_name(table, kind)
        if not self.has(user_id, name):
            raise ApiError(
                403,
                PRIVILEGE_DENIED,
                f"Principal user (Id={user_id}, type=8) is missing {name} privilege "
                f"(Id={privilege_id(name)}) on entity '{table.logical_name}'.",
            )

    def of_user(
        self, user_id: str, tables: dict[str, schema.TableDef], business_unit_id: str
    ) -> list[dict]:
        """The ``RolePrivileges`` of ``RetrieveUserPrivileges`` for ``user_id``."""
        out = []
        for table in tables.values():
            for kind in PRIVILEGE_TYPES:
                name = privilege_name(table, kind)
                if self.has(user_id, name):
                    out.append(
                        {
                            "Depth": "Global",
                            "PrivilegeId": privilege_id(name),
                            "BusinessUnitId": business_unit_id,
                            "PrivilegeName": name,
                        }
                    )
        return out
