"""The ``tagged-pages`` directive: list the pages whose front matter carries a tag.

Topic pages use it so that a new page joins its topics by naming them in its own
``tags``, with no list kept by hand. A page with the directive is written again
when a page read again changed its tags, description or title.
Which pages hold the directive is per-document state, kept in a small domain
that forgets a page when it is re-read and merges parallel reads.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.util.docutils import SphinxDirective

from _ext.page_metadata import front_matter
from _ext.shared import page_link, rewrite_when_shown_changes


class tagged_pages(nodes.General, nodes.Element):
    """Placeholder, replaced by the list once every page has been read."""


class TaggedPagesDomain(Domain):
    """The pages that hold a ``tagged-pages`` directive."""

    name = "tagged"
    label = "Tagged pages"
    initial_data: ClassVar[dict[str, Any]] = {"docs": set()}

    @property
    def docs(self) -> set[str]:
        """Names of the documents with a directive."""
        return self.data["docs"]

    def clear_doc(self, docname: str) -> None:
        """Forget a page that is about to be re-read or was removed."""
        self.docs.discard(docname)

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        """Take in what a parallel reader found on its pages."""
        self.docs.update(d for d in otherdata["docs"] if d in docnames)


class TaggedPagesDirective(SphinxDirective):
    """``:::{tagged-pages} TAG``: the pages whose front matter lists TAG."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        """A placeholder node, filled in by ``fill`` once every page has been read."""
        tag = self.arguments[0]
        if tag not in self.config.page_metadata_tags:
            raise self.error(
                "unknown tag %r (allowed: %s)" % (tag, ", ".join(self.config.page_metadata_tags))
            )
        self.env.get_domain("tagged").docs.add(self.env.docname)
        return [tagged_pages(tag=tag)]


def fill(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Replace each placeholder with the list of the pages carrying its tag."""
    env = app.env
    for node in list(doctree.findall(tagged_pages)):
        found = sorted(
            doc
            for doc in env.metadata
            if node["tag"] in (front_matter(env, doc).get("tags") or [])
            and doc != fromdocname
            and doc in env.titles
        )
        items = nodes.bullet_list(classes=["tagged-pages"])
        for doc in found:
            para = nodes.paragraph()
            para += page_link(app, fromdocname, doc)
            description = front_matter(env, doc).get("description")
            if description:
                para += nodes.Text(": " + description)
            items += nodes.list_item("", para)
        node.replace_self(items if found else nodes.paragraph(text="No page carries this tag yet."))


def shown_in_topics(env, pages: list[str]) -> dict[str, Any]:
    """What a topic page shows of each page: its tags and description."""
    shown = {}
    for doc in pages:
        meta = front_matter(env, doc)
        if meta.get("tags"):
            shown[doc] = (tuple(meta["tags"]), meta.get("description"))
    return shown


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive, its domain and its rebuild rule."""
    app.setup_extension("_ext.page_metadata")
    app.add_node(tagged_pages)
    app.add_domain(TaggedPagesDomain)
    app.add_directive("tagged-pages", TaggedPagesDirective)
    app.connect("doctree-resolved", fill)
    rewrite_when_shown_changes(app, lambda app, env: env.get_domain("tagged").docs, shown_in_topics)
    return {"version": "1", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
