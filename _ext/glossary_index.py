"""Make the glossary the book's index of concepts.

* Every page must link a glossary term it uses: a page whose text names a term
  (whole word, any case, plural too, or one of its synonyms) without a single
  ``{term}`` link to it gets a warning at the line of the first unlinked use.
  A term that no page outside the glossary uses is reported too.
* Each glossary entry lists the pages that use it, each with the sentence
  around its link (as "Linked from" does, ``_ext/backlinks.py``), computed at
  build time; the glossary is written again whenever a page changes.
* A link to a term carries the term's definition as its hover text.
* Editing a definition rewrites the pages that link the term, and no others
  (dependants.py).

The environment keeps, per page, the terms it links with the sentence around
the first link to each (``glossary_links_by_doc``, for "Used in"), and the first
place it names each term (``glossary_mentions_by_doc``), never the page's prose:
a page is scanned from its stored doctree once the pages are read
(``env-updated``), when it was re-read or when the glossary's names changed.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util import logging

from _ext.backlinks import context_item, fill, sentence_around
from _ext.doctree_cache import forget
from _ext.shared import page_link, page_links, rewrite_when_shown_changes

logger = logging.getLogger(__name__)

# Text in these nodes is not prose a reader reads as the page's own words.
SKIP = (
    nodes.literal_block,
    nodes.literal,
    nodes.title,
    nodes.reference,
    addnodes.pending_xref,
    nodes.citation,
    nodes.footnote,
    nodes.raw,
    nodes.comment,
    nodes.system_message,
    nodes.term,
)


def _norm(name):
    return " ".join(name.lower().split())


def _pattern(names):
    """Any of the names as a whole word, plural too; the name itself in group "name"."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?P<name>%s)(?:s|es)?(?![\w-])" % alternatives, re.IGNORECASE)


def _skipped(node):
    while isinstance(node, nodes.Element):
        if isinstance(node, SKIP) or "bibliography" in node["classes"]:
            return True
        node = node.parent
    return False


def _text_runs(doctree):
    """(text, line) for every run of prose text on the page."""
    for text in doctree.findall(nodes.Text):
        if _skipped(text.parent):
            continue
        parent = text.parent
        line = None
        while parent is not None and line is None:
            line = parent.line
            parent = parent.parent
        yield str(text), line


def collect(app, doctree):
    """On each page read: its glossary entries and the terms it links; it is scanned for names later."""
    env = app.env
    docname = env.docname
    entries = {}
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            terms = [t for t in item.findall(nodes.term)]
            definition = next(iter(item.findall(nodes.definition)), None)
            if not terms or definition is None:
                continue
            names = [t.astext() for t in terms]
            ids = [i for t in terms for i in t["ids"]]
            text = " ".join(p.astext() for p in definition.children if isinstance(p, nodes.paragraph))
            if _norm(names[0]) in entries:  # the first definition stays; hover texts keep showing it
                # Term nodes inside a MyST directive carry lines relative to it: find them in the source.
                lines = [
                    n
                    for n, line in enumerate(open(env.doc2path(docname), encoding="utf-8"), 1)
                    if _norm(line) == _norm(names[0])
                ] or [None, None]
                logger.warning(
                    "duplicate glossary term '%s' (first defined at line %s); merge the two definitions",
                    names[0],
                    lines[0],
                    location=(docname, lines[-1]),
                    type="glossary",
                    subtype="duplicate",
                )
                # Sphinx's standard domain lets the second definition win the {term} links;
                # point them back at the first (sphinx/domains/std/__init__.py, Sphinx 9.0).
                first = (docname, entries[_norm(names[0])]["ids"][0])
                std = env.get_domain("std")
                std.objects[("term", names[0])] = first
                std.data.setdefault("terms", {})[names[0].lower()] = first
                continue
            entries[_norm(names[0])] = {
                "names": names,
                "ids": ids,
                "definition": " ".join(text.split()),
                "line": terms[0].line or glossary.line,
            }
    if entries:
        env.glossary_entries_by_doc[docname] = entries
    linked = {}  # term -> the sentence around the page's first link to it
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("reftype") == "term":
            linked.setdefault(_norm(xref["reftarget"]), sentence_around(xref))
    env.glossary_links_by_doc[docname] = linked
    env.glossary_unscanned.add(docname)
    # Its hover texts show definitions: dependants.py writes it again when one it links changes.


