"""Profile questionnaires (§2.11): line rules, manual answers, ratings, classification (PQ1)."""

from __future__ import annotations

import datetime as dt
import types
from decimal import Decimal

import pytest
import sqlalchemy as sa
from relcore_contacts import classification, model, profiles
from relcore_contacts.contacts import insert_contacts

from relcore import hookimpl
from relcore.errors import PluginError, ValidationError

D = Decimal


def erp_plugin(values, seen=None):
    """A test ERP connector providing Sales (LCY) per contact."""

    @hookimpl
    def relcore_contacts_classification_values(
        session, field, contact_nos, starting_date, ending_date
    ):
        if field != "customer.sales_lcy":
            return None
        if seen is not None:
            seen.append((starting_date, ending_date))
        return dict(values)

    return types.SimpleNamespace(
        requires=("contacts",),
        relcore_contacts_classification_values=relcore_contacts_classification_values,
    )


def answers(app, code):
    with app.session() as s:
        rows = s.execute(
            sa.select(
                model.contact_profile_answer.c.contact_no, model.contact_profile_answer.c.line_no
            ).where(model.contact_profile_answer.c.profile_questionnaire_code == code)
        )
        return dict(rows.all())


def abc_questionnaire(s, **question):
    profiles.add_questionnaire(s, "CUSTOMER", "Customer profile")
    q = profiles.add_line(
        s,
        "CUSTOMER",
        "question",
        "ABC Classification",
        auto_contact_classification=True,
        customer_class_field="sales_lcy",
        starting_date_formula="-CY",
        ending_date_formula="CY",
        **question,
    )
    a = profiles.add_line(s, "CUSTOMER", "answer", "A", from_value=D(500000))
    b = profiles.add_line(s, "CUSTOMER", "answer", "B", from_value=D(100000), to_value=D(499999))
    c = profiles.add_line(s, "CUSTOMER", "answer", "C", to_value=D(99999))
    return q, a["line_no"], b["line_no"], c["line_no"]


def test_pq1_abc_classification_by_sales(make_app):
    seen = []
    companies = ["CUST1", "CUST2", "CUST3", "CUST4"]
    values = dict(zip(companies, [D(620000), D(250000), D(40000), D("499999.50")], strict=True))
    app = make_app(
        "contacts", extra=[("erp", erp_plugin(values, seen))], work_date=dt.date(2024, 6, 15)
    )
    with app.session() as s:
        insert_contacts(s, [{"no": no, "name": f"Customer {no}"} for no in companies])
        insert_contacts(
            s, [{"no": "PERS1", "type": "person", "name": "Ann Lee", "company_no": "CUST1"}]
        )
        q, a, b, c = abc_questionnaire(s)
        assert q["classification_method"] == "defined_value"
        result = classification.classify(s)
    assert result == {f"CUSTOMER {q['line_no']}": 5}
    assert seen == [(dt.date(2024, 1, 1), dt.date(2024, 12, 31))]
    assert answers(app, "CUSTOMER") == {
        "CUST1": a,
        "CUST2": b,
        "CUST3": c,
        "CUST4": a,
        "PERS1": a,
    }  # persons get their company's value


def test_classification_respects_contact_type_and_replaces_answers(make_app):
    app = make_app("contacts", extra=[("erp", erp_plugin({"CUST1": D(620000)}))])
    with app.session() as s:
        insert_contacts(s, [{"no": "CUST1", "name": "C1"}])
        insert_contacts(s, [{"no": "PERS1", "type": "person", "name": "P", "company_no": "CUST1"}])
        q, a, _, _ = abc_questionnaire(s)
        profiles.modify_questionnaire(s, "CUSTOMER", {"contact_type": "companies"})
        classification.classify(s, dt.date(2024, 1, 1))
        classification.classify(s, dt.date(2024, 1, 1))
    assert answers(app, "CUSTOMER") == {"CUST1": a}


def test_percentage_methods():
    values = {"A": D(600), "B": D(300), "C": D(100)}
    answers_ = [
        {"line_no": 2, "from_value": D(50), "to_value": D(0), "priority": "normal"},
        {"line_no": 3, "from_value": D(0), "to_value": D("49.99"), "priority": "normal"},
    ]
    line = {
        "no_of_decimals": 0,
        "classification_method": "percentage_of_value",
        "sorting_method": "descending",
    }
    got = classification.assign(line, answers_, values)
    assert {k: v["line_no"] for k, v in got.items()} == {"A": 2, "B": 3, "C": 3}
    line["classification_method"] = "percentage_of_contacts"
    got = classification.assign(line, answers_, values)  # ranks 33%, 67%, 100%
    assert {k: v["line_no"] for k, v in got.items()} == {"A": 3, "B": 2, "C": 2}
    line["sorting_method"] = "ascending"
    got = classification.assign(line, answers_, values)
    assert {k: v["line_no"] for k, v in got.items()} == {"C": 3, "B": 2, "A": 2}


