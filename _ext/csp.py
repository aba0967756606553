"""A Content-Security-Policy on every page: defence in depth behind the content policy.

Should a script ever slip past the build's checks (_ext/content_policy.py), the
reader's browser still refuses to run it: each page carries a
``<meta http-equiv="Content-Security-Policy">`` that allows scripts only from the
book's own files and the theme's few inline scripts, named by their SHA-256 hashes.
No plugin, frame or form target is allowed, and no ``<base>``.

A ``<meta>`` policy, not a header, because the book is published as static files and
also read from disk (file://), where there are no headers.

The theme's inline scripts come from three places, read here and nowhere else
(pydata-sphinx-theme 0.20, sphinx-book-theme 1.4); the tests check that every inline
script of every built page is covered, so a theme update that changes one fails them:

* scripts added with a body (``app.add_js_file(None, body=...)``, e.g. the page name),
  found in the page's ``script_files``;
* the colour-mode script of pydata_sphinx_theme/layout.html and the search-field
  script of pydata_sphinx_theme/search.html, read from the theme's templates;
* the full-screen button's ``onclick`` (sphinx_book_theme/header_buttons/__init__.py),
  allowed through 'unsafe-hashes' for that one handler.
"""

import base64
import hashlib
import html
import re
from pathlib import Path

import pydata_sphinx_theme

THEME = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
HANDLERS = ["toggleFullScreen()"]  # inline event handlers of the theme


def sha256(text):
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _template_blocks(name, pattern, default_mode):
    text = (THEME / name).read_text(encoding="utf-8")
    return [block.replace("{{ default_mode }}", default_mode) for block in pattern.findall(text)]


def policy(app, pagename, context):
    default_mode = context.get("default_mode") or "auto"
    scripts = [
        js.attributes["body"]
        for js in context.get("script_files", ())
        if not getattr(js, "filename", None) and js.attributes.get("body")
    ]
    scripts += _template_blocks("layout.html", SCRIPT, default_mode)
    if pagename == "search":
        scripts += _template_blocks("search.html", SCRIPT, default_mode)
    script_hashes = sorted({sha256(s) for s in scripts} | {sha256(h) for h in HANDLERS})
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-hashes' " + " ".join(script_hashes),
            # The theme's fontawesome.js inserts a <style> element and Sphinx's genindex uses
            # style attributes; CSS cannot run a script, and contributed pages cannot carry
            # a <style> block (the content policy rejects raw HTML).
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",  # the theme's stylesheets draw a few icons as data: URLs
            "object-src 'none'",
            "frame-src 'none'",
            "form-action 'none'",
            "base-uri 'none'",
        ]
    )


def add_policy(app, pagename, templatename, context, doctree):
    if app.builder.name != "html":
        return  # the policy protects the published site; an EPUB reader runs no page scripts    # metatags stands near the top of <head>, before the page's scripts, so the policy covers them.
    context["metatags"] = (
        '<meta http-equiv="Content-Security-Policy" content="%s">\n    '
        % html.escape(policy(app, pagename, context), quote=True)
    ) + context.get("metatags", "")


def setup(app):
    app.connect("html-page-context", add_policy, priority=950)  # after page_assets.py adjusted the scripts
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
