"""Hold every annotated page to the anatomy and its minimums, at build time.

An annotated page is one that ``page_metadata_source_pages`` (conf.py) names and
``anatomy_exempt`` does not (an issue's overview page introduces its sections and
follows a shorter form). Each such page, unless its front matter says
``draft: true``, must have:

- the "About this text" box (an admonition with the class ``about-this-text``);
- every section in ``anatomy_sections``, as a second-level heading (an entry that
  is a list names alternatives: a story is told step by step, not argued);
- at least ``anatomy_min_margin_notes`` margin notes;
- at least ``anatomy_min_words`` words, not counting the reference list;
- links to at least ``anatomy_min_links`` other pages of the book, not counting the
  glossary and the bibliography's pages (its landing page and ``bibliography_docnames``);
- at least one citation.

A shortfall is a warning naming the file and the line of the page's title (or of
the heading concerned), which the strict build turns into an error. The minimums
are set out for contributors in CONTRIBUTING.md.
"""

import fnmatch
import posixpath
import re

from docutils import nodes
from sphinx.util import logging

from _ext.page_metadata import front_matter

logger = logging.getLogger(__name__)

# The glossary and the bibliography's landing page; reference_pages adds the bibliography's
# pages, which conf.py names (bibliography_docnames).
REFERENCE_PAGES = {"glossary", "bibliography"}


def _matches(docname, patterns):
    return any(fnmatch.fnmatch(docname, p) for p in patterns if not p.startswith("!")) and not any(
        fnmatch.fnmatch(docname, p[1:]) for p in patterns if p.startswith("!")
    )


def is_annotated(docname, config):
    """Whether the anatomy applies to a page (drafts aside): the book's one definition."""
    return _matches(docname, config.page_metadata_source_pages) and not _matches(
        docname, config.anatomy_exempt
    )


def _title_line(env, docname):
    try:
        lines = open(env.doc2path(docname), encoding="utf-8").read().splitlines()
    except OSError:
        return 1
    in_front_matter = bool(lines) and lines[0].strip() == "---"
    for lineno, line in enumerate(lines, 1):
        if in_front_matter:
            in_front_matter = lineno == 1 or line.strip() != "---"
        elif re.match(r"#\s", line):
            return lineno
    return 1


def reference_pages(config):
    """The pages that list every term or work: a link to one does not connect a page to the book."""
    return REFERENCE_PAGES | set(config.bibliography_docnames)


def _linked_pages(doctree, docname):
    pages = set()
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if not ref.get("internal") or not uri or uri.startswith("#") or "://" in uri:
            continue
        path = uri.split("#")[0]
        for suffix in (".html", ".xhtml"):  # the site's pages, or the EPUB's
            if path.endswith(suffix):
                page = path[: -len(suffix)]
                pages.add(posixpath.normpath(posixpath.join(posixpath.dirname(docname), page)))
    return pages - {docname}


def problems(doctree, docname, config):
    """Yield (message, line or None) for every way a page falls short of the anatomy."""
    sections = {}
    for section in doctree.findall(nodes.section):
        parent = section.parent
        second_level = isinstance(parent, nodes.section) and isinstance(parent.parent, nodes.document)
        if second_level and section.children and isinstance(section[0], nodes.title):
            sections[section[0].astext().strip()] = section
    if not any("about-this-text" in n.get("classes", []) for n in doctree.findall(nodes.Element)):
        yield "no 'About this text' box (:::{admonition} About this text, with :class: about-this-text)", None
    for needed in config.anatomy_sections:
        alternatives = [needed] if isinstance(needed, str) else list(needed)
        if not any(name in sections for name in alternatives):
            yield "no '## %s' section" % "' or '## ".join(alternatives), None
    margins = [n for n in doctree.findall(nodes.Element) if "margin" in n.get("classes", [])]
    if len(margins) < config.anatomy_min_margin_notes:
        yield (
            "%d margin notes; an annotated page needs at least %d"
            % (len(margins), config.anatomy_min_margin_notes),
            None,
        )
    text = doctree.astext()
    references = sections.get("References")
    if references is not None:
        text = text.replace(references.astext(), "")
    words = len(text.split())
    if words < config.anatomy_min_words:
        yield (
            "%d words; an annotated page needs at least %d, not counting its references"
            % (words, config.anatomy_min_words),
            None,
        )
    linked = _linked_pages(doctree, docname) - reference_pages(config)
    if len(linked) < config.anatomy_min_links:
        yield (
            "links to %d other pages of the book (%s); an annotated page needs at least %d, not counting "
            "the glossary and the bibliography"
            % (len(linked), ", ".join(sorted(linked)) or "none", config.anatomy_min_links),
            None,
        )
    if (
        not any("bibtex" in " ".join(n.get("classes", [])) for n in doctree.findall(nodes.Element))
        and references is not None
        and not references.findall(nodes.citation)
    ):
        yield "cites no work", None


def check_anatomy(app, doctree, docname):
    if app.builder.format != "html" or not is_annotated(docname, app.config):
        return
    if front_matter(app.env, docname).get("draft") is True:
        return
    line = _title_line(app.env, docname)
    for message, at in problems(doctree, docname, app.config):
        logger.warning(
            "anatomy: " + message, location=(docname, at or line), type="anatomy", subtype="minimum"
        )


def setup(app):
    app.setup_extension("_ext.citations")  # bibliography_docnames
    app.add_config_value("anatomy_exempt", [], "env")
    app.add_config_value("anatomy_sections", [], "env")
    app.add_config_value("anatomy_min_margin_notes", 0, "env")
    app.add_config_value("anatomy_min_words", 0, "env")
    app.add_config_value("anatomy_min_links", 0, "env")
    app.connect("doctree-resolved", check_anatomy)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
