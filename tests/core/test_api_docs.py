"""docs/api-reference.md documents what plugin authors call: each section's signature matches
the code, and every public name of a shipped plugin's ``api.py`` is documented (#9 docs)."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "api-reference.md"
TEXT = DOC.read_text(encoding="utf-8")
SECTION = re.compile(r"^### `([\w.]+)\((.*?)\)`", re.M)
SECTIONS = {
    m.group(1): [a.strip() for a in m.group(2).split(",") if a.strip()]
    for m in SECTION.finditer(TEXT)
}
APIS = [
    "relcore_contacts.api",
    "relcore_interactions.api",
    "relcore_segments.api",
    "relcore_campaigns.api",
    "relcore_opportunities.api",
    "relcore_d365sales.api",
]


def _resolve(dotted: str):
    parts = dotted.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise LookupError(dotted)


def _parameters(obj) -> list[str]:
    return [
        name
        for name, p in inspect.signature(obj).parameters.items()
        if name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD
    ]


@pytest.mark.parametrize("dotted", sorted(SECTIONS))
def test_each_documented_signature_matches_the_code(dotted):
    obj = _resolve(dotted)
    assert SECTIONS[dotted] == _parameters(obj), (
        f"docs/api-reference.md documents {dotted}({', '.join(SECTIONS[dotted])}) but the code "
        f"is {dotted}{inspect.signature(obj)}"
    )


@pytest.mark.parametrize("module_name", APIS)
def test_every_public_name_of_a_plugin_api_is_documented(module_name):
    module = importlib.import_module(module_name)
    missing = []
    for name in module.__all__:
        obj = getattr(module, name)
        if callable(obj) and not hasattr(obj, "c"):  # a function or class: its own section
            if f"{module_name}.{name}" not in SECTIONS:
                missing.append(name)
        elif f"`{name}`" not in TEXT:  # a table: named in the module's list
            missing.append(name)
    assert missing == []


def test_the_core_write_api_and_testing_kit_are_documented():
    for dotted in (
        "relcore.entities.insert",
        "relcore.entities.update",
        "relcore.entities.update_where",
        "relcore.entities.delete",
        "relcore.numbering.init_no",
        "relcore.interactions.InteractionRecord",
        "relcore.interactions.log_interactions",
        "relcore.setup.SetupField",
        "relcore.fields.coerce_values",
        "relcore.testing.build_app",
        "relcore.testing.invoke_cli",
        "relcore.cli.context.output",
        "relcore.cli.context.output_table",
        "relcore.cli.context.table",
    ):
        assert dotted in SECTIONS
    for field in ("exit_code", "output", "stdout", "stderr", "exception", "json"):
        assert f"`{field}`" in TEXT
    assert set(vars(__import__("relcore.testing").testing.CliResult(_FakeResult())).keys()) <= {
        "exit_code",
        "output",
        "stdout",
        "stderr",
        "exception",
    }


class _FakeResult:
    exit_code = 0
    output = stdout = stderr = ""
    exception = None
