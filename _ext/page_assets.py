"""Load only what a page needs, and nothing before it is needed.

* A page with no highlighted code does not load the code-highlighting
  stylesheet (pygments.css).
* Scripts that no first paint needs load with ``defer``.

Sphinx and the theme add their scripts as render-blocking ``<script>`` tags:
the browser stops drawing the page until each is fetched and run, which cost
about a second of first paint on a simulated phone. These scripts only set
up behaviour once the page is parsed, so they are marked ``defer`` (deferred
scripts still run in order, before the page's DOMContentLoaded event).
documentation_options.js stays blocking: inline scripts in the page read it.
The search page keeps all of them blocking, since Sphinx's search tools, which
it loads in the page body, call doctools.js at once.
"""

from sphinx.builders.html._assets import _JavaScript

DEFERRABLE = {"_static/doctools.js", "_static/sphinx_highlight.js", "_static/scripts/sphinx-book-theme.js"}


def drop_unused_styles(context):
    if "css_files" in context and 'class="highlight' not in context.get("body", ""):
        context["css_files"] = [css for css in context["css_files"]
                                if getattr(css, "filename", css) != "_static/pygments.css"]


def adjust_assets(app, pagename, templatename, context, doctree):
    drop_unused_styles(context)
    scripts = context.get("script_files")
    if not scripts or pagename == "search":
        return
    context["script_files"] = [
        _JavaScript(js.filename, priority=js.priority, **dict(js.attributes, defer="defer"))
        if isinstance(js, _JavaScript) and js.filename in DEFERRABLE else js
        for js in scripts
    ]


def setup(app):
    app.connect("html-page-context", adjust_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
