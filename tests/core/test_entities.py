"""The write path: system columns, hooks, batches, optimistic concurrency, clear errors."""

from __future__ import annotations

import datetime as dt
import types

import pytest
import sqlalchemy as sa

from relcore import entities, hookimpl
from relcore.db import Code, Money, master_table, metadata
from relcore.entities import EntityType
from relcore.errors import NotFoundError, PluginError, ValidationError

widget = metadata.tables.get("testkit_widget") or master_table(
    "testkit_widget",
    sa.Column("no", Code(20), primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, default=""),
    sa.Column("price", Money(2), nullable=False, default=0),
)


class WidgetPlugin:
    """A plugin registered for these tests only: one entity, a veto and a write log."""

    def __init__(self) -> None:
        self.after: list[tuple[str, str, int]] = []

    @hookimpl
    def relcore_register_entities(self, register):
        register(EntityType("testkit.widget", widget, "Widget"))

    @hookimpl
    def relcore_before_write(self, session, entity, action, rows):
        if entity == "testkit.widget" and any(r.get("name") == "forbidden" for r in rows):
            raise ValidationError(
                "this name is forbidden", entity="Widget", key=rows[0].get("no"), field="name"
            )

    @hookimpl
    def relcore_after_write(self, session, entity, action, rows):
        self.after.append((entity, action, len(rows)))


@pytest.fixture
def widget_app(make_app):
    plugin = WidgetPlugin()
    app = make_app(extra=[("testkit", plugin)])
    app.widget_plugin = plugin
    return app


def test_insert_fills_system_columns_for_every_row_of_a_batch(widget_app):
    with widget_app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": f"W{i}", "name": "x"} for i in range(50)])
    with widget_app.session() as s:
        rows = s.execute(sa.select(widget)).all()
    assert len({r.system_id for r in rows}) == 50
    assert all(r.version == 1 for r in rows)
    assert all(r.created_at.tzinfo == dt.UTC and r.modified_at == r.created_at for r in rows)


def test_insert_leaves_the_callers_rows_alone_unless_it_takes_them(widget_app):
    mine = [{"no": "W1", "name": "kept"}, {"no": "W2", "name": "kept"}]
    given = [{"no": "W3", "name": "given"}, {"no": "W4", "name": "given"}]
    with widget_app.session() as s:
        written = entities.insert(s, "testkit.widget", mine)
        taken = entities.insert(s, "testkit.widget", given, take_rows=True)
    assert mine == [{"no": "W1", "name": "kept"}, {"no": "W2", "name": "kept"}]
    assert all(w is not m and w["version"] == 1 for w, m in zip(written, mine, strict=True))
    assert all(t is g for t, g in zip(taken, given, strict=True))
    assert len({g["system_id"] for g in given}) == 2 and given[0]["version"] == 1
    with widget_app.session() as s:
        stored = {r.no: r.system_id for r in s.execute(sa.select(widget))}
    assert stored == {r["no"]: r["system_id"] for r in written + taken}


def test_update_bumps_version_and_modified_at(widget_app):
    with widget_app.session() as s:
        before = entities.insert(s, "testkit.widget", [{"no": "W1", "name": "a"}])[0]
    with widget_app.session() as s:
        after = entities.update(s, "testkit.widget", "W1", {"name": "b"})
    assert after["version"] == 2
    assert after["modified_at"] > before["modified_at"]
    assert after["system_id"] == before["system_id"]


def test_bulk_update_maintains_system_columns(widget_app):
    with widget_app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": f"W{i}"} for i in range(5)])
        n = entities.update_where(
            s, "testkit.widget", widget.c.no.in_(["W1", "W2"]), {"name": "bulk"}
        )
    assert n == 2
    with widget_app.session() as s:
        versions = dict(s.execute(sa.select(widget.c.no, widget.c.version)).all())
    assert versions == {"W0": 1, "W1": 2, "W2": 2, "W3": 1, "W4": 1}


def test_insert_from_select_gives_each_row_its_own_system_id(widget_app):
    with widget_app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": f"W{i}"} for i in range(3)])
        src = sa.select((sa.literal("C") + widget.c.no).label("no"), widget.c.name)
        n = entities.insert_from_select(s, "testkit.widget", ["no", "name"], src)
    assert n == 3
    with widget_app.session() as s:
        ids = s.execute(sa.select(widget.c.system_id)).scalars().all()
    assert len(set(ids)) == 6


def test_optimistic_concurrency_refuses_a_stale_version(widget_app):
    with widget_app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": "W1"}])
        entities.update(s, "testkit.widget", "W1", {"name": "first"}, expected_version=1)
    with (
        pytest.raises(ValidationError, match="Widget W1: was changed by someone else"),
        widget_app.session() as s,
    ):
        entities.update(s, "testkit.widget", "W1", {"name": "stale"}, expected_version=1)


