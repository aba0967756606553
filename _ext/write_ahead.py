"""The main process resolves pages for the parallel writers only as fast as they write them.

With ``-j``, Sphinx 9 writes pages in forked workers: the main process resolves a chunk of
pages (up to ~150 on a large book), hands it to a worker, and goes on to the next chunk
without waiting, while at most ``-j`` minus one workers run. The book's pages take longer
to write (the theme's templates) than to resolve, so chunk after chunk of resolved pages
waited in the main process for a free worker, and every worker forked later inherited
them: a clean build of 2,000 pages peaked at 819 MB with the queue, 513 MB without.

Here a chunk is handed over only when a worker is free to take it, so the main process
holds the chunk being written and the one it is resolving, never a queue. Pages are written
in the same chunks, by as many workers, with the same output. A worker that finishes finds
the next chunk resolved and waiting (within the 20 ms the main process polls at), or, if
the main process is the slower, waits for it as before.

Reading is left as Sphinx does it (its chunks are page names, and their results are merged
as they arrive): the bound is in place from ``write-started`` to ``build-finished``.

Upstream internals: sphinx/util/parallel.py and sphinx/builders/__init__.py (Sphinx 9.0.4):
``Builder._write_parallel`` makes its ``ParallelTasks`` through the name in
``sphinx.builders``; ``ParallelTasks`` counts its running tasks in ``_pworking`` against
``nproc`` and takes a finished task's result with ``_join_one()``, as its own ``join()``
does. Guarded by tests/test_contracts.py::test_sphinx_parallel_writes_make_their_tasks_by_name.
"""

from __future__ import annotations

import time
from typing import Any

import sphinx.builders
from sphinx.application import Sphinx
from sphinx.util.parallel import ParallelTasks


class HandOverWhenFree(ParallelTasks):
    """ParallelTasks whose add_task first waits for a free worker (taking finished results)."""

    def add_task(self, task_func: Any, arg: Any = None, result_func: Any = None) -> None:
        while self._pworking >= self.nproc:
            if not self._join_one():
                time.sleep(0.02)  # as ParallelTasks.join polls
        super().add_task(task_func, arg, result_func)


def bound_writes(app: Sphinx, builder: Any) -> None:
    """From here the builder's parallel writes wait for a free worker."""
    sphinx.builders.ParallelTasks = HandOverWhenFree


def unbound(app: Sphinx, exception: Exception | None) -> None:
    """Sphinx's own class again, for anything after the build in this process."""
    sphinx.builders.ParallelTasks = ParallelTasks


def setup(app: Sphinx) -> dict[str, Any]:
    """Bound the parallel writes of each build."""
    app.connect("write-started", bound_writes)
    app.connect("build-finished", unbound)
    # No env_version: nothing of this module is kept in the environment.
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
