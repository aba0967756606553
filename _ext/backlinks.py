"""Backlinks with context: every page ends with "Linked from".

Each page that links to this one is listed with the sentence around its link, so a reader
can see why it links here before following it. Sphinx keeps no such index, so this module
builds one:

* while a page is read, every cross-reference it makes to another page (``{ref}``,
  ``{doc}``, ``{numref}``) is recorded with its sentence, in ``env.backlinks_out``;
* once all pages are read, the links are resolved to pages (a label names its page) and
  grouped by target in ``env.backlinks_in``; every page whose list changed is written
  again, even if its own source did not change (``env-get-updated``), which keeps
  incremental builds correct;
* when a page is written, its list becomes the last section of the page. The section is
  marked ``no-search``: search finds a page by its own words, not by the sentences of
  pages that link to it.

Term links (the glossary lists its users), citations (the bibliography lists its citers)
and the generated claims ledger table are not counted.
"""

import posixpath
import re
import sys

from docutils import nodes
from sphinx import addnodes

from _ext.shared import keep_per_document

KINDS = {"ref", "doc", "numref"}
SKIP_CLASSES = {"claims-ledger"}
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
MAX_CONTEXT = 320
# The glossary's "Used in" and the bibliography's "Cited in" show the sentence of the first
# few pages only; the rest are plain links, so an entry every page uses stays short.
MAX_CONTEXTS = 5


def _skipped(node):
    while isinstance(node, nodes.Element):
        if SKIP_CLASSES & set(node.get("classes", ())):
            return True
        node = node.parent
    return False


def _text(node, link):
    """The text of a block; a link whose text is filled in later (a ``{ref}`` without a title)
    becomes a marker that ``fill`` replaces with the target's title, and the link of interest
    is wrapped in markers to find it."""
    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "cite":
        # its text is the key, not prose: ``fill`` writes it as the page shows it
        text = "\x00cite:%s:%s\x00" % (node.get("reftype", "p"), node["reftarget"])
    elif (
        isinstance(node, addnodes.pending_xref)
        and node.get("refdomain") == "std"
        and node.get("reftype") in KINDS
        and not node.get("refexplicit")
    ):
        text = "\x00%s:%s\x00" % (node["reftype"], node["reftarget"])
    else:
        text = "".join(_text(child, link) for child in node.children)
    return "\x01" + text + "\x02" if node is link else text


def sentence_around(node):
    """The sentence of the paragraph (or table cell) that holds the link."""
    block = node.parent
    while block is not None and not isinstance(block, (nodes.paragraph, nodes.entry, nodes.title)):
        block = block.parent
    if block is None:
        return ""
    text = " ".join(_text(block, node).split())
    if isinstance(block.parent, nodes.entry):
        block = block.parent
    row = block.parent if isinstance(block, nodes.entry) else None
    if row is not None and row.children and row.children[0] is not block:
        text = " ".join(_text(row.children[0], node).split()) + ": " + text
    for part in SENTENCE_END.split(text):
        if "\x01" in part:
            text = part
            break
    if len(text) > MAX_CONTEXT:
        at = text.find("\x01")
        lo = max(0, at - MAX_CONTEXT // 2)
        lo = text.rfind(" ", 0, lo) + 1 if lo else 0
        hi = text.find(" ", lo + MAX_CONTEXT)
        text = (
            ("\u2026" if lo else "")
            + text[lo : hi if hi > 0 else None].strip()
            + ("\u2026" if hi > 0 else "")
        )
    # One object per sentence: a sentence kept for several lists (a link, a term, a citation)
    # is pickled once with the environment.
    return sys.intern(re.sub(r"\s+([.,;:])", r"\1", text.replace("\x01", "").replace("\x02", "")))


def _citation(env, kind, keys):
    """A citation as the page shows it: "Radford et al. (2019)" or "(Radford et al., 2019)"."""
    from _ext.bibliography_page import author_year_label  # imports this module

    entries = env.get_domain("cite").bibdata.data.entries
    labels = [author_year_label(entries[k]).rsplit(" ", 1) for k in keys.split(",") if k.strip() in entries]
    if kind.strip("s").endswith("t"):  # {cite:t}, {cite:ts}, {cite:ct}: the names are the sentence's
        return ", ".join(f"{who} ({year})" for who, year in labels)
    return "(" + "; ".join(f"{who}, {year}" for who, year in labels) + ")"


def fill(env, text):
    """Replace each ``{ref}`` marker with the title it will show, each citation with its label."""
    std = env.domains.standard_domain

    def title(match):
        kind, target = match.group(1), match.group(2)
        if kind == "cite":
            return _citation(env, *target.split(":", 1))
        if kind == "doc":
            return env.titles[target].astext() if target in env.titles else target
        hit = std.labels.get(target)
        return hit[2] if hit else target

    return re.sub("\x00(ref|doc|numref|cite):([^\x00]*)\x00", title, text)


def collect(app, doctree):
    docname = app.env.docname
    links = []
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") != "std" or node.get("reftype") not in KINDS or _skipped(node):
            continue
        target = node["reftarget"]
        if node["reftype"] == "doc":
            target = (
                target[1:]
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(docname), target))
            )
        links.append((node["reftype"], target, sentence_around(node)))
    app.env.backlinks_out[docname] = links


def _target_doc(env, kind, target):
    if kind == "doc":
        return target if target in env.all_docs else None
    std = env.domains.standard_domain
    hit = std.labels.get(target) or std.anonlabels.get(target)
    return hit[0] if hit else None


def incoming(env):
    """{target page: [(linking page, its title, context)]}, in a stable order."""
    result = {}
    for source in sorted(env.backlinks_out):
        seen = set()
        for kind, target, context in env.backlinks_out[source]:
            page = _target_doc(env, kind, target)
            if page is None or page == source or (page, source) in seen:
                continue
            seen.add((page, source))
            title = env.titles[source].astext() if source in env.titles else source
            result.setdefault(page, []).append((source, title, fill(env, context)))
    return result


def pages_to_rewrite(app, env):
    new = incoming(env)
    old = getattr(env, "backlinks_in", {})
    env.backlinks_in = new
    return sorted(doc for doc in set(new) | set(old) if new.get(doc) != old.get(doc) and doc in env.all_docs)


def add_section(app, doctree, docname):
    top = next((child for child in doctree.children if isinstance(child, nodes.section)), None)
    if top is None:
        return
    section = nodes.section("", ids=["linked-from"], classes=["backlinks", "no-search"])
    section += nodes.title("", "Linked from")
    entries = app.env.backlinks_in.get(docname, [])
    if not entries:
        section += nodes.paragraph("", "No other page links here yet.")
    else:
        items = nodes.bullet_list()
        for source, title, context in entries:
            uri = app.builder.get_relative_uri(docname, source)
            items += context_item(nodes.reference("", title, internal=True, refuri=uri), context)
        section += items
    top += section


def context_item(link, context, *more):
    """A list item: a link to a page (and ``more`` nodes after it), then the sentence around
    the use it points to. "Linked from", the glossary's "Used in" and the bibliography's
    "Cited in" lists are made of these."""
    para = nodes.paragraph("", "", link, *more)
    if context:
        para += nodes.Text(": ")
        para += nodes.inline("", context, classes=["backlink-context"])
    return nodes.list_item("", para)


def setup(app):
    keep_per_document(app, backlinks_out=dict)
    app.connect("doctree-read", collect)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("doctree-resolved", add_section)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
