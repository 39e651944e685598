"""relcore's pytest plugin (entry point ``pytest11``), for relcore itself and plugin authors.

Fixtures:

* ``relcore_db_url`` — a database URL, parametrised over SQLite (in memory) and PostgreSQL. The
  PostgreSQL variant runs when ``RELCORE_TEST_POSTGRES_URL`` is set (each test gets a fresh, empty
  schema: use it for schema work such as migrations) and skips with a message saying how to
  enable it otherwise; with ``RELCORE_REQUIRE_POSTGRES=1`` a missing URL fails instead of
  skipping (CI).
* ``relcore_app_url`` — the same two backends for ``make_app``; on PostgreSQL one schema per test
  process, with its tables emptied before each test.
* ``make_app(*plugins, extra=(), work_date=None)`` — an :class:`~relcore.app.App` on that database
  with the named installed plugins (none = core only) plus ``extra`` ``(name, plugin)`` pairs
  registered for this test only; schema created, default number series in place.
* ``app`` — ``make_app()`` with every installed plugin.
* ``run_cli`` — ``run_cli(app, "contacts", "show", "CT000001", json=True)`` runs the shell
  against that app's database and returns click's ``Result`` (``.exit_code``, ``.output``,
  ``.json``).
"""

from __future__ import annotations

import datetime as dt
import json as jsonlib
import os
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

ENV_POSTGRES_URL = "RELCORE_TEST_POSTGRES_URL"
ENV_REQUIRE_POSTGRES = "RELCORE_REQUIRE_POSTGRES"
SKIP_MESSAGE = (
    f"PostgreSQL tests are off: set {ENV_POSTGRES_URL}="
    "postgresql://postgres@127.0.0.1:5432/test to run them"
)


def postgres_url_or_skip() -> str:
    """The PostgreSQL test URL, or skip (fail under ``RELCORE_REQUIRE_POSTGRES=1``)."""
    url = os.environ.get(ENV_POSTGRES_URL)
    if not url:
        if os.environ.get(ENV_REQUIRE_POSTGRES) == "1":
            pytest.fail(f"{ENV_REQUIRE_POSTGRES}=1 but {ENV_POSTGRES_URL} is not set")
        pytest.skip(SKIP_MESSAGE)
    return url


def _fresh_postgres_schema(base_url: str) -> tuple[str, Any]:
    """A URL whose search_path is a new empty schema, and a function that drops it."""
    import sqlalchemy as sa

    from relcore.db import normalize_url

    schema = f"relcore_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalize_url(base_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = _with_search_path(base_url, schema)

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()

    return url, drop


def _with_search_path(base_url: str, schema: str) -> str:
    from relcore.db import normalize_url

    # synchronous_commit=off: a test database need not survive a power cut, and every test
    # commits often; isolation and locking behave exactly the same.
    options = f"options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    sep = "&" if "?" in base_url else "?"
    return f"{normalize_url(base_url)}{sep}{options}"


class _ReusedPostgresSchema:
    """One schema per test process, emptied between tests (much faster than a new schema).

    Tables are created once (and when a test declares new ones); before each test every table
    is truncated, sequences declared in the metadata restart and sequences made on the fly (gaps-
    allowed number series) are dropped.
    """

    def __init__(self, base_url: str) -> None:
        self.url, self._drop = _fresh_postgres_schema(base_url)
        self.schema = self.url.rsplit("search_path%3D", 1)[1].split("%20", 1)[0]
        self._engine: Any = None
        self._tuned: set[str] = set()

    def reset(self) -> str:
        import sqlalchemy as sa

        from relcore.db import metadata

        if self._engine is None:
            self._engine = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
            # Declare every installed plugin's tables first: a test module may have imported one
            # plugin's model whose foreign keys point at tables of a plugin not imported yet.
            from relcore.app import App

            _ = App("sqlite://").registries
        with self._engine.connect() as conn:
            metadata.create_all(conn)
            declared = {seq.name for seq in metadata._sequences.values()}
            tables, statements = [], []
            for name, kind, owned in conn.exec_driver_sql(
                # every table of the schema (also ones a test made on its own metadata), and
                # whether a sequence belongs to a column
                "SELECT c.relname, c.relkind, EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid "
                "= 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')) "
                "FROM pg_class c WHERE c.relkind IN ('r', 'p', 'S') "
                "AND c.relnamespace = %s::regnamespace",
                (self.schema,),
            ):
                if kind != "S":
                    tables.append(name)
                elif owned or name in declared:  # sequences of columns and of the metadata
                    statements.append(f'ALTER SEQUENCE "{name}" RESTART;')
                else:  # made on the fly (gaps-allowed number series): they go
                    statements.append(f'DROP SEQUENCE "{name}";')
            # Autovacuum would analyse whatever some earlier test left in a table, and a plan made
            # from those statistics can be pathological for the next test's data (the duplicate
            # pair search once ran 20+ minutes that way): tests plan from the tables' real size.
            untuned = [t for t in tables if t not in self._tuned]
            if untuned:
                conn.exec_driver_sql(
                    " ".join(
                        f'ALTER TABLE "{t}" SET (autovacuum_enabled = false);' for t in untuned
                    )
                )
                self._tuned.update(untuned)
            self._empty(conn, tables)
            if statements:
                conn.exec_driver_sql(" ".join(statements))
        return self.url

    @staticmethod
    def _empty(conn: Any, tables: list[str]) -> None:
        # DELETE with foreign-key triggers off is ~30x faster than TRUNCATE on small tables
        # (TRUNCATE makes new files for each); it needs a superuser, else TRUNCATE it is.
        try:
            conn.exec_driver_sql(
                "SET session_replication_role = replica; "
                + " ".join(f'DELETE FROM "{t}";' for t in tables)
                + " SET session_replication_role = DEFAULT"
            )
        except Exception:
            names = ", ".join(f'"{t}"' for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} CASCADE")

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._drop()


