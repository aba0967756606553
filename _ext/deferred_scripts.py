"""Load the scripts no first paint needs with ``defer``.

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


def defer_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts or pagename == "search":
        return
    context["script_files"] = [
        _JavaScript(js.filename, priority=js.priority, **dict(js.attributes, defer="defer"))
        if isinstance(js, _JavaScript) and js.filename in DEFERRABLE else js
        for js in scripts
    ]


def setup(app):
    app.connect("html-page-context", defer_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
