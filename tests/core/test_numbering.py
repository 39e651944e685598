"""Number series engine (BC §1.2): test vectors NS1–NS14 and the rules around them.

Runs on in-memory SQLite always and on PostgreSQL when ``RELCORE_TEST_POSTGRES_URL`` is set, e.g.
``RELCORE_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test pytest tests/core``.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from relcore import hookimpl
from relcore import numbering as ns
from relcore.errors import NumberSeriesError, ValidationError
from relcore.numbering.nos import harmonise
from relcore.setup import SetupField

WORK_DATE = dt.date(2025, 3, 15)


@pytest.fixture
def app(make_app):  # noqa: F811
    return make_app(work_date=WORK_DATE)


def _cont(s, last=None, **kw):
    ns.add_series(s, "CONT", "Contacts")
    ns.add_line(s, "CONT", "CT000001", "CT100000", last_no_used=last, **kw)


def _line(s, code="CONT"):
    return ns.get_series(s, code).lines[0]


# -- pure functions (§1.2.3) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("CT000001", "CT000002"),
        ("CT000009", "CT000010"),
        ("A99", "A100"),
        ("99", "100"),
        ("X9Y", "X10Y"),
        ("ABC", ""),
        ("ECSL-0001", "ECSL-0002"),
        ("S24-0009", "S24-0010"),
    ],
)
def test_inc_str(before, after):
    assert ns.inc_str(before) == after


def test_increment_no_text():
    assert ns.increment_no_text("C00090", 10) == "C00100"
    assert ns.increment_no_text("B990", 10) == "B1000"
    assert ns.increment_no_text("X0005Y", 5) == "X0010Y"
    with pytest.raises(NumberSeriesError, match="cannot be extended to more than 20 characters"):
        ns.increment_no_text("A" * 17 + "999", 1)


def test_range_and_open_rules():
    assert ns.is_within_range("CT000002", "CT000001", "CT100000")
    assert not ns.is_within_range("CT100001", "CT000001", "CT100000")
    assert not ns.is_within_range("CX000002", "CT000001", "")  # format differs
    assert not ns.is_within_range("C100000", "C00010", "C99990")  # longer than Ending No.
    assert ns.calculate_open("C99980", "C99990", 10)
    assert not ns.calculate_open("C99990", "C99990", 10)
    assert not ns.calculate_open("C99985", "C99990", 10)  # next would exceed


def test_harmonise_reformats_to_the_prefix():
    values = harmonise(
        dict.fromkeys(["starting_no", "ending_no", "warning_no", "last_no_used"], ""),
        "ending_no",
        "99",
    )
    values = harmonise(values, "starting_no", "SO0001")
    assert values["starting_no"] == "SO0001" and values["ending_no"] == "SO0099"
    with pytest.raises(NumberSeriesError, match="must be the same as the number format"):
        harmonise(
            {"starting_no": "1", "ending_no": "", "warning_no": "", "last_no_used": "5"},
            "ending_no",
            "X0009",
        )


# -- the test vectors of §1.2.7 ------------------------------------------------------------------


def test_ns1_first_number_is_the_starting_no(app):
    with app.session() as s:
        _cont(s)
        assert ns.next_no(s, "CONT") == "CT000001"
        line = _line(s)
        assert (line.last_no_used, line.open, line.last_date_used) == ("CT000001", True, WORK_DATE)


def test_ns2_ns3_increment(app):
    with app.session() as s:
        _cont(s, last="CT000001")
        assert [ns.next_no(s, "CONT"), ns.next_no(s, "CONT")] == ["CT000002", "CT000003"]
        ns.add_series(s, "C3", "")
        ns.add_line(s, "C3", "CT000001", "CT100000", last_no_used="CT000009")
        assert ns.next_no(s, "C3") == "CT000010"


def test_ns4_ns5_last_number_closes_the_line(app):
    with app.session() as s:
        _cont(s, last="CT099999")
        assert ns.next_no(s, "CONT") == "CT100000"
        assert _line(s).open is False
    with app.session() as s, pytest.raises(NumberSeriesError) as err:
        ns.next_no(s, "CONT")
    assert str(err.value).startswith(
        "You cannot assign numbers greater than CT100000 from the number series CONT."
    )
    with app.session() as s:
        assert _line(s).last_no_used == "CT100000"


def test_ns5_open_line_past_its_end_is_unchanged(app):
    with app.session() as s:
        ns.add_series(s, "X", "")
        ns.add_line(s, "X", "CT000001", "CT100000", last_no_used="CT100000")
        # force Open on, as if the line were edited outside the engine
        s.execute(sa.update(ns.no_series_line).values(open=True))
    with app.session() as s, pytest.raises(NumberSeriesError, match="greater than CT100000"):
        ns.next_no(s, "X")
    with app.session() as s:
        assert _line(s, "X").last_no_used == "CT100000"


def test_ns6_ns7_increment_by(app):
    with app.session() as s:
        ns.add_series(s, "CUST", "Customers")
        ns.add_line(s, "CUST", "C00010", "C99990", increment_by=10)
        assert [ns.next_no(s, "CUST") for _ in range(3)] == ["C00010", "C00020", "C00030"]
        ns.add_series(s, "CUST2", "Customers")
        ns.add_line(s, "CUST2", "C00010", "C99990", increment_by=10, last_no_used="C99980")
        assert ns.next_no(s, "CUST2") == "C99990"
        assert _line(s, "CUST2").open is False


def test_ns8_warning(app):
    with app.session() as s:
        ns.add_series(s, "SO", "Orders", manual_nos=False)
        ns.add_line(s, "SO", "101001", "102999", warning_no="102995", last_no_used="102994")
        drawn = ns.draw(s, "SO")
        assert drawn.no == "102995"
        assert drawn.warning == (
            "The No. Series SO is soon running out. The current number is 102995 and the last "
            "allowed number of the sequence is 102999."
        )
        assert ns.draw(s, "SO").warning is not None


def test_ns9_lines_by_starting_date(app):
    with app.session() as s:
        ns.add_series(s, "S", "")
        ns.add_line(s, "S", "S24-0001", starting_date=dt.date(2024, 1, 1))
        ns.add_line(s, "S", "S25-0001", starting_date=dt.date(2025, 1, 1))
        assert ns.next_no(s, "S", dt.date(2024, 12, 31)) == "S24-0001"
        assert ns.next_no(s, "S", dt.date(2025, 1, 1)) == "S25-0001"
        assert ns.next_no(s, "S", dt.date(2024, 6, 1)) == "S24-0002"
        assert ns.next_no(s, "S") == "S25-0002"  # work date 2025-03-15


def test_ns10_date_order(app):
    with app.session() as s:
        ns.add_series(s, "D", "", date_order=True)
        ns.add_line(s, "D", "D0001")
        ns.next_no(s, "D", dt.date(2025, 3, 10))
    with app.session() as s, pytest.raises(NumberSeriesError) as err:
        ns.next_no(s, "D", dt.date(2025, 3, 9))
    assert str(err.value) == (
        "You cannot assign new numbers from the number series D on a date before 2025-03-10."
    )
    with app.session() as s:
        assert ns.next_no(s, "D", dt.date(2025, 3, 10)) == "D0002"


def test_date_order_off_allows_earlier_dates(app):
    with app.session() as s:
        ns.add_series(s, "D", "")
        ns.add_line(s, "D", "D0001")
        ns.next_no(s, "D", dt.date(2025, 3, 10))
        assert ns.next_no(s, "D", dt.date(2025, 3, 9)) == "D0002"


def test_ns11_no_line_for_the_date(app):
    with app.session() as s:
        ns.add_series(s, "X", "")
        ns.add_line(s, "X", "X0001", starting_date=dt.date(2026, 1, 1))
        with pytest.raises(NumberSeriesError) as err:
            ns.next_no(s, "X", dt.date(2025, 12, 31))
        assert (
            str(err.value)
            == "You cannot assign new numbers from the number series X on 2025-12-31."
        )
        ns.add_series(s, "EMPTY", "")
        with pytest.raises(NumberSeriesError) as err:
            ns.next_no(s, "EMPTY")
        assert str(err.value) == "You cannot assign new numbers from the number series EMPTY."
        with pytest.raises(NumberSeriesError, match="empty No. Series Code"):
            ns.next_no(s, "")
        with pytest.raises(NumberSeriesError, match="does not exist"):
            ns.next_no(s, "NOPE")


def test_ns12_manual_numbers(app):
    with app.session() as s:
        ns.add_series(s, "SO", "Orders", manual_nos=False)
        ns.add_series(s, "CONT", "Contacts")
        with pytest.raises(NumberSeriesError) as err:
            ns.test_manual(s, "SO")
        assert str(err.value) == (
            "You may not enter numbers manually. If you want to enter numbers manually, please "
            "activate Manual Nos. in No. Series SO."
        )
        ns.test_manual(s, "CONT")
        ns.test_manual(s, "")  # a blank series always allows manual numbers


def test_ns13_numbers_must_have_a_digit(app):
    with app.session() as s:
        ns.add_series(s, "X", "")
        with pytest.raises(NumberSeriesError) as err:
            ns.add_line(s, "X", "ABC")
        assert str(err.value) == (
            "The value in the Starting No. field must have a number so that we can assign the "
            "next number in the series."
        )
        with pytest.raises(NumberSeriesError, match="Ending No. field must have a number"):
            ns.add_line(s, "X", "A1", "ZZZ")


def test_ns14_peek_saves_nothing(app):
    with app.session() as s:
        _cont(s)
        before = _line(s)
        assert ns.peek_no(s, "CONT") == "CT000001"
        assert ns.peek_no(s, "CONT") == "CT000001"
        assert _line(s) == before
        assert ns.next_no(s, "CONT") == "CT000001"


# -- line format, series flags, relationships ----------------------------------------------------


def test_add_line_harmonises_and_checks(app):
    with app.session() as s:
        ns.add_series(s, "X", "")
        line = ns.add_line(s, "X", "SO1", "SO9999", last_no_used="SO5")
        assert (line.starting_no, line.ending_no, line.last_no_used) == (
            "SO0001",
            "SO9999",
            "SO0005",
        )
        assert ns.next_no(s, "X") == "SO0006"
        with pytest.raises(NumberSeriesError, match="Ending No. must have a value"):
            ns.add_line(s, "X", "A1", warning_no="A5")
        with pytest.raises(NumberSeriesError, match="at least 1"):
            ns.add_line(s, "X", "A1", increment_by=0)


def test_default_manual_coupling(app):
    with app.session() as s:
        series = ns.add_series(s, "X", "", default_nos=False, manual_nos=False)
        assert (series.default_nos, series.manual_nos) == (False, True)
        series = ns.update_series(s, "X", manual_nos=False)
        assert (series.default_nos, series.manual_nos) == (True, False)
        series = ns.update_series(s, "X", default_nos=False)
        assert (series.default_nos, series.manual_nos) == (False, True)
        with pytest.raises(ValidationError, match="already exists"):
            ns.add_series(s, "x", "")


def test_related_series_and_delete(app):
    with app.session() as s:
        _cont(s)
        ns.add_series(s, "CONT2", "")
        ns.add_line(s, "CONT2", "K0001")
        ns.add_relationship(s, "CONT", "CONT2")
        assert ns.are_related(s, "CONT", "CONT2")
        assert ns.are_related(s, "CONT", "CONT")
        assert not ns.are_related(s, "CONT2", "CONT")
        assert not ns.are_related(s, "CONT", "")
        assert ns.related_series(s, "CONT") == ["CONT2"]
        ns.delete_series(s, "CONT2")
        assert not ns.series_exists(s, "CONT2")
        assert ns.related_series(s, "CONT") == []
        ns.update_series(s, "CONT", default_nos=False)
        with pytest.raises(NumberSeriesError, match="activate Default Nos. in No. Series CONT"):
            ns.are_related(s, "CONT", "CONT")


def test_list_and_get(app):
    with app.session() as s:
        _cont(s)
        ns.add_series(s, "A", "")
        ns.next_no(s, "CONT")
        listed = ns.list_series(s)
        assert [x.code for x in listed] == ["A", "CONT"]
        assert listed[1].lines[0].last_no_used == "CT000001"
        assert ns.get_series(s, "cont").code == "CONT"


# -- bulk ---------------------------------------------------------------------------------------


def test_next_nos_bulk(app):
    with app.session() as s:
        _cont(s, last="CT000098")
        nos = ns.next_nos(s, "CONT", 5)
        assert nos == ["CT000099", "CT000100", "CT000101", "CT000102", "CT000103"]
        assert _line(s).last_no_used == "CT000103"
        ns.add_series(s, "B", "")
        ns.add_line(s, "B", "B010", increment_by=10)
        assert ns.next_nos(s, "B", 3) == ["B010", "B020", "B030"]
        ns.add_series(s, "G", "")
        ns.add_line(s, "G", "A1", last_no_used="A8")
        assert ns.next_nos(s, "G", 3) == ["A9", "A10", "A11"]
        ns.add_series(s, "H", "")
        ns.add_line(s, "H", "A97")  # BC compares texts: "A100" < "A97" is out of range
        with pytest.raises(NumberSeriesError, match="No. assigned: A100"):
            ns.next_nos(s, "H", 4)
        assert ns.next_nos(s, "CONT", 0) == []


def test_next_nos_crossing_the_end_draws_nothing(app):
    with app.session() as s:
        _cont(s, last="CT099990")
        before = _line(s)
        with pytest.raises(NumberSeriesError, match="greater than CT100000"):
            ns.next_nos(s, "CONT", 11)
        assert _line(s) == before
        assert len(ns.next_nos(s, "CONT", 10)) == 10
        assert _line(s).open is False


def test_next_nos_warning(app):
    with app.session() as s:
        ns.add_series(s, "SO", "")
        ns.add_line(s, "SO", "101001", "102999", warning_no="102995", last_no_used="102990")
        many = ns.draw_many(s, "SO", 3)
        assert many.nos[-1] == "102993" and many.warning is None
        assert ns.draw_many(s, "SO", 3).warning is not None


# -- gaps allowed (§1.2.4) ------------------------------------------------------------------------


def test_allow_gaps_series(app):
    with app.session() as s:
        ns.add_series(s, "CAMP", "Campaigns")
        ns.add_line(s, "CAMP", "CP0001", "CP0010", allow_gaps=True)
        assert ns.peek_no(s, "CAMP") == "CP0001"
        assert ns.next_no(s, "CAMP") == "CP0001"
        assert ns.next_nos(s, "CAMP", 2) == ["CP0002", "CP0003"]
        assert _line(s, "CAMP").last_no_used == "CP0003"
        assert ns.peek_no(s, "CAMP") == "CP0004"
        with pytest.raises(NumberSeriesError, match="greater than CP0010"):
            ns.next_nos(s, "CAMP", 8)
        assert len(ns.next_nos(s, "CAMP", 7)) == 7
        line = _line(s, "CAMP")
        assert (line.last_no_used, line.open) == ("CP0010", False)
        with pytest.raises(NumberSeriesError, match="greater than CP0010"):
            ns.next_no(s, "CAMP")
        assert _line(s, "CAMP").last_no_used == "CP0010"


def test_allow_gaps_rollback_leaves_a_gap_on_postgres(app):
    with app.session() as s:
        ns.add_series(s, "TASK", "")
        ns.add_line(s, "TASK", "TD000001", allow_gaps=True)
        assert ns.next_no(s, "TASK") == "TD000001"
    with pytest.raises(RuntimeError), app.session() as s:
        assert ns.next_no(s, "TASK") == "TD000002"
        raise RuntimeError("roll back")
    with app.session() as s:
        expected = "TD000003" if s.dialect.name == "postgresql" else "TD000002"
        assert ns.next_no(s, "TASK") == expected
        assert _line(s, "TASK").last_no_used == expected


def test_gap_free_rollback_leaves_no_gap(app):
    with app.session() as s:
        _cont(s)
        ns.next_no(s, "CONT")
    with pytest.raises(RuntimeError), app.session() as s:
        ns.next_no(s, "CONT")
        raise RuntimeError("roll back")
    with app.session() as s:
        assert ns.next_no(s, "CONT") == "CT000002"


# -- defaults, init_no, hook -----------------------------------------------------------------------


class _Plugin:
    @hookimpl
    def relcore_register_setup(self, register):
        register(SetupField("numtest.contact_nos", "series"))
        register(SetupField("numtest.order_nos", "series"))

    @hookimpl
    def relcore_register_number_series(self, register):
        register(
            ns.DefaultSeries(
                "CONT", "Contacts", "CT000001", "CT100000", setup_key="numtest.contact_nos"
            )
        )
        register(
            ns.DefaultSeries(
                "SO",
                "Orders",
                "101001",
                "102999",
                "102995",
                manual_nos=False,
                setup_key="numtest.order_nos",
            )
        )


def test_ensure_default_series_and_init_no(make_app):  # noqa: F811
    app = make_app(extra=[("numtest", _Plugin())], work_date=WORK_DATE)
    with app.session() as s:
        assert ns.ensure_default_series(s, app.registries.default_series) == []  # idempotent
        assert app.setup.get(s, "numtest.contact_nos") == "CONT"
        assert _line(s, "SO").warning_no == "102995"
        assert ns.init_no(s, "numtest.contact_nos") == ("CT000001", "CONT")
        assert ns.init_no(s, "numtest.contact_nos", no="my1") == ("MY1", None)
        with pytest.raises(NumberSeriesError, match="may not enter numbers manually"):
            ns.init_no(s, "numtest.order_nos", no="5")
        used = {"CT000002", "CT000003"}
        assert ns.init_no(s, "numtest.contact_nos", exists=used.__contains__)[0] == "CT000004"
        ns.add_series(s, "CONT2", "")
        ns.add_line(s, "CONT2", "K0001")
        with pytest.raises(NumberSeriesError, match="not related"):
            ns.init_no(s, "numtest.contact_nos", series="CONT2")
        ns.add_relationship(s, "CONT", "CONT2")
        assert ns.init_no(s, "numtest.contact_nos", series="CONT2") == ("K0001", "CONT2")
        app.setup.set(s, "numtest.contact_nos", None)
        with pytest.raises(NumberSeriesError, match="must have a value"):
            ns.init_no(s, "numtest.contact_nos")
        assert ns.init_no(s, "numtest.contact_nos", no="X1") == ("X1", None)
    with app.session() as s:
        ns.delete_series(s, "CONT")
        app.setup.set(s, "numtest.order_nos", None)
        assert ns.ensure_default_series(s, app.registries.default_series) == ["CONT"]
        assert app.setup.get(s, "numtest.contact_nos") is None  # stored (blank) value kept
        assert app.setup.get(s, "numtest.order_nos") is None


class _HookPlugin:
    @hookimpl
    def relcore_next_number(self, session, series_code, usage_date):
        return f"{series_code}-{usage_date:%Y%m%d}" if series_code == "ALT" else None


def test_next_number_hook(make_app):  # noqa: F811
    app = make_app(extra=[("althook", _HookPlugin())], work_date=WORK_DATE)
    with app.session() as s:
        _cont(s)
        assert ns.next_no(s, "ALT") == "ALT-20250315"
        assert ns.next_no(s, "CONT") == "CT000001"
        assert ns.next_nos(s, "CONT", 2) == ["CT000002", "CT000003"]


# -- shell ----------------------------------------------------------------------------------------


def test_cli_commands(app, run_cli, monkeypatch):  # noqa: F811
    monkeypatch.setenv("COLUMNS", "200")
    r = run_cli(app, "numbers", "add", "CONT", "--description", "Contacts")
    assert r.exit_code == 0, r.output
    r = run_cli(
        app,
        "numbers",
        "lines",
        "add",
        "CONT",
        "--starting-no",
        "CT000001",
        "--ending-no",
        "CT000003",
        "--warning-no",
        "CT000002",
    )
    assert r.exit_code == 0, r.output
    r = run_cli(app, "numbers", "next", "CONT", "--peek", json=True)
    assert r.exit_code == 0 and r.json == {"series": "CONT", "no": "CT000001", "warning": None}
    r = run_cli(app, "numbers", "next", "CONT")
    assert r.exit_code == 0 and r.stdout.strip() == "CT000001"
    r = run_cli(app, "numbers", "next", "CONT", "--date", "2025-01-01", json=True)
    assert r.json["no"] == "CT000002" and "soon running out" in r.json["warning"]
    ns_ = run_cli(app, "numbers", "next", "CONT")
    assert ns_.stdout.strip() == "CT000003"
    r = run_cli(app, "numbers", "next", "CONT")
    assert r.exit_code == 1
    assert "cannot assign numbers greater than CT000003" in r.output
    assert len(r.output.strip().splitlines()) == 1
    r = run_cli(app, "numbers", "show", "CONT", json=True)
    assert r.exit_code == 0 and r.json["lines"][0]["last_no_used"] == "CT000003"
    r = run_cli(app, "numbers", "show", "CONT")
    assert r.exit_code == 0 and "CT000001" in r.output
    r = run_cli(app, "numbers", "list")
    assert r.exit_code == 0 and "Contacts" in r.output
    r = run_cli(app, "numbers", "list", json=True)
    assert [x["code"] for x in r.json] == ["CONT"]
    r = run_cli(
        app,
        "numbers",
        "add",
        "X",
        "--description",
        "x",
        "--no-default",
        "--no-manual",
        "--date-order",
        json=True,
    )
    assert r.json["manual_nos"] is True and r.json["date_order"] is True
    r = run_cli(app, "numbers", "lines", "add", "X", "--starting-no", "ABC")
    assert r.exit_code == 1 and "must have a number" in r.output
    r = run_cli(app, "numbers", "next", "NOPE")
    assert r.exit_code == 1 and "does not exist" in r.output
    r = run_cli(app, "numbers", "next", "CONT", "--date", "bad")
    assert r.exit_code != 0
