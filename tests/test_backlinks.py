"""Backlinks with context (_ext/backlinks.py): every page ends with "Linked from", listing each
page that links to it with the sentence around the link, and stays right across incremental
builds."""

import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, ROOTS, sphinx_build


def linked_from(soup):
    section = soup.select_one("section#linked-from")
    assert section is not None
    return {li.select_one("a").get_text(): li.get_text() for li in section.select("li")}


def test_every_page_ends_with_linked_from(book):
    for name in book.pages():
        soup = book.page(name)
        section = soup.select_one("section#linked-from")
        assert section is not None, name
        assert section.select_one("h2").get_text().startswith("Linked from"), name
        assert "no-search" in section["class"], name  # search finds a page by its own words
        top = soup.select_one("article section")
        assert top.find_all("section", recursive=False)[-1] is section, name


def test_backlinks_carry_the_sentence_around_the_link(book):
    entries = linked_from(book.page("newsletter/import-ai-375/gpt-2-five-years-on"))
    context = entries["Consciousness, social AI and moral status"]
    # the sentence on the linking page, with the link's text as the reader sees it there
    assert "call for humility about forecasts in GPT-2, five years on" in context
    assert "poor track record" in context
    assert "Where the sources disagree" in entries
    href = book.page("newsletter/import-ai-375/gpt-2-five-years-on").select_one(
        "section#linked-from a[href$='consciousness.html']"
    )
    assert href["href"] == "consciousness.html"


def test_a_page_lists_only_other_pages_that_link_to_it(book):
    entries = linked_from(book.page("claims"))
    assert list(entries) == ["Where the sources disagree"]


def build(src, out):
    returncode, warnings = sphinx_build(src, out, env={"BOOK_ROOT": str(ROOT)})
    assert returncode == 0, warnings


def page(out, name):
    return BeautifulSoup((out / (name + ".html")).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_a_new_link_updates_the_target_in_an_incremental_build(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(ROOTS / "base", src)
    build(src, out)
    assert linked_from(page(out, "page")) == {}
    assert "Back to Tiny book." in linked_from(page(out, "index"))["Page"]

    # The glossary gains a link to page.md; page.md itself is not edited.
    glossary = src / "glossary.md"
    original = glossary.read_text()
    glossary.write_text(original + "\nFor a page that uses no term, see {ref}`page`. Nothing else.\n")
    build(src, out)
    assert linked_from(page(out, "page")) == {"Glossary": "Glossary: For a page that uses no term, see Page."}

    # The link goes away again: so does the backlink.
    glossary.write_text(original)
    build(src, out)
    assert linked_from(page(out, "page")) == {}
