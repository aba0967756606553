"""The bibliography page a reader can use: labels, order, short author lists, exact backlinks, filter, downloads."""

import re

import pytest
from pybtex.database import parse_file
from test_browser import visit

from conftest import ROOT

LABEL = re.compile(r"^(?P<who>.+?)(?: et al\.)? (?P<year>\d{4}|n\.d\.)$")


def test_entries_are_labelled_author_year_and_anchored_by_key(book):
    soup = book.page("bibliography")
    bib = parse_file(str(ROOT / "references.bib"))
    for entry in soup.select(".bd-article div.citation"):
        assert entry["id"] in bib.entries, entry["id"]
        label = entry.select_one(".label").get_text().strip("[]")
        assert LABEL.match(label) and label != entry["id"], label


def test_entries_are_sorted_by_author_within_each_group(book):
    soup = book.page("bibliography")
    for group in soup.select(".bd-article .citation-list"):
        names = [
            LABEL.match(e.select_one(".label").get_text().strip("[]"))
            .group("who")
            .split(" and ")[0]
            .casefold()
            for e in group.select("div.citation")
        ]
        assert names == sorted(names), names


def test_long_author_lists_are_shortened_with_the_full_list_on_demand(book):
    entry = book.page("bibliography").select_one("div.citation#Anil2024manyshot")
    first = entry.find("p").get_text()
    assert "Sandipan Kundu, et al." in first and "Duvenaud" not in first
    full = entry.select_one("details.all-authors")
    assert full.summary.get_text() == "All 34 authors" and "David Duvenaud" in full.get_text()


def test_addresses_in_notes_are_links(book):
    entry = book.page("bibliography").select_one("div.citation#Anil2024manyshot")
    assert entry.select_one("a[href='https://openreview.net/forum?id=cw5mgd71jW']")
    for name in book.pages():
        for citation in book.page(name).select(".bd-article div.citation > p:not(.cited-in)"):
            for text in citation.find_all(string=re.compile(r"https?://")):
                assert text.find_parent("a"), (name, str(text)[:80])


def test_cited_in_links_to_the_exact_place(book):
    soup = book.page("bibliography")
    links = soup.select("div.citation .cited-in a")
    assert links
    for a in links:
        page, _, anchor = a["href"].partition("#")
        assert anchor, a["href"]
        target = book.page(page[: -len(".html")]).find(id=anchor)
        assert target is not None and "bibtex-citation" in target.get("class", []), a["href"]


def test_cited_in_gives_the_sentence_of_each_citation(book):
    """Each of the first citing pages comes with the sentence around its first citation,
    the citation written as the page shows it ("Radford et al., 2019")."""
    from _ext.backlinks import MAX_CONTEXTS

    soup = book.page("bibliography")
    with_context = 0
    for entry in soup.select("div.citation"):
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
    page, errors, _ = visit(browser, site + "/bibliography.html", bypass_csp=True)
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
    assert "@misc{Clark2024importai375," in body
    # An entry's BibTeX loads when its block is first opened (_static/bibtex-entries.js).
    block = page.locator("details.bibtex-source[data-key='Amodei2016concrete']")
    assert block.locator("a[href='references.bib']").count() == 1  # without JavaScript: the whole file
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
