"""Unit behaviours of reference Part D8: field transfer (constants, transformation rules,
not-null, clear-on-failure, option maps), the conflict decision table, timestamp comparison,
dependency order, and the ``$batch`` serialiser against the emulator."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from relcore_d365sales import conflicts, transfer
from relcore_d365sales.conflicts import UpdateConflict, changed_since, decide
from relcore_d365sales.transfer import FieldSpec, TransferError

from relcore.db import Code


class Ctx:
    """A transfer context with fixed couplings and option maps."""

    ownership_model = "person"
    owner_team_id = None
    default_owner_user_id = None

    def __init__(self) -> None:
        self.keys = {"SALESPEOPLE": {"AB": "u-1"}, "CUSTOMER": {"CT1": "a-1"}}
        self.options = {"paymenttermscode": {1: "NET30", 2: "COD"}}

    def dv_id(self, mapping, key):
        return self.keys[mapping].get(key)

    def local_key(self, mapping, dv_id):
        return {v: k for k, v in self.keys[mapping].items()}.get(dv_id)

    def entity_set(self, mapping):
        return {"SALESPEOPLE": "systemusers", "CUSTOMER": "accounts"}[mapping]

    def option_code(self, column, value):
        return self.options.get(column, {}).get(value)

    def option_value(self, column, code):
        return next((n for n, c in self.options.get(column, {}).items() if c == code), None)


OWNER = FieldSpec(
    "salesperson_code",
    "ownerid",
    "to_integration",
    not_null=True,
    lookup_mapping="SALESPEOPLE",
    dv_nav="ownerid",
)
PARENT = FieldSpec(
    "company_no",
    "parentcustomerid",
    "bidirectional",
    lookup_mapping="CUSTOMER",
    dv_nav="parentcustomerid_account",
)
COLUMNS = {
    "post_code": sa.Column("post_code", Code(20)),
    "first_name": sa.Column("first_name", sa.String(5)),
}


def test_constants_are_sent_on_create_only():
    fields = [
        FieldSpec("", "customertypecode", "to_integration", constant_value="3"),
        FieldSpec("name", "name", "bidirectional"),
    ]
    assert transfer.to_payload(fields, {"name": "A"}, Ctx(), creating=True) == {
        "customertypecode": 3,
        "name": "A",
    }
    assert transfer.to_payload(fields, {"name": "A"}, Ctx(), creating=False) == {"name": "A"}


def test_constant_towards_relcore():
    fields = [FieldSpec("type", "", "from_integration", constant_value="person")]
    assert transfer.dv_values(fields, {}, Ctx(), {}) == {"type": "person"}


@pytest.mark.parametrize(
    "rule, local, dv",
    [
        ("upper", "abc", "ABC"),
        ("prefix:BC-", "C1", "BC-C1"),
        ("map:U.S.=US;UK=GB", "U.S.", "US"),
        ("truncate:3", "abcdef", "abc"),
        ("trim", " x ", "x"),
    ],
)
def test_transformation_rules(rule, local, dv):
    f = FieldSpec("country", "address1_country", "bidirectional", transformation_rule=rule)
    assert transfer.to_payload([f], {"country": local}, Ctx(), creating=False) == {
        "address1_country": dv
    }
    if rule.startswith(("prefix", "map")):  # reversible rules come back
        assert transfer.dv_values([f], {"address1_country": dv}, Ctx(), {}) == {"country": local}


def test_unknown_rule_fails_naming_it():
    f = FieldSpec("x", "x", transformation_rule="rot13")
    with pytest.raises(TransferError, match="rot13"):
        transfer.to_payload([f], {"x": "a"}, Ctx(), creating=False)


def test_lookups_bind_through_couplings():
    body = transfer.to_payload(
        [OWNER, PARENT], {"salesperson_code": "AB", "company_no": "CT1"}, Ctx(), creating=True
    )
    assert body == {
        "ownerid@odata.bind": "/systemusers(u-1)",
        "parentcustomerid_account@odata.bind": "/accounts(a-1)",
    }
    assert transfer.dv_values([PARENT], {"_parentcustomerid_value": "a-1"}, Ctx(), {}) == {
        "company_no": "CT1"
    }


def test_not_null_never_clears_the_destination():
    assert transfer.to_payload([OWNER], {"salesperson_code": ""}, Ctx(), creating=False) == {}
    assert transfer.to_payload([OWNER], {"salesperson_code": "ZZ"}, Ctx(), creating=False) == {}


def test_default_owner_and_team_model():
    ctx = Ctx()
    ctx.default_owner_user_id = "u-9"
    assert transfer.to_payload([OWNER], {"salesperson_code": "ZZ"}, ctx, creating=True) == {
        "ownerid@odata.bind": "/systemusers(u-9)"
    }
    ctx.ownership_model, ctx.owner_team_id = "team", "t-1"
    assert transfer.to_payload([OWNER], {"salesperson_code": "AB"}, ctx, creating=True) == {
        "ownerid@odata.bind": "/teams(t-1)"
    }


def test_uncoupled_lookup_fails_or_clears():
    with pytest.raises(TransferError, match="company_no: CT9 is not coupled"):
        transfer.to_payload([PARENT], {"company_no": "CT9"}, Ctx(), creating=False)
    clearing = FieldSpec(
        "company_no",
        "parentcustomerid",
        lookup_mapping="CUSTOMER",
        dv_nav="parentcustomerid_account",
        clear_on_failure=True,
    )
    assert transfer.to_payload([clearing], {"company_no": "CT9"}, Ctx(), creating=False) == {
        "parentcustomerid_account@odata.bind": None
    }
    assert transfer.dv_values([clearing], {"_parentcustomerid_value": "zz"}, Ctx(), {}) == {
        "company_no": ""
    }


def test_option_sets_map_integers_to_codes():
    f = FieldSpec("payment_terms_code", "paymenttermscode", transformation_rule="option")
    assert transfer.to_payload([f], {"payment_terms_code": "COD"}, Ctx(), creating=False) == {
        "paymenttermscode": 2
    }
    assert transfer.dv_values([f], {"paymenttermscode": 1}, Ctx(), {}) == {
        "payment_terms_code": "NET30"
    }
    with pytest.raises(TransferError, match="option value 7"):
        transfer.dv_values([f], {"paymenttermscode": 7}, Ctx(), {})


def test_values_are_normalised_to_the_local_column():
    fields = [FieldSpec("post_code", "address1_postalcode"), FieldSpec("first_name", "firstname")]
    out = transfer.dv_values(
        fields, {"address1_postalcode": "ab1 2cd", "firstname": None}, Ctx(), COLUMNS
    )
    assert out == {"post_code": "AB1 2CD", "first_name": ""}
    with pytest.raises(TransferError, match="first_name.*longer than 5"):
        transfer.dv_values(fields, {"firstname": "Annabel"}, Ctx(), COLUMNS)


# -- conflicts (§A8.1) ------------------------------------------------------------------------

BASE = {"phone": "1", "email": "a", "title": "x"}
KEYS = {"to_keys": {"phone", "email", "title"}, "from_keys": {"phone", "email", "title"}}


def _decide(local, dv, strategy="none", base=BASE):
    cur = {**base, **(local or {})}
    return decide(
        base=base,
        local=cur if local is not None else None,
        dv={**base, **dv} if dv is not None else None,
        bidirectional=set(BASE),
        strategy=strategy,
        local_current=cur,
        **KEYS,
    )


@pytest.mark.parametrize(
    "local, dv, strategy, push, pull",
    [
        ({"phone": "2"}, None, "none", {"phone": "2"}, {}),
        (None, {"phone": "3"}, "none", {}, {"phone": "3"}),
        ({"phone": "2"}, {"email": "b"}, "none", {"phone": "2"}, {"email": "b"}),
        ({"phone": "2"}, {"phone": "2"}, "none", {}, {}),
        ({"phone": "2"}, {"phone": "3"}, "send_update", {"phone": "2"}, {}),
        ({"phone": "2"}, {"phone": "3"}, "get_update", {}, {"phone": "3"}),
        ({}, {}, "none", {}, {}),
    ],
)
def test_decision_table(local, dv, strategy, push, pull):
    decision = _decide(local, dv, strategy)
    assert (decision.push, decision.pull) == (push, pull)


def test_conflict_with_strategy_none_fails_naming_the_fields():
    with pytest.raises(UpdateConflict, match="phone is bidirectional"):
        _decide({"phone": "2"}, {"phone": "3"})


def test_never_synchronised_pair_prefers_relcore_unless_get_update():
    cur = {"phone": "1", "email": "a", "title": "x"}
    dv = {"phone": "9", "email": "a", "title": "x"}
    local_wins = decide(
        base=None,
        local=cur,
        dv=dv,
        bidirectional=set(cur),
        strategy="none",
        local_current=cur,
        **KEYS,
    )
    assert (local_wins.push, local_wins.pull) == ({"phone": "1"}, {})
    dv_wins = decide(
        base=None,
        local=cur,
        dv=dv,
        bidirectional=set(cur),
        strategy="get_update",
        local_current=cur,
        **KEYS,
    )
    assert (dv_wins.push, dv_wins.pull) == ({}, {"phone": "9"})


def test_timestamp_comparison_has_a_10ms_tolerance():
    t = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert not changed_since(t + dt.timedelta(milliseconds=9), t)
    assert changed_since(t + dt.timedelta(milliseconds=11), t)
    assert changed_since(t, None) and not changed_since(None, t)
    assert dt.timedelta(milliseconds=10) == conflicts.TOLERANCE


def test_mappings_run_in_dependency_order():
    from relcore_d365sales.engine import _ordered

    rows = [
        {"name": "CONTACT", "dependency_filter": "CUSTOMER", "priority": 1},
        {"name": "CUSTOMER", "dependency_filter": "SALESPEOPLE|CURRENCY", "priority": 2},
        {"name": "SALESPEOPLE", "dependency_filter": "", "priority": 3},
    ]
    assert [r["name"] for r in _ordered(rows)] == ["SALESPEOPLE", "CUSTOMER", "CONTACT"]


def test_batch_round_trip_against_the_emulator():
    """``$batch`` without change sets: every part answers for itself (continue-on-error)."""
    from dataverse_emulator import Emulator
    from relcore_d365sales.auth import StaticTokenProvider
    from relcore_d365sales.dv_batch import BatchOp, send_batch
    from relcore_d365sales.http import DataverseClient

    emu = Emulator()
    with DataverseClient(
        "https://x.example", StaticTokenProvider(emu.issue_token), transport=emu.transport()
    ) as client:
        results = send_batch(
            client,
            [
                BatchOp(
                    "POST",
                    "accounts?$select=accountid,versionnumber",
                    {"name": "A"},
                    {"Prefer": "return=representation"},
                ),
                BatchOp(
                    "PATCH",
                    "accounts(00000000-0000-0000-0000-000000000001)",
                    {"name": "B"},
                    {"If-Match": "*"},
                ),
                BatchOp("POST", "accounts", {"name": "C", "nosuchcolumn": 1}),
            ],
        )
    assert [r.status for r in results] == [201, 404, 400]
    assert results[0].body["versionnumber"] > 0
    assert results[2].error_message
    assert [a["name"] for a in emu.rows("accounts")] == ["A"]
