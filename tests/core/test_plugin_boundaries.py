"""The extension model's boundaries, checked on the source of every shipped plugin and the
example (#9 defects 3 and 4):

* a plugin's hooks are explicit ``@hookimpl`` functions in its ``plugin.py`` (greppable; no
  generated hooks, no ``globals().update``);
* a plugin imports nothing of another plugin but its ``api`` (and ``hookspecs``);
* each ``api.py`` is a plain re-export with ``__all__``;
* a plugin's modules import each other without cycles.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(
    path
    for path in [*ROOT.glob("plugins/*/relcore_*"), *ROOT.glob("docs/examples/*/relcore_*")]
    if path.is_dir() and (path / "plugin.py").exists()
)
NAMES = {path.name for path in PACKAGES}
ALLOWED = {"api", "hookspecs"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imports(tree: ast.Module) -> list[tuple[int, str]]:
    """``(line, dotted name)`` of every import, function-level ones included."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if "." in node.module:
                found.append((node.lineno, node.module))
            else:
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def foreign_imports(package: Path, root: Path = ROOT) -> list[str]:
    """Imports of another plugin's modules other than its ``api`` / ``hookspecs``."""
    bad = []
    for path in sorted(package.rglob("*.py")):
        for line, name in _imports(_tree(path)):
            top, _, rest = name.partition(".")
            if top in NAMES and top != package.name and rest.split(".")[0] not in ALLOWED:
                bad.append(f"{path.relative_to(root)}:{line} imports {name}")
    return bad


def test_the_scan_sees_every_plugin_and_catches_a_reach_into_internals(tmp_path):
    assert {"relcore_contacts", "relcore_interactions", "relcore_segments"} <= NAMES
    assert "relcore_visits" in NAMES
    fake = tmp_path / "relcore_fake"
    fake.mkdir()
    (fake / "service.py").write_text(
        "def f():\n    from relcore_interactions.model import template\n"
        "    from relcore_contacts import api, model\n"
        "    from relcore_segments.hookspecs import hookspec\n",
        encoding="utf-8",
    )
    assert foreign_imports(fake, tmp_path) == [
        "relcore_fake/service.py:2 imports relcore_interactions.model",
        "relcore_fake/service.py:3 imports relcore_contacts.model",
    ]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_a_plugin_imports_only_the_api_and_hookspecs_of_others(package):
    assert foreign_imports(package) == []


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_every_hook_is_an_explicit_hookimpl_function_in_plugin_py(package):
    tree = _tree(package / "plugin.py")
    calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and hasattr(n.func, "id")]
    assert "globals" not in calls
    written = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(
            (isinstance(d, ast.Name) and d.id == "hookimpl")
            or (isinstance(d, ast.Call) and getattr(d.func, "id", "") == "hookimpl")
            for d in node.decorator_list
        )
    }
    module = importlib.import_module(f"{package.name}.plugin")
    marked = {
        name
        for name in dir(module)
        if name.startswith("relcore_") and hasattr(getattr(module, name), "relcore_impl")
    }
    assert marked and marked == written


@pytest.mark.parametrize(
    "package", [p for p in PACKAGES if (p / "api.py").exists()], ids=lambda p: p.name
)
def test_api_is_a_plain_re_export_with_all(package):
    path = package / "api.py"
    tree = _tree(path)
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "Assign"}, f"{path} defines more than re-exports"
    (exported,) = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign) and node.targets[0].id == "__all__"  # type: ignore[attr-defined]
    ]
    names = {elt.value for elt in exported.value.elts}  # type: ignore[attr-defined]
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
    }
    assert names == imported
    module = importlib.import_module(f"{package.name}.api")
    assert all(hasattr(module, name) for name in module.__all__)


def _cycles(package: Path) -> list[list[str]]:
    modules = {p.stem for p in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in package.glob("*.py"):
        deps = set()
        for _line, name in _imports(_tree(path)):
            top, _, rest = name.partition(".")
            if top == package.name and rest.split(".")[0] in modules:
                deps.add(rest.split(".")[0])
        graph[path.stem] = deps - {path.stem}
    cycles, index, low, stack, on, counter = [], {}, {}, [], set(), [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_a_plugins_modules_import_each_other_without_cycles(package):
    assert _cycles(package) == []
