"""Make the bibliography's pages usable, and the links in every reference list live.

On each bibliography page (``bibliography_docnames``: one per kind of work), each entry
* is labelled author-year ("Amodei et al. 2016"); its citation key becomes the
  entry's anchor (``bibliography/papers.html#Amodei2016concrete``);
* is sorted by first author (or organisation), then year, within its page;
* shows the first six of more than eight authors, then "et al.", with the full
  list in a collapsed block under the entry;
* links each citing page to the exact place of each citation ("Cited in"), with
  the sentence around its first citation of the work (as "Linked from" does,
  ``_ext/backlinks.py``), for the first five citing pages;
* carries its own BibTeX in a collapsed block; ``_static/bibliography.js`` adds
  a download link to each, a filter box, and a link to the whole
  ``references.bib``, which the HTML build copies to the site's root. On the HTML
  website the block's BibTeX is loaded when a reader first opens one (from
  ``_static/bibtex-entries.js``, written beside the page's other files; a third
  of the page's weight otherwise); without JavaScript the block links to the
  whole ``references.bib``. The EPUB keeps each entry's BibTeX in its block.
In every reference list, addresses and DOIs written in an entry's note become links.

Everything happens on the resolved doctree, so the EPUB gets the same pages
(without the script). The labels are this module's only formatting rule: the
citation style (``_ext/citations.py``) is untouched.
"""

import json
import posixpath
import re
import shutil
from collections import defaultdict
from pathlib import Path

from docutils import nodes
from pybtex.database import BibliographyData
from pybtex.richtext import Text
from sphinx import addnodes

from _ext.backlinks import MAX_CONTEXTS, context_item, fill, sentence_around
from _ext.figures import details
from _ext.shared import keep_per_document

URL_OR_DOI = re.compile(r"(https?://[^\s<>\"]+|\bdoi:\s*10\.\d{4,9}/[^\s<>\"]+|\b10\.\d{4,9}/[^\s<>\"]+)")
TRAILING = ".,;:)]"
SHOWN, LONG = 6, 8  # more than LONG authors: show the first SHOWN, then "et al."


def _plain(latex):
    return str(Text.from_latex(latex)).strip()


def _names(entry):
    return entry.persons.get("author") or entry.persons.get("editor") or []


def _surname(person):
    return _plain(" ".join(person.prelast_names + person.last_names))


def author_year_label(entry):
    """'Radford et al. 2019', 'Shevlane and Dafoe 2020', 'OpenAI 2023'."""
    names = _names(entry)
    if not names:
        who = _plain(
            entry.fields.get("organization") or entry.fields.get("publisher") or entry.fields["title"]
        )
    elif len(names) == 1:
        who = _surname(names[0])
    elif len(names) == 2:
        who = "%s and %s" % (_surname(names[0]), _surname(names[1]))
    else:
        who = "%s et al." % _surname(names[0])
    return "%s %s" % (who, entry.fields.get("year", "n.d."))


def sort_key(entry):
    names = _names(entry)
    first = _surname(names[0]) if names else author_year_label(entry).rsplit(" ", 1)[0]
    return (first.casefold(), entry.fields.get("year", ""), _plain(entry.fields.get("title", "")).casefold())


def linkify(paragraph):
    """Turn addresses and DOIs in plain text (not already in a link) into links."""
    for text in list(paragraph.findall(nodes.Text)):
        if any(isinstance(a, (nodes.reference, nodes.literal)) for a in _ancestors(text, paragraph)):
            continue
        source = str(text)
        if not URL_OR_DOI.search(source):
            continue
        pieces, last = [], 0
        for match in URL_OR_DOI.finditer(source):
            found = match.group(0).rstrip(TRAILING)
            if found.count("(") < found.count(")"):
                found = found[:-1]
            start, end = match.start(), match.start() + len(found)
            pieces.append(nodes.Text(source[last:start]))
            doi = re.sub(r"^doi:\s*", "", found) if not found.startswith("http") else None
            uri = "https://doi.org/" + doi if doi else found
            pieces.append(nodes.reference(found, found, refuri=uri, internal=False))
            last = end
        pieces.append(nodes.Text(source[last:]))
        text.parent.replace(text, [p for p in pieces if not (isinstance(p, nodes.Text) and not str(p))])


