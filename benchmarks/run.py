"""Run one benchmark: ``python benchmarks/run.py NAME [--size N]``.

Each benchmark is a module ``benchmarks/<name with underscores>.py`` with ``run(size)`` returning
``(our_seconds, baseline_seconds)`` (medians of several repeats measured in the same run), an
optional third value with extra figures, and the constants ``GOAL`` and ``DEFAULT_SIZE``. The last
line printed is ``NAME ratio R goal G`` with R = our time / baseline time.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).parent

GOALS = {
    "numbers-single": 3.0,
    "numbers-bulk": 1.5,
    "cli-start": 4.0,
    "contacts-import": 3.0,
    "contacts-duplicates": 1.5,
    "interactions-log": 2.0,
    "interactions-stats": 1.5,
    "segments-add": 1.5,
    "segments-log": 2.0,
    "d365-sync": 1.05,
}


def load(name: str):
    """The benchmark module for NAME."""
    path = HERE / f"{name.replace('-', '_')}.py"
    if not path.exists():
        available = ", ".join(
            sorted(
                p.stem.replace("_", "-")
                for p in HERE.glob("*.py")
                if p.stem not in ("run", "__init__")
            )
        )
        sys.exit(f"unknown benchmark {name!r} (available: {available})")
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(HERE))
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run the benchmark, print its figures and the ratio line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("--size", type=int, default=None)
    args = parser.parse_args(argv)
    module = load(args.name)
    size = args.size if args.size is not None else getattr(module, "DEFAULT_SIZE", 100_000)
    result = module.run(size)
    ours, baseline = result[0], result[1]
    extra = result[2] if len(result) > 2 else None
    goal = getattr(module, "GOAL", GOALS.get(args.name))
    print(f"{args.name}: size {size}: ours {ours:.4f}s, baseline {baseline:.4f}s")
    if extra:
        for key, value in dict(extra).items():
            print(f"{args.name}: {key}: {value}")
    ratio = ours / baseline if baseline else float("inf")
    if getattr(module, "RATIO_IS_VALUE", False):
        ratio = ours
    print(f"{args.name} ratio {ratio:.2f} goal {goal}")


if __name__ == "__main__":
    main()
