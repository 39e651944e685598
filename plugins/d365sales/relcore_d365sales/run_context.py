"""What one synchronisation run shares: the engine's settings and the run context (client,
integration user, coupling and option caches). Used by :mod:`.engine` (which starts runs) and
:mod:`.mapping_run` (one mapping's run)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import sqlalchemy as sa

from relcore.errors import ConfigError
from relcore_d365sales import couplings, model


@attrs.define
class Settings:
    """The engine's setup values (``d365sales.*``)."""

    batch_size: int = 100
    overlap: int = 1
    ownership_model: str = "person"
    owner_team_id: str | None = None
    default_owner_user_id: str | None = None
    use_change_tracking: bool = False

    @classmethod
    def load(cls, app: Any, session: Any) -> Settings:
        """Read the settings from the setup."""
        v = app.setup.get_many(
            session,
            [
                "d365sales.batch_size",
                "d365sales.timestamp_overlap_s",
                "d365sales.ownership_model",
                "d365sales.owner_team_id",
                "d365sales.default_owner_user_id",
                "d365sales.use_change_tracking",
            ],
        )
        return cls(
            v["d365sales.batch_size"],
            v["d365sales.timestamp_overlap_s"],
            v["d365sales.ownership_model"],
            v["d365sales.owner_team_id"],
            v["d365sales.default_owner_user_id"],
            bool(v["d365sales.use_change_tracking"]),
        )


class RunContext:
    """What one run shares: the client, settings, the integration user, key/option caches."""

    def __init__(
        self,
        app: Any,
        client: Any,
        sessions: Callable[[], Any],
        settings: Settings,
        progress: Any = None,
    ) -> None:
        self.app = app
        self.client = client
        self.sessions = sessions
        self.settings = settings
        self.run_id = str(uuid.uuid4())
        self.progress = progress
        self.user_id: str | None = None
        self.entity_sets: dict[str, str] = {}
        self.current_entity_set = ""
        self._keys: dict[str, dict[str, str]] = {}
        self._rev: dict[str, dict[str, str]] = {}
        self._options: dict[str, dict[int, str]] | None = None

    # transfer context
    ownership_model = property(lambda self: self.settings.ownership_model)
    owner_team_id = property(lambda self: self.settings.owner_team_id)
    default_owner_user_id = property(lambda self: self.settings.default_owner_user_id)

    def _load_keys(self, mapping: str) -> None:
        if mapping not in self._keys:
            with self.sessions() as session:
                keys = couplings.key_map(session, mapping)
            self._keys[mapping] = keys
            self._rev[mapping] = {v: k for k, v in keys.items()}

    def invalidate(self, mapping: str) -> None:
        """Forget cached couplings of a mapping (after it changed them)."""
        self._keys.pop(mapping, None)
        self._rev.pop(mapping, None)

    def dv_id(self, mapping: str, key: str) -> str | None:
        """The Dataverse id coupled with a local key in ``mapping``."""
        self._load_keys(mapping)
        return self._keys[mapping].get(key)

    def local_key(self, mapping: str, dv_id: str) -> str | None:
        """The local key coupled with a Dataverse id in ``mapping``."""
        self._load_keys(mapping)
        return self._rev[mapping].get(str(dv_id).lower())

    def entity_set(self, mapping: str) -> str:
        """The Dataverse entity set of a mapping."""
        if mapping not in self.entity_sets:
            raise ConfigError(f"lookup to unknown mapping {mapping}")
        return self.entity_sets[mapping]

    def _load_options(self) -> dict[str, dict[int, str]]:
        if self._options is None:
            self._options = {}
            with self.sessions() as session:
                for r in session.execute(sa.select(model.option_map)):
                    self._options.setdefault(r.dv_column, {})[r.option_value] = r.local_code
        return self._options

    def option_code(self, column: str, value: int) -> str | None:
        """The local code of a choice value (``d365_option_map``, §A14)."""
        return self._load_options().get(f"{self.current_entity_set}.{column}", {}).get(value)

    def option_value(self, column: str, code: str) -> int | None:
        """The choice value of a local code."""
        values = self._load_options().get(f"{self.current_entity_set}.{column}", {})
        return next((n for n, c in values.items() if c == code), None)


def session_factory(app: Any, session: Any | None) -> Callable[[], Any]:
    """New sessions of ``app``, or always ``session`` when one is given."""
    if session is None:
        return app.session

    @contextlib.contextmanager
    def shared() -> Iterator[Any]:
        yield session

    return shared
