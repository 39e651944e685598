"""The hook contract is documented and tested: every hookspec has a section in
docs/plugin-hooks.md with its exact signature, and at least one test that exercises it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from relcore.app import App

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "plugin-hooks.md"
SECTION = re.compile(r"^### `(relcore_\w+)\((.*?)\)`", re.M)


def _all_hookspecs() -> dict[str, inspect.Signature]:
    """Every hookspec known with all installed plugins loaded (core + published ones)."""
    app = App("sqlite://")
    specs = {}
    for name, caller in vars(app.pm.hook).items():
        spec = getattr(caller, "spec", None)
        if name.startswith("relcore_") and spec is not None:
            specs[name] = inspect.signature(spec.function)
    return specs


HOOKSPECS = _all_hookspecs()


def _documented() -> dict[str, list[str]]:
    return {
        m.group(1): [a.strip() for a in m.group(2).split(",") if a.strip()]
        for m in SECTION.finditer(DOC.read_text(encoding="utf-8"))
    }


@pytest.mark.parametrize("hook", sorted(HOOKSPECS))
def test_every_hookspec_is_documented_with_its_signature(hook):
    documented = _documented()
    assert hook in documented, f"docs/plugin-hooks.md has no section '### `{hook}(...)`'"
    assert documented[hook] == list(HOOKSPECS[hook].parameters), (
        f"docs/plugin-hooks.md documents {hook}({', '.join(documented[hook])}) but the spec is "
        f"{hook}{HOOKSPECS[hook]}"
    )


def test_no_documented_hook_is_missing_from_the_specs():
    assert sorted(set(_documented()) - set(HOOKSPECS)) == []


@pytest.mark.parametrize("hook", sorted(HOOKSPECS))
def test_every_hookspec_is_exercised_by_a_test(hook):
    me = Path(__file__).resolve()
    for path in (ROOT / "tests").rglob("*.py"):
        if path.resolve() != me and hook in path.read_text(encoding="utf-8"):
            return
    pytest.fail(f"no test under tests/ mentions {hook}")


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    found = {}
    matches = list(SECTION.finditer(text))
    for m, nxt in zip(matches, [*matches[1:], None], strict=True):
        found[m.group(1)] = text[m.end() : nxt.start() if nxt else len(text)]
    return found


def _parts(annotation: str) -> set[str]:
    return {part.strip() for part in str(annotation).split("|")}


@pytest.mark.parametrize("hook", sorted(HOOKSPECS))
def test_spec_docs_and_implementations_agree_on_the_return_value(hook):
    spec = HOOKSPECS[hook].return_annotation
    assert spec is not inspect.Signature.empty, f"{hook}: the spec has no return annotation"
    if spec != "None":
        section = _sections()[hook].lower()
        assert "return" in section or "->" in section, f"docs of {hook} say nothing of its return"
    app = App("sqlite://")
    for impl in getattr(app.pm.hook, hook).get_hookimpls():
        if impl.hookwrapper or impl.wrapper:
            continue
        got = inspect.signature(impl.function).return_annotation
        if got is inspect.Signature.empty:
            continue
        assert _parts(got) <= _parts(spec), (
            f"{impl.plugin_name}'s {hook} returns {got}, the spec says {spec}"
        )
        if spec == "None":
            assert got == "None", f"{impl.plugin_name}'s {hook} returns {got}, the spec None"


@pytest.mark.parametrize("hook", sorted(HOOKSPECS))
def test_hookspec_parameters_are_typed(hook):
    untyped = [
        name
        for name, p in HOOKSPECS[hook].parameters.items()
        if p.annotation in (inspect.Parameter.empty, "Any")
    ]
    assert untyped == [], f"{hook}: parameters without a type: {untyped}"
