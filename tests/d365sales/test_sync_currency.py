"""CURRENCY (issue 12 item 5, reference §A5/§A15/§D4): the currency codes of customer companies
are coupled by ISO code with the Dataverse currencies, never created (relcore keeps no exchange
rates or currency names), and CUSTOMER sends the coupled currency of each account."""

from __future__ import annotations

import pytest
from relcore_d365sales.testing import SyncEnv


@pytest.fixture
def env(make_app):
    return SyncEnv(make_app("contacts", "d365sales"))


def test_currency_codes_couple_by_iso_code_and_accounts_get_their_currency(env):
    usd = env.human_insert(
        "transactioncurrencies",
        {"isocurrencycode": "USD", "currencyname": "US Dollar", "exchangerate": 1.1},
    )
    adatum, litware, contoso = env.companies(["Adatum", "Litware", "Contoso"])
    env.modify(adatum, currency_code="USD")
    env.modify(litware, currency_code="EUR")
    jobs = env.sync(full=True)
    # CURRENCY runs before CUSTOMER; USD is coupled, EUR has no Dataverse currency
    assert [m for m, _ in jobs][:2] == ["SALESPEOPLE", "CURRENCY"]
    assert env.coupling("CURRENCY", "USD")["dv_id"] == usd["transactioncurrencyid"]
    assert env.coupling("CURRENCY", "EUR") is None
    assert jobs["CURRENCY", "to_integration"].failed == 1
    assert [c["isocurrencycode"] for c in env.emulator.rows("transactioncurrencies")] == ["USD"]
    errors = {e["local_key"]: e["message"] for e in env.errors()}
    assert "no transactioncurrencies row matches currency EUR: add it in Dataverse" in errors["EUR"]
    accounts = {a["name"]: a for a in env.emulator.rows("accounts")}
    assert accounts["Adatum"]["_transactioncurrencyid_value"] == usd["transactioncurrencyid"]
    assert accounts["Contoso"].get("_transactioncurrencyid_value") is None  # blank = Dataverse's
    assert "Litware" not in accounts  # its currency is not coupled: the record fails, named
    assert "currency_code: EUR is not coupled in mapping CURRENCY" in errors[litware]
    assert jobs["CUSTOMER", "to_integration"].failed == 1
    # once Dataverse has the currency, the next run couples it and creates the account
    eur = env.human_insert(
        "transactioncurrencies",
        {"isocurrencycode": "EUR", "currencyname": "Euro", "exchangerate": 1},
    )
    again = env.sync()
    assert again["CURRENCY", "to_integration"].failed == 0
    assert env.coupling("CURRENCY", "EUR")["dv_id"] == eur["transactioncurrencyid"]
    accounts = {a["name"]: a for a in env.emulator.rows("accounts")}
    assert accounts["Litware"]["_transactioncurrencyid_value"] == eur["transactioncurrencyid"]
    # a company switching currency moves its account; Dataverse's currency is not read back
    env.modify(adatum, currency_code="EUR")
    env.sync()
    adatum_dv = env.coupling("CUSTOMER", adatum)["dv_id"]
    assert (
        env.emulator.get("accounts", adatum_dv)["_transactioncurrencyid_value"]
        == (eur["transactioncurrencyid"])
    )
    env.human_edit(
        "accounts",
        adatum_dv,
        {
            "transactioncurrencyid@odata.bind": (
                f"/transactioncurrencies({usd['transactioncurrencyid']})"
            )
        },
    )
    env.sync()
    assert env.contact(adatum)["currency_code"] == "EUR"
    assert len(env.emulator.rows("transactioncurrencies")) == 2
