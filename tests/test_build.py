"""The book builds strictly, every page is reachable, every page says what it is."""

import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from conftest import ROOT, sphinx_build
from tools.devtools import copy_of_the_checkout

SHARED = ROOT.parent / "shared"


def test_build_has_no_warnings(book):
    assert book.returncode == 0, book.warnings
    assert book.warnings.strip() == "", book.warnings


def test_every_source_page_is_built(book):
    sources = {
        str(p.relative_to(ROOT).with_suffix(""))
        for p in ROOT.rglob("*.md")
        if not (
            {
                "_build",
                ".venv",
                "page-templates",
                "tests",
                "bench",
                "_data",
                ".pytest_cache",
                "node_modules",
                ".github",
            }
            & set(p.relative_to(ROOT).parts)
        )
        and p.name not in {"README.md", "CONTRIBUTING.md", "ARCHITECTURE.md"}
    }
    assert sources, "no page found"
    assert sources == set(book.pages())


def test_every_page_is_reachable_from_the_landing_page(book):
    seen, todo = set(), ["index"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        base = "http://book/" + name + ".html"
        for a in book.page(name).select(".bd-sidebar-primary a[href], .bd-article a[href]"):
            url = urlparse(urljoin(base, a["href"]))
            if url.netloc == "book" and url.path.endswith(".html"):
                target = unquote(url.path[1:-5])  # a file name may hold a space or a non-ASCII letter
                if (book.outdir / (target + ".html")).exists() and not target.startswith("_"):
                    todo.append(target)
    missing = set(book.pages()) - seen - {"genindex", "search"}
    assert not missing, "pages no link leads to: %s" % sorted(missing)


def test_every_page_has_a_description_and_a_title(book):
    for name in book.pages():
        soup = book.page(name)
        meta = soup.find("meta", attrs={"name": "description"})
        assert meta and len(meta["content"].split()) >= 4, name
        assert soup.select_one(".bd-article h1"), name


def test_annotated_pages_follow_the_anatomy(book):
    """Each annotated page (conf.py says which) has the sections the page template sets out."""
    import conf

    annotated = book.annotated()
    assert len(annotated) >= 9, annotated
    for name in annotated:
        soup = book.page(name)
        headings = [h.get_text(" ", strip=True).rstrip("#").strip() for h in soup.select(".bd-article h2")]
        for needed in conf.anatomy_sections:
            alternatives = [needed] if isinstance(needed, str) else needed
            assert set(alternatives) & set(headings), (name, needed, headings)
        assert soup.select_one(".about-this-text"), (name, "no 'About this text' box")
        assert len(soup.select("aside.margin")) >= conf.anatomy_min_margin_notes, (
            name,
            "too few margin notes",
        )
        assert soup.select(".bd-article .bibtex-citation"), (name, "cites nothing")


def test_annotated_pages_are_long_enough_and_connected(book):
    """The minimums in conf.py (800 words of prose a page; 1,500 for the two long pages the
    first issue asked for), and links to at least three other pages besides glossary and bibliography."""
    import conf

    longer = {"essays/open-source-ai": 1500, "newsletter/import-ai-375/gpt-2-five-years-on": 1500}
    assert set(longer) <= set(book.annotated())
    for name in book.annotated():
        article = book.page(name).select_one(".bd-article")
        for refs in article.select("#references"):
            refs.decompose()
        assert len(article.get_text(" ").split()) >= longer.get(name, conf.anatomy_min_words), name
        linked = {
            a["href"].split("#")[0].split("/")[-1]
            for a in article.select("a.reference.internal[href]")
            if a["href"].split("#")[0]
        }
        linked -= {"glossary.html", "bibliography.html", name.split("/")[-1] + ".html", ""}
        linked -= {page.split("/")[-1] + ".html" for page in conf.bibliography_docnames}
        assert len(linked) >= conf.anatomy_min_links, (name, linked)


def test_copyright_and_licence_in_footer(book):
    footer = book.page("index").select_one("footer.bd-footer-content").get_text(" ", strip=True)
    assert "CC BY 4.0" in footer and "MIT" in footer


def test_nothing_is_loaded_from_another_host(book):
    """No script, style, font or image from a CDN: the built HTML references only itself."""
    for name in book.pages():
        soup = book.page(name)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for el in soup.find_all(tag):
                url = el.get(attr)
                if url and (
                    tag != "link" or "stylesheet" in el.get("rel", []) or "preload" in el.get("rel", [])
                ):
                    assert not urlparse(url).netloc, (name, url)


@pytest.mark.skipif(
    not (SHARED / "tools" / "check_originality.py").exists(),
    reason="../shared/tools/check_originality.py is not beside this checkout",
)
def test_originality_against_the_sources():
    proc = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "check_originality.py"), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_two_builds_from_two_folders_are_byte_identical(book, tmp_path):
    """The same commit, copied elsewhere and built again later, gives the same bytes."""
    # With its history: each page's "last updated" date comes from git. A copy of the files
    # alone would show the build's date on every page instead (_ext/last_updated.py).
    copy = copy_of_the_checkout(tmp_path / "elsewhere" / "book")
    returncode, warnings = sphinx_build(copy, tmp_path / "html", "-j", "auto")
    assert returncode == 0, warnings

    def files_of(folder):
        return {str(f.relative_to(folder)): f.read_bytes() for f in Path(folder).rglob("*") if f.is_file()}

    first, second = files_of(book.outdir), files_of(tmp_path / "html")
    assert sorted(first) == sorted(second)
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing, differing
