"""The pipeline picture: a funnel by stage, in the terminal (rich) or as a chart file
(matplotlib, the optional extra ``relcore-opportunities[charts]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from relcore.errors import RelcoreError

CHARTS_HINT = "writing a chart needs matplotlib: pip install 'relcore-opportunities[charts]'"
FORMATS = (".png", ".svg", ".html")


def funnel_renderable(rows: list[dict], title: str, width: int = 24) -> Any:
    """A rich table drawing one bar per stage, its length by No. of Opportunities."""
    from rich.table import Table

    top = max((r["no_of_opportunities"] for r in rows), default=0) or 1
    t = Table(title=title)
    for col in ("cycle", "stage", "description", "funnel", "opps", "estimated", "current"):
        t.add_column(col, justify="right" if col in ("opps", "estimated", "current") else "left")
    for r in rows:
        n = r["no_of_opportunities"]
        bar = "█" * max(1 if n else 0, round(width * n / top))
        pad = " " * ((width - len(bar)) // 2)
        t.add_row(
            r["sales_cycle_code"],
            str(r["stage"]),
            r["description"],
            f"[cyan]{pad}{bar}[/cyan]",
            str(n),
            str(r["estimated_value"]),
            str(r["calcd_current_value"]),
        )
    return t


def write_chart(rows: list[dict], title: str, path: str | Path) -> Path:
    """Write the funnel (bars per stage: no. of opportunities, estimated and current value) as
    PNG, SVG or HTML (an SVG inside a page).

    :raises RelcoreError: for another suffix, or when matplotlib is not installed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise RelcoreError(f"{path.name}: the chart file must end in .png, .svg or .html")
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot as plt
    except ImportError:
        raise RelcoreError(CHARTS_HINT) from None
    labels = [f"{r['sales_cycle_code']} {r['stage']} {r['description']}" for r in rows]
    counts = [r["no_of_opportunities"] for r in rows]
    estimated = [float(r["estimated_value"]) for r in rows]  # drawing only, not money maths
    current = [float(r["calcd_current_value"]) for r in rows]
    fig, (ax_count, ax_value) = plt.subplots(1, 2, figsize=(11, 1.2 + 0.6 * max(len(rows), 1)))
    positions = list(range(len(rows)))[::-1]
    top = max(counts, default=0) or 1
    lefts = [(top - c) / 2 for c in counts]
    ax_count.barh(positions, counts, left=lefts, color="#2b7bb9")
    ax_count.set_yticks(positions, labels)
    ax_count.set_xticks([])
    ax_count.set_title("Open opportunities by stage")
    for y, c, left in zip(positions, counts, lefts, strict=True):
        ax_count.text(left + c / 2, y, str(c), ha="center", va="center", color="white")
    ax_value.barh([p + 0.2 for p in positions], estimated, height=0.4, label="Estimated value")
    ax_value.barh([p - 0.2 for p in positions], current, height=0.4, label="Calcd. current value")
    ax_value.set_yticks(positions, [""] * len(rows))
    ax_value.legend(loc="lower right")
    ax_value.set_title("Value (LCY)")
    fig.suptitle(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        import io

        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        path.write_text(
            f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>{buffer.getvalue()}</body></html>",
            encoding="utf-8",
        )
    else:
        fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