@pytest.fixture(scope="session")
def _relcore_postgres_schema() -> Iterator[Any]:
    schema: _ReusedPostgresSchema | None = None

    def get() -> _ReusedPostgresSchema:
        nonlocal schema
        if schema is None:
            schema = _ReusedPostgresSchema(postgres_url_or_skip())
        return schema

    yield get
    if schema is not None:
        schema.close()


def shared_database_url(kind: str, directory: Any, prepare: Any) -> Iterator[str]:
    """For a fixture: a database several processes can open, prepared by ``prepare(url)``.

    :param kind: ``"sqlite-file"`` (a file in ``directory``) or ``"postgres"`` (a fresh schema,
        dropped afterwards; skipped without ``RELCORE_TEST_POSTGRES_URL``).
    """
    if kind == "sqlite-file":
        url = f"sqlite:///{directory / 'shared.db'}"
        prepare(url)
        yield url
        return
    url, drop = _fresh_postgres_schema(postgres_url_or_skip())
    try:
        prepare(url)
        yield url
    finally:
        drop()


@pytest.fixture(params=["sqlite", "postgres"])
def relcore_app_url(request: pytest.FixtureRequest, _relcore_postgres_schema: Any) -> str:
    """The database of ``make_app``: in-memory SQLite, or this process's PostgreSQL schema,
    emptied for the test."""
    if request.param == "sqlite":
        return "sqlite://"
    return _relcore_postgres_schema().reset()


@pytest.fixture(params=["sqlite", "postgres"])
def relcore_db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database URL for one test: in-memory SQLite, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield "sqlite://"
        return
    url, drop = _fresh_postgres_schema(postgres_url_or_skip())
    try:
        yield url
    finally:
        drop()


def build_app(
    url: str,
    plugins: Sequence[str] | None = None,
    *,
    extra: Sequence[tuple[str, Any]] = (),
    work_date: dt.date | None = None,
) -> Any:
    """An App on ``url`` with these installed plugins (None = all) and the installed plugins they
    (and ``extra``) require, schema and defaults in place (as after ``relcore init``)."""
    from relcore import numbering
    from relcore.app import App
    from relcore.db import metadata
    from relcore.plugins import PluginSelection

    selection = PluginSelection(
        allow=None if plugins is None else list(plugins), with_requirements=True
    )
    app = App(url, plugins=extra, selection=selection, work_date=work_date)
    _ = app.registries
    metadata.create_all(app.engine)
    with app.session() as session:
        numbering.ensure_default_series(session, app.registries.default_series)
        app.pm.hook.relcore_init_defaults(session=session)
    return app


@pytest.fixture
def make_app(relcore_app_url: str) -> Iterator[Any]:
    """Factory of Apps on the test database (see the module docstring)."""
    made: list[Any] = []

    def factory(
        *plugins: str,
        extra: Sequence[tuple[str, Any]] = (),
        work_date: dt.date | None = None,
        all_plugins: bool = False,
    ) -> Any:
        app = build_app(
            relcore_app_url, None if all_plugins else plugins, extra=extra, work_date=work_date
        )
        made.append(app)
        return app

    yield factory
    for app in made:
        app.dispose()


@pytest.fixture
def app(make_app: Any) -> Any:
    """An App with every installed plugin on the test database."""
    return make_app(all_plugins=True)


class CliResult:
    """What :func:`run_cli` returns: exit code, output, and the output parsed as JSON."""

    def __init__(self, result: Any) -> None:
        self.exit_code = result.exit_code
        self.output = result.output
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.exception = result.exception

    @property
    def json(self) -> Any:
        """The standard output parsed as JSON."""
        return jsonlib.loads(self.stdout)

    def __repr__(self) -> str:
        return f"CliResult(exit_code={self.exit_code}, output={self.output!r})"


def invoke_cli(
    app: Any, *args: str, json: bool = False, input: str | None = None, debug: bool = False
) -> CliResult:
    """Run ``relcore [--json] ARGS`` against ``app`` (its database and plugins)."""
    from click.testing import CliRunner

    from relcore.cli import cli
    from relcore.cli.context import State

    state = State(db=app.database_url, json_output=json, debug=debug)
    state._app = app
    state.close = lambda: None  # the test owns the app
    argv = [*(["--json"] if json else []), *(["--debug"] if debug else []), *args]
    runner = CliRunner()
    result = runner.invoke(cli, argv, obj=state, input=input, catch_exceptions=not debug)
    return CliResult(result)


@pytest.fixture
def run_cli() -> Any:
    """``run_cli(app, *args, json=False)`` → :class:`CliResult`."""
    return invoke_cli


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say once, at the end, how to enable skipped PostgreSQL tests."""
    skipped = terminalreporter.stats.get("skipped", [])
    count = sum(1 for rep in skipped if SKIP_MESSAGE in str(getattr(rep, "longrepr", "")))
    if count:
        terminalreporter.write_line(f"{count} PostgreSQL variants skipped. {SKIP_MESSAGE}.")
