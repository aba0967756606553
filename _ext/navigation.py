"""Rewrite every page when the book's navigation changes, so no sidebar goes stale.

Every page carries the navigation (the sidebar, the previous and next links).
Sphinx rewrites only the pages it re-read, so after a page is added, removed or
retitled, or a toctree edited, the other pages kept their old navigation until
``_build`` was deleted, and ``make live`` showed a stale book. A page's description
is shown the same way, as the hover text of every link to the page (previews.py).
This extension notes the toctrees, titles and descriptions of the pages about to be
read (``env-before-read-docs``) and, when any of them changed or a page came or went,
marks every page for writing (``env-updated``). An edit that leaves them alone
still rewrites only its own page.
"""

from _ext.page_metadata import front_matter

_BEFORE = "_navigation_before"


def _snapshot(env, docnames):
    return {
        doc: (
            tuple(env.toctree_includes.get(doc, ())),
            env.titles[doc].astext() if doc in env.titles else None,
            front_matter(env, doc).get("description"),
        )
        for doc in docnames
    }


def note_navigation(app, env, docnames):
    setattr(env, _BEFORE, (_snapshot(env, docnames), set(env.all_docs)))


def rewrite_if_navigation_changed(app, env):
    before, known = getattr(env, _BEFORE, ({}, set(env.all_docs)))
    if hasattr(env, _BEFORE):
        delattr(env, _BEFORE)  # not pickled with the environment
    if not before and known == set(env.all_docs):
        return []
    if known != set(env.all_docs) or before != _snapshot(env, before):
        return sorted(env.all_docs)
    return []


def setup(app):
    app.connect("env-before-read-docs", note_navigation)
    app.connect("env-updated", rewrite_if_navigation_changed)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
