"""Exports (_ext/exports.py) and page endings (_ext/page_endings.py): llms.txt, llms-full.txt,
the Atom feed, "Updates and corrections" and "Cite this page"."""

import re
import xml.etree.ElementTree as ET

import pytest

import conf
from _ext.page_endings import read_front_matter
from conftest import ROOT

BASE = conf.html_baseurl  # the exports give absolute addresses when the book has a base URL

ATOM = "{http://www.w3.org/2005/Atom}"
ANNOTATED = sorted(
    p.relative_to(ROOT).with_suffix("").as_posix()
    for p in [*ROOT.glob("essays/*.md"), *ROOT.glob("newsletter/*/*.md")]
    if "source" in read_front_matter(p)[0]
)


def test_llms_txt_links_every_page_with_its_description(book):
    text = (book.outdir / "llms.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Annotated AI Policy Reader"
    assert lines[2].startswith("> ") and len(lines[2]) > 40
    links = re.findall(r"^- \[(.+?)\]\((\S+?\.html)\): (.+)$", text, re.M)
    links = [(title, url.removeprefix(BASE), desc) for title, url, desc in links]
    targets = [url for _title, url, _desc in links]
    assert len(targets) == len(set(targets))
    assert set(targets) == {name + ".html" for name in book.pages()} - {"index.html"}
    for _title, url, desc in links:
        assert book.page(url.removesuffix(".html")).select_one('meta[name="description"]')["content"] == desc


def test_llms_full_has_every_page_as_markdown_in_reading_order(book):
    full = (book.outdir / "llms-full.txt").read_text(encoding="utf-8")
    order = [url.removeprefix(BASE) for url in re.findall(r"^Page: (\S+)$", full, re.M)]
    llms = re.findall(
        r"^- \[.+?\]\((\S+?\.html)\)", (book.outdir / "llms.txt").read_text(encoding="utf-8"), re.M
    )
    llms = [url.removeprefix(BASE) for url in llms]
    assert order[0] == "index.html" and order[1:] == llms
    for chunk, url in zip(re.split(r"^Page: \S+$", full, flags=re.M)[1:], order, strict=False):
        title = book.page(url.removesuffix(".html")).select_one("h1").get_text().rstrip("#").strip()
        assert chunk.lstrip().startswith("# " + title), url
    gpt2 = full.split("Page: " + BASE + "newsletter/import-ai-375/gpt-2-five-years-on.html")[1].split(
        "\nPage: "
    )[0]
    assert "## The argument, step by step" in gpt2 and "\n10. **Lesson five" in gpt2
    assert "| When | Cost (USD) | What was trained | Source |" in gpt2  # tables stay tables


def test_the_atom_feed_parses_and_lists_pages_and_corrections(book):
    feed = ET.parse(book.outdir / "feed.xml").getroot()
    assert feed.tag == ATOM + "feed"
    for child in ("title", "id", "updated", "author"):
        assert feed.find(ATOM + child) is not None
    entries = feed.findall(ATOM + "entry")
    ids = [e.findtext(ATOM + "id") for e in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", entry.findtext(ATOM + "updated"))
        assert entry.findtext(ATOM + "title") and entry.find(ATOM + "link").get("href")
    titles = [e.findtext(ATOM + "title") for e in entries]
    assert "Newsletter issue: Import AI 375: the issue as a whole" in titles
    assert "Page: Map of the book" in titles
    for name in ANNOTATED:
        title = book.page(name).select_one("h1").get_text().rstrip("#").strip()
        corrections = read_front_matter(ROOT / (name + ".md"))[0]["corrections"]
        updates = [e for e in entries if e.findtext(ATOM + "title") == f"Update to \u201c{title}\u201d"]
        assert len(updates) == len(corrections), name
        assert {e.findtext(ATOM + "summary") for e in updates} == {c["text"] for c in corrections}


def test_every_web_page_names_the_feed_in_its_head(book):
    """Atom autodiscovery: a feed reader given any page finds feed.xml."""
    for name in [*book.pages(), "404", "search"]:
        links = book.page(name).select('head > link[rel="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, name
        assert links[0]["href"] == BASE + "feed.xml" and links[0]["title"] == conf.project, name


@pytest.mark.parametrize("name", ANNOTATED)
def test_annotated_pages_end_with_corrections_and_cite_this_page(book, name):
    assert len(ANNOTATED) >= 10
    soup = book.page(name)
    top = soup.select_one("article section")
    ids = [s.get("id") for s in top.find_all("section", recursive=False)]
    assert ids[-3:] == ["updates-and-corrections", "cite-this-page", "linked-from"]
    corrections = read_front_matter(ROOT / (name + ".md"))[0]["corrections"]
    items = soup.select("#updates-and-corrections li")
    assert len(items) == len(corrections)
    dates = [li.select_one("strong").get_text() for li in items]
    assert dates == sorted(dates, reverse=True)
    cite = soup.select_one("#cite-this-page")
    title = soup.select_one("h1").get_text().rstrip("#").strip()
    text = cite.select_one(".page-cite-text").get_text()
    assert title in text and "Annotated AI Policy Reader" in text and name + ".html" in text
    bibtex = cite.select_one("pre.claim-cite-bibtex").get_text()
    assert bibtex.startswith("@misc{reader-" + name.replace("/", "-") + ",")
    for field in (
        f"title        = {{{title}}}",
        "howpublished = {Annotated AI Policy Reader}",
        f"url          = {{{BASE}{name}.html}}",
        f"date         = {{{dates[0]}}}",
    ):
        assert field in bibtex, field


PAGE = """---
description: A page whose corrections list is broken on purpose.
tags: [safety]
corrections: {corrections}
---

(page)=
# Page

Back to {{ref}}`home`.
"""


@pytest.mark.parametrize(
    "corrections, message",
    [
        ("yes", "'corrections' must be a list of entries with 'date' and 'text'"),
        ("[{date: 'last week', text: 'Fixed.'}]", "corrections entry 1 needs 'date' (YYYY-MM-DD) and 'text'"),
        ("[{date: 2026-11-30}]", "corrections entry 1 needs 'date' (YYYY-MM-DD) and 'text'"),
    ],
)
def test_bad_corrections_name_file_and_line(build_root, corrections, message):
    returncode, warnings = build_root("base", **{"page.md": PAGE.format(corrections=corrections)})
    assert returncode != 0
    assert "page.md:4" in warnings and message in warnings, warnings
