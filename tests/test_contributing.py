"""Contributor tooling: `make new-page`, drafts, the front-matter checker, and the
issue button that opens the correction form."""

import json
import re
import subprocess
import sys
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import yaml

from conftest import ROOT, sphinx_build
from tools.devtools import copy_of_the_checkout

PAGE = "newsletter/import-ai-376/some-item"
ISSUE = "newsletter/import-ai-376/index"


def new_page(root, page, title):
    return subprocess.run(
        [sys.executable, "tools/new_page.py", page, title], cwd=root, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory):
    """A copy of the book with a new issue and page scaffolded, built strictly."""
    root = copy_of_the_checkout(tmp_path_factory.mktemp("scaffold") / "book")
    proc = new_page(root, PAGE, "Some item")
    assert proc.returncode == 0, proc.stderr
    out = root.parent / "html"
    returncode, warnings = sphinx_build(root, out, "-j", "auto")
    return root, out, returncode, warnings


def soup(out, name):
    from bs4 import BeautifulSoup

    return BeautifulSoup((out / (name + ".html")).read_text(encoding="utf-8"), "html.parser")


def test_a_scaffolded_page_and_issue_build_strictly(scaffolded):
    root, _out, returncode, warnings = scaffolded
    assert returncode == 0 and warnings.strip() == "", warnings
    text = (root / (PAGE + ".md")).read_text(encoding="utf-8")
    assert "(ia376-some-item)=\n# Some item\n" in text
    assert yaml.safe_load(text.split("---\n")[1])["draft"] is True


def test_the_new_page_is_in_the_navigation_the_issue_index_and_search(scaffolded):
    _, out, _, _ = scaffolded
    for name in (PAGE, ISSUE, "newsletter/index"):
        base = "http://book/" + name + ".html"
        sidebar = {
            urljoin(base, a["href"]).split("#")[0]
            for a in soup(out, name).select(".bd-sidebar-primary a[href]")
        }
        assert "http://book/%s.html" % ISSUE in sidebar, (name, sidebar)
        if name in (PAGE, ISSUE):  # the navigation opens the current branch only (collapse_navbar)
            assert "http://book/%s.html" % PAGE in sidebar, (name, sidebar)
    issue_links = [a["href"] for a in soup(out, ISSUE).select(".bd-article a.reference.internal")]
    assert "some-item.html" in issue_links, issue_links
    newsletter_links = [
        a["href"] for a in soup(out, "newsletter/index").select(".bd-article a.reference.internal")
    ]
    assert "import-ai-376/index.html" in newsletter_links, newsletter_links
    index = json.loads(
        re.search(r"Search\.setIndex\((.*)\)\s*$", (out / "searchindex.js").read_text(), re.S).group(1)
    )
    position = index["docnames"].index(PAGE)
    assert index["titles"][position] == "Some item"


def test_a_draft_shows_a_banner(scaffolded):
    _, out, _, _ = scaffolded
    banner = soup(out, PAGE).select_one(".bd-article .draft-banner")
    assert banner and "draft" in banner.get_text(" ").lower()
    assert not soup(out, "newsletter/import-ai-375/robocasa").select(".draft-banner")


def test_drafts_are_named_by_the_front_matter_check(scaffolded):
    root, _, _, _ = scaffolded
    proc = subprocess.run(
        [sys.executable, "tools/check_front_matter.py"], cwd=root, capture_output=True, text=True
    )
    assert proc.returncode == 1
    for name in (PAGE, ISSUE):
        line = (root / (name + ".md")).read_text().splitlines().index("draft: true") + 1
        assert "%s.md:%d: is still a draft" % (name, line) in proc.stdout, proc.stdout


def test_no_page_of_the_book_is_a_draft():
    """`make check` fails while a draft remains, naming it."""
    proc = subprocess.run(
        [sys.executable, "tools/check_front_matter.py"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_without_the_draft_line_the_anatomy_minimums_apply(scaffolded, tmp_path):
    """The issue's complaint: a page with one margin note, a few hundred words and no "Fact
    check" passed every check once it left import-ai-375/. Now the build names the file and line."""
    root, _, _, _ = scaffolded
    page = root / (PAGE + ".md")
    issue = root / (ISSUE + ".md")
    original, original_issue = page.read_text(encoding="utf-8"), issue.read_text(encoding="utf-8")
    page.write_text(
        original.replace("draft: true\n", "").replace("## Fact check", "## Checks"), encoding="utf-8"
    )
    issue.write_text(original_issue.replace("draft: true\n", ""), encoding="utf-8")
    try:
        returncode, warnings = sphinx_build(root, tmp_path / "html", "-j", "auto")
    finally:
        page.write_text(original, encoding="utf-8")
        issue.write_text(original_issue, encoding="utf-8")
    assert returncode != 0
    line = (
        next(i for i, text in enumerate(page.read_text().splitlines(), 1) if text == "# Some item") - 1
    )  # draft gone
    where = "%s.md:%d: WARNING: anatomy:" % (PAGE, line)
    for message in (
        "margin notes; an annotated page needs at least",
        "words; an annotated page needs",
        "other pages of the book",
        "no '## Fact check' section",
    ):
        assert any(where in w and message in w for w in warnings.splitlines()), (message, warnings)
    # The pages that say which sources the book reads now leave one out: each is named.
    for overview in ("index", "newsletter/index", "topics/index"):
        assert re.search(
            r"/%s\.md:\d+: WARNING: .*never links to newsletter/import-ai-376" % re.escape(overview), warnings
        ), (overview, warnings)


@pytest.mark.parametrize(
    "page, title, message",
    [
        ("Newsletter/Bad Page", "Title", "lowercase words joined by hyphens"),
        ("newsletter/import-ai-375/robocasa", "Title", "already exists"),
        ("nowhere/new-page", "Title", "has no index.md"),
        ("newsletter/import-ai-376/some-item", "   ", "TITLE is empty"),
        ("newsletter/import-ai-376/some-item", "A {ref}`x` title", "may not contain"),
    ],
)
def test_new_page_refuses_bad_input_with_a_clear_message(page, title, message):
    proc = new_page(ROOT, page, title)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not (ROOT / "newsletter" / "import-ai-376").exists()


def test_the_issue_button_opens_the_correction_form_filled_in(book):
    """Contract with sphinx-book-theme's header buttons (_ext/issue_button.py)."""
    from conf import html_baseurl

    name = "newsletter/import-ai-375/robocasa"
    page = book.page(name)
    links = [a["href"] for a in page.select("a[href*='/issues/new']")]
    assert len(links) == 1, links
    query = parse_qs(urlsplit(links[0]).query)
    assert query["template"] == ["correction.yml"]
    assert query["page"] == [html_baseurl.rstrip("/") + "/" + name + ".html"]
    title = page.select_one(".bd-article h1").get_text(" ", strip=True).rstrip("#").strip()
    assert query["title"] == ["Correction: " + title]
    form = yaml.safe_load(
        (ROOT / ".github" / "ISSUE_TEMPLATE" / "correction.yml").read_text(encoding="utf-8")
    )
    assert "page" in {field.get("id") for field in form["body"]}  # the field the button fills
