"""How citations look and how fast they are made.

* Registers the ``book`` formatting style: pybtex's plain style labelled by
  citation key, because every page has its own reference list and numeric
  labels restart on each, which makes different works share a label.
* Registers the ``author_year_round`` referencing style: author-year citations in
  round brackets, "(Radford et al., 2019)" and "Radford et al. (2019)", as a reader
  of a scholarly book expects.
* On the bibliography page, adds under each work the pages that cite it, so a
  reader can go from a reference back to where it is discussed; that page is
  rebuilt whenever any page changes.
* Makes sphinxcontrib-bibtex's bookkeeping linear. On every build, even one
  that changes nothing, it filters each reference list by scanning every
  citation in the book for every entry: with one list per page that is
  quadratic in pages, 28 of the 31 seconds of a no-op build of 300 pages. The
  book indexes the citing documents of each key once per build instead; the
  filter and the order of entries are unchanged.
* Caches pybtex's plugin look-up. pybtex resolves a plugin (a style, a backend) by
  scanning every installed package's entry points, and sphinxcontrib-bibtex asks
  for one on every citation; on a 100-page book that scan was about a sixth of the
  build. The answer never changes within one process.
"""

import dataclasses
import functools
from collections import defaultdict

import pybtex.plugin
from docutils import nodes
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from sphinxcontrib.bibtex.domain import BibtexDomain, _FilterVisitor
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinx.util import logging

logger = logging.getLogger(__name__)
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

ROUND = BracketStyle(left="(", right=")")


@dataclasses.dataclass
class RoundAuthorYearStyle(AuthorYearReferenceStyle):
    bracket_parenthetical: BracketStyle = dataclasses.field(default_factory=lambda: ROUND)
    bracket_textual: BracketStyle = dataclasses.field(default_factory=lambda: ROUND)
    bracket_author: BracketStyle = dataclasses.field(default_factory=lambda: ROUND)
    bracket_label: BracketStyle = dataclasses.field(default_factory=lambda: ROUND)
    bracket_year: BracketStyle = dataclasses.field(default_factory=lambda: ROUND)


class KeyLabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield entry.key


class BookStyle(PlainStyle):
    """pybtex's plain style, labelled by key; each entry is formatted once per build.

    Every page's reference list formats its entries again (twice, with the hover
    text); the result depends only on the entry and its label, so it is reused.
    """

    default_label_style = KeyLabelStyle
    formatted = {}  # (label, key, id of the entry) -> FormattedEntry; emptied each build

    def format_entry(self, label, entry, bib_data=None):
        cache_key = (label, entry.key, id(entry))
        if cache_key not in self.formatted:
            self.formatted[cache_key] = super().format_entry(label, entry, bib_data=bib_data)
        return self.formatted[cache_key]


register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearStyle)
pybtex.plugin.register_plugin("pybtex.style.formatting", "book", BookStyle)

# Runtime plugins are all registered at import time, before the first look-up,
# so a remembered answer can never hide a plugin registered later.
if not hasattr(pybtex.plugin._load_entry_point, "cache_info"):
    pybtex.plugin._load_entry_point = functools.lru_cache(maxsize=None)(pybtex.plugin._load_entry_point)


def _citing_documents(domain):
    """{citation key: documents citing it}, built once per build (see _env_updated)."""
    index = getattr(domain, "_book_citing", None)
    if index is None:
        index = defaultdict(set)
        for ref in domain.citation_refs:
            for target in ref.targets:
                index[target.key].add(ref.docname)
    return index


def _get_filtered_entries(self, bibliography_key):
    """BibtexDomain.get_filtered_entries with the citing documents looked up in an index."""
    bibliography = self.bibliographies[bibliography_key]
    citing = _citing_documents(self)
    for entry in self.get_entries(bibliography.bibfiles):
        key = bibliography.keyprefix + entry.key
        cited_docnames = citing.get(key, set())
        visitor = _FilterVisitor(entry=entry, docname=bibliography_key.docname, cited_docnames=cited_docnames)
        try:
            success = visitor.visit(bibliography.filter_)
        except ValueError as err:  # as upstream: report, then fall back to "cited anywhere"
            logger.warning("syntax error in :filter: expression; %s" % err,
                           location=(bibliography_key.docname, bibliography.line),
                           type="bibtex", subtype="filter_syntax_error")
            success = bool(cited_docnames)
        if success or entry.key in bibliography.keys:
            yield key, entry


def _get_all_cited_keys(self, docnames):
    """BibtexDomain.get_all_cited_keys, sorting by a position table instead of list.index()."""
    position = {doc: n for n, doc in enumerate(docnames)}
    for ref in sorted(self.citation_refs, key=lambda c: position[c.docname]):
        for target in ref.targets:
            yield target.key


def _env_updated(self):
    BookStyle.formatted.clear()  # the bibliography may have changed since the last build
    self._book_citing = None
    self._book_citing = _citing_documents(self)
    try:
        return _upstream_env_updated(self)
    finally:
        self._book_citing = None


_upstream_env_updated = BibtexDomain.env_updated
BibtexDomain.get_filtered_entries = _get_filtered_entries
BibtexDomain.get_all_cited_keys = _get_all_cited_keys
BibtexDomain.env_updated = _env_updated


def add_cited_in(app, doctree, fromdocname):
    if fromdocname not in app.config.bibliography_docnames:
        return
    env = app.env
    domain = env.get_domain("cite")
    citing = defaultdict(set)
    for ref in domain.citation_refs:
        for target in ref.targets:
            citing[target.key].add(ref.docname)
    key_of = {c.citation_id: c.key for c in domain.citations if c.bibliography_key.docname == fromdocname}
    for citation in doctree.findall(nodes.citation):
        key = next((key_of[i] for i in citation["ids"] if i in key_of), None)
        docs = sorted(d for d in citing.get(key, ()) if d != fromdocname and d in env.titles)
        if not docs:
            continue
        para = nodes.paragraph(classes=["cited-in"])
        para += nodes.Text("Cited in: ")
        for n, doc in enumerate(docs):
            if n:
                para += nodes.Text(", ")
            para += nodes.reference("", env.titles[doc].astext(), internal=True,
                                    refuri=app.builder.get_relative_uri(fromdocname, doc))
        citation += para


def bibliography_outdated(app, env, added, changed, removed):
    if added or changed or removed:
        return [d for d in app.config.bibliography_docnames if d in env.found_docs and d not in changed]
    return []


def setup(app):
    app.add_config_value("bibliography_docnames", ["bibliography"], "env")
    app.connect("doctree-resolved", add_cited_in)
    app.connect("env-get-outdated", bibliography_outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
