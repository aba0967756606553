"""Hover previews for cross-references.

A link to another page of the book carries that page's title and one-sentence
description (its front matter) as hover text, so a reader can see where a link
leads before following it. Term links get their definition from
glossary_index.py and citations their full reference from sphinxcontrib-bibtex;
_static/previews.js turns all of these into popovers.
"""

import posixpath

from docutils import nodes

from _ext.page_metadata import front_matter


def add_previews(app, doctree, fromdocname):
    env, builder = app.env, app.builder
    if not hasattr(builder, "get_target_uri"):
        return
    uri_to_doc = getattr(builder, "_book_uri_to_doc", None)
    if uri_to_doc is None:  # once per build, not once per page
        uri_to_doc = builder._book_uri_to_doc = {builder.get_target_uri(doc): doc for doc in env.found_docs}
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
        ref["reftitle"] = "%s: %s" % (env.titles[target].astext(), description) if description else \
            env.titles[target].astext()


def setup(app):
    app.connect("doctree-resolved", add_previews)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
