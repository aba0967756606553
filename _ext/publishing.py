"""Make the built folder fit to upload as it stands.

- ``robots.txt`` at the root, pointing crawlers to the sitemap.
- No source map that describes a stylesheet or script the build trimmed or
  replaced (css_trim.py, icons.py): the map would describe code that is not there.
- Link previews: OpenGraph's description is the page's own one-sentence
  description from its front matter, not the first words of its text, and Twitter
  gets its card type, title and description (it reads the image from OpenGraph).

- A complete sitemap after an incremental build too. sphinx-sitemap lists only
  the pages written in the current run (its issue #13), so after a one-page edit
  ``sitemap.xml`` held one page. Before it writes the file, every page of the book
  is added to its queue, in sorted order. This relies on sphinx-sitemap 2.9's
  internals (``sphinx_sitemap/__init__.py``: the queue ``app.env.app.sitemap_links``
  of ``(link, lastmod)`` filled by ``add_html_link``, emptied by ``create_sitemap``);
  tests/test_incremental.py guards the contract.

The sitemap, the OpenGraph tags and the 404 page come from sphinx-sitemap,
sphinxext-opengraph and sphinx-notfound-page (configured in conf.py).
"""

import fnmatch
import html
import queue
from pathlib import Path

from _ext.css_trim import STYLESHEETS
from _ext.page_metadata import front_matter

# Files the build rewrites after the theme copied them: their source maps lie.
REWRITTEN = [*STYLESHEETS, "_static/scripts/fontawesome.js"]


def page_description(app, pagename, templatename, context, doctree):
    """Before sphinxext-opengraph runs (priority 500): give it the page's description."""
    description = front_matter(app.env, pagename).get("description")
    if isinstance(description, str) and description:
        # a copy: context["meta"] is the environment's own metadata for the page
        context["meta"] = dict(context.get("meta") or {}, **{"og:description": description})


def twitter_tags(app, pagename, templatename, context, doctree):
    """After sphinxext-opengraph: Twitter's own card, title and description (site pages only)."""
    if "metatags" not in context or app.builder.name != "html":  # the EPUB's XHTML needs no link cards
        return
    description = front_matter(app.env, pagename).get("description")
    tags = [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", context.get("title") or app.config.project),
    ]
    if isinstance(description, str) and description:
        tags.append(("twitter:description", description))
    context["metatags"] += "".join(
        '\n    <meta name="%s" content="%s">' % (name, html.escape(str(value), quote=True))
        for name, value in tags
    )


def complete_sitemap(app, exception):
    """Before sphinx-sitemap's create_sitemap (priority 500): every page, sorted, once."""
    links = getattr(app.env.app, "sitemap_links", None)
    if exception or links is None or app.builder.format != "html":
        return
    entries = {}
    while True:
        try:
            link, lastmod = links.get_nowait()
        except queue.Empty:
            break
        entries[link] = lastmod
    for docname in app.env.found_docs:
        link = app.builder.get_target_uri(docname)
        if not any(fnmatch.fnmatch(link, pattern) for pattern in app.config.sitemap_excludes):
            entries.setdefault(link, None)
    for link in sorted(entries):
        links.put((link, entries[link]))


def write_robots_and_drop_stale_maps(app, exception):
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    base = app.config.html_baseurl.rstrip("/") + "/"
    (outdir / "robots.txt").write_text(
        "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n" % base, encoding="utf-8"
    )
    for name in REWRITTEN:
        (outdir / (name + ".map")).unlink(missing_ok=True)


def setup(app):
    app.connect("html-page-context", page_description, priority=450)
    app.connect("html-page-context", twitter_tags, priority=600)
    app.connect("build-finished", complete_sitemap, priority=450)
    app.connect(
        "build-finished", write_robots_and_drop_stale_maps, priority=900
    )  # after css_trim.py, icons.py
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
