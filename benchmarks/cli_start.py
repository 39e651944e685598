"""cli-start: cold start of ``relcore --help`` with all plugins installed (goal ratio ≤ 4).

Ours: ``relcore --help`` as a fresh process; every run checks that the plugin command groups are
listed and stderr is empty, so a plugin that fails to load cannot make the start faster.
Baseline: ``python -c "import click"`` (the shell's own framework); a second figure is the ratio
against a bare ``python -c pass``. Same interpreter, medians of ``size`` runs, interleaved. No
database is touched, so ``--db`` is not accepted.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

GOAL = 4.0
DEFAULT_SIZE = 15
COMMANDS = ("contacts", "interactions", "segments", "d365")
"""Command groups of installed plugins that ``--help`` must list."""


def _run(cmd: list[str], check_help: bool = False) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0 and done.stderr == "", (cmd, done.returncode, done.stderr)
    if check_help:
        listed = {line.split()[0] for line in done.stdout.splitlines() if line.startswith("  ")}
        missing = [c for c in COMMANDS if c not in listed]
        assert not missing, f"relcore --help does not list {missing}"
    return elapsed


def run(size: int = DEFAULT_SIZE) -> tuple[float, float, dict]:
    """``size`` = number of runs of each command."""
    relcore = shutil.which("relcore") or str(Path(sys.executable).parent / "relcore")
    ours_cmd = [sys.executable, relcore, "--help"]
    click_cmd = [sys.executable, "-c", "import click"]
    bare_cmd = [sys.executable, "-c", "pass"]
    ours, click, bare = [], [], []
    for _ in range(size):
        ours.append(_run(ours_cmd, check_help=True))
        click.append(_run(click_cmd))
        bare.append(_run(bare_cmd))
    o, c, b = median(ours), median(click), median(bare)
    return o, c, {"python -c pass": f"{b:.4f}s", "ratio against python -c pass": f"{o / b:.2f}"}
