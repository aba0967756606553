"""Shared fixtures: one strict build of the real book per test session.

``book`` builds the book once, the way ``make html`` does (-n -W --keep-going,
parallel), into a temporary folder, and gives the tests its output folder, its
warnings and a ``page(name)`` helper that returns BeautifulSoup of a built page.
``build_root`` builds a small test root (tests/roots/<case>) for negative cases.
``site`` serves the built book on 127.0.0.1 for the browser tests.
"""

import functools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

# The tests import ROOT and sphinx_build from here.
from tools.devtools import CHROMIUM, ROOT, launch_chromium, serve, sphinx_build

ROOTS = Path(__file__).resolve().parent / "roots"


@dataclass(eq=False)  # hashable by identity, for the page cache
class Book:
    outdir: Path
    returncode: int
    warnings: str

    @functools.cache  # noqa: B019 (one Book per test session; the cache lives as long)
    def page(self, name):
        """BeautifulSoup of a built page, by docname ('essays/open-source-ai')."""
        return BeautifulSoup((self.outdir / (name + ".html")).read_text(encoding="utf-8"), "html.parser")

    def pages(self):
        """Docnames of every content page (not Sphinx's genindex/search)."""
        skip = {"genindex", "search", "py-modindex", "404"}
        return sorted(
            str(p.relative_to(self.outdir).with_suffix(""))
            for p in self.outdir.rglob("*.html")
            if not p.relative_to(self.outdir).parts[0].startswith("_") and p.stem not in skip
        )

    def source_pages(self):
        """Pages about one source text, as conf.py's page_metadata_source_pages defines them."""
        import conf
        from _ext.anatomy import _matches

        return [name for name in self.pages() if _matches(name, conf.page_metadata_source_pages)]

    def annotated(self):
        """Pages that follow the anatomy: the source pages less conf.py's anatomy_exempt."""
        import conf
        from _ext.anatomy import _matches

        return [name for name in self.source_pages() if not _matches(name, conf.anatomy_exempt)]


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("book") / "html"
    returncode, warnings = sphinx_build(ROOT, outdir, "-j", "auto")
    return Book(outdir, returncode, warnings)


@pytest.fixture
def build_root(tmp_path):
    """Build tests/roots/<case> (a copy, so nothing is written into the repository)."""

    def build(case, env=None, **pages):
        """Copy the root, write ``pages`` ({"page.md": text}) over it, build it."""
        src = tmp_path / case
        shutil.copytree(ROOTS / case, src)
        for name, text in pages.items():
            (src / name).write_text(text, encoding="utf-8")
        return sphinx_build(src, tmp_path / "out", env={"BOOK_ROOT": str(ROOT), **(env or {})})

    return build


@pytest.fixture(scope="session")
def site(book):
    """Base URL of the built book served on the loopback interface."""
    with serve(book.outdir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a browser downloaded by a test tool."""
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (%s): apt-get install chromium" % CHROMIUM
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; under CI a missing browser is a failure")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()
