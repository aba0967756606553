"""The bibliography's pages a reader can use: labels, order, short author lists, exact backlinks,
filter, downloads, and the landing page that lists them and forwards old links to a work."""

import json
import posixpath
import re

import pytest
from pybtex.database import parse_file
from test_browser import visit

import conf
from conftest import ROOT

LABEL = re.compile(r"^(?P<who>.+?)(?: et al\.)? (?P<year>\d{4}|n\.d\.)$")
PAPERS = "bibliography/papers"  # the page of Anil2024manyshot, Amodei2016concrete, Radford2019language


def bibliography_pages(book):
    """(docname, soup) of each bibliography page, in conf.py's order."""
    return [(name, book.page(name)) for name in conf.bibliography_docnames]


def test_there_is_a_page_per_group_and_each_work_is_on_the_page_of_its_group(book):
    bib = parse_file(str(ROOT / "references.bib"))
    found = {}
    # conf.py lists the pages in the order of the groups (the benchmark's book relies on it)
    for (name, soup), group in zip(bibliography_pages(book), conf.bib_keyword_groups, strict=True):
        groups = {bib.entries[div["id"]].fields["keywords"].strip() for div in soup.select("div.citation")}
        assert groups == {group}, (name, groups)
        for div in soup.select(".bd-article div.citation"):
            assert div["id"] not in found, (div["id"], name, found.get(div["id"]))
            found[div["id"]] = name
    assert set(found) == set(bib.entries)


def test_entries_are_labelled_author_year_and_anchored_by_key(book):
    bib = parse_file(str(ROOT / "references.bib"))
    for _, soup in bibliography_pages(book):
        for entry in soup.select(".bd-article div.citation"):
            assert entry["id"] in bib.entries, entry["id"]
            label = entry.select_one(".label").get_text().strip("[]")
            assert LABEL.match(label) and label != entry["id"], label


def test_entries_are_sorted_by_author_on_each_page(book):
    for name, soup in bibliography_pages(book):
        lists = soup.select(".bd-article .citation-list")
        assert len(lists) == 1, name
        names = [
            LABEL.match(e.select_one(".label").get_text().strip("[]"))
            .group("who")
            .split(" and ")[0]
            .casefold()
            for e in lists[0].select("div.citation")
        ]
        assert names == sorted(names), names


def test_long_author_lists_are_shortened_with_the_full_list_on_demand(book):
    entry = book.page(PAPERS).select_one("div.citation#Anil2024manyshot")
    first = entry.find("p").get_text()
    assert "Sandipan Kundu, et al." in first and "Duvenaud" not in first
    full = entry.select_one("details.all-authors")
    assert full.summary.get_text() == "All 34 authors" and "David Duvenaud" in full.get_text()


def test_addresses_in_notes_are_links(book):
    entry = book.page(PAPERS).select_one("div.citation#Anil2024manyshot")
    assert entry.select_one("a[href='https://openreview.net/forum?id=cw5mgd71jW']")
    for name in book.pages():
        for citation in book.page(name).select(".bd-article div.citation > p:not(.cited-in)"):
            for text in citation.find_all(string=re.compile(r"https?://")):
                assert text.find_parent("a"), (name, str(text)[:80])


def test_cited_in_links_to_the_exact_place(book):
    for name, soup in bibliography_pages(book):
        links = soup.select("div.citation .cited-in a")
        assert links, name
        for a in links:
            page, _, anchor = a["href"].partition("#")
            assert anchor, a["href"]
            page = posixpath.normpath(posixpath.join(posixpath.dirname(name), page))  # ../glossary.html
            target = book.page(page[: -len(".html")]).find(id=anchor)
            assert target is not None and "bibtex-citation" in target.get("class", []), (name, a["href"])


def test_cited_in_gives_the_sentence_of_each_citation(book):
    """Each of the first citing pages comes with the sentence around its first citation,
    the citation written as the page shows it ("Radford et al., 2019")."""
    from _ext.backlinks import MAX_CONTEXTS

    with_context = 0
    entries = [entry for _, soup in bibliography_pages(book) for entry in soup.select("div.citation")]
    for entry in entries:
        label = entry.select_one(".label").get_text(strip=True).strip("[]")
        who, year = label.rsplit(" ", 1)
        if entry.select_one(".cited-in"):
            assert "no-search" in entry.select_one(".cited-in")["class"]  # other pages' words: not indexed
        items = entry.select(".cited-in li")
        assert len(items) <= MAX_CONTEXTS, label
        more = entry.select(".cited-in .cited-in-more > a:not(.cited-again)")
        assert not more or len(items) == MAX_CONTEXTS, label
        for li in items:
            context = li.select_one(".backlink-context").get_text()
            assert f"{who}, {year}" in context or f"{who} ({year})" in context, (label, context)
            with_context += 1
    assert with_context >= 100


