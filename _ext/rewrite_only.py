"""Pages written again without being read again do not drag their parents along.

With every page it writes, Sphinx writes the pages whose table of contents lists it
(``Builder.write`` in ``sphinx/builders/__init__.py``, Sphinx 9.0.4, from
``env.files_to_rebuild``), because a page read again may have a new title. Some pages are
only written again, never read again: those that show an edited bibliography entry or
definition (dependants.py) and those that list other pages (``rewrite_on_any_change`` in
shared.py). Their titles cannot have changed, so their parents need not be written: after
a bibliography edit, the book's landing page and every chapter index above a citing page
were written for nothing.

The handlers that return such pages from ``env-updated`` pass them through
``rewrite_only()``. When writing starts, the ``files_to_rebuild`` entries of those not read
in this build are set aside; they are put back when the build ends. The environment is
saved before writing starts, so what is set aside is never lost from it.

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

# Per build, for each application: the pages read, the pages only written again, and the
# table-of-contents entries set aside while writing. Dropped when the build ends.
_builds: WeakKeyDictionary[Sphinx, dict[str, Any]] = WeakKeyDictionary()


def _build(app: Sphinx) -> dict[str, Any]:
    return _builds.setdefault(app, {"read": set(), "rewrite": set(), "aside": {}})


def rewrite_only(app: Sphinx, docnames: Iterable[str]) -> list[str]:
    """For ``env-updated`` handlers: the pages to write again (sorted), noted as not re-read."""
    docnames = sorted(docnames)
    _build(app)["rewrite"].update(docnames)
    return docnames


def note_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _build(app)["read"] = set(docnames)


def set_parents_aside(app: Sphinx, builder: Builder) -> None:
    build = _build(app)
    for docname in sorted(build["rewrite"] - build["read"]):
        if docname in app.env.files_to_rebuild:
            build["aside"][docname] = app.env.files_to_rebuild.pop(docname)


def put_parents_back(app: Sphinx, exception: Exception | None) -> None:
    build = _builds.pop(app, None)
    if build:
        app.env.files_to_rebuild.update(build["aside"])


def setup(app: Sphinx) -> dict[str, Any]:
    """Keep the parents of pages that are only written again out of the pages to write."""
    app.connect("env-before-read-docs", note_read)
    app.connect("write-started", set_parents_aside)
    app.connect("build-finished", put_parents_back)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
