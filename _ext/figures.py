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
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

HERE = Path(__file__)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "annotated-ai-policy-reader",
            "svg.fonttype": "none",  # text stays text: smaller, selectable, readable by screen readers
            "font.size": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def draw_robocasa(data, out):
    """Three panels: kitchen scenes, objects, tasks (one bar per row of the data, panel by panel)."""
    plt = _pyplot()
    panels = []
    for row in data["rows"]:
        if not panels or panels[-1][0] != row["panel"]:
            panels.append((row["panel"], [], []))
        panels[-1][1].append(row["item"])
        panels[-1][2].append(row["count"])
    fig, axes = plt.subplots(1, len(panels), figsize=(9, 3.2))
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
        ax.annotate(
            "%s\n$%s" % (point["model"], "{:,}".format(point["cost_usd"])),
            (year, point["cost_usd"]),
            textcoords="offset points",
            xytext=tuple(point.get("label_offset", (8, 4))),
            fontsize=9,
        )
    ax.set_yscale("log")
    ax.set_ylim(5, 500000)
    ax.set_xlim(2018.5, 2027.5)
    ax.set_xticks(range(2019, 2027))
    ax.set_ylabel("training cost (US$, log scale)")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)


KINDS = {  # marker shape and fill carry the kind, so no meaning rests on colour alone
    "release": ("o", "#1f4e8c", "OpenAI's staged release"),
    "replication": ("s", "white", "open replications and rivals"),
    "source": ("D", "#555555", "2024 looks back"),
}


def _month(date):
    """(year, fractional month) of a YYYY-MM or YYYY-MM-DD date."""
    parts = str(date).split("-")
    day = int(parts[2]) if len(parts) > 2 else 15
    return int(parts[0]), int(parts[1]) - 1 + (day - 1) / 31


def draw_gpt2_timeline(data, out):
    """Two stretches of one time line, 2019 and 2024, with a labelled marker per event."""
    plt = _pyplot()
    rows = data["rows"]
    years = sorted({_month(r["date"])[0] for r in rows})
    spans = {
        y: (
            min(_month(r["date"])[1] for r in rows if _month(r["date"])[0] == y) - 0.7,
            max(_month(r["date"])[1] for r in rows if _month(r["date"])[0] == y) + 0.7,
        )
        for y in years
    }
    widths = [spans[y][1] - spans[y][0] + 2.5 for y in years]
    fig, axes = plt.subplots(1, len(years), figsize=(9, 4.4), gridspec_kw={"width_ratios": widths})
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for ax, year in zip(axes, years, strict=False):
        events = [r for r in rows if _month(r["date"])[0] == year]
        for i, row in enumerate(events):
            x = _month(row["date"])[1]
            marker, fill, _ = KINDS[row["kind"]]
            ax.plot(
                [x],
                [0],
                marker=marker,
                markersize=9,
                markerfacecolor=fill,
                markeredgecolor="#1a1a1a",
                linestyle="none",
                zorder=3,
            )
            level = (1 + (i // 2) % 2) * (1 if i % 2 == 0 else -1) * 0.9  # alternate above and below
            ax.plot([x, x], [0, level], color="#777777", linewidth=0.8, zorder=1)
            ax.annotate(
                "%s\n%s" % (_label_date(row["date"]), _wrap(row["event"], 26)),
                (x, level),
                ha="left",
                va="bottom" if level > 0 else "top",
                fontsize=8.5,
                xytext=(3, 0),
                textcoords="offset points",
            )
        start, end = spans[year]
        ax.set_xlim(start, end + 2.5)
        ax.set_ylim(-2.9, 2.9)
        ticks = [m for m in range(12) if start <= m <= end]
        ax.set_xticks(ticks)
        ax.set_xticklabels([names[m] for m in ticks], fontsize=9)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.spines["bottom"].set_position(("data", 0))  # the month ticks sit on the time line itself
        ax.set_title(str(year), fontsize=11, loc="left")
    handles = [
        plt.Line2D(
            [],
            [],
            marker=m,
            markersize=8,
            markerfacecolor=f,
            markeredgecolor="#1a1a1a",
            linestyle="none",
            label=label,
        )
        for m, f, label in KINDS.values()
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=9)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)


def draw_coreweave(data, out):
    """One horizontal bar per financing event; debt solid, equity hatched, each bar labelled in words."""
    plt = _pyplot()
    rows = data["rows"]
    fig, ax = plt.subplots(figsize=(8, 2.9))
    labels = ["%s %s\n%s" % (_label_date(r["date"]), str(r["date"])[:4], _wrap(r["event"], 40)) for r in rows]
    for y, row in enumerate(rows):
        debt = row["kind"] == "debt"
        ax.barh(
            [y],
            [row["usd_billion"]],
            color="#1f4e8c" if debt else "white",
            edgecolor="#1f4e8c",
            hatch=None if debt else "///",
            height=0.62,
        )
        ax.annotate(
            "$%s billion %s" % (row["usd_billion"], row["kind"]),
            (row["usd_billion"], y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9.5,
        )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, max(r["usd_billion"] for r in rows) * 1.45)
    ax.set_xlabel("US$ billion")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)


