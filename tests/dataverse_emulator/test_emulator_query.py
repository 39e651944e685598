"""Emulator: reading and querying (Part E3)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from dataverse_emulator import Emulator
from hypothesis import given, settings
from hypothesis import strategies as st

API = "https://contoso.crm4.dynamics.com/api/data/v9.2/"
ANN = {"Prefer": 'odata.include-annotations="*"'}


@pytest.fixture
def people(dataverse_client: httpx.Client, dataverse_emulator: Emulator) -> dict[str, str]:
    """Seed one account and four contacts at distinct seconds."""
    dataverse_emulator.clock.set(datetime(2024, 5, 1, 9, 0, 0, tzinfo=UTC))
    acc = dataverse_emulator.insert(
        "accounts", {"name": "Contoso", "accountnumber": "A-1", "customertypecode": 3}
    )["accountid"]
    ids = {"account": acc}
    for i, (first, last, email) in enumerate(
        [
            ("Ada", "Lovelace", "ada@example.com"),
            ("Alan", "Turing", None),
            ("Grace", "O'Hopper", "grace@navy.mil"),
            ("Edsger", "Dijkstra", "ewd@utexas.edu"),
        ]
    ):
        dataverse_emulator.clock.advance(1)
        body = {
            "firstname": first,
            "lastname": last,
            "emailaddress1": email,
            "donotemail": i % 2 == 0,
        }
        if i < 2:
            body["parentcustomerid_account@odata.bind"] = f"/accounts({acc})"
        ids[first] = dataverse_emulator.insert("contacts", body)["contactid"]
    return ids


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["firstname"] for row in response.json()["value"]]


def test_retrieve_with_select_and_etag(dataverse_client: httpx.Client, people) -> None:
    """E3.12: GET by id honours $select and carries the ETag header."""
    response = dataverse_client.get(
        f"contacts({people['Ada']})", params={"$select": "firstname,lastname"}
    )
    body = response.json()
    assert set(body) == {"@odata.context", "@odata.etag", "firstname", "lastname", "contactid"}
    assert response.headers["ETag"] == body["@odata.etag"]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ("firstname eq 'ada'", ["Ada"]),  # case-insensitive comparison
        ("firstname ne 'Ada'", ["Alan", "Edsger", "Grace"]),
        ("lastname eq 'O''Hopper'", ["Grace"]),
        ("emailaddress1 eq null", ["Alan"]),
        ("emailaddress1 ne null and donotemail eq true", ["Ada", "Grace"]),
        ("contains(emailaddress1,'EXAMPLE')", ["Ada"]),
        ("startswith(lastname,'d') or endswith(lastname,'ing')", ["Alan", "Edsger"]),
        ("not (startswith(firstname,'A'))", ["Edsger", "Grace"]),
        ("modifiedon gt 2024-05-01T09:00:02Z", ["Edsger", "Grace"]),
        (
            "modifiedon ge 2024-05-01T09:00:02Z and modifiedon lt 2024-05-01T09:00:04Z",
            ["Alan", "Grace"],
        ),
        ("modifiedon le 2024-05-01T09:00:01Z", ["Ada"]),
        ("(firstname eq 'Ada' or firstname eq 'Alan') and donotemail eq false", ["Alan"]),
        (
            "Microsoft.Dynamics.CRM.In(PropertyName='firstname',PropertyValues=['Ada','Grace'])",
            ["Ada", "Grace"],
        ),
    ],
)
def test_filter_operators(
    dataverse_client: httpx.Client, people, flt: str, expected: list[str]
) -> None:
    """E3.13: comparison/logical operators, null, string functions, literals."""
    response = dataverse_client.get("contacts", params={"$filter": flt, "$orderby": "firstname"})
    assert names(response) == expected


def test_filter_on_lookup_guid_and_versions(dataverse_client: httpx.Client, people) -> None:
    """E3.13: GUID literals on _x_value columns; integer comparisons."""
    response = dataverse_client.get(
        "contacts",
        params={
            "$filter": f"_parentcustomerid_value eq {people['account']}",
            "$orderby": "firstname",
        },
    )
    assert names(response) == ["Ada", "Alan"]
    response = dataverse_client.get(
        "contacts",
        params={"$filter": f"_modifiedby_value ne {people['account']} and versionnumber gt 0"},
    )
    assert len(names(response)) == 4


@pytest.mark.parametrize(
    "flt",
    [
        "firstname eq",
        "firstname xx 'a'",
        "(firstname eq 'a'",
        "firstname eq 'a' and",
        "primarycontactid/fullname eq 'x'",
    ],
)
def test_bad_filters_are_400(dataverse_client: httpx.Client, people, flt: str) -> None:
    """E1.5: malformed filters -> 400 in the error shape."""
    response = dataverse_client.get("contacts", params={"$filter": flt})
    assert response.status_code == 400
    assert response.json()["error"]["code"].startswith("0x")


def test_orderby_multi_key_top_count(dataverse_client: httpx.Client, people) -> None:
    """E3.13: $orderby multi-key asc/desc, $top, $count=true."""
    response = dataverse_client.get(
        "contacts",
        params={"$orderby": "donotemail desc,firstname asc", "$top": "3", "$count": "true"},
    )
    assert names(response) == ["Ada", "Grace", "Alan"]
    assert response.json()["@odata.count"] == 3
    text = dataverse_client.get("contacts/$count")
    assert text.text == "4"


def test_skip_rejected_and_top_ignored_with_maxpagesize(
    dataverse_client: httpx.Client, people
) -> None:
    """E3.14: $skip rejected; $top ignored when odata.maxpagesize is present."""
    assert dataverse_client.get("contacts", params={"$skip": "1"}).status_code in (400, 501)
    response = dataverse_client.get(
        "contacts", params={"$top": "1"}, headers={"Prefer": "odata.maxpagesize=10"}
    )
    assert len(names(response)) == 4


def test_paging_is_stable_and_tamper_proof(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator, people
) -> None:
    """E3.15: maxpagesize pages with absolute nextLink; stable while rows change; bad token 400."""
    prefer = {"Prefer": "odata.maxpagesize=3"}
    for i in range(5):
        dataverse_emulator.insert("contacts", {"firstname": f"Extra{i}"})
    first = dataverse_client.get(
        "contacts",
        params={"$select": "firstname", "$orderby": "modifiedon,contactid"},
        headers=prefer,
    ).json()
    assert len(first["value"]) == 3
    link = first["@odata.nextLink"]
    assert link.startswith(API) and "$skiptoken=" in link
    dataverse_emulator.insert(
        "contacts", {"firstname": "Late"}
    )  # must not appear in this result set
    dataverse_emulator.update("contacts", people["Ada"], {"firstname": "Changed"})
    seen = [r["firstname"] for r in first["value"]]
    while link:
        page = dataverse_client.get(link, headers=prefer).json()
        seen += [r["firstname"] for r in page["value"]]
        link = page.get("@odata.nextLink")
    assert len(seen) == 9 and len(set(seen)) == 9 and "Late" not in seen
    tampered = first["@odata.nextLink"].replace("$skiptoken=", "$skiptoken=x")
    assert dataverse_client.get(tampered, headers=prefer).status_code == 400


@settings(max_examples=25, deadline=None)
@given(count=st.integers(min_value=0, max_value=30), size=st.integers(min_value=1, max_value=12))
def test_paging_returns_every_row_once(count: int, size: int) -> None:
    """E3.15 (property): any page size returns every row exactly once, in order."""
    emu = Emulator()
    for i in range(count):
        emu.insert("accounts", {"name": f"N{i:03d}"})
    token = emu.issue_token()
    with httpx.Client(
        transport=emu.transport(),
        base_url=API,
        headers={"Authorization": f"Bearer {token}", "Prefer": f"odata.maxpagesize={size}"},
    ) as raw:
        body = raw.get("accounts", params={"$select": "name", "$orderby": "name"}).json()
        rows = body["value"]
        pages = 1
        while "@odata.nextLink" in body:
            body = raw.get(body["@odata.nextLink"]).json()
            rows += body["value"]
            pages += 1
            assert len(body["value"]) <= size
    assert [r["name"] for r in rows] == [f"N{i:03d}" for i in range(count)]
    assert pages == max(1, -(-count // size))


def test_lookup_and_choice_annotations(dataverse_client: httpx.Client, people) -> None:
    """E3.16: _x_value plus FormattedValue/lookuplogicalname/associatednavigationproperty."""
    row = dataverse_client.get(
        f"contacts({people['Ada']})", params={"$select": "_parentcustomerid_value"}, headers=ANN
    ).json()
    key = "_parentcustomerid_value"
    assert row[key] == people["account"]
    assert row[f"{key}@OData.Community.Display.V1.FormattedValue"] == "Contoso"
    assert row[f"{key}@Microsoft.Dynamics.CRM.lookuplogicalname"] == "account"
    assert (
        row[f"{key}@Microsoft.Dynamics.CRM.associatednavigationproperty"]
        == "parentcustomerid_account"
    )
    account = dataverse_client.get(
        f"accounts({people['account']})", params={"$select": "customertypecode"}, headers=ANN
    ).json()
    assert account["customertypecode@OData.Community.Display.V1.FormattedValue"] == "Customer"
    plain = dataverse_client.get(
        f"contacts({people['Ada']})", params={"$select": "_parentcustomerid_value"}
    )
    assert not any("@OData.Community" in k for k in plain.json())


def test_expand_single_valued(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator, people
) -> None:
    """E3.17: $expand of a single-valued navigation property with nested $select."""
    dataverse_emulator.update(
        "accounts",
        people["account"],
        {"primarycontactid@odata.bind": f"/contacts({people['Ada']})"},
    )
    row = dataverse_client.get(
        f"accounts({people['account']})",
        params={"$select": "name", "$expand": "primarycontactid($select=fullname)"},
    ).json()
    assert row["primarycontactid"]["fullname"] == "Ada Lovelace"
    assert set(row["primarycontactid"]) == {"@odata.etag", "fullname", "contactid"}


def test_conditional_get(
    dataverse_client: httpx.Client, dataverse_emulator: Emulator, people
) -> None:
    """E3.18: If-None-Match with the current ETag -> 304; after a change -> 200."""
    url = f"contacts({people['Ada']})"
    tag = dataverse_client.get(url).headers["ETag"]
    assert dataverse_client.get(url, headers={"If-None-Match": tag}).status_code == 304
    assert dataverse_client.get(url, headers={"If-None-Match": tag, **ANN}).status_code == 200
    dataverse_emulator.update("contacts", people["Ada"], {"jobtitle": "Countess"})
    assert dataverse_client.get(url, headers={"If-None-Match": tag}).status_code == 200


_ops = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}
_clause = st.tuples(st.sampled_from(sorted(_ops)), st.integers(min_value=-1, max_value=101))


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=100), max_size=12),
    left=_clause,
    right=_clause,
    joiner=st.sampled_from(["and", "or"]),
    negate=st.booleans(),
)
def test_filter_matches_a_reference_evaluation(values, left, right, joiner, negate) -> None:
    """E3.13 (property): compound integer filters agree with a direct Python evaluation."""
    emu = Emulator()
    for value in values:
        emu.insert("opportunities", {"name": "o", "closeprobability": value})
    text = f"closeprobability {left[0]} {left[1]} {joiner} closeprobability {right[0]} {right[1]}"
    if negate:
        text = f"not ({text})"

    def reference(v: int) -> bool:
        a, b = _ops[left[0]](v, left[1]), _ops[right[0]](v, right[1])
        result = (a and b) if joiner == "and" else (a or b)
        return not result if negate else result

    with httpx.Client(
        transport=emu.transport(),
        base_url=API,
        headers={"Authorization": f"Bearer {emu.issue_token()}"},
    ) as raw:
        body = raw.get(
            "opportunities", params={"$filter": text, "$select": "closeprobability"}
        ).json()
    assert sorted(r["closeprobability"] for r in body["value"]) == sorted(
        v for v in values if reference(v)
    )
