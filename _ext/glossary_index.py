"""Make the glossary the book's index of concepts.

* Every page must link a glossary term it uses: a page whose text names a term
  (whole word, any case, plural too, or one of its synonyms) without a single
  ``{term}`` link to it gets a warning at the line of the first unlinked use.
  A term that no page outside the glossary uses is reported too.
* Each glossary entry lists, as links, the pages that use it, computed at build
  time; the glossary is rebuilt whenever a page changes.
* A link to a term carries the term's definition as its hover text.
* A page that links a term depends on the glossary's source, so editing a
  definition rebuilds the pages that show it.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from _ext.shared import page_links, rebuild_on_any_change

logger = logging.getLogger(__name__)

# Text in these nodes is not prose a reader reads as the page's own words.
SKIP = (nodes.literal_block, nodes.literal, nodes.title, nodes.reference, addnodes.pending_xref,
        nodes.citation, nodes.footnote, nodes.raw, nodes.comment, nodes.system_message, nodes.term)


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
    """On each page read: its glossary entries, the terms it links, and its prose for check_usage."""
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
            entries[_norm(names[0])] = {"names": names, "ids": ids, "definition": " ".join(text.split()),
                                        "line": terms[0].line or glossary.line}
    if entries:
        env.glossary_entries_by_doc[docname] = entries
    linked = {_norm(x["reftarget"]) for x in doctree.findall(addnodes.pending_xref) if x.get("reftype") == "term"}
    env.glossary_links_by_doc[docname] = linked
    env.glossary_text_by_doc[docname] = list(_text_runs(doctree)) if not entries else []
    if linked:  # its hover texts show definitions: rebuild it when the glossary changes
        for glossary_doc in app.config.glossary_docnames:
            env.note_dependency(env.doc2path(glossary_doc))


def _all_entries(env):
    return {key: dict(entry, docname=doc) for doc, entries in env.glossary_entries_by_doc.items()
            for key, entry in entries.items()}


def check_usage(app, env):
    """Warn about terms a page names without linking, and about terms no page uses."""
    entries = _all_entries(env)
    key_of = {_norm(name): key for key, entry in entries.items() for name in entry["names"]}
    pattern = _pattern(key_of)  # every name of every term, in one expression: one pass per text run
    used_anywhere = set()
    for docname, runs in sorted(env.glossary_text_by_doc.items()):
        linked = {key_of[name] for name in env.glossary_links_by_doc.get(docname, ()) if name in key_of}
        used_anywhere |= linked
        reported = set()
        for text, line in runs:
            for match in pattern.finditer(text):
                key = key_of[_norm(match.group("name"))]
                used_anywhere.add(key)
                if key in linked or key in reported:
                    continue
                reported.add(key)
                name = entries[key]["names"][0]
                logger.warning("glossary term '%s' is used ('%s') but not linked on this page; "
                               "write {term}`%s` at its first use", name, match.group(0), name,
                               location=(docname, line), type="glossary", subtype="unlinked")
    for key, entry in sorted(entries.items()):
        if key not in used_anywhere:
            logger.warning("glossary term '%s' is used on no page outside the glossary", entry["names"][0],
                           location=(entry["docname"], entry["line"]), type="glossary", subtype="unused")


def purge(app, env, docname):
    """Forget what was collected from a page that is re-read or removed."""
    for store in (env.glossary_entries_by_doc, env.glossary_links_by_doc, env.glossary_text_by_doc):
        store.pop(docname, None)


def merge(app, env, docnames, other):
    """Take in what a parallel reader collected from its pages."""
    for name in ("glossary_entries_by_doc", "glossary_links_by_doc", "glossary_text_by_doc"):
        mine, theirs = getattr(env, name), getattr(other, name)
        for docname in docnames:
            if docname in theirs:
                mine[docname] = theirs[docname]


def init_env(app):
    """Create the environment's stores on the first build."""
    env = app.env
    for name in ("glossary_entries_by_doc", "glossary_links_by_doc", "glossary_text_by_doc"):
        if not hasattr(env, name):
            setattr(env, name, {})


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
        users = sorted(doc for doc, linked in env.glossary_links_by_doc.items()
                       if linked & names and doc != fromdocname and doc in env.titles)
        if not users:
            continue
        para = page_links(app, fromdocname, users, nodes.strong(text="Used in: "), ["glossary-uses"])
        definition += para


def setup(app: Sphinx) -> dict[str, Any]:
    """Collect the glossary and its uses, check them, and draw the lists of uses."""
    app.add_config_value("glossary_docnames", ["glossary"], "env")
    app.connect("builder-inited", init_env)
    # A page's term links changed: the glossary's lists of uses must be redrawn.
    app.connect("env-get-outdated", rebuild_on_any_change(lambda app, env: app.config.glossary_docnames))
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-check-consistency", check_usage)
    app.connect("doctree-resolved", resolve)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
