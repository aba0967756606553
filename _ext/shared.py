"""Helpers the book's extensions share; not an extension itself.

* ``page_link`` and ``page_links``: the "list of links to pages" that the
  bibliography ("Cited in"), the glossary ("Used in") and the ``tagged-pages``
  directive draw.
* ``rebuild_on_any_change``: an ``env-get-outdated`` handler for pages that
  list other pages and must be redrawn whenever any page changes.
* ``keep_per_document``: per-document stores on the environment, created,
  purged and merged as Sphinx's own collectors do.
* ``class_attributes``: every class attribute of every built HTML page, read
  once per build for the post-build passes (icons.py and css_trim.py).
* Event priorities with names, for the few handlers that must run after
  another extension's handler of the same event.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

# Sphinx runs an event's handlers by priority, lowest first; 500 is the default,
# which the themes and sphinxcontrib-bibtex use.
AFTER_THEME = 900  # html-page-context: after the theme has filled in the page's context
AFTER_ICONS = 800  # build-finished: after icons.py has written the icon subset

CLASS_ATTR = re.compile(r'class="([^"]*)"')


def page_link(app: Sphinx, fromdocname: str, docname: str) -> nodes.reference:
    """A link from one page to another, showing the target's title."""
    return nodes.reference(
        "",
        app.env.titles[docname].astext(),
        internal=True,
        refuri=app.builder.get_relative_uri(fromdocname, docname),
    )


def page_links(
    app: Sphinx, fromdocname: str, docnames: Iterable[str], label: nodes.Node, classes: list[str]
) -> nodes.paragraph:
    """A paragraph: ``label`` then links to ``docnames``, separated by commas."""
    para = nodes.paragraph(classes=classes)
    para += label
    for n, doc in enumerate(docnames):
        if n:
            para += nodes.Text(", ")
        para += page_link(app, fromdocname, doc)
    return para


def rebuild_on_any_change(docnames: Callable[[Sphinx, BuildEnvironment], Iterable[str]]) -> Callable:
    """An env-get-outdated handler: when any page is added, changed or removed, the pages
    ``docnames(app, env)`` names are rebuilt too (those that exist and are not rebuilt anyway)."""

    def outdated(
        app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
    ) -> list[str]:
        if added or changed or removed:
            return [d for d in docnames(app, env) if d in env.found_docs and d not in changed]
        return []

    return outdated


def class_attributes(outdir: str | Path) -> list[tuple[str, str]]:
    """(page, value) for every class attribute in every built HTML page of ``outdir``.

    ``page`` is the page's path relative to ``outdir``. Read once for the pages as
    they are: the answer is remembered for as long as no page is written again (the
    key is each page's size and modification time), so the two post-build passes
    share one read and no state is kept on the application.
    """
    pages = sorted(Path(outdir).rglob("*.html"))
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in pages)
    return _read_class_attributes(str(outdir), stamp)


@functools.lru_cache(maxsize=1)
def _read_class_attributes(outdir: str, stamp: tuple[tuple[str, int, int], ...]) -> list[tuple[str, str]]:
    return [
        (Path(path).relative_to(outdir).as_posix(), value)
        for path, _, _ in stamp
        for value in CLASS_ATTR.findall(Path(path).read_text(encoding="utf-8"))
    ]


def keep_per_document(app: Sphinx, **stores: type) -> None:
    """Per-document state kept on the environment, for modules that keep it in plain attributes.

    ``keep_per_document(app, page_corrections=dict, annotated_pages=set)`` creates
    ``env.page_corrections`` (page -> data) and ``env.annotated_pages`` (pages) on the first
    build, drops a page from each when it is re-read or removed, and takes in what parallel
    readers collected, as Sphinx's ``EnvironmentCollector`` does for its own data.
    """

    def init(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        for name, kind in stores.items():
            if not hasattr(env, name):
                setattr(env, name, kind())

    def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        for name in stores:
            store = getattr(env, name, None)
            if isinstance(store, set):
                store.discard(docname)
            elif store is not None:
                store.pop(docname, None)

    def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
        for name in stores:
            mine, theirs = getattr(env, name), getattr(other, name)
            for docname in set(docnames) & set(theirs):
                if isinstance(mine, set):
                    mine.add(docname)
                else:
                    mine[docname] = theirs[docname]

    app.connect("env-before-read-docs", init)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