def _ancestors(node, stop):
    node = node.parent
    while node is not None and node is not stop:
        yield node
        node = node.parent


def _shorten_authors(paragraph, entry):
    """Keep the first six of a long author list in the entry; the full list goes in a details block."""
    names = _names(entry)
    leading = []
    for child in paragraph.children:  # pybtex renders a name list as several text pieces
        if not isinstance(child, nodes.Text):
            break
        leading.append(child)
    if len(names) <= LONG or not leading:
        return None
    first = "".join(str(t) for t in leading)
    last_name = _surname(names[-1])
    end = first.find(last_name + ". ")
    if end < 0:
        return None
    end += len(last_name)
    authors = first[:end]
    parts = authors.split(", ")
    if len(parts) < SHOWN + 1:
        return None
    for old in leading[1:]:
        paragraph.remove(old)
    paragraph.replace(leading[0], nodes.Text(", ".join(parts[:SHOWN]) + ", et al." + first[end + 1 :]))
    block = details(summary="All %d authors" % len(names), classes=["all-authors"])
    block += nodes.paragraph("", authors + ".")
    return block


def _raw_entries(srcdir, bibfiles):
    """{key: the entry's text as written in the .bib file}, so a download is exactly the source."""
    raw = {}
    for bibfile in bibfiles:
        text = (Path(srcdir) / bibfile).read_text(encoding="utf-8")
        for match in re.finditer(r"^@\w+\s*\{\s*([^,\s]+)\s*,", text, re.M):
            depth, start = 0, text.index("{", match.start())
            for i in range(start, len(text)):
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                if depth == 0:
                    break
            raw[match.group(1)] = text[match.start() : i + 1]
    return raw


BIBTEX_DATA = "_static/bibtex-entries.js"  # {key: BibTeX as written}, for bibliography.js


def _lazy_bibtex(app):
    """Whether the BibTeX blocks load their text on demand: the HTML website of a one-file bibliography."""
    return app.builder.name == "html" and len(app.config.bibtex_bibfiles) == 1


def _bibtex_block(key, entry, raw, bibfile_uri=None):
    block = details(summary="BibTeX", classes=["bibtex-source"])
    block["data-key"] = key
    if bibfile_uri and key in raw:
        para = nodes.paragraph(classes=["bibtex-elsewhere"])
        para += nodes.Text("In ")
        para += nodes.reference("", posixpath.basename(bibfile_uri), refuri=bibfile_uri)
        block += para
        return block
    source = raw.get(key) or BibliographyData(entries={key: entry}).to_string("bibtex").strip()
    block += nodes.literal_block(source, source, language="text", classes=["bibtex-entry"])
    return block


def _cited_in(app, fromdocname, key, places):
    """ "Cited in": each citing page, linked to its first citation of the work (its further
    citations as numbers), with the sentence of the first one; past ``MAX_CONTEXTS`` pages,
    the links alone."""
    env = app.env
    block = nodes.container(classes=["cited-in", "no-search"])  # search finds a page by its own words
    block += nodes.paragraph("", "", nodes.strong("", "Cited in:"))
    items = nodes.bullet_list()
    rest = nodes.paragraph("", "Also cited in: ", classes=["cited-in-more"])
    for n, doc in enumerate(sorted(places)):
        ids = places[doc]
        uri = app.builder.get_relative_uri(fromdocname, doc)
        link = nodes.reference("", env.titles[doc].astext(), internal=True, refuri="%s#%s" % (uri, ids[0]))
        again = []
        for m, ref_id in enumerate(ids[1:], 2):
            again.append(nodes.Text(" "))
            again.append(
                nodes.reference(
                    "",
                    str(m),
                    internal=True,
                    refuri="%s#%s" % (uri, ref_id),
                    reftitle="Citation %d on that page" % m,
                    classes=["cited-again"],
                )
            )
        if n < MAX_CONTEXTS:
            context = env.citation_contexts.get(doc, {}).get(key, "")
            items += context_item(link, fill(env, context), *again)
        else:
            rest += [nodes.Text("; ")] if n > MAX_CONTEXTS else []
            rest += [link, *again]
    block += items
    if len(places) > MAX_CONTEXTS:
        block += rest
    return block


