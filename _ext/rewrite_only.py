"""A page written again drags its parents along only when what they show of it changed.

With every page it writes, Sphinx writes the pages whose table of contents lists it
(``Builder.write`` in ``sphinx/builders/__init__.py``, Sphinx 9.0.4, from
``env.files_to_rebuild``), because a page read again may have a new title or sections.
A parent shows of its child the title and the headings in ``env.tocs``; when neither
changed, writing the parent is wasted work, and the work grows with the book: a chapter
index lists every page of its chapter.

* Pages only written again, never read again: those that show an edited bibliography
  entry or definition (dependants.py) and those that list other pages
  (``rewrite_when_shown_changes`` in shared.py). The handlers that return them from
  ``env-updated`` pass them through ``rewrite_only()``.
* Pages read again whose title and table of contents are what they were before reading
  (an edit to a paragraph, a citation, a term link).

When writing starts, the ``files_to_rebuild`` entries of those pages are set aside; they
are put back when the build ends. The environment is saved before writing starts, so
what is set aside is never lost from it. A new page, or one whose headings changed,
still writes its parents; a changed title also rewrites every page (navigation.py).

Upstream internal relied on: ``Builder.write`` emits ``write-started`` before it adds the
parents. Guarded by ``tests/test_contracts.py::test_sphinx_adds_toctree_parents_after_write_started``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment

# Per build, for each application: the pages read, with their title and table of contents
# before reading; the pages only written again; and the table-of-contents entries set aside
# while writing. Dropped when the build ends.
_builds: WeakKeyDictionary[Sphinx, dict[str, Any]] = WeakKeyDictionary()


def _build(app: Sphinx) -> dict[str, Any]:
    return _builds.setdefault(app, {"read": {}, "rewrite": set(), "aside": {}})


def _shown_to_parents(env: BuildEnvironment, docname: str) -> str | None:
    """What a parent shows of a page: its title and headings (None for a page not read yet)."""
    if docname not in env.tocs or docname not in env.titles:
        return None
    return str(env.titles[docname]) + str(env.tocs[docname])


def rewrite_only(app: Sphinx, docnames: Iterable[str]) -> list[str]:
    """For ``env-updated`` handlers: the pages to write again (sorted), noted as not re-read."""
    docnames = sorted(docnames)
    _build(app)["rewrite"].update(docnames)
    return docnames


def note_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _build(app)["read"] = {docname: _shown_to_parents(env, docname) for docname in docnames}


def set_parents_aside(app: Sphinx, builder: Builder) -> None:
    build, env = _build(app), app.env
    unchanged = {
        docname
        for docname, before in build["read"].items()
        if before is not None and before == _shown_to_parents(env, docname)
    }
    for docname in sorted((build["rewrite"] - build["read"].keys()) | unchanged):
        if docname in env.files_to_rebuild:
            build["aside"][docname] = env.files_to_rebuild.pop(docname)


def put_parents_back(app: Sphinx, exception: Exception | None) -> None:
    build = _builds.pop(app, None)
    if build:
        app.env.files_to_rebuild.update(build["aside"])


def setup(app: Sphinx) -> dict[str, Any]:
    """Keep the parents of pages whose title and headings did not change out of the pages to write."""
    app.connect("env-before-read-docs", note_read)
    app.connect("write-started", set_parents_aside)
    app.connect("build-finished", put_parents_back)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
