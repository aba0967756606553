"""The built folder is fit to upload: sitemap, robots.txt, link previews, canonical
links, a 404 page that works at any depth, and no build cache or stale source map."""

import functools
import http.server
import threading
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conf import html_baseurl

BASE = html_baseurl.rstrip("/") + "/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_every_page_by_its_absolute_url(book):
    root = ElementTree.parse(book.outdir / "sitemap.xml").getroot()
    urls = [loc.text for loc in root.iter(SITEMAP + "loc")]
    assert sorted(urls) == sorted(BASE + name + ".html" for name in book.pages())
    assert len(urls) == len(set(urls))


def test_robots_txt_points_to_the_sitemap(book):
    robots = (book.outdir / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots
    assert "Sitemap: %ssitemap.xml" % BASE in robots.splitlines()


def test_every_page_has_a_canonical_link_and_link_preview_metadata(book):
    for name in book.pages():
        soup = book.page(name)
        url = BASE + name + ".html"
        canonical = soup.find("link", rel="canonical")
        assert canonical and canonical["href"] == url, (name, canonical)

        def meta(key, attr="property", soup=soup):
            tag = soup.find("meta", attrs={attr: key})
            return tag["content"] if tag else None

        description = soup.find("meta", attrs={"name": "description"})["content"]
        assert meta("og:url") == url, name
        assert meta("og:title"), name
        assert meta("og:description") == description, name
        assert meta("og:image") == BASE + "_static/social-card.png", name
        assert meta("twitter:card", "name") == "summary_large_image", name
        assert meta("twitter:title", "name") == meta("og:title"), name
        assert meta("twitter:description", "name") == description, name


def test_the_social_card_is_a_committed_png(book):
    card = book.outdir / "_static" / "social-card.png"
    assert card.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_build_cache_or_stale_source_map_in_the_site(book):
    assert not list(book.outdir.rglob("*.pickle")), "doctree pickles in the site folder"
    assert not list(book.outdir.rglob("*.doctree")), "doctrees in the site folder"
    assert not (book.outdir / ".doctrees").exists()
    # The trimmed stylesheets and the replaced icon script have no map describing their originals.
    for rewritten in (
        "styles/pydata-sphinx-theme.css",
        "styles/sphinx-book-theme.css",
        "scripts/fontawesome.js",
    ):
        assert not (book.outdir / "_static" / (rewritten + ".map")).exists(), rewritten
        assert "sourceMappingURL" not in (book.outdir / "_static" / rewritten).read_text(encoding="utf-8")


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under the base URL's path and answers a missing page with
    404.html and status 404, as GitHub Pages and Read the Docs do."""

    prefix = "/"

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        path = urlsplit(path).path
        return super().translate_path(
            "/" + path[len(self.prefix) :] if path.startswith(self.prefix) else "/\0"
        )

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def published(book):
    """The built book served the way the host serves it: base URL of that server."""
    prefix = urlsplit(BASE).path
    handler = functools.partial(
        type("Handler", (_PagesHandler,), {"prefix": prefix}), directory=str(book.outdir)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "http://127.0.0.1:%d%s" % (server.server_address[1], prefix)
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["no-such-page.html", "newsletter/import-ai-999/a/b/c/missing.html"])
def test_the_404_page_works_at_any_depth(browser, published, missing):
    page = browser.new_page()
    failed = []
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and r.url != published + missing else None,
    )
    page.on("requestfailed", lambda r: failed.append(r.url))
    response = page.goto(published + missing, wait_until="networkidle")
    assert response.status == 404
    assert page.locator(".bd-article h1").inner_text().strip() == "Page not found"
    assert failed == [], failed  # every stylesheet, script and icon loaded from the right place
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.bd-sidebar-primary')).display") != "none"
        or page.viewport_size["width"] < 960
    )
    page.locator(".bd-sidebar-primary a.reference", has_text="Newsletter").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == published + "newsletter/index.html"
    page.go_back()
    page.locator(".bd-article a", has_text="the landing page").click()
    page.wait_for_load_state("networkidle")
    assert page.url == published + "index.html"
    page.close()
