"""Draw the book's figures from the data kept in _data/.

Each figure is an SVG written to _generated/ (not committed) from one YAML file
by one small function below; a page includes it with the figure directive
(``/_generated/<name>.svg``). A figure is redrawn only when its data or this
module is newer than the SVG, so a rebuild that touches neither costs nothing.
The SVGs are deterministic (fixed hash salt, no date), keeping builds
byte-identical.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sphinx.application import Sphinx

HERE = Path(__file__)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "svg.hashsalt": "annotated-ai-policy-reader",
        "svg.fonttype": "none",  # text stays text: smaller, selectable, readable by screen readers
        "font.size": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
    })
    return plt


def draw_robocasa(data, out):
    """Three panels: kitchen scenes, objects, tasks."""
    plt = _pyplot()
    scenes, objects, tasks = data["scenes"], data["objects"], data["tasks"]
    fig, axes = plt.subplots(1, 3, figsize=(9, 3.2))
    panels = [
        ("Kitchen scenes", ["floor plans", "styles", "scenes"],
         [scenes["floor_plans"], scenes["styles"], scenes["floor_plans"] * scenes["styles"]]),
        ("Objects", ["categories", "objects"], [objects["categories"], objects["count"]]),
        ("Tasks", ["atomic", "composite", "all"], [tasks["atomic"], tasks["composite"],
                                                   tasks["atomic"] + tasks["composite"]]),
    ]
    colours = ["#4C72B0", "#DD8452", "#55A868"]
    for ax, (title, labels, values), colour in zip(axes, panels, colours, strict=True):
        bars = ax.barh(labels, values, color=colour)
        ax.bar_label(bars, labels=[f"{v:,}" for v in values], padding=3)
        ax.set_title(title)
        ax.set_xlim(0, max(values) * 1.3)
        ax.set_xticks([])
        ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)


def draw_gpt2_cost(points, out):
    """Published costs of training a GPT-2-class model, on a log scale, one labelled dot each."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 3.6))
    offsets = {}
    for point in points:
        year = point["year"] + offsets.get(point["year"], 0)
        offsets[point["year"]] = offsets.get(point["year"], 0) + 0.35  # same-year points side by side
        ax.scatter([year], [point["cost_usd"]], color="#4C72B0", zorder=3)
        ax.annotate("%s\n$%s" % (point["model"], "{:,}".format(point["cost_usd"])), (year, point["cost_usd"]),
                    textcoords="offset points", xytext=tuple(point.get("label_offset", (8, 4))), fontsize=9)
    ax.set_yscale("log")
    ax.set_ylim(5, 500000)
    ax.set_xlim(2018.5, 2027.5)
    ax.set_xticks(range(2019, 2027))
    ax.set_ylabel("training cost (US$, log scale)")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)


# output file name -> (data file, drawing function)
FIGURES = {
    "robocasa-composition.svg": ("robocasa.yaml", draw_robocasa),
    "gpt2-training-cost.svg": ("gpt2_training_cost.yaml", draw_gpt2_cost),
}


def draw_figures(app: Sphinx) -> None:
    """Redraw each figure whose data or drawing code is newer than its SVG."""
    srcdir = Path(app.srcdir)
    outdir = srcdir / "_generated"
    for name, (data_name, draw) in FIGURES.items():
        data_file, out = srcdir / "_data" / data_name, outdir / name
        if not data_file.exists():
            continue
        newest_input = max(data_file.stat().st_mtime, HERE.stat().st_mtime)
        if out.exists() and out.stat().st_mtime >= newest_input:
            continue
        outdir.mkdir(exist_ok=True)
        draw(yaml.safe_load(data_file.read_text(encoding="utf-8")), out)


def setup(app: Sphinx) -> dict[str, Any]:
    """Draw the figures before any page is read."""
    app.connect("builder-inited", draw_figures)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
