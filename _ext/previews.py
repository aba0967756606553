"""Hover previews for cross-references.

A link to another page of the book carries that page's title and one-sentence
description (its front matter) as hover text, so a reader can see where a link
leads before following it. Term links get their definition from
glossary_index.py and citations their full reference from sphinxcontrib-bibtex;
_static/previews.js turns all of these into popovers.
"""

from __future__ import annotations

import posixpath
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from _ext.page_metadata import front_matter

# {target URI: docname}, made once per build (not once per page); emptied when the
# pages have been read, since pages may have been added or removed.
_URI_TO_DOC: dict[str, str] = {}


def forget_uris(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Start each build's writing phase with an empty URI table."""
    _URI_TO_DOC.clear()
    return []


def add_previews(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Give each internal link to a page that page's title and description as hover text."""
    env, builder = app.env, app.builder
    if not hasattr(builder, "get_target_uri"):
        return
    uri_to_doc = _URI_TO_DOC
    if not uri_to_doc:
        uri_to_doc.update({builder.get_target_uri(doc): doc for doc in env.found_docs})
    here = posixpath.dirname(builder.get_target_uri(fromdocname))
    for ref in doctree.findall(nodes.reference):
        if not ref.get("internal") or "reftitle" in ref or not ref.get("refuri"):
            continue
        path = ref["refuri"].partition("#")[0]
        if not path:
            continue
        target = uri_to_doc.get(posixpath.normpath(posixpath.join(here, path)))
        if target is None or target not in env.titles:
            continue
        description = front_matter(env, target).get("description", "")
        ref["reftitle"] = (
            "%s: %s" % (env.titles[target].astext(), description)
            if description
            else env.titles[target].astext()
        )


def setup(app: Sphinx) -> dict[str, Any]:
    """Add hover texts to internal links once each page is resolved."""
    app.setup_extension("_ext.page_metadata")
    app.connect("env-updated", forget_uris)
    app.connect("doctree-resolved", add_previews)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
