"""Read a handful of changed pages in the main process, not in parallel workers.

With ``-j auto``, Sphinx 9 reads in parallel however few pages changed (Sphinx 8 and
earlier did so only above five). Each worker sends the whole environment back to be
merged, which costs seconds on a large book: after a one-page edit of a 500-page book,
more than reading the page itself. Below ``small_reads_max`` pages (default 5, Sphinx
8's rule), this extension lets Sphinx read serially, then restores the parallel writing.

Upstream internal: sphinx/builders/__init__.py, Builder.read (Sphinx 9.0.4) emits
``env-before-read-docs`` and only then looks at ``app.parallel`` to choose; the
attribute is set back once the pages are read (``env-updated``). Guarded by
tests/test_contracts.py::test_sphinx_chooses_parallel_reading_after_env_before_read_docs.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

FIRST = 0  # env-updated: before any handler that might look at app.parallel


# The number of processes set aside while a build reads serially, per application.
_parallel: WeakKeyDictionary[Sphinx, int] = WeakKeyDictionary()


def read_few_serially(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Below the threshold, make this build's reading serial."""
    if app.parallel > 1 and len(docnames) <= app.config.small_reads_max:
        _parallel[app] = app.parallel
        app.parallel = 1


def restore_parallel(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Writing stays parallel as configured."""
    saved = _parallel.pop(app, None)
    if saved:
        app.parallel = saved
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    """Choose serial reading for small rebuilds."""
    app.add_config_value("small_reads_max", 5, "", types=[int])
    app.connect("env-before-read-docs", read_few_serially, priority=900)
    app.connect("env-updated", restore_parallel, priority=FIRST)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
