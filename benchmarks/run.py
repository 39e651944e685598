"""Run one benchmark: ``python benchmarks/run.py NAME [--size N] [--db URL] [--scaling]``.

Each benchmark is a module ``benchmarks/<name with underscores>.py`` with
``run(size, db=None)`` returning ``(our_seconds, baseline_seconds)`` or
``(our_seconds, baseline_seconds, extra)`` where ``extra`` is a dict of further figures; a key
``"ratios"`` in it maps the names of further ratios (e.g. ``"memory"``) to their values, which must
meet the same goal. ``db`` is None (a SQLite file) or a ``postgresql://`` server URL; both sides
get their database from :mod:`baseline`. Constants: ``DEFAULT_SIZE`` and optionally ``GOAL``.

The last line printed is ``NAME ratio R goal G`` with R = our time / baseline time (the worst of
all ratios when there are several); the exit status is 1 when R > G. With ``--scaling`` the
benchmark also runs at a tenth of the size and a further line ``NAME growth G`` prints
G = time(N) / (10 × time(N/10)) of relcore's side (a set-based operation stays near 1).
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
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
    "tasks-segment": 2.0,
    "campaigns-stats": 1.5,
    "campaigns-activate": 2.0,
    "opportunities-stats": 1.5,
    "opportunities-segment": 2.5,
}
GROWTH_GOAL = 1.3
"""Goal of ``--scaling`` for the set-based benchmarks."""


def load(name: str):
    """The benchmark module for NAME."""
    path = HERE / f"{name.replace('-', '_')}.py"
    if name not in GOALS or not path.exists():
        sys.exit(f"unknown benchmark {name!r} (available: {', '.join(sorted(GOALS))})")
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(HERE))
    spec.loader.exec_module(module)
    return module


def measure(module, size: int, db: str | None) -> tuple[float, float, dict]:
    """One run of the benchmark: (ours, baseline, extra figures)."""
    if db is not None and "db" not in inspect.signature(module.run).parameters:
        sys.exit(f"this benchmark runs on SQLite only (no --db): {module.__name__}")
    result = module.run(size, db=db) if db is not None else module.run(size)
    extra = dict(result[2]) if len(result) > 2 and result[2] else {}
    return result[0], result[1], extra


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the benchmark, print its figures and the ratio line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="a benchmark, or 'list' to print every name")
    parser.add_argument("--size", type=int, default=None)
    parser.add_argument("--db", default=None, help="postgresql://… (default: a SQLite file)")
    parser.add_argument("--scaling", action="store_true", help="also run at size / 10")
    args = parser.parse_args(argv)
    if args.name == "list":
        print("\n".join(GOALS))
        return 0
    module = load(args.name)
    size = args.size if args.size is not None else getattr(module, "DEFAULT_SIZE", 100_000)
    backend = "postgresql" if args.db else "sqlite"
    if "db" not in inspect.signature(module.run).parameters:
        backend = "no database"
    ours, baseline, extra = measure(module, size, args.db)
    goal = getattr(module, "GOAL", GOALS[args.name])
    unit = getattr(module, "UNIT", "s")
    print(
        f"{args.name}: {backend}, size {size}: ours {ours:.4f}{unit}, baseline {baseline:.4f}{unit}"
    )
    ratios = dict(extra.pop("ratios", {}))
    for key, value in extra.items():
        print(f"{args.name}: {key}: {value}")
    ratio = ours if getattr(module, "RATIO_IS_VALUE", False) else ours / baseline
    for key, value in ratios.items():
        print(f"{args.name}: {key} ratio {value:.2f} goal {goal}")
    worst = max([ratio, *ratios.values()])
    if ratios:
        print(f"{args.name}: time ratio {ratio:.2f} goal {goal}")
    failed = worst > goal
    if args.scaling:
        small, small_base, _ = measure(module, max(1, size // 10), args.db)
        growth = ours / (10 * small)
        print(f"{args.name}: ours at size {size // 10}: {small:.4f}{unit}")
        # the plain code's own growth on the same machine: what the database does at this size
        print(
            f"{args.name}: baseline at size {size // 10}: {small_base:.4f}{unit}, "
            f"baseline growth {baseline / (10 * small_base):.2f} (for comparison, not a goal)"
        )
        print(f"{args.name} growth {growth:.2f} goal {GROWTH_GOAL}")
        failed = failed or growth > GROWTH_GOAL
    print(f"{args.name} ratio {worst:.2f} goal {goal}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
