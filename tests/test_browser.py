"""What a reader sees in a real browser: Debian's Chromium, driven by Playwright."""

import os
from urllib.parse import urlparse

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

KINDS_OF_PAGE = [
    "index",
    "essays/open-source-ai",
    "newsletter/import-ai-375/gpt-2-five-years-on",
    "newsletter/import-ai-375/robocasa",
    "topics/open-source",
    "glossary",
    "bibliography",
    "bibliography/papers",  # the longest of the bibliography's pages
    "search",
]


def visit(browser, url, color_scheme="light", width=1280, height=900, javascript=True, bypass_csp=False):
    """Open a page; return (page, console errors, requests to other hosts)."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=color_scheme,
        java_script_enabled=javascript,
        bypass_csp=bypass_csp,
    )
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
    assert page.locator(".bd-content h1:visible").count() >= 1
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


@pytest.mark.parametrize(
    "name, link, expected",
    [
        # a term shows its definition
        ("essays/open-source-ai", ".bd-article a:has(.std-term)", lambda text: len(text) > 20),
        # a citation shows the full reference, which carries a year
        (
            "essays/open-source-ai",
            ".bd-article .bibtex-citation a",
            lambda text: any(c.isdigit() for c in text),
        ),
        # a cross-reference shows "Title: description" of the page it leads to
        ("index", ".bd-article a[data-preview]:has(.std-ref)", lambda text: ":" in text),
    ],
)
def test_hover_preview_appears_within_a_second(browser, site, name, link, expected):
    page, _, _ = visit(browser, "%s/%s.html" % (site, name))
    page.locator(link).first.hover()
    popover = page.locator("#preview-popover")
    popover.wait_for(state="visible", timeout=1000)
    assert expected(popover.inner_text()), popover.inner_text()
    page.context.close()


def test_pages_are_readable_without_javascript(browser, site):
    page, _, _ = visit(browser, site + "/essays/open-source-ai.html", javascript=False)
    assert page.locator(".bd-content h1:visible").count() >= 1
    assert len(page.locator("article").inner_text()) > 5000
    page.context.close()


def test_search_finds_a_page(browser, site):
    page, errors, _ = visit(browser, site + "/search.html?q=RoboCasa")
    page.locator("#search-results li").first.wait_for(timeout=10000)
    assert "robocasa" in page.locator("#search-results").inner_html().lower()
    assert errors == []
    page.context.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        message = "axe-core is not installed (npm ci): %s" % AXE
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; under CI a missing checker is a failure")
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, width", [(name, 1280) for name in KINDS_OF_PAGE] + [("newsletter/import-ai-375/robocasa", 390)]
)  # margin notes change form on phones
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(browser, site, axe_source, name, width, scheme):
    url = "%s/%s.html%s" % (site, name, "?q=RoboCasa" if name == "search" else "")
    # axe is injected as an inline script, which the page's Content-Security-Policy refuses.
    page, _, _ = visit(browser, url, color_scheme=scheme, width=width, bypass_csp=True)
    serious = serious_axe_violations(page, axe_source)
    assert serious == [], serious
    page.context.close()


def serious_axe_violations(page, axe_source):
    """axe-core's serious and critical violations on the page: (rule, impact, first targets)."""
    # Judge the settled page: colour-mode transitions still running give false contrast failures.
    page.wait_for_function("document.getAnimations().length === 0", timeout=5000)
    page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_keyboard_reaches_search_previews_and_contents(browser, site):
    page, _, _ = visit(browser, site + "/essays/open-source-ai.html")
    reached = set()
    for _ in range(400):  # claim cards and the end-of-page sections add tab stops before the contents
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            return [e.className || '', e.closest('#pst-page-toc-nav') ? 'toc' : '',
                    e.querySelector && e.querySelector('.std-term') ? 'term' : '',
                    !document.getElementById('preview-popover') || document.getElementById('preview-popover').hidden
                    ? '' : 'preview'] }""")
        if "search-button" in str(info[0]):
            reached.add("search")
        reached.update(x for x in info[1:] if x)
        if {"search", "toc", "term", "preview"} <= reached:
            break
    assert {"search", "toc", "term", "preview"} <= reached, reached
    page.context.close()


def test_print_shows_text_notes_and_references_without_navigation(browser, site):
    page, _, _ = visit(browser, site + "/essays/open-source-ai.html")
    page.emulate_media(media="print")
    assert not page.locator(".bd-sidebar-primary").is_visible()
    assert not page.locator(".bd-header-article").is_visible()
    assert page.locator("aside.margin").first.is_visible()
    assert page.locator("#references .citation").first.is_visible()
    page.context.close()


def test_offline_from_disk_readable_navigable_searchable(browser, book):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((book.outdir / "index.html").as_uri())
    assert page.locator(".bd-content h1:visible").count() >= 1
    page.locator(".bd-article a[href$='essays/index.html']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("essays/index.html")
    page.goto((book.outdir / "search.html").as_uri() + "?q=RoboCasa")
    page.locator("#search-results ul.search li").first.wait_for(timeout=10000)
    assert "robocasa" in page.locator("#search-results").inner_html().lower()
    assert errors == [], errors
    context.close()


def all_pages(book):
    """Every HTML page of the built book, Sphinx's own included, as paths below the output folder."""
    return sorted(
        p.relative_to(book.outdir).as_posix() for p in book.outdir.rglob("*.html") if "_static" not in p.parts
    )