@pytest.mark.browser
def test_filter_and_downloads_work_in_the_browser(browser, site):
    # The per-entry links are blob: URLs; a real download is not a fetch, but reading one back
    # with fetch() is, and the book's CSP allows no blob: fetch, so this test reads it without the CSP.
    page, errors, _ = visit(browser, "%s/%s.html" % (site, PAPERS), bypass_csp=True)
    total = page.locator("div.citation").count()
    page.fill("#bibliography-filter", "radford")
    visible = page.locator("div.citation:visible")
    assert 0 < visible.count() < total
    assert all("radford" in t.lower() for t in visible.all_text_contents())  # full author lists count too
    page.fill("#bibliography-filter", "2016")
    assert all("2016" in t for t in page.locator("div.citation:visible").all_text_contents())
    page.fill("#bibliography-filter", "")
    assert page.locator("div.citation:visible").count() == total
    href = page.get_attribute(".bibliography-tools a[download]", "href")
    body = page.evaluate("h => fetch(h).then(r => r.ok ? r.text() : '')", href)
    assert "@misc{Clark2024importai375," in body  # the whole file: a work of another page too
    # An entry's BibTeX loads when its block is first opened (_static/bibtex-entries.js).
    block = page.locator("details.bibtex-source[data-key='Amodei2016concrete']")
    assert block.locator("a[href='../references.bib']").count() == 1  # without JavaScript: the whole file
    assert block.locator("pre").count() == 0
    block.locator("summary").click()
    block.locator("pre").wait_for(timeout=2000)
    assert block.locator("pre").inner_text().startswith("@misc{Amodei2016concrete,")
    link = block.locator("a.bibtex-download")
    assert link.get_attribute("download") == "Amodei2016concrete.bib"
    text = page.evaluate("h => fetch(h).then(r => r.text())", link.get_attribute("href"))
    assert text.startswith("@") and "Amodei2016concrete" in text
    assert errors == [], errors
    page.context.close()


def test_the_landing_page_lists_each_page_with_its_number_of_works(book):
    items = book.page("bibliography").select(".bd-article ul.bibliography-pages > li")
    listed = [(li.a["href"], li.get_text(strip=True)) for li in items]
    expected = []
    for name, soup in bibliography_pages(book):
        title = soup.select_one(".bd-article h1").get_text(strip=True).removesuffix("#")
        works = len(soup.select(".bd-article div.citation"))
        expected.append((name + ".html", "%s: %d work%s" % (title, works, "" if works == 1 else "s")))
    assert listed == expected


def anchors_map(book):
    text = (book.outdir / "_static" / "bibliography-anchors.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("window.BOOK_BIBLIOGRAPHY_ANCHORS = ").removesuffix(";\n"))


def test_the_map_of_old_anchors_leads_each_work_to_its_page(book):
    anchors = anchors_map(book)
    for key in parse_file(str(ROOT / "references.bib")).entries:
        page, _, anchor = anchors[key].partition("#")
        assert anchor == key and book.page(page.removesuffix(".html")).find(id=key) is not None, anchors[key]
    # The sections of the one page the bibliography used to be lead to the pages that replace them.
    assert anchors["papers-and-books"] == PAPERS + ".html"
    assert anchors["newsletters"] == "bibliography/newsletters.html"
    # The landing page loads the map only through its script, never as part of the page.
    assert "bibliography-anchors.js" not in str(book.page("bibliography"))


@pytest.mark.browser
@pytest.mark.parametrize("served", [True, False], ids=["served", "from-disk"])
def test_an_old_link_to_a_work_leads_to_the_work_on_its_page(browser, site, book, served):
    """bibliography.html#<key>, the address of a work when the bibliography was one page,
    opens the page that lists the work now, scrolled to it; also from a copy opened from disk."""
    base = site if served else book.outdir.as_uri()
    page, errors, _ = visit(browser, base + "/bibliography.html#Zou2023universal")
    page.wait_for_url("**/%s.html#Zou2023universal" % PAPERS, timeout=5000)
    entry = page.locator("div.citation#Zou2023universal")
    entry.wait_for(timeout=2000)
    top = entry.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"], top  # the last paper, scrolled into view
    page.go_back()  # the landing page was replaced in the history: Back does not forward again
    assert not page.url.endswith("/bibliography.html#Zou2023universal"), page.url
    # An anchor the map does not know, or one the landing page has, stays on the landing page.
    for anchor in ("NoSuchWork2099", "bibliography"):
        page.goto("about:blank")  # a fresh load each time, not a move within the page
        page.goto(base + "/bibliography.html#" + anchor, wait_until="networkidle")
        assert page.url.endswith("/bibliography.html#" + anchor), page.url
    assert errors == [], errors
    page.context.close()
