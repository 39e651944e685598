"""BC CalcDate (§0.2) and Round half away from zero."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from relcore.dateformula import DateFormula, bc_round, calc_date
from relcore.errors import ValidationError

REF = dt.date(1996, 5, 21)  # a Tuesday (the BC documentation's example date)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("CQ+1M-10D", dt.date(1996, 7, 20)),  # documented example
        ("<-WD2>", dt.date(1996, 5, 14)),  # the last Tuesday, documented example
        ("CM+30D", dt.date(1996, 6, 30)),  # documented example
        ("", REF),
        ("CM", dt.date(1996, 5, 31)),
        ("-CM", dt.date(1996, 5, 1)),
        ("CW", dt.date(1996, 5, 26)),
        ("-CW", dt.date(1996, 5, 20)),
        ("CY", dt.date(1996, 12, 31)),
        ("-CY", dt.date(1996, 1, 1)),
        ("-CQ", dt.date(1996, 4, 1)),
        ("CD", REF),
        ("30D", dt.date(1996, 6, 20)),
        ("2W", dt.date(1996, 6, 4)),
        ("-1Y", dt.date(1995, 5, 21)),
        ("1Q", dt.date(1996, 8, 21)),
        ("WD2", dt.date(1996, 5, 28)),
        ("D10", dt.date(1996, 6, 10)),
        ("-D10", dt.date(1996, 5, 10)),
        ("<1M+CM>", dt.date(1996, 6, 30)),
        ("-1Y-CY", dt.date(1995, 1, 1)),
        ("cm", dt.date(1996, 5, 31)),
    ],
)
def test_calc_date(formula, expected):
    assert calc_date(formula, REF) == expected


def test_month_end_is_cut_not_carried():
    assert calc_date("1M", dt.date(2024, 1, 31)) == dt.date(2024, 2, 29)
    assert calc_date("1M", dt.date(2023, 2, 28)) == dt.date(2023, 3, 28)
    assert calc_date("-1M", dt.date(2023, 3, 31)) == dt.date(2023, 2, 28)


@pytest.mark.parametrize("bad", ["X", "1D1D1D1D", "WD9", "Y2", "1", "C", "5WD"])
def test_bad_formulas_refused(bad):
    with pytest.raises(ValidationError):
        calc_date(bad, REF)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("499999.50", 0, "500000"),
        ("-2.5", 0, "-3"),
        ("2.5", 0, "3"),
        ("1.005", 2, "1.01"),
        ("1249", -2, "1200"),
        ("1250", -2, "1300"),
        ("33.3333", 1, "33.3"),
    ],
)
def test_bc_round_half_away_from_zero(value, decimals, expected):
    assert bc_round(Decimal(value), decimals) == Decimal(expected)


# -- properties (hypothesis) --------------------------------------------------------------------

_UNITS = st.sampled_from(["D", "WD", "W", "M", "Q", "Y", "C", "X", "", "<", ">", "+", "-"])
_FORMULA_PIECES = st.lists(
    st.one_of(_UNITS, st.integers(min_value=0, max_value=10**12).map(str)), max_size=8
).map("".join)


@given(formula=st.one_of(st.text(max_size=12), _FORMULA_PIECES), base=st.dates())
def test_calc_date_raises_only_validation_error(formula, base):
    try:
        result = calc_date(formula, base)
    except ValidationError:
        return
    assert isinstance(result, dt.date)


@given(n=st.integers(min_value=0, max_value=100_000), base=st.dates())
def test_plus_n_days_agrees_with_timedelta(n, base):
    try:
        expected = base + dt.timedelta(days=n)
    except OverflowError:
        with pytest.raises(ValidationError):
            calc_date(f"<+{n}D>", base)
        return
    assert calc_date(f"<+{n}D>", base) == expected


# -- the DateFormula column type ----------------------------------------------------------------


def _formula_table():
    from relcore.db import create_engine

    md = sa.MetaData()
    table = sa.Table(
        "t", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("interval", DateFormula())
    )
    engine = create_engine("sqlite://")
    md.create_all(engine)
    return engine, table


def test_date_formula_column_stores_normalised_text():
    engine, table = _formula_table()
    with engine.begin() as conn:
        conn.execute(sa.insert(table), [{"id": 1, "interval": "<1w + cm>"}])
        assert conn.execute(sa.select(table.c.interval)).scalar_one() == "1W+CM"


def test_date_formula_column_refuses_a_bad_formula_naming_the_field():
    engine, table = _formula_table()
    bad = r"field interval: 'X1' is not a valid date formula"
    with pytest.raises(ValidationError, match=bad), engine.begin() as conn:
        conn.execute(sa.insert(table), [{"id": 1, "interval": "X1"}])
    with engine.begin() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0
