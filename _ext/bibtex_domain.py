"""sphinxcontrib-bibtex's ``cite`` domain with linear-time bookkeeping.

Upstream: sphinxcontrib/bibtex/domain.py, class BibtexDomain, sphinxcontrib-bibtex
2.7.0 (pinned in pyproject.toml: >=2.7,<2.8). Guarded by tests/test_contracts.py.

On every build, even one that changes nothing, upstream filters each reference
list by scanning every citation in the book for every entry, and sorts the
citations with ``list.index``: with one list per page both are quadratic in
pages, 28 of the 31 seconds of a no-op build of 300 pages. This subclass indexes
the citing documents of each key once per build and sorts by a position table;
the filter, the order of entries and every warning are unchanged. The same fix
is offered upstream in docs/upstream/.

It is installed with ``app.add_domain(..., override=True)``: only apps that load
this extension get it, and upstream's class is left as it is.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

# Upstream internals (sphinxcontrib-bibtex 2.7.0, domain.py): the module, whose ``logger``
# env_updated warns through (QuietLogger), and _FilterVisitor, which evaluates a
# bibliography's :filter: expression for one entry. Pinned by tests/test_contracts.py
# (test_bibtex_filter_visitor, test_bibtex_env_updated_warns_through_the_module_logger).
import sphinxcontrib.bibtex.domain as upstream
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinxcontrib.bibtex.directives import BibliographyKey
from sphinxcontrib.bibtex.domain import BibtexDomain, _FilterVisitor
from sphinxcontrib.bibtex.nodes import bibliography as bibliography_node

from _ext.citation_styles import BookStyle

logger = logging.getLogger(__name__)
logger_of_upstream = upstream.logger

# A page's own reference list, ``:filter: docname in docnames``, can only ever show the works
# that page cites (or lists by key): re-reading the page is what changes them.
OWN_LIST = ast.dump(ast.parse("docname in docnames"))


class QuietLogger:
    """The upstream module's logger, minus the bibtex warnings conf.py suppresses.

    Each page has its own reference list, so upstream's ``env_updated`` warns "duplicate
    citation" for every work on every page after the first that lists it (10,000 times a
    build at 2,000 pages), and Sphinx drops each warning only after making its record: a
    second of every build. Warnings not suppressed pass through unchanged.
    """

    def __init__(self, logger: Any, suppressed: Iterable[str]) -> None:
        self.logger = logger
        self.suppressed = {
            s.split(".", 1)[1] if "." in s else "*" for s in suppressed if s.split(".")[0] == "bibtex"
        }

    def warning(
        self, message: str, *args: Any, type: str | None = None, subtype: str | None = None, **kwargs: Any
    ) -> None:
        if type == "bibtex" and ("*" in self.suppressed or subtype in self.suppressed):
            return
        self.logger.warning(message, *args, type=type, subtype=subtype, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.logger, name)


class BookBibtexDomain(BibtexDomain):
    """BibtexDomain whose per-build bookkeeping is linear in the number of pages."""

    _citing: dict[str, set[str]] | None = None
    _position: dict[str, int] | None = None

    def citing_documents(self) -> dict[str, set[str]]:
        """{citation key: names of the documents that cite it}."""
        if self._citing is not None:
            return self._citing
        index: dict[str, set[str]] = defaultdict(set)
        for ref in self.citation_refs:
            for target in ref.targets:
                index[target.key].add(ref.docname)
        return index

    def env_updated(self) -> Iterable[str]:
        """Upstream's env_updated, with the citing documents indexed once for all its look-ups,
        and the entries formatted by earlier builds taken from the environment."""
        BookStyle.formatted = getattr(self.env, "bibtex_formatted", {})
        BookStyle.used, BookStyle.digests = set(), {}
        self._citing = None
        self._citing = self.citing_documents()
        self._position = None
        # Upstream internal: env_updated warns through the module's ``logger`` (2.7.0).
        upstream.logger = QuietLogger(logger_of_upstream, self.env.config.suppress_warnings)
        try:
            return super().env_updated()
        finally:
            upstream.logger = logger_of_upstream
            self._citing = self._position = None  # citation_refs change with the next read
            # Saved with the environment: only what this build used, so edits do not pile up.
            self.env.bibtex_formatted = {key: BookStyle.formatted[key] for key in sorted(BookStyle.used)}
            BookStyle.digests = {}  # the entries themselves are kept alive by it

    # Copied from upstream's BibtexDomain.get_filtered_entries (2.7.0); the changes: the
    # cited_docnames come from the index instead of a scan of every citation, and a page's
    # own list (``docname in docnames``, every page's) is answered by a set look-up instead
    # of walking the expression for each entry (300,000 walks, 3 s, per build at 2,000 pages).
    def get_filtered_entries(self, bibliography_key: Any) -> Iterator[tuple[str, Any]]:
        """Unsorted bibliography entries, filtered by the bibliography's :filter: expression."""
        bibliography = self.bibliographies[bibliography_key]
        citing = self.citing_documents()
        own_list = ast.dump(bibliography.filter_) == OWN_LIST
        for entry in self.get_entries(bibliography.bibfiles):
            key = bibliography.keyprefix + entry.key
            cited_docnames = citing.get(key, set())
            if own_list:
                if bibliography_key.docname in cited_docnames or entry.key in bibliography.keys:
                    yield key, entry
                continue
            visitor = _FilterVisitor(
                entry=entry, docname=bibliography_key.docname, cited_docnames=cited_docnames
            )
            try:
                success = visitor.visit(bibliography.filter_)
            except ValueError as err:  # as upstream: report, then fall back to "cited anywhere"
                logger.warning(
                    "syntax error in :filter: expression; %s" % err,
                    location=(bibliography_key.docname, bibliography.line),
                    type="bibtex",
                    subtype="filter_syntax_error",
                )
                success = bool(cited_docnames)
            if success or entry.key in bibliography.keys:
                yield key, entry

    # Upstream's get_sorted_entries walks every citation of the book for each reference
    # list; the same order (cited keys by first citation, then the rest in file order)
    # comes from one position table per build and a stable sort.
    def get_sorted_entries(self, bibliography_key: Any, docnames: list[str]) -> Iterator[tuple[str, Any]]:
        """Filtered entries sorted by citation order, then in the order of the bibliography files."""
        position = self._position
        if position is None:
            position = {}
            for key in self.get_all_cited_keys(docnames):
                position.setdefault(key, len(position))
            if self._citing is not None:  # within env_updated: the citations stay as they are
                self._position = position
        last = len(position)
        entries = list(self.get_filtered_entries(bibliography_key))
        return iter(sorted(entries, key=lambda item: position.get(item[0], last)))

    def get_all_cited_keys(self, docnames: list[str]) -> Iterator[str]:
        """Every cited key, by document order then citation order (a position table, not list.index)."""
        position = {doc: n for n, doc in enumerate(docnames)}
        for ref in sorted(self.citation_refs, key=lambda c: position[c.docname]):
            for target in ref.targets:
                yield target.key


