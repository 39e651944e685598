"""Migrations: one alembic lineage per plugin (a branch label), one version table.

``relcore db upgrade`` upgrades every lineage to its head; ``relcore db pending`` lists what is not
applied; ``relcore db check`` compares the database with the tables the loaded plugins declare;
``relcore db revision PLUGIN -m MSG`` autogenerates the next revision of one plugin's lineage,
limited to that plugin's tables and depending on the lineages it requires.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from relcore.db import metadata
from relcore.errors import ConfigError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


@attrs.frozen
class MigrationLineage:
    """A plugin's alembic lineage.

    :param branch_label: the branch label (the plugin name).
    :param version_location: the folder of its revision files.
    :param table_prefix: the prefix of the tables it owns (``"contacts_"``).
    """

    branch_label: str
    version_location: str
    table_prefix: str
    plugin: str | None = None


CORE_LINEAGE = MigrationLineage("core", str(MIGRATIONS_DIR / "versions"), "core_", "core")


def _config(
    app: Any, connection: Any | None = None, prefixes: tuple[str, ...] | None = None
) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    locations = [lin.version_location for lin in app.registries.migrations]
    cfg.set_main_option("version_locations", os.pathsep.join(locations))
    cfg.attributes["app"] = app
    cfg.attributes["connection"] = connection
    cfg.attributes["include_prefixes"] = prefixes
    return cfg


def _owned_prefixes(app: Any) -> tuple[str, ...]:
    return tuple(lin.table_prefix for lin in app.registries.migrations)


def include_object_for(prefixes: tuple[str, ...] | None):
    """An alembic ``include_object`` keeping only tables (and their parts) with these prefixes."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if prefixes is None:
            return True
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
        return bool(table) and table.startswith(prefixes)

    return include


def upgrade(app: Any) -> list[str]:
    """Upgrade every lineage to its head; returns the revisions applied."""
    before = set(current_revisions(app))
    with app.engine.begin() as conn:
        cfg = _config(app, conn, _owned_prefixes(app))
        command.upgrade(cfg, "heads")
    after = applied_revisions(app)
    return sorted(after - _expand(app, before))


def _expand(app: Any, heads: set[str]) -> set[str]:
    script = ScriptDirectory.from_config(_config(app))
    done: set[str] = set()
    for rev in script.iterate_revisions(tuple(heads), "base"):
        done.add(rev.revision)
    return done


def current_revisions(app: Any) -> list[str]:
    """The revisions recorded in the database's version table (one per lineage head)."""
    with app.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        return list(ctx.get_current_heads())


def applied_revisions(app: Any) -> set[str]:
    """Every revision applied (the current heads and their ancestors)."""
    return _expand(app, set(current_revisions(app)))


def pending(app: Any) -> list[dict[str, str]]:
    """Revisions not yet applied, oldest first: ``{"revision", "branch", "message"}``."""
    script = ScriptDirectory.from_config(_config(app))
    applied = applied_revisions(app)
    out = []
    for rev in reversed(list(script.walk_revisions("base", "heads"))):
        if rev.revision not in applied:
            branch = sorted(rev.branch_labels)[0] if rev.branch_labels else _branch_of(script, rev)
            out.append({"revision": rev.revision, "branch": branch, "message": rev.doc or ""})
    return out


def _branch_of(script: ScriptDirectory, rev: Any) -> str:
    for r in script.iterate_revisions(rev.revision, "base"):
        if r.branch_labels:
            return sorted(r.branch_labels)[0]
    return ""


def check(app: Any) -> list[str]:
    """Differences between the database and the loaded plugins' tables (empty = in step)."""
    include = include_object_for(_owned_prefixes(app))
    with app.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include}
        )
        diffs = compare_metadata(ctx, _target_metadata(app))
    return [_describe(d) for d in diffs]


def _target_metadata(app: Any) -> sa.MetaData:
    _ = app.registries  # plugin modules declare their tables when loaded
    return metadata


def _describe(diff: Any) -> str:
    if isinstance(diff, list):
        return "; ".join(_describe(d) for d in diff)
    op = diff[0]
    rest = []
    for item in diff[1:]:
        name = getattr(item, "name", None)
        rest.append(str(name) if name is not None else str(item))
    return f"{op} " + " ".join(rest)


