"""What keeps pages light, checked on the built book (the browser weighs them: test_browser.py)."""

import json
import posixpath
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
    import conf

    text = (book.outdir / "_static" / "bibtex-entries.js").read_text(encoding="utf-8")
    entries = json.loads(text.removeprefix("window.BOOK_BIBTEX = ").removesuffix(";\n"))
    assert entries["Amodei2016concrete"].startswith("@misc{Amodei2016concrete,")
    for name in conf.bibliography_docnames:
        soup = book.page(name)
        blocks = soup.select("details.bibtex-source")
        assert blocks and not soup.select("details.bibtex-source pre"), (name, "BibTeX written into the page")
        # references.bib is at the site's root, beside index.html
        bibfile = posixpath.relpath("references.bib", posixpath.dirname(name) or ".")
        assert (book.outdir / posixpath.join(posixpath.dirname(name), bibfile)).is_file()
        assert all(b.select_one("a[href='%s']" % bibfile) for b in blocks), name
        assert {b["data-key"] for b in blocks} <= set(entries), name
        assert "pygments.css" not in str(soup.head), (name, "no highlighted code left on the page")
