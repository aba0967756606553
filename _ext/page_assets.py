"""Load only what a page needs, and nothing before it is needed.

* A page with no highlighted code does not load the code-highlighting
  stylesheet (pygments.css).
* Scripts that no first paint needs load with ``defer``.
* Bootstrap's script (81 KB), which the theme loads on every page, is not
  loaded at all: _templates/layout.html leaves it out, _static/theme-controls.js
  (2 KB) runs the two menus and the back-to-top button it served, and the file is
  removed from the output, so that no page can load it and css_trim.py does not
  keep the stylesheet rules its words name (modals, toasts, carousels...).
* A figure's image loads when the reader scrolls near it (``loading="lazy"``),
  not with the page: a long page's charts cost nothing to a reader who does
  not reach them.

Sphinx and the theme add their scripts as render-blocking ``<script>`` tags:
the browser stops drawing the page until each is fetched and run, which cost
about a second of first paint on a simulated phone. These scripts only set
up behaviour once the page is parsed, so they are marked ``defer`` (deferred
scripts still run in order, before the page's DOMContentLoaded event).
documentation_options.js stays blocking: inline scripts in the page read it.
The search page keeps all of them blocking, since Sphinx's search tools, which
it loads in the page body, call doctools.js at once.

Upstream internal: Sphinx's private ``_JavaScript`` (sphinx/builders/html/_assets.py,
Sphinx 9.0.4), the type of the entries of a page's ``script_files``; a deferred
script is rebuilt as a new ``_JavaScript`` with the same filename, priority and
attributes. Guarded by tests/test_contracts.py::test_sphinx_javascript_asset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

# Upstream internal (Sphinx 9.0.4); isolated here, see the module's docstring.
from sphinx.builders.html._assets import _JavaScript

from _ext.shared import AFTER_ICONS, AFTER_THEME

DEFERRABLE = {"_static/doctools.js", "_static/sphinx_highlight.js", "_static/scripts/sphinx-book-theme.js"}
# Doctree nodes that Sphinx's HTML writer draws with Pygments (class="highlight").
HIGHLIGHTED = (nodes.literal_block, nodes.doctest_block)
# The theme's Bootstrap bundle and its companions, copied into the output by the theme
# (pydata-sphinx-theme 0.20.0, static/scripts/); no page of the book loads them.
UNLOADED = [
    "_static/scripts/bootstrap.js",
    "_static/scripts/bootstrap.js.map",
    "_static/scripts/bootstrap.js.LICENSE.txt",
]


def has_highlighted_code(doctree: nodes.document | None) -> bool:
    """Whether the page shows any code block, which Sphinx highlights with Pygments."""
    return doctree is not None and any(
        True for _ in doctree.findall(lambda node: isinstance(node, HIGHLIGHTED))
    )


def drop_unused_styles(context: dict[str, Any], doctree: nodes.document | None) -> None:
    """Leave pygments.css out of a page that has no highlighted code."""
    if "css_files" in context and not has_highlighted_code(doctree):
        context["css_files"] = [
            css for css in context["css_files"] if getattr(css, "filename", css) != "_static/pygments.css"
        ]


def lazy_figures(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Let the browser fetch each figure's image only when it nears the screen."""
    for figure in doctree.findall(nodes.figure):
        for image in figure.findall(nodes.image):
            image.setdefault("loading", "lazy")


def adjust_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Drop the unused stylesheet and defer the deferrable scripts of one page."""
    drop_unused_styles(context, doctree)
    scripts = context.get("script_files")
    if not scripts or pagename == "search":
        return
    context["script_files"] = [
        _JavaScript(js.filename, priority=js.priority, **dict(js.attributes, defer="defer"))
        if isinstance(js, _JavaScript) and js.filename in DEFERRABLE
        else js
        for js in scripts
    ]


def remove_unloaded(app: Sphinx, exception: Exception | None) -> None:
    """Delete the theme's scripts that no page loads, before css_trim.py reads the scripts."""
    if exception or app.builder.format != "html":
        return
    for name in UNLOADED:
        (Path(app.outdir) / name).unlink(missing_ok=True)


def setup(app: Sphinx) -> dict[str, Any]:
    """Adjust each page's assets after the theme has added its own."""
    app.setup_extension("sphinx_book_theme")
    app.add_js_file("theme-controls.js", defer="defer")
    app.connect("html-page-context", adjust_assets, priority=AFTER_THEME)
    app.connect("doctree-resolved", lazy_figures)
    app.connect("build-finished", remove_unloaded, priority=AFTER_ICONS - 100)  # before css_trim.py
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
