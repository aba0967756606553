"""The bibliography's landing page: its pages, and old links to a work forwarded to its page.

The bibliography is one page per kind of work (``bibliography_docnames``), under a landing
page, ``bibliography.md``, which was once the whole bibliography. On that page:

* ``:::{bibliography-pages}`` lists the pages, each with its number of works, counted when
  the book is built. The landing page is written again when a count changes (a work added,
  removed or moved to another kind), without being read again;
* a work's address used to be ``bibliography.html#<key>``. The HTML build writes
  ``_static/bibliography-anchors.js``, a map from each key (and each old section anchor,
  the slug of a page's title) to the address of the page that now lists it, and the landing
  page's script (``_static/bibliography-redirect.js``) sends a reader who arrives with such an
  anchor on to it. A script, not a JSON file, because a book opened from disk cannot fetch
  one; loaded only when the anchor is not on the landing page itself.

Links the book draws to a work (the map of the book) point at its page directly
(``citations.listing_pages``).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from _ext.citations import listing_pages
from _ext.rewrite_only import rewrite_only
from _ext.shared import AFTER_BIBTEX, keep_per_document

logger = logging.getLogger(__name__)

ANCHORS = "_static/bibliography-anchors.js"  # {anchor: address from the site root}


class bibliography_pages(nodes.General, nodes.Element):
    """Placeholder for the list of the bibliography's pages: filled once every page is read."""


class BibliographyPagesDirective(SphinxDirective):
    """``:::{bibliography-pages}``: each of ``bibliography_docnames``, linked, with its count."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.bibliography_landing_pages.add(self.env.docname)
        node = bibliography_pages()
        self.set_source_info(node)
        return [node]


def counts(env: BuildEnvironment, config: Any) -> dict[str, int]:
    """{bibliography page: how many works it lists}."""
    listed = Counter(c.bibliography_key.docname for c in env.get_domain("cite").citations)
    return {doc: listed[doc] for doc in config.bibliography_docnames}


def fill_list(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    for placeholder in list(doctree.findall(bibliography_pages)):
        items = nodes.bullet_list(classes=["bibliography-pages"])
        for doc, number in counts(app.env, app.config).items():
            if doc not in app.env.titles:
                logger.warning(
                    "bibliography_docnames (conf.py) names '%s', which is not a page of the book" % doc,
                    location=placeholder,
                    type="bibliography",
                )
                continue
            link = nodes.reference(
                "",
                app.env.titles[doc].astext(),
                internal=True,
                refuri=app.builder.get_relative_uri(fromdocname, doc),
            )
            works = "%d work%s" % (number, "" if number == 1 else "s")
            items += nodes.list_item("", nodes.paragraph("", "", link, nodes.Text(": " + works)))
        placeholder.replace_self(items)


def rewrite_when_counts_change(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write the landing page again when a page's number of works changed. A work added or
    removed makes its page be read again, and so its parent written, but a work moved to
    another kind (its ``keywords`` edited) only rewrites the two pages (dependants.py)."""
    now = counts(env, app.config)
    before = getattr(env, "bibliography_counts", None)
    env.bibliography_counts = now
    if before is None or before == now:
        return []
    return rewrite_only(app, env.bibliography_landing_pages & set(env.all_docs))


def anchors(app: Sphinx) -> dict[str, str]:
    """{old anchor on the landing page: the address, from the site root, that replaces it}."""
    found = {}
    for doc in app.config.bibliography_docnames:
        if doc in app.env.titles:  # the page's title was its section's title on the one page
            found[nodes.make_id(app.env.titles[doc].astext())] = app.builder.get_target_uri(doc)
    for key, doc in listing_pages(app.env, app.config).items():
        found[key] = "%s#%s" % (app.builder.get_target_uri(doc), key)
    return found


def add_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if pagename in app.env.bibliography_landing_pages and app.builder.name in ("html", "dirhtml"):
        app.add_js_file("bibliography-redirect.js", defer="defer")


def write_anchors(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.name in ("html", "dirhtml"):
        data = json.dumps(anchors(app), ensure_ascii=False, sort_keys=True, indent=0)
        (Path(app.outdir) / ANCHORS).write_text(
            "window.BOOK_BIBLIOGRAPHY_ANCHORS = %s;\n" % data, encoding="utf-8"
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("_ext.citations")  # bibliography_docnames
    app.setup_extension("_ext.rewrite_only")
    keep_per_document(app, bibliography_landing_pages=set)
    app.add_node(bibliography_pages)
    app.add_directive("bibliography-pages", BibliographyPagesDirective)
    app.connect("doctree-resolved", fill_list)
    app.connect("env-updated", rewrite_when_counts_change, priority=AFTER_BIBTEX)
    app.connect("html-page-context", add_script)
    app.connect("build-finished", write_anchors)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