def required_plugins(app: Any, plugin: str) -> set[str]:
    """``plugin``, the core and every plugin it requires, directly or not."""
    found = {"core", plugin}
    todo = [plugin]
    while todo:
        info = app.pm.infos.get(todo.pop())
        for name in info.requires if info else ():
            if name not in found:
                found.add(name)
                todo.append(name)
    return found


def optional_references(app: Any, plugin: str) -> list[str]:
    """Foreign keys from ``plugin``'s tables to tables of plugins it does not require.

    An optional integration (``@hookimpl(optionalhook=True)``) must not reference the optional
    plugin's tables: its migrations would depend on a lineage that may not be installed. Keep
    such a key as a plain column and check it through the other plugin's API.
    """
    lineages = list(app.registries.migrations)
    mine = next((lin for lin in lineages if (lin.plugin or lin.branch_label) == plugin), None)
    if mine is None:
        return []
    allowed = required_plugins(app, plugin)
    found = []
    for table in _target_metadata(app).sorted_tables:
        if not table.name.startswith(mine.table_prefix):
            continue
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            target = fk.column.table.name
            owner = next((lin for lin in lineages if target.startswith(lin.table_prefix)), None)
            if owner is not None and (owner.plugin or owner.branch_label) not in allowed:
                found.append(
                    f"{table.name}.{fk.parent.name} references {target} of plugin "
                    f"{owner.plugin or owner.branch_label}, which {plugin} does not require"
                )
    return found


def revision(app: Any, plugin: str, message: str) -> Path | None:
    """Autogenerate the next revision of ``plugin``'s lineage (None when nothing changed).

    The database must be upgraded to all heads first (it is the baseline the diff is taken
    against); use a scratch database. The first revision depends on the core's and the required
    plugins' lineages only — never on a plugin integrated optionally.

    :raises ConfigError: no such lineage, or a table of the plugin has a foreign key to a plugin
        it does not require (:func:`optional_references`).
    """
    lineage = next((lin for lin in app.registries.migrations if lin.branch_label == plugin), None)
    if lineage is None:
        raise ConfigError(f"no migration lineage named {plugin!r}")
    refused = optional_references(app, lineage.plugin or plugin)
    if refused:
        raise ConfigError(
            "; ".join(refused) + ": a revision may depend only on the lineages of required "
            "plugins (keep the key as a plain column; see 'Optional integrations' in "
            "docs/writing-plugins.md)"
        )
    script = ScriptDirectory.from_config(_config(app))
    existing = [r for r in script.walk_revisions() if _branch_of(script, r) == plugin]
    upgrade(app)
    with app.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": include_object_for((lineage.table_prefix,)),
            },
        )
        if not compare_metadata(ctx, _target_metadata(app)):
            return None
    number = len(existing) + 1
    rev_id = f"{re.sub(r'[^a-z0-9]', '', plugin.lower())}_{number:04d}"
    kwargs: dict[str, Any] = {"rev_id": rev_id, "autogenerate": True, "message": message}
    info = app.pm.infos.get(lineage.plugin or plugin)
    required = ["core", *(info.requires if info else ())]
    deps = [_head_of(script, label) for label in required if label != plugin]
    if existing:
        kwargs["head"] = f"{plugin}@head"
        # a requirement added later (a new foreign key) must be migrated first, too
        ancestors = {r.revision for r in script.iterate_revisions(f"{plugin}@head", "base")}
        for r in script.iterate_revisions(f"{plugin}@head", "base"):
            dep = r.dependencies or ()
            ancestors |= {dep} if isinstance(dep, str) else set(dep)
        deps = [d for d in deps if d and d not in ancestors]
    else:
        kwargs["head"] = "base"
        kwargs["branch_label"] = plugin
        kwargs["version_path"] = lineage.version_location
    if any(deps):
        kwargs["depends_on"] = [d for d in deps if d]
    with app.engine.begin() as conn:
        cfg = _config(app, conn, (lineage.table_prefix,))
        result = command.revision(cfg, **kwargs)
    scripts = result if isinstance(result, list) else [result]
    return Path(scripts[0].path) if scripts and scripts[0] is not None else None


def _head_of(script: ScriptDirectory, label: str) -> str | None:
    try:
        rev = script.get_revision(f"{label}@head")
    except Exception:  # the label has no revisions yet
        return None
    return rev.revision if rev is not None else None
