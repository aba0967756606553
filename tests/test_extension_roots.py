"""Tiny roots built in-process, each with one local extension and what it needs, nothing else:
hover previews (_ext/previews.py), the build side of search (_ext/search.py) and the figures
drawn from _data/ (_ext/figures.py). The whole-book tests cover them too, but a failure
here names the extension."""

import json
import os
import re
from pathlib import Path

from bs4 import BeautifulSoup

from _ext.search_shards import read_script
from tools.devtools import build_in_process

CONF = 'extensions = [%s]\nmyst_enable_extensions = ["colon_fence"]\npage_metadata_required = []\n'
BIB = """@misc{Doe2024costs,
  author = {Doe, Jane},
  title = {What Training Costs},
  year = {2024},
}
"""


def build(tmp_path, extensions, files, name="book"):
    """Build ``files`` with ``extensions``; return (output folder, warnings)."""
    conf = {"conf.py": CONF % ", ".join('"%s"' % e for e in ["myst_parser", *extensions])}
    app, warnings = build_in_process(tmp_path / name, tmp_path / (name + "-out"), {**conf, **files})
    return Path(app.outdir), warnings


def soup(out, name):
    return BeautifulSoup((out / (name + ".html")).read_text(encoding="utf-8"), "html.parser")


# -- previews.py -------------------------------------------------------------------------------

PREVIEW_PAGES = {
    "index.md": "---\ndescription: Where the tiny book starts.\n---\n\n(home)=\n# Home\n\n"
    "See [the other page](other.md), {ref}`its section <other-section>`, {doc}`bare`, "
    "[the top of this page](#home) and [an address](https://example.org/).\n\n"
    ":::{toctree}\nother\nbare\n:::\n",
    "other.md": "---\ndescription: A page about other things.\n---\n\n# Other\n\nText.\n\n"
    "(other-section)=\n## A section\n\nBack [home](index.md).\n",
    "bare.md": "# Bare\n\nA page without front matter.\n",
}


def test_links_to_pages_carry_their_title_and_description(tmp_path):
    out, warnings = build(tmp_path, ["_ext.previews"], PREVIEW_PAGES)
    assert warnings == "", warnings
    titles = {a.get_text(): a.get("title") for a in soup(out, "index").select("[role=main] p a.reference")}
    assert titles["the other page"] == "Other: A page about other things."
    assert titles["its section"] == "Other: A page about other things."  # a section: its page's preview
    assert titles["Bare"] == "Bare"  # no description: the title alone
    assert titles["the top of this page"] is None  # a link within the page needs no preview
    assert titles["an address"] is None  # nor does one that leaves the book
    assert soup(out, "other").select_one("[role=main] a.reference[href='index.html']")["title"] == (
        "Home: Where the tiny book starts."
    )


# -- search.py (the build side) ----------------------------------------------------------------

SEARCH_PAGES = {
    "index.md": "---\ndescription: Prices of graphics cards.\n---\n\n# Prices\n\n"
    "An RTX 4090 sold for 2,509 dollars, 1.5 times the price of 7 older cards.\n\n"
    ":::{toctree}\nbare\n:::\n",
    "bare.md": "# Bare\n\nA page without a description.\n",
}


def test_the_index_keeps_numbers_and_descriptions_go_to_the_shards(tmp_path):
    out, warnings = build(tmp_path, ["_ext.search"], SEARCH_PAGES)
    assert warnings == "", warnings
    text = (out / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.S).group(1))["terms"]
    assert {"4090", "2509", "509"} <= set(terms)  # numbers of two digits or more; "2,509" as "2509"
    assert "7" not in terms and "2" not in terms  # one digit: not worth a search
    assert "card" in terms and "dollar" in terms  # words as Sphinx indexes them (stemmed)
    # Descriptions go to the sharded index, in chunks of pages (search_shards.py).
    descriptions = (out / "searchindex" / "descriptions-0.js").read_text(encoding="utf-8")
    assert read_script(descriptions) == ("descriptions", [0, {"index": "Prices of graphics cards."}])


# -- figures.py --------------------------------------------------------------------------------

COST_DATA = """\
- year: 2019
  cost_usd: 43000
  model: "First model"
  source_key: Doe2024costs
- year: 2024
  cost_usd: 20
  model: "Second model"
  source_key: Doe2024costs
"""


def figure_pages(data=COST_DATA):
    return {
        "conf.py": CONF % '"myst_parser", "sphinxcontrib.bibtex", "_ext.figures"'
        + 'bibtex_bibfiles = ["refs.bib"]\nsuppress_warnings = ["bibtex.duplicate_citation"]\n',
        "refs.bib": BIB,
        "_data/gpt2_training_cost.yaml": data,
        "index.md": "# Costs\n\n:::{figure} /_generated/gpt2-training-cost.svg\n:alt: Costs over time.\n\n"
        "Training costs.\n:::\n\n"
        ":::{figure-data} gpt2_training_cost.yaml\n:columns: year=Year, model=Model, cost_usd=Cost (USD)\n:::\n\n"
        ":::{bibliography}\n:::\n",
    }


def test_a_figure_is_drawn_from_its_data_with_its_data_as_a_table(tmp_path):
    app, warnings = build_in_process(tmp_path / "book", tmp_path / "out", figure_pages())
    assert warnings == "", warnings
    svg = tmp_path / "book" / "_generated" / "gpt2-training-cost.svg"
    text = svg.read_text(encoding="utf-8")
    assert "First model" in text and "$43,000" in text  # labels stay text, from the data
    assert "<dc:date>" not in text  # no date: rebuilds give the same bytes
    page = soup(Path(app.outdir), "index")
    assert page.select_one("figure img")["src"].endswith("gpt2-training-cost.svg")
    block = page.select_one("details.figure-data")
    assert block.summary.get_text() == "Data"
    rows = [[c.get_text(" ", strip=True) for c in tr.select("th, td")] for tr in block.select("tr")]
    assert [row[:3] for row in rows] == [
        ["Year", "Model", "Cost (USD)"],
        ["2019", "First model", "43,000"],
        ["2024", "Second model", "20"],
    ]
    assert rows[0][3] == "Source" and all("Doe24" in row[3] for row in rows[1:])  # each row's citation

    # Drawn again only when the data changes; the same data in another folder, the same bytes.
    stamp = svg.stat().st_mtime_ns
    build_in_process(tmp_path / "book", tmp_path / "out", {})
    assert svg.stat().st_mtime_ns == stamp
    build_in_process(tmp_path / "again", tmp_path / "again-out", figure_pages())
    assert (tmp_path / "again" / "_generated" / "gpt2-training-cost.svg").read_bytes() == svg.read_bytes()
    os.utime(tmp_path / "book" / "_data" / "gpt2_training_cost.yaml", ns=(stamp + 10**9, stamp + 10**9))
    build_in_process(tmp_path / "book", tmp_path / "out", {})
    assert svg.stat().st_mtime_ns > stamp


def test_a_data_row_without_its_source_is_reported_with_the_page_line(tmp_path):
    data = COST_DATA.replace("  source_key: Doe2024costs\n", "", 1)
    _app, warnings = build_in_process(tmp_path / "book", tmp_path / "out", figure_pages(data))
    assert "index.md:9" in warnings, warnings  # the directive's line
    assert "figure-data: row 1 of _data/gpt2_training_cost.yaml lacks source_key" in warnings, warnings