def collect_contexts(app, doctree):
    """While a page is read: the sentence around its first citation of each work."""
    contexts = {}
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("refdomain") == "cite":
            for key in xref["reftarget"].split(","):
                if key.strip() and key.strip() not in contexts:
                    contexts[key.strip()] = sentence_around(xref)
    app.env.citation_contexts[app.env.docname] = contexts


def improve_reference_lists(app, doctree, fromdocname):
    domain = app.env.get_domain("cite")
    for citation in doctree.findall(nodes.citation):
        for paragraph in citation.findall(nodes.paragraph):
            if "cited-in" not in paragraph.get("classes", []):
                linkify(paragraph)
    if fromdocname not in app.config.bibliography_docnames:
        return
    entry_of = {c.citation_id: c for c in domain.citations if c.bibliography_key.docname == fromdocname}
    places = defaultdict(lambda: defaultdict(list))  # key -> citing document -> citation reference ids
    for ref in domain.citation_refs:
        if ref.docname != fromdocname and ref.docname in app.env.titles:
            for target in ref.targets:
                places[target.key][ref.docname].append(ref.citation_ref_id)
    lists, raw = [], _raw_entries(app.srcdir, app.config.bibtex_bibfiles)
    bibfile_uri = None
    if _lazy_bibtex(app):  # the file is at the site's root: ../references.bib from bibliography/
        bibfile_uri = posixpath.relpath(
            posixpath.basename(app.config.bibtex_bibfiles[0]), posixpath.dirname(fromdocname) or "."
        )
    for citation in list(doctree.findall(nodes.citation)):
        found = next((entry_of[i] for i in citation["ids"] if i in entry_of), None)
        if found is None:
            continue
        key, entry = found.key, found.entry
        citation["ids"].insert(0, key)  # the key is the anchor: bibliography/papers.html#Amodei2016concrete
        for label in citation.findall(nodes.label):
            label.children = [nodes.Text(author_year_label(entry))]
            break
        paragraphs = [p for p in citation.children if isinstance(p, nodes.paragraph)]
        for old in [p for p in paragraphs if "cited-in" in p.get("classes", [])]:
            citation.remove(old)
        extra = []
        if paragraphs:
            block = _shorten_authors(paragraphs[0], entry)
            if block is not None:
                extra.append(block)
        if places.get(key):
            extra.append(_cited_in(app, fromdocname, key, places[key]))
        extra.append(_bibtex_block(key, entry, raw, bibfile_uri))
        citation.extend(extra)
        if citation.parent not in lists:
            lists.append(citation.parent)
        citation["book_sort"] = sort_key(entry)
    for parent in lists:
        cites = [c for c in parent.children if isinstance(c, nodes.citation) and "book_sort" in c]
        positions = [parent.index(c) for c in cites]
        for position, cite in zip(positions, sorted(cites, key=lambda c: c["book_sort"]), strict=False):
            parent.children[position] = cite
        for cite in cites:
            del cite["book_sort"]


def add_script(app, pagename, templatename, context, doctree):
    if (
        pagename in app.config.bibliography_docnames
        and app.builder.format == "html"
        and app.builder.name != "epub"
    ):
        app.add_js_file("bibliography.js", defer="defer")


def copy_bibfile(app, exception):
    """The whole references.bib at the site's root, for the pages' download links, and each
    entry's BibTeX as a script, for the blocks that load it when opened."""
    if exception is None and app.builder.name in ("html", "dirhtml"):
        for bibfile in app.config.bibtex_bibfiles:
            shutil.copyfile(Path(app.srcdir) / bibfile, Path(app.outdir) / Path(bibfile).name)
        if _lazy_bibtex(app):
            raw = _raw_entries(app.srcdir, app.config.bibtex_bibfiles)
            data = json.dumps(raw, ensure_ascii=False, sort_keys=True, indent=0)
            (Path(app.outdir) / BIBTEX_DATA).write_text("window.BOOK_BIBTEX = %s;\n" % data, encoding="utf-8")


def setup(app):
    app.setup_extension("_ext.figures")  # the details node
    keep_per_document(app, citation_contexts=dict)
    app.connect("doctree-read", collect_contexts)
    app.connect("doctree-resolved", improve_reference_lists, priority=600)  # after citations.add_cited_in
    app.connect("html-page-context", add_script)
    app.connect("build-finished", copy_bibfile)
    return {"version": "1.0", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
