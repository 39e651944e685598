"""Table metadata of the emulator: the tables and columns of Part B4 (Part E2 item 6).

Each :class:`TableDef` lists its columns with a type, the lookups with their navigation
properties (polymorphic ones included), alternate keys (Part B11), valid state/status pairs
(Part E4 item 24), SystemRequired columns (Part E2 item 9) and whether change tracking is on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column types understood by the emulator.
STRING, MEMO, INT, BIGINT, BOOL, MONEY, DECIMAL = (
    "string",
    "memo",
    "int",
    "bigint",
    "bool",
    "money",
    "decimal",
)
DATETIME, DATE, GUID, CHOICE = "datetime", "date", "guid", "choice"

SERVER_COLUMNS = frozenset(
    {
        "createdon",
        "modifiedon",
        "versionnumber",
        "_createdby_value",
        "_modifiedby_value",
        "_owningbusinessunit_value",
    }
)


@dataclass(frozen=True)
class Column:
    """A plain (non-lookup) column.

    :param max_length: string length limit (validation error when exceeded).
    :param options: allowed values and labels for choice columns.
    :param read_only: computed or server-managed; client values are ignored.
    :param create_only: settable on create, silently ignored on update (e.g. campaign codename).
    """

    name: str
    type: str = STRING
    max_length: int | None = None
    options: dict[int, str] | None = None
    read_only: bool = False
    create_only: bool = False


@dataclass(frozen=True)
class Lookup:
    """A lookup column stored as ``_<name>_value`` (Part B5).

    :param navs: navigation property -> target entity set (``parentcustomerid_account`` ->
        ``accounts``). Single-target lookups use the column name as navigation property.
    :param type_column: column recording the target's logical name for polymorphic lookups.
    """

    name: str
    navs: dict[str, str]
    type_column: str | None = None
    read_only: bool = False

    @property
    def value_column(self) -> str:
        """The ``_<name>_value`` column name."""
        return f"_{self.name}_value"


@dataclass
class TableDef:
    """Metadata of one table (entity)."""

    logical_name: str
    entity_set: str
    primary_key: str
    primary_name: str
    columns: dict[str, Column] = field(default_factory=dict)
    lookups: dict[str, Lookup] = field(default_factory=dict)
    alternate_keys: list[tuple[str, ...]] = field(default_factory=list)
    states: dict[int, tuple[int, ...]] | None = None
    system_required: frozenset[str] = frozenset()
    change_tracking: bool = True
    api_writable: bool = True
    computed_fullname: bool = False

    def lookup_by_nav(self, nav: str) -> Lookup | None:
        """Return the lookup owning navigation property ``nav`` (case-sensitive, Part B5)."""
        for lookup in self.lookups.values():
            if nav in lookup.navs:
                return lookup
        return None

    def lookup_by_value_column(self, name: str) -> Lookup | None:
        """Return the lookup whose ``_x_value`` column is ``name``."""
        if name.startswith("_") and name.endswith("_value"):
            return self.lookups.get(name[1:-6])
        return None

    def all_columns(self) -> list[str]:
        """Every readable column name (plain columns, ``_x_value`` and server columns)."""
        names = [self.primary_key, *self.columns]
        names += [lk.value_column for lk in self.lookups.values()]
        names += [c for c in SERVER_COLUMNS if c not in names]
        return names

    def is_column(self, name: str) -> bool:
        """True when ``name`` is a readable column of this table."""
        return (
            name == self.primary_key
            or name in self.columns
            or name in SERVER_COLUMNS
            or (self.lookup_by_value_column(name) is not None)
        )


def _cols(*specs: Column | str) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for spec in specs:
        col = Column(spec) if isinstance(spec, str) else spec
        out[col.name] = col
    return out


def _owner_lookups(extra: dict[str, Lookup] | None = None) -> dict[str, Lookup]:
    lookups = {
        "ownerid": Lookup(
            "ownerid",
            {"ownerid": "systemusers", "ownerid_team": "teams"},
            type_column="owneridtype",
        ),
        "createdby": Lookup("createdby", {"createdby": "systemusers"}, read_only=True),
        "modifiedby": Lookup("modifiedby", {"modifiedby": "systemusers"}, read_only=True),
        "transactioncurrencyid": Lookup(
            "transactioncurrencyid", {"transactioncurrencyid": "transactioncurrencies"}
        ),
    }
    lookups.update(extra or {})
    return lookups


ACTIVE_INACTIVE = {0: (1,), 1: (2,)}
STATE_LABELS = {0: "Active", 1: "Inactive"}
ADDRESS = [Column(f"address1_line{i}", max_length=250) for i in (1, 2, 3)] + [
    Column("address1_city", max_length=80),
    Column("address1_postalcode", max_length=20),
    Column("address1_stateorprovince", max_length=50),
    Column("address1_country", max_length=80),
    Column("address1_county", max_length=50),
]
CUSTOMER_TYPES = {
    1: "Competitor",
    2: "Consultant",
    3: "Customer",
    4: "Investor",
    5: "Partner",
    6: "Influencer",
    7: "Press",
    8: "Prospect",
    9: "Reseller",
    10: "Supplier",
    11: "Vendor",
    12: "Other",
}
COMMON = [
    Column("statecode", CHOICE, options=STATE_LABELS),
    Column("statuscode", CHOICE, options={1: "Active", 2: "Inactive"}),
    Column("overriddencreatedon", DATETIME),
    Column("importsequencenumber", INT),
    Column("owneridtype", STRING, read_only=True),
]


def build_tables() -> dict[str, TableDef]:
    """Return fresh metadata for every emulated table, keyed by entity set (Part B4)."""
    tables = [
        TableDef(
            "contact",
            "contacts",
            "contactid",
            "fullname",
            _cols(
                Column("firstname", max_length=50),
                Column("middlename", max_length=50),
                Column("lastname", max_length=50),
                Column("fullname", read_only=True),
                *[Column(f"emailaddress{i}", max_length=100) for i in (1, 2, 3)],
                *[Column(f"telephone{i}", max_length=50) for i in (1, 2, 3)],
                Column("mobilephone", max_length=50),
                Column("fax", max_length=50),
                Column("pager", max_length=50),
                Column("jobtitle", max_length=100),
                Column("department", max_length=100),
                Column("salutation", max_length=100),
                *ADDRESS,
                Column("websiteurl", max_length=200),
                Column("parentcustomeridtype", STRING, read_only=True),
                Column("donotemail", BOOL),
                Column("donotphone", BOOL),
                Column("donotbulkemail", BOOL),
                *COMMON,
            ),
            _owner_lookups(
                {
                    "parentcustomerid": Lookup(
                        "parentcustomerid",
                        {
                            "parentcustomerid_account": "accounts",
                            "parentcustomerid_contact": "contacts",
                        },
                        type_column="parentcustomeridtype",
                    )
                }
            ),
            states=ACTIVE_INACTIVE,
            computed_fullname=True,
        ),
        TableDef(
            "account",
            "accounts",
            "accountid",
            "name",
            _cols(
                Column("name", max_length=160),
                Column("accountnumber", max_length=20),
                Column("telephone1", max_length=50),
                Column("fax", max_length=50),
                Column("emailaddress1", max_length=100),
                Column("websiteurl", max_length=200),
                *ADDRESS,
                Column("customertypecode", CHOICE, options=CUSTOMER_TYPES),
                Column("creditlimit", MONEY),
                Column("paymenttermscode", CHOICE),
                Column("address1_freighttermscode", CHOICE),
                Column("address1_shippingmethodcode", CHOICE),
                *COMMON,
            ),
            _owner_lookups(
                {
                    "primarycontactid": Lookup(
                        "primarycontactid", {"primarycontactid": "contacts"}
                    ),
                    "parentaccountid": Lookup("parentaccountid", {"parentaccountid": "accounts"}),
                }
            ),
            alternate_keys=[("accountnumber",)],
            states=ACTIVE_INACTIVE,
        ),
        TableDef(
            "systemuser",
            "systemusers",
            "systemuserid",
            "fullname",
            _cols(
                Column("fullname", max_length=200),
                Column("firstname", max_length=64),
                Column("lastname", max_length=64),
                Column("internalemailaddress", max_length=100),
                Column("domainname", max_length=1024),
                Column("mobilephone", max_length=64),
                Column("isdisabled", BOOL),
                Column("islicensed", BOOL),
                Column("isintegrationuser", BOOL),
                Column("accessmode", CHOICE),
                Column("applicationid", GUID),
            ),
            {
                "businessunitid": Lookup("businessunitid", {"businessunitid": "businessunits"}),
                "createdby": Lookup("createdby", {"createdby": "systemusers"}, read_only=True),
                "modifiedby": Lookup("modifiedby", {"modifiedby": "systemusers"}, read_only=True),
            },
            api_writable=False,
            computed_fullname=True,
        ),
        TableDef(
            "team",
            "teams",
            "teamid",
            "name",
            _cols(Column("name", max_length=160), Column("teamtype", CHOICE)),
            {
                "businessunitid": Lookup("businessunitid", {"businessunitid": "businessunits"}),
                "createdby": Lookup("createdby", {"createdby": "systemusers"}, read_only=True),
                "modifiedby": Lookup("modifiedby", {"modifiedby": "systemusers"}, read_only=True),
            },
            system_required=frozenset({"name"}),
        ),
        TableDef(
            "opportunity",
            "opportunities",
            "opportunityid",
            "name",
            _cols(
                Column("name", max_length=300),
                Column("estimatedvalue", MONEY),
                Column("actualvalue", MONEY),
                Column("estimatedclosedate", DATE),
                Column("actualclosedate", DATE),
                Column("closeprobability", INT),
                Column("stepname", max_length=200),
                Column("opportunityratingcode", CHOICE, options={1: "Hot", 2: "Warm", 3: "Cold"}),
                Column("description", MEMO),
                Column("customeridtype", STRING, read_only=True),
                Column("statecode", CHOICE, options={0: "Open", 1: "Won", 2: "Lost"}),
                Column(
                    "statuscode",
                    CHOICE,
                    options={
                        1: "In Progress",
                        2: "On Hold",
                        3: "Won",
                        4: "Canceled",
                        5: "Out-Sold",
                    },
                ),
                *COMMON[2:],
            ),
            _owner_lookups(
                {
                    "customerid": Lookup(
                        "customerid",
                        {"customerid_account": "accounts", "customerid_contact": "contacts"},
                        type_column="customeridtype",
                    ),
                    "parentaccountid": Lookup("parentaccountid", {"parentaccountid": "accounts"}),
                    "parentcontactid": Lookup("parentcontactid", {"parentcontactid": "contacts"}),
                    "campaignid": Lookup("campaignid", {"campaignid": "campaigns"}),
                }
            ),
            states={0: (1, 2), 1: (3,), 2: (4, 5)},
        ),
        TableDef(
            "opportunityclose",
            "opportunitycloses",
            "activityid",
            "subject",
            _cols(
                Column("subject", max_length=200),
                Column("actualrevenue", MONEY),
                Column("actualend", DATE),
                Column("description", MEMO),
                Column("statecode", CHOICE, options={0: "Open", 1: "Completed", 2: "Canceled"}),
                Column("statuscode", CHOICE),
                *COMMON[2:],
            ),
            _owner_lookups(
                {"opportunityid": Lookup("opportunityid", {"opportunityid": "opportunities"})}
            ),
            states={0: (1,), 1: (2,), 2: (3,)},
        ),
        TableDef(
            "campaign",
            "campaigns",
            "campaignid",
            "name",
            _cols(
                Column("name", max_length=128),
                Column("codename", max_length=32, create_only=True),
                Column("typecode", CHOICE),
                Column("description", MEMO),
                Column("objective", MEMO),
                *[
                    Column(c, DATE)
                    for c in ("proposedstart", "proposedend", "actualstart", "actualend")
                ],
                *[Column(c, MONEY) for c in ("budgetedcost", "expectedrevenue", "othercost")],
                Column("expectedresponse", INT),
                Column("istemplate", BOOL),
                Column("statecode", CHOICE, options=STATE_LABELS),
                Column(
                    "statuscode",
                    CHOICE,
                    options={
                        0: "Proposed",
                        1: "Ready To Launch",
                        2: "Launched",
                        3: "Completed",
                        4: "Canceled",
                        5: "Suspended",
                        6: "Inactive",
                    },
                ),
                *COMMON[2:],
            ),
            _owner_lookups(),
            states={0: (0, 1, 2, 3, 4, 5), 1: (6,)},
            system_required=frozenset({"name"}),
        ),
        TableDef(
            "transactioncurrency",
            "transactioncurrencies",
            "transactioncurrencyid",
            "currencyname",
            _cols(
                Column("currencyname", max_length=100),
                Column("isocurrencycode", max_length=5),
                Column("currencysymbol", max_length=10),
                Column("exchangerate", DECIMAL),
                Column("currencyprecision", INT),
                *COMMON,
            ),
            {
                "createdby": Lookup("createdby", {"createdby": "systemusers"}, read_only=True),
                "modifiedby": Lookup("modifiedby", {"modifiedby": "systemusers"}, read_only=True),
            },
            alternate_keys=[("isocurrencycode",)],
            states=ACTIVE_INACTIVE,
            system_required=frozenset({"currencyname", "isocurrencycode"}),
        ),
        TableDef(
            "lead",
            "leads",
            "leadid",
            "fullname",
            _cols(
                Column("subject", max_length=300),
                Column("firstname", max_length=50),
                Column("middlename", max_length=50),
                Column("lastname", max_length=50),
                Column("fullname", read_only=True),
                Column("companyname", max_length=100),
                Column("emailaddress1", max_length=100),
                Column("telephone1", max_length=50),
                Column("statecode", CHOICE, options={0: "Open", 1: "Qualified", 2: "Disqualified"}),
                Column("statuscode", CHOICE),
                *COMMON[2:],
            ),
            _owner_lookups(),
            states={0: (1, 2), 1: (3,), 2: (4, 5, 6, 7)},
            computed_fullname=True,
        ),
        TableDef(
            "product",
            "products",
            "productid",
            "name",
            _cols(
                Column("name", max_length=100),
                Column("productnumber", max_length=100),
                Column("description", MEMO),
                Column("statecode", CHOICE),
                Column("statuscode", CHOICE),
                *COMMON[2:],
            ),
            _owner_lookups(),
            alternate_keys=[("productnumber",)],
            states={0: (1,), 1: (2,), 2: (0,), 3: (3,)},
        ),
    ]
    return {t.entity_set: t for t in tables}


def logical_to_set(tables: dict[str, TableDef]) -> dict[str, str]:
    """Map logical names to entity set names."""
    return {t.logical_name: t.entity_set for t in tables.values()}
