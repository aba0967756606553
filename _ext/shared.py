"""Helpers the book's extensions share; not an extension itself.

* ``page_link`` and ``page_links``: the "list of links to pages" that the
  bibliography ("Cited in"), the glossary ("Used in") and the ``tagged-pages``
  directive draw.
* ``rewrite_when_shown_changes``: for the pages that list other pages (the
  bibliography, the glossary, topic pages): write them again, without reading them
  again, when what they show of a page just read changed.
* ``class_attributes``: every class attribute of every built HTML page, for the
  post-build passes (icons.py and css_trim.py); only the pages written since the
  last build are read.
* ``keep_per_document``: per-document stores on the environment, created,
  purged and merged as Sphinx's own collectors do.
* ``site_url`` and ``page_url``: an address in the site, absolute when the book's
  published address (``html_baseurl``) is set.
* Event priorities with names, for the few handlers that must run after
  another extension's handler of the same event.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from _ext.rewrite_only import rewrite_only

# Sphinx runs an event's handlers by priority, lowest first; 500 is the default,
# which the themes and sphinxcontrib-bibtex use.
BEFORE_THEME = 499  # html-page-context: before the theme's handlers (priority 500)
AFTER_THEME = 900  # html-page-context: after the theme has filled in the page's context
AFTER_ICONS = 800  # build-finished: after icons.py has written the icon subset
AFTER_BIBTEX = 900  # env-updated: after sphinxcontrib-bibtex has formatted the citations

CLASS_ATTR = re.compile(r'class="([^"]*)"')


def site_url(app: Sphinx, uri: str) -> str:
    """``uri`` (relative to the site root) at the published address when ``html_baseurl`` is
    set, as it is otherwise."""
    base = (getattr(app.config, "html_baseurl", "") or "").rstrip("/")
    return f"{base}/{uri}" if base else uri


def page_url(app: Sphinx, docname: str) -> str:
    """A page's address, as ``site_url`` gives it."""
    return site_url(app, app.builder.get_target_uri(docname))


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


def rewrite_when_shown_changes(
    app: Sphinx,
    docnames: Callable[[Sphinx, BuildEnvironment], Iterable[str]],
    shown: Callable[[BuildEnvironment, list[str]], dict[str, Any]],
) -> None:
    """Write the pages ``docnames(app, env)`` names again, without reading them again, when
    what they show of the pages just read changed.

    For pages whose lists of other pages (cited in, used in, tagged) are drawn when the
    page is written (``doctree-resolved``) from what the environment holds: re-reading
    them would add nothing, and reading more than a few pages makes Sphinx read in
    parallel, which sends the whole environment back from each worker.

    ``shown(env, pages)`` gives, for each of ``pages`` the lists show, what they show of it
    (a page left out shows nothing). It is taken for the pages about to be read, before and
    after reading; their titles are compared too (a list may quote a title in a sentence
    from another page), and a removed page always counts as a change. An edit that touches
    none of it (a new paragraph without citations, terms or tags) writes none of the lists.
    """
    before: dict[str, tuple[Any, Any]] = {}
    removed_any = [False]

    def seen(env: BuildEnvironment, pages: list[str]) -> dict[str, tuple[Any, Any]]:
        values = shown(env, pages)
        return {
            doc: (env.titles[doc].astext() if doc in env.titles else None, values.get(doc)) for doc in pages
        }

    def note_removed(
        app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
    ) -> list[str]:
        removed_any[0] = bool(removed)
        return []

    def note_before(app: Sphinx, env: BuildEnvironment, read: list[str]) -> None:
        before.clear()
        before.update(seen(env, list(read)))

    def rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
        after = seen(env, list(before))
        changed = removed_any[0] or any(
            (old_title is not None and old_title != after[doc][0]) or old_value != after[doc][1]
            for doc, (old_title, old_value) in before.items()
        )
        before.clear()
        removed_any[0] = False
        if not changed:
            return []
        return rewrite_only(app, (d for d in docnames(app, env) if d in env.all_docs))

    app.setup_extension("_ext.rewrite_only")
    app.connect("env-get-outdated", note_removed)
    app.connect("env-before-read-docs", note_before)
    app.connect("env-updated", rewrite)


def class_attributes(outdir: str | Path, cache_dir: str | Path | None = None) -> dict[str, str]:
    """{class attribute: the first page that has it} over every built HTML page of ``outdir``.

    A page is its path relative to ``outdir``, and "first" is in sorted order; each value
    appears once, so the callers' work follows the few hundred distinct values, not the
    pages (a quarter of a million values at 2,000 pages). Only pages written since the last
    call are read: each page's values are kept with its size and time, in memory and, when
    ``cache_dir`` is given (the build's doctree folder), in a file there, so that a rebuild
    after a one-page edit reads that page and not the book. The answer is the same as
    reading every page.
    """
    outdir = Path(outdir)
    pages = sorted(outdir.rglob("*.html"))
    stamp = tuple((p.relative_to(outdir).as_posix(), *_stat(p)) for p in pages)
    return _class_attributes(str(outdir), str(cache_dir) if cache_dir else None, stamp)


def _stat(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_size


CLASS_CACHE = "class-scan.json"  # in the doctree folder: {page: [mtime_ns, size, [values]]}


@functools.lru_cache(maxsize=1)
def _class_attributes(
    outdir: str, cache_dir: str | None, stamp: tuple[tuple[str, int, int], ...]
) -> dict[str, str]:
    cache_file = Path(cache_dir) / CLASS_CACHE if cache_dir else None
    known = {}
    if cache_file is not None:
        try:
            known = json.loads(cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
    scanned = {}
    for page, mtime, size in stamp:
        entry = known.get(page)
        if not (isinstance(entry, list) and entry[:2] == [mtime, size]):
            text = (Path(outdir) / page).read_text(encoding="utf-8")
            entry = [mtime, size, sorted(set(CLASS_ATTR.findall(text)))]
        scanned[page] = entry
    if cache_file is not None and scanned != known:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps(scanned, sort_keys=True), encoding="utf-8")
    first: dict[str, str] = {}
    for page, entry in scanned.items():
        for value in entry[2]:
            first.setdefault(value, page)
    return first


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