@pytest.mark.parametrize(
    ("value", "lo", "hi", "expected"),
    [
        (5, 1, 10, True),
        (11, 1, 10, False),
        (5, 5, 0, True),
        (4, 5, 0, False),
        (5, 0, 5, True),
        (6, 0, 5, False),
        (0, 0, 0, False),
        (5, 0, 0, False),
    ],
)
def test_in_range(value, lo, hi, expected):
    assert profiles.in_range(D(value), D(lo), D(hi)) is expected


def test_period_and_provider_errors(make_app):
    app = make_app("contacts")
    with app.session() as s:
        q, *_ = abc_questionnaire(s)
        profiles.modify_line(s, "CUSTOMER", q["line_no"], {"ending_date_formula": "-1Y"})
        with pytest.raises(ValidationError, match="ends .* before it starts"):
            classification.classify(s, dt.date(2024, 5, 1))
        profiles.modify_line(s, "CUSTOMER", q["line_no"], {"ending_date_formula": ""})
        with pytest.raises(ValidationError, match="ending_date_formula: must be filled in"):
            classification.classify(s, dt.date(2024, 5, 1))
        profiles.modify_line(s, "CUSTOMER", q["line_no"], {"ending_date_formula": "CY"})
        with pytest.raises(PluginError, match="no plugin provides values"):
            classification.classify(s, dt.date(2024, 5, 1))


def test_line_type_rules(make_app):
    app = make_app("contacts")
    with app.session() as s:
        profiles.add_questionnaire(s, "Q", "Q")
        with pytest.raises(ValidationError, match="Question cannot have From/To"):
            profiles.add_line(s, "Q", "question", "Size?", from_value=D(1))
        with pytest.raises(ValidationError, match="Answer cannot carry classification"):
            profiles.add_line(s, "Q", "answer", "Big", auto_contact_classification=True)
        with pytest.raises(ValidationError, match="description: must not be blank"):
            profiles.add_line(s, "Q", "question", " ")
        q = profiles.add_line(s, "Q", "question", "Sales", customer_class_field="sales_lcy")
        assert q["type"] == "question" and q["classification_method"] == "defined_value"
        q = profiles.modify_line(s, "Q", q["line_no"], {"vendor_class_field": "purchase_lcy"})
        assert q["customer_class_field"] == "" and q["vendor_class_field"] == "purchase_lcy"
        q = profiles.modify_line(
            s, "Q", q["line_no"], {"classification_method": "percentage_of_value"}
        )
        assert q["sorting_method"] == "descending"
        with pytest.raises(ValidationError, match="must be one of"):
            profiles.modify_line(s, "Q", q["line_no"], {"customer_class_field": "colour"})
        with pytest.raises(ValidationError, match="not a valid date formula"):
            profiles.modify_line(s, "Q", q["line_no"], {"starting_date_formula": "1X"})


def test_manual_answers_rules(make_app):
    app = make_app("contacts", work_date=dt.date(2024, 3, 1))
    with app.session() as s:
        insert_contacts(
            s,
            [
                {"no": "C1", "name": "Contoso"},
                {"no": "C2", "name": "Blocked", "privacy_blocked": True},
            ],
        )
        insert_contacts(s, [{"no": "KID", "type": "person", "name": "Kid", "minor": True}])
        profiles.add_questionnaire(s, "Q", "Q", priority="high")
        q1 = profiles.add_line(s, "Q", "question", "Size?")
        small = profiles.add_line(s, "Q", "answer", "Small", priority="low")["line_no"]
        big = profiles.add_line(s, "Q", "answer", "Big")["line_no"]
        q2 = profiles.add_line(s, "Q", "question", "Hobbies?", multiple_answers=True)
        golf = profiles.add_line(s, "Q", "answer", "Golf")["line_no"]
        chess = profiles.add_line(s, "Q", "answer", "Chess")["line_no"]
        row = profiles.answer(s, "C1", "Q", small)
        assert row["answer_priority"] == "low" and row["profile_questionnaire_priority"] == "high"
        assert row["last_date_updated"] == dt.date(2024, 3, 1)
        with pytest.raises(ValidationError, match="does not allow Multiple Answers"):
            profiles.answer(s, "C1", "Q", big)
        profiles.answer(s, "C1", "Q", golf)
        profiles.answer(s, "C1", "Q", chess)
        with pytest.raises(ValidationError, match="already has this answer"):
            profiles.answer(s, "C1", "Q", chess)
        with pytest.raises(ValidationError, match="is a Question"):
            profiles.answer(s, "C1", "Q", q1["line_no"])
        with pytest.raises(ValidationError, match="not allowed for minors"):
            profiles.answer(s, "KID", "Q", golf)
        with pytest.raises(ValidationError, match="blocked due to privacy"):
            profiles.answer(s, "C2", "Q", golf)
        profiles.modify_line(
            s,
            "Q",
            q2["line_no"],
            {"auto_contact_classification": True, "contact_class_field": "rating"},
        )
        with pytest.raises(ValidationError, match="classified automatically"):
            profiles.answer(s, "C1", "Q", golf)
        profiles.modify_questionnaire(s, "Q", {"priority": "very_high"})
        profiles.modify_line(s, "Q", small, {"priority": "very_low"})
        rows = profiles.contact_answers(s, "C1")
        with pytest.raises(ValidationError, match="Question cannot have contacts"):
            profiles.modify_line(s, "Q", small, {"type": "question"})
    assert {r["profile_questionnaire_priority"] for r in rows} == {"very_high"}
    assert [(r["question"], r["answer"], r["answer_priority"]) for r in rows][0] == (
        "Size?",
        "Small",
        "very_low",
    )


