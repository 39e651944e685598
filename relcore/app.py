"""The composition root: an :class:`App` binds plugins, a database, setup and the registries.

Integrators build one::

    from relcore.app import App
    app = App("sqlite:///crm.db")
    app.init()                       # schema, default number series, setup defaults
    with app.session() as session:   # one transaction
        ...

Service functions receive the ``session``; they reach the app with :func:`app_of`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import tomllib
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import Any

from relcore.errors import ConfigError
from relcore.plugins import PluginManager, PluginSelection, load_plugins

DEFAULT_DATABASE_URL = "sqlite:///relcore.db"
ENV_DATABASE_URL = "RELCORE_DATABASE_URL"
_APP_KEY = "relcore.app"
READ_ONLY_KEY = "relcore.read_only"


def load_config(path: str | os.PathLike[str] | None) -> dict[str, Any]:
    """Read the TOML config file (its ``[relcore]`` table, or the top level)."""
    if path is None:
        return {}
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path}: {exc}") from None
    return data.get("relcore", data)


def app_of(session: Any) -> App:
    """The :class:`App` a session belongs to."""
    try:
        return session.info[_APP_KEY]
    except KeyError:
        raise RuntimeError("this connection was not opened by App.session()") from None


class App:
    """relcore's composition root.

    :param database_url: SQLAlchemy URL (default: ``RELCORE_DATABASE_URL`` or a SQLite file).
    :param config: the parsed config file (see :func:`load_config`).
    :param plugins: explicit ``(name, module)`` plugins registered besides the installed ones.
    :param selection: which installed plugins to load (default: environment / config file).
    :param load_installed: load plugins from entry points (tests may turn this off).
    :param work_date: BC's WorkDate (default: today, UTC).
    """

    def __init__(
        self,
        database_url: str | None = None,
        *,
        config: dict[str, Any] | None = None,
        plugins: Sequence[tuple[str, ModuleType]] = (),
        selection: PluginSelection | None = None,
        load_installed: bool = True,
        work_date: dt.date | None = None,
    ) -> None:
        self.config = config or {}
        self.database_url = (
            database_url
            or os.environ.get(ENV_DATABASE_URL)
            or self.config.get("database_url")
            or DEFAULT_DATABASE_URL
        )
        if selection is None:
            selection = PluginSelection.from_env(self.config)
        if not load_installed:
            selection = PluginSelection(allow=[], block=[])
        self.pm: PluginManager = load_plugins(selection, extra=plugins)
        self.pm.check()
        self._work_date = work_date
        self._engine = None
        self._registries: Any = None
        self._collected: dict[str, Any] = {}
        self._local = threading.local()
        self._lock = threading.Lock()
        self._held: list[Any] = []
        self.read_only = False
        """Default of :meth:`session`'s ``read_only`` (the shell sets it for read-only commands)."""

    # -- registries --------------------------------------------------------------------------

    @property
    def registries(self) -> Any:
        """Everything plugins registered (built on first use)."""
        if self._registries is None:
            from relcore.registries import Registries

            self._registries = Registries.collect(self)
        return self._registries

    def registry(
        self,
        hook_name: str,
        *,
        kind: str,
        key: Callable[[Any], str],
        normalize: Callable[[str], str] | None = None,
        unknown: Callable[[str, list[str]], Exception] | None = None,
        prepare: Callable[[Any], Any] | None = None,
    ) -> Any:
        """What plugins register through the collector hook ``hook_name``, collected once per app.

        Each implementation is called with a ``register`` callback bound to its plugin; the items
        land in a :class:`relcore.registries.KeyedRegistry` (a read-only mapping key → item that
        refuses a key registered twice, naming both plugins), cached on the app. A plugin that
        publishes a collector hook reads its contributions with this::

            sources = app.registry(
                "relcore_segments_register_criteria_sources",
                kind="criteria source",
                key=lambda source: source.name,
            )

        :param kind: what an item is, for messages.
        :param key: the key of an item.
        :param normalize: applied to keys on registration and lookup (e.g. ``str.upper``).
        :param unknown: ``unknown(key, known_keys)`` → the exception for an unknown key.
        :param prepare: ``prepare(item)`` → the item stored (validate or complete it).
        """
        found = self._collected.get(hook_name)
        if found is None:
            from relcore.registries import KeyedRegistry, collect

            registry = KeyedRegistry(
                kind, key, normalize=normalize, unknown=unknown, prepare=prepare
            )
            found = self._collected[hook_name] = collect(self.pm, hook_name, registry)
        return found

    @property
    def entities(self) -> Any:
        """The :class:`relcore.entities.EntityRegistry`."""
        return self.registries.entities

    @property
    def setup(self) -> Any:
        """The :class:`relcore.setup.SetupRegistry`."""
        return self.registries.setup

    @property
    def converter(self) -> Any:
        """The cattrs converter of the JSON boundary, with every plugin's hooks."""
        return self.registries.converter

    @property
    def plugin_names(self) -> list[str]:
        """Loaded plugins in dependency order."""
        return self.pm.ordered_names

    def has_plugin(self, name: str) -> bool:
        """True when the plugin ``name`` is loaded."""
        return name in self.pm.infos

    # -- dates ------------------------------------------------------------------------------

    @property
    def work_date(self) -> dt.date:
        """BC's WorkDate: the working date of this app (default: today, UTC) (§0.2)."""
        return self._work_date or dt.datetime.now(dt.UTC).date()

    @work_date.setter
    def work_date(self, value: dt.date | None) -> None:
        self._work_date = value

    # -- database ---------------------------------------------------------------------------

    @property
    def engine(self) -> Any:
        """The SQLAlchemy engine (created on first use)."""
        if self._engine is None:
            from relcore.db import create_engine

            self._engine = create_engine(self.database_url)
        return self._engine

    def check_initialised(self) -> None:
        """Refuse a database that ``relcore init`` never ran on (without creating a SQLite file).

        :raises ConfigError: "database ... is not initialised: run `relcore init` first".
        """
        from relcore.db import sqlite_file_of

        path = sqlite_file_of(self.database_url)
        if path is not None and not os.path.exists(path):
            raise ConfigError(
                f"database {path} does not exist: run `relcore init` first "
                f"(or pass --db with the URL of an initialised database)"
            )
        import sqlalchemy as sa

        with self.session(read_only=True) as conn:
            initialised = sa.inspect(conn).has_table("alembic_version")
        if not initialised:
            raise ConfigError(
                f"database {self.database_url} is not initialised: run `relcore init` first"
            )

    @contextlib.contextmanager
    def session(self, read_only: bool | None = None) -> Iterator[Any]:
        """One transaction: committed when the block succeeds, rolled back on any error.

        :param read_only: the transaction only reads (default :attr:`read_only`). On SQLite it
            then starts deferred (``BEGIN``) and reads while another process writes; writers
            start with ``BEGIN IMMEDIATE`` (the write lock up front). PostgreSQL: no difference.
        """
        _ = self.registries  # tables are declared by plugin modules: load them first
        flag = self.read_only if read_only is None else read_only
        conn = getattr(self._local, "conn", None)
        if conn is not None and (conn.closed or conn.invalidated):
            conn = self._local.conn = None
        if conn is not None and conn.in_transaction():
            # a session opened inside another one: it gets a connection of its own
            with self.engine.connect() as fresh:
                fresh.info[_APP_KEY] = self
                fresh.info[READ_ONLY_KEY] = flag
                with fresh.begin():
                    yield fresh
            return
        if conn is None:
            # Each thread keeps one idle connection: checking one out of the pool and wrapping it
            # costs more than a whole small transaction (a number draw) on SQLite.
            conn = self._local.conn = self.engine.connect()
            conn.info[_APP_KEY] = self
            with self._lock:
                self._held.append(conn)
        conn.info[READ_ONLY_KEY] = flag
        with conn.begin():
            yield conn

    def init(self) -> dict[str, Any]:
        """Bring the database up to date and fill defaults; running it twice changes nothing.

        Runs the migrations of every plugin, creates every plugin's default number series and
        fills their setup keys, then lets each plugin create the default records it ships
        (``relcore_init_defaults``: only what is missing). Setup defaults are read from the field
        registrations, so they need no rows.

        :returns: what was done: ``{"migrated": [...], "series_created": [...]}``.
        """
        from relcore import numbering
        from relcore.migrations_api import upgrade

        migrated = upgrade(self)
        with self.session() as session:
            created = numbering.ensure_default_series(session, self.registries.default_series)
            self.pm.hook.relcore_init_defaults(session=session)
        return {"migrated": migrated, "series_created": created}

    def log_interactions(self, session: Any, records: list[Any]) -> list[Any]:
        """Same as :func:`relcore.interactions.log_interactions` (the documented entry point)."""
        from relcore.interactions import log_interactions

        return log_interactions(session, records)

    def dispose(self) -> None:
        """Close the engine's connections."""
        with self._lock:
            held, self._held = self._held, []
        for conn in held:
            with contextlib.suppress(Exception):
                conn.close()
        self._local = threading.local()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
