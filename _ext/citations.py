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
from sphinxcontrib.bibtex.plugin import register_plugin
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
    default_label_style = KeyLabelStyle


register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearStyle)
pybtex.plugin.register_plugin("pybtex.style.formatting", "book", BookStyle)

# Runtime plugins are all registered at import time, before the first look-up,
# so a remembered answer can never hide a plugin registered later.
if not hasattr(pybtex.plugin._load_entry_point, "cache_info"):
    pybtex.plugin._load_entry_point = functools.lru_cache(maxsize=None)(pybtex.plugin._load_entry_point)


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
