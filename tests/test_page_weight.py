"""What keeps pages light, checked on the built book (the browser weighs them: test_browser.py)."""

import json
import re

from _ext import css_slim, minify
from conftest import ROOT


def test_unread_custom_properties_are_dropped_until_every_one_left_is_read():
    sheets = {
        "a.css": ":root{--used:1px;--unused:2px;--chain:var(--deep);--deep:3px}.x{margin:var(--used)}",
        "b.css": "@media (min-width:1px){.y{--local:1;color:red}}",
    }
    slim = css_slim.drop_unread_properties(sheets, readers="el.style.setProperty('--local', 2)")
    assert "--used:1px" in slim["a.css"] and "margin:var(--used)" in slim["a.css"]
    # --chain is read by nothing, so --deep, read only by --chain, goes too.
    assert (
        "--unused" not in slim["a.css"] and "--chain" not in slim["a.css"] and "--deep" not in slim["a.css"]
    )
    assert "--local:1" in slim["b.css"]  # a script names it


def test_no_page_repeats_hover_text_or_a_citations_reference(book):
    for name in book.pages():
        seen = set()
        for a in book.page(name).select(".bd-article a[title]"):
            assert not a.find_parent(class_="bibtex-citation"), (
                name,
                a["href"],
                "the reference is on the page",
            )
            key = (a["href"], a["title"])
            assert key not in seen, (name, key)
            seen.add(key)


def test_own_static_files_are_minified(book):
    for name in minify.own_files(ROOT, ["_static"]):
        built = (book.outdir / "_static" / name).read_text(encoding="utf-8")
        source = (ROOT / "_static" / name).read_text(encoding="utf-8")
        assert len(built) < len(source), name
        assert not re.search(r"^\s*//|/\*", built, re.M), (name, "a comment was left")


def test_bibliography_loads_each_entrys_bibtex_on_demand(book):
    soup = book.page("bibliography")
    blocks = soup.select("details.bibtex-source")
    assert blocks and not soup.select("details.bibtex-source pre"), "BibTeX written into the page"
    assert all(b.select_one("a[href='references.bib']") for b in blocks)
    text = (book.outdir / "_static" / "bibtex-entries.js").read_text(encoding="utf-8")
    entries = json.loads(text.removeprefix("window.BOOK_BIBTEX = ").removesuffix(";\n"))
    assert {b["data-key"] for b in blocks} <= set(entries)
    assert entries["Amodei2016concrete"].startswith("@misc{Amodei2016concrete,")
    assert "pygments.css" not in str(soup.head), "no highlighted code left on the page"
