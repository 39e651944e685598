"""cli-start: cold start of ``relcore --help`` with all plugins installed, against
``python -c "import click"`` (goal ratio ≤ 4).

Both run as fresh processes with the same interpreter; medians over several runs.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time

GOAL = 4.0
DEFAULT_SIZE = 15


def _time(cmd: list[str], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(size: int) -> tuple[float, float]:
    """``size`` = number of runs of each command."""
    relcore = shutil.which("relcore") or str(
        __import__("pathlib").Path(sys.executable).parent / "relcore"
    )
    ours = _time([sys.executable, relcore, "--help"], size)
    baseline = _time([sys.executable, "-c", "import click"], size)
    return ours, baseline
