"""The d365sales plugin's setup fields (reference §D2).

The client secret is never a setup field: it is read from the environment variable
``RELCORE_D365_CLIENT_SECRET`` (or the system keyring, service ``relcore-d365sales``, user = the
client id) when a connection is opened, and never printed, logged or stored. With certificate
authentication only the PEM file's path and the name of its password variable are stored.

The connection settings (``set_by="d365 setup"``: org URL, tenant, client id, authority host,
certificate path and password variable) are set only through ``relcore d365 setup``, which checks
them together; ``relcore setup set`` refuses them. The tuning fields stay ``setup set`` fields.
"""

from __future__ import annotations

from typing import Any

from relcore.errors import ValidationError
from relcore.setup import SetupField
from relcore.urls import is_domain_name, is_guid, secure_url_problem


def _secure_url(session: Any, value: str) -> None:
    problem = secure_url_problem(value)
    if problem:
        raise ValidationError(problem)


def _tenant(session: Any, value: str) -> None:
    if not (is_guid(value) or is_domain_name(value)):
        raise ValidationError(
            f"{value!r} is not a tenant id (a GUID) or a domain name (contoso.onmicrosoft.com)"
        )


def _client(session: Any, value: str) -> None:
    if not is_guid(value):
        raise ValidationError(f"{value!r} is not an application (client) id (a GUID)")


SETUP_FIELDS = [
    SetupField(
        "d365sales.org_url",
        "str",
        None,
        "Dataverse environment URL, e.g. https://contoso.crm4.dynamics.com.",
        max_length=250,
        validator=_secure_url,
        set_by="d365 setup",
    ),
    SetupField("d365sales.api_version", "str", "v9.2", "Web API version (§B1).", max_length=10),
    SetupField(
        "d365sales.tenant_id",
        "str",
        None,
        "Microsoft Entra tenant id (a GUID or the tenant's domain name).",
        max_length=253,
        validator=_tenant,
        set_by="d365 setup",
    ),
    SetupField(
        "d365sales.client_id",
        "str",
        None,
        "Application (client) id of the app registration (a GUID).",
        max_length=60,
        validator=_client,
        set_by="d365 setup",
    ),
    SetupField(
        "d365sales.certificate_path",
        "str",
        None,
        "PEM file with the app's certificate and private key (blank: client secret). Only the "
        "path is stored; the key is read when a connection opens.",
        max_length=250,
        set_by="d365 setup",
    ),
    SetupField(
        "d365sales.certificate_password_env",
        "str",
        None,
        "Name of the environment variable holding the certificate key's password.",
        max_length=60,
        set_by="d365 setup",
    ),
    SetupField(
        "d365sales.authority_host",
        "str",
        "https://login.microsoftonline.com",
        "Token authority host (https; plain http only to a loopback emulator).",
        max_length=250,
        validator=_secure_url,
        set_by="d365 setup",
    ),
    SetupField(
        "d365sales.page_size",
        "int",
        500,
        "Rows per page of a query (≤ 5000, §B8).",
        min_value=1,
        max_value=5000,
    ),
    SetupField(
        "d365sales.batch_size",
        "int",
        100,
        "Writes per $batch request (1 = no batching; ≤ 1000, §B16).",
        min_value=1,
        max_value=1000,
    ),
    SetupField(
        "d365sales.max_retries",
        "int",
        5,
        "Retries of a throttled/failed request.",
        min_value=0,
        max_value=20,
    ),
    SetupField(
        "d365sales.max_retry_wait_s",
        "int",
        300,
        "Cap on the seconds waited for one request's retries (§B18).",
        min_value=0,
    ),
    SetupField(
        "d365sales.ownership_model",
        "choice",
        "person",
        "person: owners come from coupled salespeople; team: one owner team (§A13).",
        choices=("person", "team"),
    ),
    SetupField(
        "d365sales.owner_team_id",
        "str",
        None,
        "Owner team of new rows in the team ownership model.",
        max_length=36,
    ),
    SetupField(
        "d365sales.default_owner_user_id",
        "str",
        None,
        "Owner of new rows whose salesperson is not coupled (person model).",
        max_length=36,
    ),
    SetupField(
        "d365sales.use_change_tracking",
        "bool",
        False,
        "Read Dataverse changes through delta links instead of modifiedon (§B17).",
    ),
    SetupField(
        "d365sales.timestamp_overlap_s",
        "int",
        1,
        "Seconds re-read before each watermark (no same-second change is lost, §A7.2).",
        min_value=0,
        max_value=3600,
    ),
    SetupField(
        "d365sales.on_local_delete",
        "choice",
        "uncouple",
        "When a coupled contact is deleted: uncouple (Dataverse untouched), or deactivate "
        "/ delete the Dataverse row at the next sync.",
        choices=("uncouple", "deactivate", "delete"),
    ),
]
