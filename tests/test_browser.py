"""What a reader sees in a real browser: Debian's Chromium, driven by Playwright."""

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

KINDS_OF_PAGE = ["index", "essays/open-source-ai", "newsletter/import-ai-375/gpt-2-five-years-on",
                 "topics/open-source", "glossary", "bibliography"]


def visit(browser, url, color_scheme="light", width=1280, height=900, javascript=True):
    """Open a page; return (page, console errors, requests to other hosts)."""
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme,
                                  java_script_enabled=javascript)
    page = context.new_page()
    errors, foreign = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    host = urlparse(url).netloc

    def record(request):
        if urlparse(request.url).scheme in ("http", "https") and urlparse(request.url).netloc != host:
            foreign.append(request.url)

    page.on("request", record)
    page.goto(url, wait_until="networkidle")
    return page, errors, foreign


@pytest.mark.parametrize("name", KINDS_OF_PAGE)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_loads_cleanly_and_privately(browser, site, name, scheme):
    page, errors, foreign = visit(browser, "%s/%s.html" % (site, name), color_scheme=scheme)
    assert page.locator("article h1").first.is_visible()
    assert errors == [], errors
    assert foreign == [], foreign
    # Dark mode follows the reader's system.
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    page.context.close()


@pytest.mark.parametrize("width", [390, 1440])
@pytest.mark.parametrize("name", KINDS_OF_PAGE)
def test_no_horizontal_scroll(browser, site, name, width):
    page, _, _ = visit(browser, "%s/%s.html" % (site, name), width=width)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "%s overflows by %dpx at %dpx" % (name, overflow, width)
    page.context.close()


def test_term_hover_shows_definition(browser, site):
    page, _, _ = visit(browser, site + "/essays/open-source-ai.html")
    term = page.locator(".bd-article a:has(.std-term)").first
    term.hover()
    popover = page.locator("#preview-popover")
    popover.wait_for(state="visible", timeout=1000)
    assert len(popover.inner_text()) > 20
    page.context.close()


def test_citation_hover_shows_reference(browser, site):
    page, _, _ = visit(browser, site + "/essays/open-source-ai.html")
    page.locator(".bd-article .bibtex-citation a").first.hover()
    popover = page.locator("#preview-popover")
    popover.wait_for(state="visible", timeout=1000)
    assert any(ch.isdigit() for ch in popover.inner_text())  # a reference carries its year
    page.context.close()


def test_cross_reference_hover_shows_target_description(browser, site):
    page, _, _ = visit(browser, site + "/index.html")
    page.locator(".bd-article a[data-preview]:has(.std-ref)").first.hover()
    popover = page.locator("#preview-popover")
    popover.wait_for(state="visible", timeout=1000)
    assert ":" in popover.inner_text()  # "Title: description"
    page.context.close()


def test_pages_are_readable_without_javascript(browser, site):
    page, _, _ = visit(browser, site + "/essays/open-source-ai.html", javascript=False)
    assert page.locator("article h1").first.is_visible()
    assert len(page.locator("article").inner_text()) > 5000
    page.context.close()


def test_search_finds_a_page(browser, site):
    page, errors, _ = visit(browser, site + "/search.html?q=RoboCasa")
    page.locator("#search-results li").first.wait_for(timeout=10000)
    assert "robocasa" in page.locator("#search-results").inner_html().lower()
    assert errors == []
    page.context.close()