def test_a_veto_in_before_write_rolls_back_the_whole_transaction(widget_app):
    with (
        pytest.raises(ValidationError, match="Widget W2: field name: this name is forbidden"),
        widget_app.session() as s,
    ):
        entities.insert(s, "testkit.widget", [{"no": "W1", "name": "ok"}])
        entities.insert(s, "testkit.widget", [{"no": "W2", "name": "forbidden"}])
    with widget_app.session() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(widget)).scalar() == 0


def test_after_write_sees_each_batch_once(widget_app):
    with widget_app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": "W1"}, {"no": "W2"}])
        entities.delete(s, "testkit.widget", ["W1", "W2"])
    assert widget_app.widget_plugin.after == [
        ("testkit.widget", "insert", 2),
        ("testkit.widget", "delete", 2),
    ]


def test_missing_records_are_named(widget_app):
    with pytest.raises(NotFoundError, match="Widget W9: does not exist"), widget_app.session() as s:
        entities.get(s, "testkit.widget", "W9")
    with pytest.raises(NotFoundError, match="Widget W9"), widget_app.session() as s:
        entities.delete(s, "testkit.widget", ["W9"])


def test_money_is_decimal_and_float_is_refused(widget_app):
    import decimal

    with widget_app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": "W1", "price": decimal.Decimal("19.99")}])
        assert entities.get(s, "testkit.widget", "W1")["price"] == decimal.Decimal("19.99")
    with (
        pytest.raises(sa.exc.StatementError, match="Decimal, not float"),
        widget_app.session() as s,
    ):
        entities.insert(s, "testkit.widget", [{"no": "W2", "price": 1.5}])


def test_an_entity_registered_twice_is_refused_naming_both_plugins():
    first, second = WidgetPlugin(), WidgetPlugin()
    from relcore.app import App

    with pytest.raises(PluginError, match="registered twice: by one and two"):
        _ = App(
            "sqlite://", plugins=[("one", first), ("two", second)], load_installed=False
        ).registries


def test_naive_timestamps_are_refused(widget_app):
    from relcore.db import UTCDateTime

    with pytest.raises(ValueError, match="naive datetime"):
        UTCDateTime().process_bind_param(dt.datetime(2025, 1, 1), widget_app.engine.dialect)


def test_plugin_module_objects_work_as_plugins(make_app):
    module = types.ModuleType("single_hook")

    @hookimpl
    def relcore_register_entities(register):
        register(EntityType("testkit.widget", widget, "Widget"))

    module.relcore_register_entities = relcore_register_entities
    app = make_app(extra=[("moduleplugin", module)])
    assert app.entities["testkit.widget"].plugin == "moduleplugin"


def test_bulk_insert_stores_exactly_what_was_given(widget_app):
    """The SQLite bulk path inlines constant columns and processes repeated values once; what
    comes back must be what went in (quotes, NUL characters, Decimals, mixed and missing keys)."""
    import decimal

    rows = [
        {"no": f"w{i}", "name": "O'Neil; DROP TABLE x", "price": decimal.Decimal("1.10")}
        for i in range(5)
    ]
    odd = "tab\there"
    rows += [{"no": f"n{i}", "name": odd, "price": decimal.Decimal(i)} for i in range(3)]
    rows += [{"no": "m1"}, {"no": "m2", "name": "only name"}]
    with widget_app.session() as s:
        entities.insert(s, "testkit.widget", rows)
    with widget_app.session() as s:
        stored = {r.no: (r.name, r.price) for r in s.execute(sa.select(widget))}
    assert stored["W0"] == ("O'Neil; DROP TABLE x", decimal.Decimal("1.10"))
    assert stored["N2"] == (odd, decimal.Decimal("2.00"))
    assert stored["M1"] == ("", decimal.Decimal("0.00"))
    assert stored["M2"] == ("only name", decimal.Decimal("0.00"))
    assert len(stored) == 10


def test_one_of_takes_any_number_of_values_as_one_parameter(widget_app):
    """``relcore.db.one_of``: IN over 40,000 values (beyond SQLite's 32,766 parameters)."""
    from relcore.db import one_of

    with widget_app.session() as s:
        entities.insert(s, "testkit.widget", [{"no": f"W{i}"} for i in range(100)])
        wanted = [f"W{i}" for i in range(0, 40_000, 3)]
        stmt = sa.select(widget.c.no).where(one_of(widget.c.no, wanted, s.dialect.name))
        found = set(s.execute(stmt).scalars())
        by_version = s.execute(
            sa.select(sa.func.count()).where(one_of(widget.c.version, [1, 2], s.dialect.name))
        ).scalar()
    assert found == {f"W{i}" for i in range(0, 100, 3)}
    assert by_version == 100
