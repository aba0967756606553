"""The bibliography's pages: under each work, the pages that cite it.

The bibliography is split into one page per kind of work (``bibliography_docnames``,
each page holding one ``bibliography`` directive). A reader can go from a reference back
to where it is discussed. These pages are rebuilt whenever any page changes, since any
page may have started or stopped citing a work. ``listing_pages`` says which of them
lists each work, for the links that lead to a work (the map of the book, the landing
page's forwarding of old links).


A reader can go from a reference back to where it is discussed. The page is
written again when a page read again changed where or what it cites
(``shown_in_bibliography``), without being read again.

This extension also loads the book's other citation modules, so conf.py names
only this one:

* citation_styles.py: the ``book`` and ``author_year_round`` styles;
* bibtex_domain.py: sphinxcontrib-bibtex's domain with linear-time bookkeeping;
* pybtex_cache.py: pybtex's plugin look-up without a scan of every package each time.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from _ext.shared import page_links, rewrite_when_shown_changes


def add_cited_in(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Under each entry of a bibliography page, link the pages that cite it."""
    if fromdocname not in app.config.bibliography_docnames:
        return
    env = app.env
    domain = env.get_domain("cite")
    citing = domain.citing_documents()
    key_of = {c.citation_id: c.key for c in domain.citations if c.bibliography_key.docname == fromdocname}
    for citation in doctree.findall(nodes.citation):
        key = next((key_of[i] for i in citation["ids"] if i in key_of), None)
        docs = sorted(d for d in citing.get(key, ()) if d != fromdocname and d in env.titles)
        if docs:
            citation += page_links(app, fromdocname, docs, nodes.Text("Cited in: "), ["cited-in"])


def listing_pages(env: BuildEnvironment, config: Config) -> dict[str, str]:
    """{key: the bibliography page that lists the work}. A work on two pages (two groups
    in its ``keywords``) belongs to the first in ``bibliography_docnames`` order."""
    order = {doc: n for n, doc in enumerate(config.bibliography_docnames)}
    found: dict[str, str] = {}
    for citation in env.get_domain("cite").citations:
        doc = citation.bibliography_key.docname
        if doc in order and (citation.key not in found or order[doc] < order[found[citation.key]]):
            found[citation.key] = doc
    return found


def shown_in_bibliography(env, pages: list[str]) -> dict[str, Any]:
    """What the bibliography shows of each page: where it cites each work (the "Cited in" links
    point at each citation) and the sentence around its first citation of each."""
    wanted = set(pages)
    places = defaultdict(list)
    for ref in env.get_domain("cite").citation_refs:
        if ref.docname in wanted:
            places[ref.docname].append((ref.citation_ref_id, tuple(target.key for target in ref.targets)))
    contexts = getattr(env, "citation_contexts", {})  # bibliography_page.py
    return {doc: (places[doc], contexts.get(doc)) for doc in places}


def setup(app: Sphinx) -> dict[str, Any]:
    """Load the citation modules; draw the "Cited in" lists on the bibliography pages."""
    app.setup_extension("_ext.pybtex_cache")
    app.setup_extension("_ext.citation_styles")
    app.setup_extension("_ext.bibtex_domain")
    # The pages that list the works (conf.py names the book's five, one per kind of work).
    app.add_config_value("bibliography_docnames", ["bibliography"], "env")
    app.connect("doctree-resolved", add_cited_in)
    rewrite_when_shown_changes(app, lambda app, env: app.config.bibliography_docnames, shown_in_bibliography)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