def _all_entries(env):
    return {
        key: dict(entry, docname=doc)
        for doc, entries in env.glossary_entries_by_doc.items()
        for key, entry in entries.items()
    }


def _key_of(entries):
    return {_norm(name): key for key, entry in entries.items() for name in entry["names"]}


def scan_mentions(app, env):
    """Record where each page first names each term: pages re-read in this build, or every
    page when the glossary's names changed (a new synonym may occur anywhere)."""
    entries = _all_entries(env)
    key_of = _key_of(entries)
    names = sorted(key_of)
    todo = set(env.glossary_unscanned)
    if names != env.glossary_names_scanned:
        todo |= set(env.glossary_mentions_by_doc)
        env.glossary_names_scanned = names
    pattern = _pattern(key_of) if key_of else None  # every name of every term, in one expression
    for docname in sorted(todo):
        if docname not in env.all_docs:
            continue
        mentions = {}
        if pattern is not None and docname not in env.glossary_entries_by_doc:
            for text, line in _text_runs(env.get_doctree(docname)):
                for match in pattern.finditer(text):
                    mentions.setdefault(key_of[_norm(match.group("name"))], (match.group(0), line))
            forget(env, docname)  # not kept in memory until the page is written, if it is
        env.glossary_mentions_by_doc[docname] = mentions
    env.glossary_unscanned.clear()
    return []


def check_usage(app, env):
    """Warn about terms a page names without linking, and about terms no page uses."""
    entries = _all_entries(env)
    key_of = _key_of(entries)
    used_anywhere = set()
    for docname, mentions in sorted(env.glossary_mentions_by_doc.items()):
        linked = {key_of[name] for name in env.glossary_links_by_doc.get(docname, ()) if name in key_of}
        used_anywhere |= linked
        for key, (text, line) in mentions.items():  # in the order the page names them
            used_anywhere.add(key)
            if key in linked or key not in entries:
                continue
            name = entries[key]["names"][0]
            logger.warning(
                "glossary term '%s' is used ('%s') but not linked on this page; "
                "write {term}`%s` at its first use",
                name,
                text,
                name,
                location=(docname, line),
                type="glossary",
                subtype="unlinked",
            )
    for key, entry in sorted(entries.items()):
        if key not in used_anywhere:
            logger.warning(
                "glossary term '%s' is used on no page outside the glossary",
                entry["names"][0],
                location=(entry["docname"], entry["line"]),
                type="glossary",
                subtype="unused",
            )


def purge(app, env, docname):
    """Forget what was collected from a page that is re-read or removed."""
    for store in (env.glossary_entries_by_doc, env.glossary_links_by_doc, env.glossary_mentions_by_doc):
        store.pop(docname, None)
    env.glossary_unscanned.discard(docname)


def merge(app, env, docnames, other):
    """Take in what a parallel reader collected from its pages."""
    for name in ("glossary_entries_by_doc", "glossary_links_by_doc", "glossary_mentions_by_doc"):
        mine, theirs = getattr(env, name), getattr(other, name)
        for docname in docnames:
            if docname in theirs:
                mine[docname] = theirs[docname]
    env.glossary_unscanned |= other.glossary_unscanned & set(docnames)


def init_env(app):
    """Create the environment's stores on the first build."""
    env = app.env
    for name in ("glossary_entries_by_doc", "glossary_links_by_doc", "glossary_mentions_by_doc"):
        if not hasattr(env, name):
            setattr(env, name, {})
    if not hasattr(env, "glossary_unscanned"):
        env.glossary_unscanned = set()  # pages read since they were last scanned for names
        env.glossary_names_scanned = None  # the names the stored mentions were found with


