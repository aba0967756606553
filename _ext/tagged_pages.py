"""The ``tagged-pages`` directive: list the pages whose front matter carries a tag.

Topic pages use it so that a new page joins its topics by naming them in its own
``tags``, with no list kept by hand. A page with the directive is rebuilt
whenever any page changes, since any page may have gained or lost the tag.
"""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from _ext.page_metadata import front_matter


class tagged_pages(nodes.General, nodes.Element):
    """Placeholder, replaced by the list once every page has been read."""


class TaggedPagesDirective(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self):
        tag = self.arguments[0]
        if tag not in self.config.page_metadata_tags:
            raise self.error("unknown tag %r (allowed: %s)" % (tag, ", ".join(self.config.page_metadata_tags)))
        self.env.tagged_pages_docs = getattr(self.env, "tagged_pages_docs", set()) | {self.env.docname}
        return [tagged_pages(tag=tag)]


def fill(app, doctree, fromdocname):
    env = app.env
    for node in list(doctree.findall(tagged_pages)):
        found = sorted(doc for doc in env.metadata
                       if node["tag"] in (front_matter(env, doc).get("tags") or [])
                       and doc != fromdocname and doc in env.titles)
        items = nodes.bullet_list(classes=["tagged-pages"])
        for doc in found:
            para = nodes.paragraph()
            para += nodes.reference("", env.titles[doc].astext(), internal=True,
                                    refuri=app.builder.get_relative_uri(fromdocname, doc))
            description = front_matter(env, doc).get("description")
            if description:
                para += nodes.Text(": " + description)
            items += nodes.list_item("", para)
        node.replace_self(items if found else nodes.paragraph(text="No page carries this tag yet."))


def outdated(app, env, added, changed, removed):
    if added or changed or removed:
        return [doc for doc in getattr(env, "tagged_pages_docs", set()) if doc in env.found_docs]
    return []


def purge(app, env, docname):
    getattr(env, "tagged_pages_docs", set()).discard(docname)


def merge(app, env, docnames, other):
    env.tagged_pages_docs = getattr(env, "tagged_pages_docs", set()) | getattr(other, "tagged_pages_docs", set())


def setup(app):
    app.add_node(tagged_pages)
    app.add_directive("tagged-pages", TaggedPagesDirective)
    app.connect("doctree-resolved", fill)
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