def test_rating_recalculated_from_answers(make_app):
    app = make_app("contacts")
    with app.session() as s:
        insert_contacts(s, [{"no": "C1", "name": "Contoso"}])
        profiles.add_questionnaire(s, "FACTS", "Facts")
        profiles.add_line(s, "FACTS", "question", "Size?")
        big = profiles.add_line(s, "FACTS", "answer", "Big")["line_no"]
        profiles.add_line(s, "FACTS", "question", "Loyal?")
        loyal = profiles.add_line(s, "FACTS", "answer", "Yes")["line_no"]
        profiles.add_questionnaire(s, "RATE", "Rating")
        rq = profiles.add_line(
            s,
            "RATE",
            "question",
            "Attractiveness",
            auto_contact_classification=True,
            contact_class_field="rating",
            min_pct_questions_answered=D(50),
        )["line_no"]
        low = profiles.add_line(s, "RATE", "answer", "Low", to_value=D(5))["line_no"]
        high = profiles.add_line(s, "RATE", "answer", "High", from_value=D(6))["line_no"]
        profiles.set_points(s, "RATE", rq, "FACTS", big, D(4))
        profiles.set_points(s, "RATE", rq, "FACTS", loyal, D(3))
        profiles.answer(s, "C1", "FACTS", big)
    assert answers(app, "RATE") == {"C1": low}
    with app.session() as s:
        profiles.answer(s, "C1", "FACTS", loyal)
        pct = s.execute(
            sa.select(model.contact_profile_answer.c.questions_answered_pct).where(
                model.contact_profile_answer.c.profile_questionnaire_code == "RATE"
            )
        ).scalar()
    assert answers(app, "RATE") == {"C1": high} and pct == D(100)
    with app.session() as s:
        profiles.remove_answer(s, "C1", "FACTS", loyal)
    assert answers(app, "RATE") == {"C1": low}


def test_cli_profiles(make_app, run_cli):
    app = make_app("contacts", extra=[("erp", erp_plugin({"CUST1": D(620000)}))])
    with app.session() as s:
        insert_contacts(s, [{"no": "CUST1", "name": "Contoso"}])
    steps = [
        ("add", "CUSTOMER", "--description", "Customer profile"),
        (
            "lines",
            "add",
            "--type",
            "question",
            "CUSTOMER",
            "ABC Classification",
            "--set",
            "auto_contact_classification=yes",
            "--set",
            "customer_class_field=sales_lcy",
            "--set",
            "starting_date_formula=-CY",
            "--set",
            "ending_date_formula=CY",
        ),
        ("lines", "add", "--type", "answer", "CUSTOMER", "A", "--set", "from_value=500000"),
        ("lines", "add", "--type", "answer", "CUSTOMER", "B", "--set", "to_value=499999"),
        ("add", "MANUAL", "--description", "Manual"),
        ("lines", "add", "--type", "question", "MANUAL", "Size?"),
        ("lines", "add", "--type", "answer", "MANUAL", "Big"),
    ]
    for args in steps:
        result = run_cli(app, "contacts", "profiles", *args)
        assert result.exit_code == 0, (args, result.output)
    result = run_cli(app, "contacts", "profiles", "show", "CUSTOMER", json=True)
    assert [line["line_no"] for line in result.json["lines"]] == [10000, 20000, 30000]
    result = run_cli(app, "contacts", "profiles", "classify", "--date", "2024-06-01", json=True)
    assert result.exit_code == 0, result.output
    assert result.json == {"CUSTOMER 10000": 1}
    result = run_cli(app, "contacts", "profiles", "answer", "CUST1", "MANUAL", "20000")
    assert result.exit_code == 0, result.output
    result = run_cli(app, "contacts", "profiles", "answer", "CUST1", "CUSTOMER", "30000")
    assert result.exit_code == 1 and "classified automatically" in result.output
    result = run_cli(app, "contacts", "profiles", "answers", "CUST1", json=True)
    assert [(r["question"], r["answer"]) for r in result.json] == [
        ("ABC Classification", "A"),
        ("Size?", "Big"),
    ]
    result = run_cli(
        app,
        "contacts",
        "profiles",
        "lines",
        "add",
        "--type",
        "question",
        "MANUAL",
        "X",
        "--set",
        "from_value=abc",
    )
    assert result.exit_code == 1 and "from_value" in result.output