def draw_gpu_income(data, out):
    """Daily income from AI rental against the share of the day the card is rented, beside mining's flat $5."""
    plt = _pyplot()
    mining, rental = (row["usd_per_day"] for row in data["rows"])
    fig, ax = plt.subplots(figsize=(8, 3.4))
    ax.plot([0, 100], [0, rental], color="#1f4e8c", linewidth=2.2)
    ax.axhline(mining, color="#444444", linewidth=1.8, linestyle=(0, (6, 3)))
    ax.annotate(
        "AI rental at about US$%.2f an hour" % (rental / 24),
        (70, rental * 0.7),
        xytext=(-6, 8),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=9.5,
    )
    ax.annotate(
        "crypto mining: US$%d a day after electricity" % mining,
        (100, mining),
        xytext=(-8, 5),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=9.5,
    )
    even = 100 * mining / rental
    ax.plot([even], [mining], marker="o", markersize=7, markerfacecolor="white", markeredgecolor="#1a1a1a")
    ax.annotate(
        "break-even: rented %d%% of the day" % round(even),
        (even, mining),
        xytext=(6, -18),
        textcoords="offset points",
        fontsize=9.5,
    )
    ax.set_xlim(0, 100)
    ax.set_ylim(0, rental * 1.15)
    ax.set_xlabel("share of the day the card is rented out (%)")
    ax.set_ylabel("US$ a day")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)


def _label_date(date):
    parts = str(date).split("-")
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return (
        ("%d %s" % (int(parts[2]), names[int(parts[1]) - 1])) if len(parts) > 2 else names[int(parts[1]) - 1]
    )


def _wrap(text, width):
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


# output file name -> (data file, drawing function)
FIGURES = {
    "robocasa-composition.svg": ("robocasa.yaml", draw_robocasa),
    "gpt2-training-cost.svg": ("gpt2_training_cost.yaml", draw_gpt2_cost),
    "gpt2-timeline.svg": ("gpt2_timeline.yaml", draw_gpt2_timeline),
    "coreweave-financing.svg": ("coreweave_financing.yaml", draw_coreweave),
    "gpu-income.svg": ("gpu_income.yaml", draw_gpu_income),
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


class details(nodes.General, nodes.Element):
    """A collapsible block: <details> with a <summary> in HTML and EPUB."""


def visit_details(self, node):
    attributes = {"data-key": node["data-key"]} if node.get("data-key") else {}
    self.body.append(self.starttag(node, "details", **attributes))
    self.body.append("<summary>%s</summary>" % self.encode(node["summary"]))


def depart_details(self, node):
    self.body.append("</details>\n")


def _cell(value):
    return str(value).replace("|", "\\|").replace("\n", " ")


class FigureData(SphinxDirective):
    """``{figure-data} name.yaml``: a figure's data as a table, in a collapsed "Data" block.

    The YAML file (in _data/) holds either ``columns`` ([key, header] pairs) and
    ``rows``, or a plain list of rows with the columns given as the ``:columns:``
    option (``key=Header, key=Header``). Every row's ``source_key`` becomes a
    citation in a last "Source" column.
    """

    required_arguments = 1
    option_spec = {"columns": str}

    def run(self):
        name = self.arguments[0]
        path = Path(self.env.srcdir) / "_data" / name
        self.env.note_dependency(str(path))
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            logger.warning("figure-data: cannot read _data/%s: %s", name, error, location=self.get_location())
            return []
        rows = data.get("rows") if isinstance(data, dict) else data
        columns = data.get("columns") if isinstance(data, dict) else None
        if "columns" in self.options:
            columns = [part.strip().split("=", 1) for part in self.options["columns"].split(",")]
        if not isinstance(rows, list) or not columns or any(len(c) != 2 for c in columns):
            logger.warning(
                "figure-data: _data/%s needs a list of rows and columns as [key, header] pairs",
                name,
                location=self.get_location(),
            )
            return []
        lines = [
            "| %s | Source |" % " | ".join(header for _, header in columns),
            "|%s---|" % ("---|" * len(columns)),
        ]
        for number, row in enumerate(rows, 1):
            missing = [key for key, _ in columns if key not in row] + (
                [] if row.get("source_key") else ["source_key"]
            )
            if missing:
                logger.warning(
                    "figure-data: row %d of _data/%s lacks %s",
                    number,
                    name,
                    ", ".join(missing),
                    location=self.get_location(),
                )
                return []
            cells = [
                _cell(f"{row[key]:,}" if isinstance(row[key], int) and row[key] > 9999 else row[key])
                for key, _ in columns
            ]
            lines.append("| %s | {cite:p}`%s` |" % (" | ".join(cells), row["source_key"]))
        node = details(summary="Data", classes=["figure-data"])
        self.state.nested_parse(StringList(lines, source=str(path)), self.content_offset, node)
        return [node]


def setup(app: Sphinx) -> dict[str, Any]:
    """Draw the figures before any page is read; register the figure-data directive."""
    app.connect("builder-inited", draw_figures)
    app.add_node(details, html=(visit_details, depart_details))
    app.add_directive("figure-data", FigureData)
    return {"version": "1.1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