PAGE_LIMIT = 300_000  # issue 17: every real page, with all the files it loads
# Pages known to weigh more, each with the reason; the test fails when one gets light, so
# that it leaves this list. None since the bibliography became one page per kind of work.
KNOWN_HEAVY = set()


def page_weight(browser, site, book, name):
    """Bytes of every file Chromium fetches to show the page (as served, uncompressed), by file."""
    context = browser.new_context()
    page = context.new_page()
    loaded = []
    page.on("request", lambda r: loaded.append(r.url))
    page.goto("%s/%s" % (site, name), wait_until="networkidle")
    files = {}
    for url in loaded:
        path = book.outdir / urlparse(url).path.lstrip("/")
        # A request for a file the build does not write counts, at no weight, so that it shows.
        files[urlparse(url).path.lstrip("/")] = path.stat().st_size if path.is_file() else 0
    context.close()
    return files


def test_every_page_is_light(browser, site, book):
    """Every page of the book, with everything it loads, weighs at most 300 KB; no icon font."""
    heavy = {}
    for name in all_pages(book):
        files = page_weight(browser, site, book, name)
        assert not any("woff" in f for f in files), (name, "an icon font was loaded")
        assert "_static/scripts/bootstrap.js" not in files, (name, "Bootstrap's script was loaded")
        if sum(files.values()) > PAGE_LIMIT:
            heavy[name] = (sum(files.values()), sorted(files.items(), key=lambda f: -f[1])[:5])
    assert len(all_pages(book)) > 25
    assert set(heavy) == KNOWN_HEAVY, {
        name: heavy.get(name, "now light") for name in set(heavy) ^ KNOWN_HEAVY
    }


def test_margin_notes_are_full_width_on_a_phone(browser, site):
    page, _, _ = visit(browser, site + "/newsletter/import-ai-375/robocasa.html", width=390, height=844)
    ratio = page.evaluate("""() => { const note = document.querySelector('aside.margin');
        return note.getBoundingClientRect().width / document.querySelector('.bd-article').clientWidth; }""")
    assert ratio > 0.8, ratio
    page.context.close()


def test_live_mode_shows_the_build_warnings_on_the_page(browser, build_root, tmp_path):
    """`make live` serves pages even when the build warns; the page itself says so."""
    page_md = "---\ndescription: A page with a broken reference.\ntags: [safety]\n---\n\n# Page\n\nSee {ref}`nowhere`.\n"
    returncode, warnings = build_root("base", **{"page.md": page_md}, env={"BOOK_LIVE": "1"})
    assert returncode != 0 and "undefined label: 'nowhere'" in warnings
    page = browser.new_page()
    page.goto((tmp_path / "out" / "index.html").as_uri())
    banner = page.locator(".live-warnings")
    assert banner.is_visible()
    assert "page.md:8" in banner.inner_text() and "nowhere" in banner.inner_text()
    assert banner.bounding_box()["y"] <= 1  # at the very top, impossible to miss
    page.close()


