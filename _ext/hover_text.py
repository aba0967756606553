"""Each piece of hover text once per page.

Citations, glossary terms and links to other pages carry hover text in their
``title`` attribute: the full reference (sphinxcontrib-bibtex's tooltips), the
term's definition (glossary_index.py), the page's title and description
(previews.py). A long page cites the same few works dozens of times, and the
glossary lists the same pages under term after term, so the same text was
repeated up to a hundred times: a third of the longest pages' HTML.

Once every extension has set its text:

* a citation drops it altogether: the full reference is on the same page, in the
  page's reference list the citation links to, and _static/previews.js shows
  that entry's text;
* for any other link, the first link to each target keeps it and later links to
  the same target with the same text drop it; previews.js gives them the text
  of the first.

So every link shows its preview on hover and on keyboard focus as before.
Without JavaScript the first link to another page or term still shows its text
as the browser's tooltip, and every link still leads to what it names.

Only the HTML website is slimmed: an EPUB reader runs no page scripts, so there
every link keeps its own text.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

LATE = 990  # doctree-resolved: after every extension that sets hover text (default 500, some 600)


def target(reference: nodes.reference) -> str:
    """The link's target as its href will read: a URI, or '#id' on the same page."""
    return reference.get("refuri") or "#" + reference.get("refid", "")


def is_citation(reference: nodes.reference, citations: set[str]) -> bool:
    """A citation (sphinxcontrib-bibtex's ``bibtex-citation``) of an entry in this page's reference list."""
    parent = reference.parent
    return (
        isinstance(parent, nodes.inline)
        and "bibtex-citation" in parent.get("classes", [])
        and target(reference).startswith("#")
        and target(reference)[1:] in citations
    )


def drop_repeated_titles(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Drop citations' titles; keep each other (target, text) pair's title on its first link only."""
    if app.builder.name != "html":
        return
    citations = {i for citation in doctree.findall(nodes.citation) for i in citation["ids"]}
    seen = set()
    for reference in doctree.findall(nodes.reference):
        title = reference.get("reftitle")
        if not title:
            continue
        if is_citation(reference, citations):
            del reference["reftitle"]
            continue
        key = (target(reference), title)
        if key in seen:
            del reference["reftitle"]
        else:
            seen.add(key)


def setup(app: Sphinx) -> dict[str, Any]:
    """Slim each page's hover text once all of it is in place."""
    app.connect("doctree-resolved", drop_repeated_titles, priority=LATE)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
