"""Sphinx's in-memory copy of a page's stored doctree, dropped once the book has used it.

Sphinx 9 keeps the bytes of every stored doctree it loads (``BuildEnvironment.get_doctree``)
until the build ends, so that a page loaded twice is read from disk once. The book loads
each page's doctree to write it, and before that when the glossary scans a re-read page:
after a clean build of 500 pages the main process held every page's bytes, 19 MB (75 MB
at 2,000 pages), and each writer forked from it the bytes loaded so far. A page loaded
again is read from its file, as on the first load; what is built does not change.

Upstream internal: sphinx/environment/__init__.py (Sphinx 9.0.4), the dict
``BuildEnvironment._pickled_doctree_cache`` that ``get_doctree`` fills. Guarded by
tests/test_contracts.py::test_sphinx_keeps_each_loaded_doctree_in_pickled_doctree_cache.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def forget(env: BuildEnvironment, docname: str) -> None:
    """Drop Sphinx's in-memory copy of a page's stored doctree (it is read from disk if needed again)."""
    getattr(env, "_pickled_doctree_cache", {}).pop(docname, None)


def forget_written(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A page is loaded once to be written: its bytes are not needed again."""
    forget(app.env, docname)


def setup(app: Sphinx) -> dict[str, Any]:
    """Drop each page's stored bytes once it is resolved for writing."""
    app.connect("doctree-resolved", forget_written)
    # No env_version: nothing of this module is kept in the environment.
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