def test_outside_live_mode_no_warning_script(book):
    assert not (book.outdir / "_static" / "live-warnings.js").exists()
    assert "live-warnings.js" not in (book.outdir / "index.html").read_text(encoding="utf-8")


def test_theme_menus_open_on_first_use_without_bootstrap(browser, site):
    """The colour-mode and source menus work with theme-controls.js alone (no Bootstrap script)."""
    page, errors, _ = visit(browser, site + "/essays/open-source-ai.html", width=390, height=844)
    assert page.evaluate("typeof window.bootstrap") == "undefined"
    # The colour-mode menu: a click opens it, a choice applies and closes it.
    mode_menu = page.locator(".theme-switch-container .dropdown-menu")
    assert not mode_menu.is_visible()
    page.locator(".theme-switch-button").click()
    mode_menu.wait_for(state="visible", timeout=1000)
    assert page.locator(".theme-switch-button").get_attribute("aria-expanded") == "true"
    page.locator(".theme-change-button[data-mode='dark']").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.mouse.move(200, 600)  # sphinx-book-theme keeps a hovered menu open
    assert not mode_menu.is_visible()
    assert page.locator(".theme-switch-button").get_attribute("aria-expanded") == "false"
    # The source menu: the keyboard opens it and moves into it; Escape closes it and returns.
    toggle = page.locator(".dropdown-source-buttons .dropdown-toggle")
    source_menu = page.locator(".dropdown-source-buttons .dropdown-menu")
    toggle.focus()
    page.keyboard.press("ArrowDown")
    source_menu.wait_for(state="visible", timeout=1000)
    assert page.evaluate("document.activeElement.classList.contains('dropdown-item')")
    box = source_menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # on screen, even on a phone
    page.keyboard.press("Escape")
    assert not source_menu.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('dropdown-toggle')")
    # A click elsewhere closes an open menu.
    toggle.click()
    source_menu.wait_for(state="visible", timeout=1000)
    page.locator(".bd-article h1").click()
    assert not source_menu.is_visible()
    assert errors == [], errors
    page.context.close()


def test_back_to_top_button_appears_when_scrolling_back_up(browser, site):
    """The theme's back-to-top button, run by theme-controls.js (on a phone, as the theme does)."""
    page, _, _ = visit(browser, site + "/essays/open-source-ai.html", width=390, height=844)
    button = page.locator("#pst-back-to-top")
    assert not button.is_visible()
    page.mouse.move(200, 500)
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -400)
    button.wait_for(state="visible", timeout=2000)
    button.click()
    page.wait_for_function("window.scrollY === 0", timeout=2000)
    page.context.close()


def test_links_whose_text_is_written_once_still_preview(browser, site, book):
    """A repeated link to a term or page, and every citation, carry no title in the HTML
    (_ext/hover_text.py); each still shows its preview on hover."""
    name = "newsletter/import-ai-375/gpt-2-five-years-on"
    soup = book.page(name)
    titled, untitled = set(), {}
    for i, a in enumerate(soup.select(".bd-article a[href]")):
        if "reference" not in a.get("class", []):
            continue  # a heading's own link keeps its title and lends it to no other link
        if a.get("title"):
            titled.add(a["href"])
        elif a["href"] in titled:
            untitled.setdefault("a repeated link", i)
        elif a.find_parent(class_="bibtex-citation"):
            untitled.setdefault("a citation", i)
    assert set(untitled) == {"a repeated link", "a citation"}, untitled
    page, _, _ = visit(browser, "%s/%s.html" % (site, name))
    for kind, index in untitled.items():
        page.locator(".bd-article a[href]").nth(index).hover()
        popover = page.locator("#preview-popover")
        popover.wait_for(state="visible", timeout=1000)
        assert len(popover.inner_text()) > 20, (kind, popover.inner_text())
        page.mouse.move(0, 0)
    page.context.close()
