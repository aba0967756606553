"""The Content-Security-Policy: on every page, covering the theme's scripts, and alone
enough to stop the scripts of a page that got past the content policy."""

import base64
import hashlib
import re

import pytest
from test_content_policy import INERT, PAGE, PAYLOADS, build, make_root

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
NEEDED = [
    "default-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
]


def csp_of(soup):
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    return meta and meta["content"]


def test_every_page_has_the_policy_before_any_script(book):
    for name in book.pages() + ["search", "genindex"]:
        html = (book.outdir / (name + ".html")).read_text(encoding="utf-8")
        policy = csp_of(book.page(name))
        assert policy, (name, "no Content-Security-Policy")
        for directive in NEEDED:
            assert directive in policy, (name, directive)
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0], name
        assert html.index("Content-Security-Policy") < html.index("<script"), (name, "a script comes first")


def test_every_inline_script_of_the_theme_is_allowed_by_hash(book):
    """A theme update that changes an inline script must update _ext/csp.py, or this fails."""
    for name in book.pages() + ["search", "genindex"]:
        html = (book.outdir / (name + ".html")).read_text(encoding="utf-8")
        policy = csp_of(book.page(name))
        for script in INLINE_SCRIPT.findall(html):
            digest = (
                "'sha256-%s'" % base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
            )
            assert digest in policy, (name, script[:80])


# Pages whose payload runs a script in Chromium when nothing stops it.
LIVE = [
    "script-block",
    "img-onerror",
    "svg-onload",
    "iframe-javascript",
    "raw-directive",
    "eval-rst",
    "heading-html",
    "glossary-html",
    "anchor-javascript",
    "figure-target",
    "inline-html",
]


@pytest.fixture(scope="module")
def unguarded(tmp_path_factory):
    """The payload pages built with the content policy off: only the CSP stands in the way."""
    tmp = tmp_path_factory.mktemp("unguarded")
    pages = {"%s.md" % name: PAGE.format(body=body) for name, body, *_ in PAYLOADS + INERT if name in LIVE}
    src = make_root(tmp, pages)
    build(src, tmp / "out", "-D", "content_policy_enabled=0")
    return tmp / "out"


def scripts_run(browser, url, bypass_csp):
    """Open a page, hover and click what a reader would; return the alerts that fired."""
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    alerts = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    for selector in (".bd-article span", ".bd-article a[href^='javascript:']"):
        for element in page.locator(selector).all():
            try:
                element.hover(timeout=500)
                if selector.endswith("']"):
                    element.click(timeout=500, no_wait_after=True)
            except Exception:
                pass
    page.wait_for_timeout(200)
    context.close()
    return alerts


@pytest.mark.browser
@pytest.mark.parametrize("name", LIVE)
def test_the_policy_alone_stops_the_payload(browser, unguarded, name):
    url = (unguarded / (name + ".html")).as_uri()
    # Control: without the policy the payload really runs, so the check below can fail.
    assert scripts_run(browser, url, bypass_csp=True), (
        "%s: the payload does not run even without a CSP" % name
    )
    assert scripts_run(browser, url, bypass_csp=False) == [], name


@pytest.mark.browser
def test_search_from_any_page_works_under_the_policy(browser, site):
    """form-action 'none' refuses the search form; search.js opens the search page instead."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site + "/essays/open-source-ai.html", wait_until="networkidle")
    page.keyboard.press("Control+k")
    page.locator("#pst-search-dialog input[name='q']").fill("RoboCasa")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=RoboCasa*", timeout=5000)
    page.locator("#search-results li").first.wait_for(timeout=10000)
    assert "robocasa" in page.locator("#search-results").inner_html().lower()
    assert errors == [], errors
    context.close()
