"""A typed facade over the hook caller: the core calls hooks only through :class:`Hooks`.

Event hooks that change data run in dependency order (base plugins first), so a plugin sees the
work of the plugins it requires.
"""

from __future__ import annotations

from typing import Any

from relcore.errors import PluginError
from relcore.plugins import PluginManager


class Hooks:
    """Calls into the plugins, one method per runtime hook."""

    def __init__(self, pm: PluginManager) -> None:
        self._pm = pm

    @property
    def has_alternative_numbering(self) -> bool:
        """True when a plugin implements ``relcore_next_number`` (checked on every draw)."""
        return bool(self._pm.hook.relcore_next_number.get_hookimpls())

    def next_number(self, session: Any, series_code: str, usage_date: Any) -> str | None:
        """An alternative numbering implementation's number, or ``None``."""
        if not self.has_alternative_numbering:
            return None
        return self._pm.hook.relcore_next_number(
            session=session, series_code=series_code, usage_date=usage_date
        )

    def log_interactions(self, session: Any, records: list[Any]) -> list[Any]:
        """Persist interactions; refuse clearly when no plugin stores them."""
        if not records:
            return []
        entries = self._pm.hook.relcore_log_interactions(session=session, records=records)
        if entries is None:
            raise PluginError(
                "cannot log interactions: no plugin stores them "
                "(install the interactions plugin: pip install relcore-interactions)"
            )
        self._pm.call_in_order("relcore_interactions_logged", session=session, entries=entries)
        return entries

    def before_write(self, session: Any, entity: str, action: str, rows: list[dict]) -> None:
        """Let plugins validate or veto a write."""
        self._pm.call_in_order(
            "relcore_before_write", session=session, entity=entity, action=action, rows=rows
        )

    def after_write(self, session: Any, entity: str, action: str, rows: list[dict]) -> None:
        """Tell plugins about a write."""
        self._pm.call_in_order(
            "relcore_after_write", session=session, entity=entity, action=action, rows=rows
        )

    def erase_personal_data(self, session: Any, contact_nos: list[str]) -> list[str]:
        """Ask every plugin to anonymise these contacts; returns the plugins that took part."""
        done = self._pm.call_in_order(
            "relcore_erase_personal_data", session=session, contact_nos=contact_nos
        )
        return [name for name, _ in done]

    def load_demo_data(self, app: Any, session: Any) -> list[str]:
        """Every plugin's demo data, base plugins first; returns the plugins that added some."""
        done = self._pm.call_in_order("relcore_load_demo_data", app=app, session=session)
        return [name for name, _ in done]

    def demo_tour(self, app: Any, session: Any) -> list[tuple[str, list[str]]]:
        """The tour lines of each plugin, in dependency order."""
        done = self._pm.call_in_order("relcore_demo_tour", app=app, session=session)
        return [(name, lines) for name, lines in done if lines]