class GlossaryCollector(EnvironmentCollector):
    """The glossary's per-document state: collected on read, forgotten on purge, merged after
    parallel reads; the glossary is written again when a page's term links changed (its lists of uses)."""

    def process_doc(self, app, doctree):
        """See collect()."""
        collect(app, doctree)

    def clear_doc(self, app, env, docname):
        """See purge()."""
        purge(app, env, docname)

    def merge_other(self, app, env, docnames, other):
        """See merge()."""
        merge(app, env, docnames, other)


def resolve(app, doctree, fromdocname):
    """Give term links their definition as hover text; list each term's uses in the glossary."""
    env = app.env
    entries = _all_entries(env)
    definitions = {i: e["definition"] for e in entries.values() for i in e["ids"]}
    # Hover text: a term link shows its definition.
    for inline in doctree.findall(nodes.inline):
        if "std-term" in inline["classes"] and isinstance(inline.parent, nodes.reference):
            anchor = inline.parent.get("refuri", "").rpartition("#")[2] or inline.parent.get("refid", "")
            if anchor in definitions:
                inline.parent["reftitle"] = definitions[anchor]
    # Uses: under each definition in the glossary, the pages that link the term.
    if fromdocname not in env.glossary_entries_by_doc:
        return
    for item in doctree.findall(nodes.definition_list_item):
        terms = list(item.findall(nodes.term))
        definition = next(iter(item.findall(nodes.definition)), None)
        if not terms or definition is None:
            continue
        names = {_norm(t.astext()) for t in terms}
        users = sorted(
            (doc, next(linked[name] for name in sorted(names) if name in linked))
            for doc, linked in env.glossary_links_by_doc.items()
            if names & linked.keys() and doc != fromdocname and doc in env.titles
        )
        if users:
            definition += uses_list(app, fromdocname, users)


# Pages shown with their sentence under each term. Fewer than the bibliography's "Cited in"
# (backlinks.MAX_CONTEXTS): the glossary holds every term's list on one page, and each
# sentence adds about 0.2 KB to a page that must stay under 300 KB with all its files
# (tests/test_browser.py, test_every_page_is_light).
GLOSSARY_CONTEXTS = 2


def uses_list(app, fromdocname, users):
    """ "Used in": the first ``GLOSSARY_CONTEXTS`` pages with the sentence of their first link to the
    term, then the other pages as plain links, so a term every page uses keeps a short entry."""
    block = nodes.container(classes=["glossary-uses", "no-search"])  # search finds a page by its own words
    block += nodes.paragraph("", "", nodes.strong(text="Used in:"))
    items = nodes.bullet_list()
    for doc, context in users[:GLOSSARY_CONTEXTS]:
        items += context_item(page_link(app, fromdocname, doc), fill(app.env, context))
    block += items
    if users[GLOSSARY_CONTEXTS:]:
        rest = [doc for doc, _ in users[GLOSSARY_CONTEXTS:]]
        block += page_links(app, fromdocname, rest, nodes.Text("Also used in: "), ["glossary-more-uses"])
    return block


def shown_in_glossary(env, pages):
    """What the glossary shows of each page: the terms it links, with the sentence of each first link."""
    return {doc: dict(env.glossary_links_by_doc[doc]) for doc in pages if env.glossary_links_by_doc.get(doc)}


def setup(app: Sphinx) -> dict[str, Any]:
    """Collect the glossary and its uses, check them, and draw the lists of uses."""
    app.add_config_value("glossary_docnames", ["glossary"], "env")
    app.connect("builder-inited", init_env)
    app.add_env_collector(GlossaryCollector)
    # A page's term links changed: the glossary's lists of uses must be redrawn.
    rewrite_when_shown_changes(app, lambda app, env: app.config.glossary_docnames, shown_in_glossary)
    app.connect("env-updated", scan_mentions)
    app.connect("env-check-consistency", check_usage)
    app.connect("doctree-resolved", resolve)
    return {"version": "1", "env_version": 4, "parallel_read_safe": True, "parallel_write_safe": True}
