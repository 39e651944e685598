"""The mapping registry: what can be synchronised, and the default mappings (§A2–§A5, §D4).

A :class:`MappingDef` is contributed by a plugin through the ``relcore_d365sales_register_mappings``
hook. Its options and :class:`FieldMap` list are *defaults*: :func:`ensure_mappings` writes them
into ``d365_table_mapping`` / ``d365_field_mapping`` once, after which they are data an
administrator may change (BC's Integration Table/Field Mapping pages). The ``adapter`` is code: it
reads the local records a mapping covers and writes them through the owning plugin's API.

The defaults of this plugin: ``SALESPEOPLE`` (systemusers → salespeople), ``CURRENCY`` (the
currency codes of customer companies, coupled by ISO code with existing transactioncurrencies),
``CUSTOMER`` (company contacts linked to a customer ↔ accounts) and ``CONTACT`` (persons of those
companies ↔ contacts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import sqlalchemy as sa

from relcore.errors import ConfigError, PluginError
from relcore_d365sales import model


@attrs.frozen
class FieldMap:
    """One mapped field pair (BC table 5336, §A3).

    :param local_field: the local field (blank with a constant towards the local side).
    :param dv_column: the Dataverse column (for lookups the lookup name, e.g. ``ownerid``; read
        as ``_ownerid_value``).
    :param direction: ``bidirectional``, ``to_integration`` or ``from_integration``.
    :param constant_value: written instead of a source value (``"3"`` for customertypecode).
    :param transformation_rule: see :mod:`relcore_d365sales.transfer` (``upper``, ``map:a=b``,
        ``option``, ``truncate:N``...).
    :param not_null: never overwrite the destination with null (owner lookups).
    :param clear_on_failure: clear the value instead of failing the record when it cannot be set.
    :param lookup_mapping: the mapping whose couplings translate the key (``CUSTOMER``).
    :param dv_nav: the navigation property used to write the lookup (``parentcustomerid_account``).
    :param match_priority: use for match-based coupling, in groups of ascending priority.
    """

    local_field: str = ""
    dv_column: str = ""
    direction: str = "bidirectional"
    constant_value: str | None = None
    transformation_rule: str = ""
    enabled: bool = True
    not_null: bool = False
    clear_on_failure: bool = False
    lookup_mapping: str = ""
    dv_nav: str = ""
    match_priority: int | None = None
    match_case_sensitive: bool = False


@attrs.frozen
class MappingDef:
    """A table mapping and its defaults (BC table 5335, §A2).

    :param name: the mapping name (``CUSTOMER``), Code[20].
    :param local_entity: the relcore entity it covers (``contacts.contact``).
    :param dv_entity_set: the Dataverse entity set (``accounts``).
    :param dv_pk: its primary key column (``accountid``).
    :param adapter: a factory ``adapter(session) -> LocalAdapter`` (see :mod:`.adapters`).
    :param dv_filter: the OData ``$filter`` limiting the Dataverse rows.
    :param dv_predicate: the same filter as a Python predicate on a row (change tracking does not
        allow ``$filter``, so the filter is applied client-side, §B17).
    :param state_handler: optional state changed through actions (opportunity won/lost,
        §D5.6): an object with ``local_field`` (the local status field), ``dv_columns``
        (``("statecode", "statuscode")``), ``local_state(row)`` / ``dv_state(row)`` (the state
        of each side as one comparable local value) and ``action(local_row, dv_id, dv_row)``
        returning ``(action_name, body)`` or ``None``; optional ``closed_states`` (default
        ``("won", "lost")``: Dataverse rows in these states are read-only). The state takes
        part in change detection and conflicts like a field; other fields are written first,
        then the action is called — only when the row's state, read right before the call
        (``dv_columns[0]`` from the write's answer, else by id), still differs; the Dataverse
        row of every locally changed pair is read first. A closed row takes no write; a
        different local state then fails the record (reopening is never automatic).
    :param match_only: records are never created on the other side: each run first couples
        uncoupled local records with Dataverse rows by the match fields (:mod:`.matching`) and
        reports the ones without a match as failed (CURRENCY: relcore keeps no exchange rates).
    """

    name: str
    local_entity: str
    dv_entity_set: str
    dv_pk: str
    adapter: Callable[[Any], Any]
    fields: tuple[FieldMap, ...] = ()
    direction: str = "bidirectional"
    local_filter: str = ""
    dv_filter: str = ""
    dv_predicate: Callable[[dict], bool] | None = None
    only_coupled: bool = True
    update_conflict: str = "none"
    deletion_conflict: str = "none"
    dependency_filter: str = ""
    priority: int = 100
    state_handler: Any = None
    plugin: str | None = None
    match_only: bool = False


def _prepare(definition: MappingDef) -> MappingDef:
    name = definition.name.upper()
    if definition.direction not in model.DIRECTIONS:
        raise PluginError(f"d365sales mapping {name}: unknown direction {definition.direction!r}")
    return attrs.evolve(definition, name=name)


def _unknown(name: str, known: list[str]) -> Exception:
    return ConfigError(f"no d365sales mapping named {name!r} (known: {', '.join(known) or 'none'})")


def registry(app: Any) -> Mapping[str, MappingDef]:
    """The mapping definitions of an app by (upper-case) name, collected once per app through
    ``relcore_d365sales_register_mappings``; a name registered twice is refused naming both
    plugins."""
    return app.registry(
        "relcore_d365sales_register_mappings",
        kind="d365sales mapping",
        key=lambda definition: definition.name,
        normalize=str.upper,
        unknown=_unknown,
        prepare=_prepare,
    )


#: Mappings other plugins contribute when both they and d365sales are installed (issue 12):
#: name → (plugin name, distribution). Only used to say why such a mapping is out.
OPTIONAL_MAPPINGS: dict[str, tuple[str, str]] = {
    "OPPORTUNITY": ("opportunities", "relcore-opportunities"),
    "CAMPAIGN": ("campaigns", "relcore-campaigns"),
}


def unavailable(app: Any) -> dict[str, str]:
    """The known optional mappings nobody registered, with the reason (name → reason)."""
    found = registry(app)
    out: dict[str, str] = {}
    for name, (plugin, distribution) in OPTIONAL_MAPPINGS.items():
        if name in found:
            continue
        if app.has_plugin(plugin):
            out[name] = (
                f"plugin {plugin} is installed but registers no {name} mapping "
                "(its d365sales integration is missing or disabled)"
            )
        else:
            out[name] = (
                f"plugin {plugin} is not installed (pip install {distribution}); "
                f"{name} needs both it and d365sales"
            )
    return out


def why_out(app: Any, name: str) -> str:
    """Why ``name`` is not a registered mapping (a row left by a removed plugin included)."""
    return unavailable(app).get(
        name.upper(), "no installed plugin registers it (was its plugin removed?)"
    )


def require(app: Any, name: str) -> MappingDef:
    """``registry(app)[name]``; a known optional mapping that is out raises a
    :class:`ConfigError` saying why."""
    missing = unavailable(app)
    if name.upper() in missing:
        raise ConfigError(
            f"d365sales mapping {name.upper()} is not available: {missing[name.upper()]}"
        )
    return registry(app)[name]


def adapter_for(session: Any, mapping: str) -> Any:
    """The local adapter of a mapping, built on ``session``."""
    from relcore.app import app_of

    return registry(app_of(session))[mapping].adapter(session)


def ensure_mappings(session: Any, *, reset: bool = False) -> list[str]:
    """Write the registered defaults into the mapping tables (missing mappings only, or all
    with ``reset``: BC's "Use Default Synchronization Setup"). Watermarks are cleared on reset.

    :returns: the names of the mappings written.
    """
    from relcore import entities
    from relcore.app import app_of

    reg = registry(app_of(session))
    existing = {r[0] for r in session.execute(sa.select(model.table_mapping.c.name))}
    written: list[str] = []
    for name, d in sorted(reg.items()):
        if name in existing and not reset:
            continue
        if name in existing:
            entities.delete(session, "d365sales.table_mapping", [name])
        entities.insert(
            session,
            "d365sales.table_mapping",
            [
                {
                    "name": name,
                    "local_entity": d.local_entity,
                    "dv_entity_set": d.dv_entity_set,
                    "dv_pk": d.dv_pk,
                    "direction": d.direction,
                    "local_filter": d.local_filter,
                    "dv_filter": d.dv_filter,
                    "only_coupled": d.only_coupled,
                    "update_conflict": d.update_conflict,
                    "deletion_conflict": d.deletion_conflict,
                    "dependency_filter": d.dependency_filter,
                    "enabled": True,
                    "priority": d.priority,
                    "use_change_tracking": False,
                }
            ],
        )
        if d.fields:
            session.execute(
                sa.delete(model.field_mapping).where(model.field_mapping.c.mapping_name == name)
            )
            entities.insert(
                session,
                "d365sales.field_mapping",
                [{"mapping_name": name, **attrs.asdict(f)} for f in d.fields],
            )
        written.append(name)
    return written


# -- the defaults of this plugin (§D4) ---------------------------------------------------------

_ADDRESS = (
    ("address", "address1_line1"),
    ("address_2", "address1_line2"),
    ("post_code", "address1_postalcode"),
    ("city", "address1_city"),
    ("county", "address1_stateorprovince"),
    ("country_region_code", "address1_country"),
)
OWNER_FIELD = FieldMap(
    "salesperson_code",
    "ownerid",
    "to_integration",
    not_null=True,
    lookup_mapping="SALESPEOPLE",
    dv_nav="ownerid",
)
"""The salesperson → ``ownerid`` field (to Dataverse, through the SALESPEOPLE couplings, never
cleared: §A5 "Not Null"), for any mapping of an owned table."""


def default_mappings() -> list[MappingDef]:
    """SALESPEOPLE, CURRENCY, CUSTOMER and CONTACT with the field lists of §D4.

    CURRENCY deviates from BC (§A5, §A15), which creates Dataverse currencies with an exchange
    rate it computes from its exchange-rate table and a name from its Currency table: relcore's
    contacts keep only a currency *code* (no currency table, names or exchange rates), so
    CURRENCY never creates a transactioncurrency — it couples each code with the Dataverse
    currency of that ISO code at the start of every run and fails the codes Dataverse lacks.
    For the same reason CUSTOMER's currency goes to Dataverse only (§D4 has ↔): a blank code
    means the local currency, which has no ISO code in relcore, so it is left to Dataverse's
    default (``not_null``) and Dataverse's currency is not read back.
    """
    from relcore_d365sales import adapters

    salespeople = MappingDef(
        "SALESPEOPLE",
        "contacts.salesperson",
        "systemusers",
        "systemuserid",
        adapters.SalespersonAdapter,
        fields=(
            FieldMap("name", "fullname", "from_integration", match_priority=1),
            FieldMap("email", "internalemailaddress", "from_integration", match_priority=0),
            FieldMap("phone_no", "mobilephone", "from_integration"),
        ),
        direction="from_integration",
        local_filter="all salespeople",
        dv_filter="isdisabled eq false and islicensed eq true and isintegrationuser eq false",
        dv_predicate=lambda r: (
            not r.get("isdisabled") and bool(r.get("islicensed")) and not r.get("isintegrationuser")
        ),
        priority=10,
    )
    customer = MappingDef(
        "CUSTOMER",
        "contacts.contact",
        "accounts",
        "accountid",
        adapters.CustomerAdapter,
        fields=(
            FieldMap("name", "name", match_priority=1),
            *(FieldMap(local, dv) for local, dv in _ADDRESS),
            FieldMap("phone_no", "telephone1"),
            FieldMap("fax_no", "fax"),
            FieldMap("email", "emailaddress1"),
            FieldMap("home_page", "websiteurl"),
            OWNER_FIELD,
            FieldMap(
                "currency_code",
                "transactioncurrencyid",
                "to_integration",
                not_null=True,
                lookup_mapping="CURRENCY",
                dv_nav="transactioncurrencyid",
            ),
            FieldMap(
                "primary_contact_no",
                "primarycontactid",
                clear_on_failure=True,
                lookup_mapping="CONTACT",
                dv_nav="primarycontactid",
            ),
            FieldMap("customer_no", "accountnumber", "to_integration", match_priority=0),
            FieldMap("", "customertypecode", "to_integration", constant_value="3"),
        ),
        local_filter="company contacts linked to a customer",
        dv_filter="statecode eq 0 and customertypecode eq 3",
        dv_predicate=lambda r: r.get("statecode") == 0 and r.get("customertypecode") == 3,
        dependency_filter="SALESPEOPLE|CURRENCY",
        priority=20,
    )
    contact = MappingDef(
        "CONTACT",
        "contacts.contact",
        "contacts",
        "contactid",
        adapters.PersonAdapter,
        fields=(
            FieldMap("first_name", "firstname", match_priority=1),
            FieldMap("middle_name", "middlename"),
            FieldMap("surname", "lastname", match_priority=1),
            FieldMap("email", "emailaddress1", match_priority=0),
            FieldMap("phone_no", "telephone1"),
            FieldMap("mobile_phone_no", "mobilephone"),
            FieldMap("fax_no", "fax"),
            FieldMap("pager", "pager"),
            FieldMap("home_page", "websiteurl"),
            FieldMap("job_title", "jobtitle"),
            *(FieldMap(local, dv) for local, dv in _ADDRESS),
            FieldMap(
                "company_no",
                "parentcustomerid",
                lookup_mapping="CUSTOMER",
                dv_nav="parentcustomerid_account",
                match_priority=1,
            ),
            OWNER_FIELD,
            FieldMap("type", "", "from_integration", constant_value="person"),
        ),
        local_filter="person contacts of customer companies",
        dv_filter="_parentcustomerid_value ne null and parentcustomeridtype eq 'account'",
        dv_predicate=lambda r: (
            bool(r.get("_parentcustomerid_value"))
            and r.get("parentcustomeridtype") in (None, "account")
        ),
        dependency_filter="CUSTOMER",
        priority=30,
    )
    currency = MappingDef(
        "CURRENCY",
        "contacts.contact",
        "transactioncurrencies",
        "transactioncurrencyid",
        adapters.CurrencyAdapter,
        fields=(FieldMap("currency_code", "isocurrencycode", "to_integration", match_priority=0),),
        direction="to_integration",
        local_filter="currency codes of customer companies",
        only_coupled=True,
        match_only=True,
        priority=15,
    )
    return [salespeople, currency, customer, contact]
