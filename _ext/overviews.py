"""The pages that describe the book must mention every source it annotates.

The landing page, the newsletter index and the topics index say in prose which
texts the book reads. When a new source arrives (a new newsletter issue, a new
essay) their text goes stale silently. This extension makes it loud: each page
named in ``overview_pages`` must link to every source matching its patterns, or the
build warns with the page's file and line, naming the source it leaves out.

A source is one annotated page (an essay), or, where the page's folder has an
overview page that is itself a source page (a newsletter issue), the whole folder:
a link to any page in it counts. Drafts are not sources yet.
"""

import fnmatch
import posixpath

from sphinx.util import logging

from _ext.anatomy import _linked_pages, _matches, _title_line
from _ext.page_metadata import front_matter

logger = logging.getLogger(__name__)


def sources(env, config, patterns):
    """{source key: set of its docnames} for the non-draft source pages matching ``patterns``."""
    found = {}
    for docname in sorted(env.found_docs):
        if not _matches(docname, config.page_metadata_source_pages) or not _matches(docname, patterns):
            continue
        if front_matter(env, docname).get("draft") is True:
            continue
        folder = posixpath.dirname(docname)
        overview = folder + "/index"
        if folder and overview in env.found_docs and _matches(overview, config.page_metadata_source_pages):
            key = folder
        else:
            key = docname
        found.setdefault(key, set()).add(docname)
    return {
        key: docs
        for key, docs in found.items()
        if not (key in docs and len(docs) == 1 and key.endswith("/index"))
    }


def check_overview(app, doctree, docname):
    patterns = app.config.overview_pages.get(docname)
    if patterns is None or app.builder.format != "html":
        return
    linked = _linked_pages(doctree, docname)
    for key, docs in sources(app.env, app.config, patterns).items():
        if not (docs & linked) and not any(fnmatch.fnmatch(page, key + "/*") for page in linked):
            logger.warning(
                "%s never links to %s, which the book annotates: say in its text what that source "
                "is (CONTRIBUTING.md, 'A new newsletter issue')",
                docname,
                key,
                location=(docname, _title_line(app.env, docname)),
                type="overviews",
                subtype="stale",
            )


def rewrite_overviews(app, env, added, changed, removed):
    """A new or removed page may make an overview page stale: check it again."""
    if added or removed:
        return [name for name in app.config.overview_pages if name in env.found_docs]
    return []


def setup(app):
    app.add_config_value("overview_pages", {}, "env")
    app.connect("doctree-resolved", check_overview)
    app.connect("env-get-outdated", rewrite_overviews)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
