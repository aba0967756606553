"""Remember which installed packages provide a pybtex plugin, once per process.

pybtex resolves a plugin (a style, a backend) by first looking in its registry
of plugins registered at run time, then scanning every installed package's entry
points; sphinxcontrib-bibtex asks for the ``plaintext`` backend on every
citation. The scan costs about 2 ms, and a clean build of the book makes about
480 look-ups: 0.96 s of a 5.1 s build (measured with pybtex 0.26.1).

Only the entry-point scan is remembered, never a look-up's answer: pybtex still
consults its run-time registry first on every call, so a plugin registered later,
or replaced with ``register_plugin(..., force=True)``, is found at once.

Upstream internal: pybtex/plugin/__init__.py (pybtex 0.26.1) calls the module
name ``entry_points`` (imported from importlib.metadata) from
``_load_entry_point`` and ``register_plugin``; this module replaces that name.
Guarded by tests/test_contracts.py::test_pybtex_plugin_lookup_uses_the_cache.
"""

from __future__ import annotations

import functools
from typing import Any

import pybtex.plugin
from sphinx.application import Sphinx


@functools.cache
def _installed(group: str, name: str) -> Any:
    return _upstream_entry_points(group=group, name=name)


def cached_entry_points(**params: Any) -> Any:
    """importlib.metadata.entry_points, remembered for the (group, name) look-ups pybtex makes."""
    if set(params) == {"group", "name"}:
        return _installed(params["group"], params["name"])
    return _upstream_entry_points(**params)


_upstream_entry_points = pybtex.plugin.entry_points


def setup(app: Sphinx) -> dict[str, Any]:
    """Install the cache in pybtex (once per process; a second app finds it in place)."""
    pybtex.plugin.entry_points = cached_entry_points
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
