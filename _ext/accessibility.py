"""Fix the theme's markup where accessibility checks (axe-core) fail it.

* The navigation's expand/collapse toggles are ``<summary>`` elements holding
  only an icon: they get a label a screen reader can announce.
* Citation lists are ``role="list"`` with ``role="doc-biblioentry"`` items, a
  role ARIA 1.3 deprecates, so checkers see a list without list items; the
  items become ``role="listitem"``.
The search button's label is fixed in _templates/search-button-field.html.

Upstream internal: the theme's ``generate_toctree_html`` page-context function
(pydata_sphinx_theme/toctree.py, pydata-sphinx-theme 0.20.0; sphinx-book-theme
1.4.0 calls it for the sidebar) is wrapped, and its HTML edited as a string: the
toggle markup ``TOGGLE`` is the theme's own. Guarded by
tests/test_contracts.py::test_theme_toctree_toggle_markup.
"""

from __future__ import annotations

import functools
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from _ext.shared import AFTER_THEME

TOGGLE = '<summary><span class="toctree-toggle"'
LABELLED_TOGGLE = '<summary aria-label="Show or hide this section\'s pages"><span class="toctree-toggle"'


def label_toggles(navigation: str) -> str:
    """The navigation's HTML with each toggle labelled."""
    return navigation.replace(TOGGLE, LABELLED_TOGGLE)


def fix_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Relabel the bibliography's list items and the navigation's toggles of one page."""
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
    generate = context.get("generate_toctree_html")
    if generate is not None:

        @functools.wraps(generate)
        def labelled(*args, **kwargs):
            return label_toggles(str(generate(*args, **kwargs)))

        context["generate_toctree_html"] = labelled


def setup(app: Sphinx) -> dict[str, Any]:
    """Edit each page's context after the theme has added its functions to it."""
    app.setup_extension("sphinx_book_theme")
    app.connect("html-page-context", fix_page, priority=AFTER_THEME)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