class CitationNodes(dict):
    """A reference list's anchor nodes, each handed out as a copy.

    sphinxcontrib-bibtex's BibliographyTransform (transforms.py, 2.7.0) takes an entry's
    node with ``citation_nodes[key]`` and puts it into the page it is resolving, as the
    entry's citation. Were it the environment's own node, the environment would hold that
    resolved page (the node's parent) until the build ends: every page of the book at once,
    in the main process and in each writer it forks (a clean build of the 500-page benchmark
    book peaked at 462 MB with them, 295 MB without). Given a copy, the environment keeps
    its nodes as they were read. Guarded by tests/test_contracts.py.
    """

    def __getitem__(self, key: str) -> Any:
        return super().__getitem__(key).deepcopy()


def prune_citation_nodes(app: Sphinx, doctree: Any) -> None:
    """Keep, for a page's own reference list, the anchors of the works it can show; hand
    every list's anchors out as copies (``CitationNodes``); drop them from the page's
    stored doctree.

    sphinxcontrib-bibtex makes, for every reference list, an anchor node for every entry
    of the bibliography (directives.py, BibliographyDirective.run, 2.7.0) and keeps them
    all in the environment: works x pages nodes, most of the environment's size and of
    the build's memory. The ids are made on read and are unchanged; only the anchors a
    list can never use are dropped. Guarded by tests/test_contracts.py.

    The directive also notes each anchor in the page's table of ids, outside the page's
    tree, so that no later id on the page takes one of theirs. Once the page is read that
    table has done its work (new ids come from its counter, which is past them), and the
    page is written with the environment's anchors, never these: without them a page's
    stored doctree is a fifth smaller (47 KB to 37 KB on the benchmark's pages), and so
    is each page Sphinx holds and unpickles while it writes.
    """
    env = app.env
    domain = env.get_domain("cite")
    cited = set()
    for ref in reversed(domain.citation_refs):  # this page's citations were noted last
        if ref.docname != env.docname:
            break
        cited.update(target.key for target in ref.targets)
    for node in doctree.findall(bibliography_node):
        bib_key = BibliographyKey(docname=env.docname, id_=node["ids"][0])
        bibliography = domain.bibliographies.get(bib_key)
        if bibliography is None:
            continue
        citation_nodes = bibliography.citation_nodes
        for anchor in citation_nodes.values():
            for anchor_id in anchor["ids"]:
                if doctree.ids.get(anchor_id) is anchor:
                    del doctree.ids[anchor_id]
        if ast.dump(bibliography.filter_) == OWN_LIST:
            keep = cited | {bibliography.keyprefix + key for key in bibliography.keys}
            citation_nodes = {k: v for k, v in citation_nodes.items() if k in keep}
        domain.bibliographies[bib_key] = bibliography._replace(citation_nodes=CitationNodes(citation_nodes))


def setup(app: Sphinx) -> dict[str, Any]:
    """Replace sphinxcontrib-bibtex's ``cite`` domain with the subclass, in this app only."""
    app.setup_extension("sphinxcontrib.bibtex")
    app.setup_extension("_ext.citation_styles")
    app.add_domain(BookBibtexDomain, override=True)
    app.connect("doctree-read", prune_citation_nodes)
    return {"version": "1", "env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}
