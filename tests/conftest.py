"""Shared fixtures: one strict build of the real book per test session.

``book`` builds the book once, the way ``make html`` does (-n -W --keep-going,
parallel), into a temporary folder, and gives the tests its output folder, its
warnings and a ``page(name)`` helper that returns BeautifulSoup of a built page.
``build_root`` builds a small test root (tests/roots/<case>) for negative cases.
``site`` serves the built book on 127.0.0.1 for the browser tests.
"""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
STRICT = ["-n", "-W", "--keep-going"]


def source_date_epoch():
    out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "0"


def doctrees_of(outdir):
    """Sphinx's cache for a build, beside its output and never inside it (as in the Makefile)."""
    return Path(outdir).parent / (Path(outdir).name + "-doctrees")


def sphinx_build(srcdir, outdir, *options, env=None):
    """Run sphinx-build in its own process; return (returncode, warnings text)."""
    warnings = Path(outdir).parent / (Path(outdir).name + "-warnings.txt")
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", *STRICT, *options, "-w", str(warnings),
           "-d", str(doctrees_of(outdir)), str(srcdir), str(outdir)]
    run_env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch(), **(env or {}))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=run_env)
    text = warnings.read_text() if warnings.exists() else ""
    return proc.returncode, text + (proc.stderr if proc.returncode and not text else "")


@dataclass(eq=False)  # hashable by identity, for the page cache
class Book:
    outdir: Path
    returncode: int
    warnings: str

    @functools.cache
    def page(self, name):
        """BeautifulSoup of a built page, by docname ('essays/open-source-ai')."""
        return BeautifulSoup((self.outdir / (name + ".html")).read_text(encoding="utf-8"), "html.parser")

    def pages(self):
        """Docnames of every content page (not Sphinx's genindex/search)."""
        skip = {"genindex", "search", "py-modindex", "404"}
        return sorted(str(p.relative_to(self.outdir).with_suffix("")) for p in self.outdir.rglob("*.html")
                      if not p.relative_to(self.outdir).parts[0].startswith("_") and p.stem not in skip)

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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(book):
    """Base URL of the built book served on the loopback interface."""
    handler = functools.partial(_QuietHandler, directory=str(book.outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


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
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
