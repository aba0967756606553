"""The sidebar's navigation drawn once for a group of sibling pages, not once per page.

The theme draws each page's sidebar navigation by resolving the book's whole table of
contents for that page, rendering it, and editing the HTML with BeautifulSoup; and it
draws it twice a page (its check that a sidebar template is not empty, then the page).
On a 2,000-page book that was over half of the time to write a page, growing with the
number of chapters, since every chapter is listed on every page.

Pages in one folder, listed by the same table of contents of the same parent page and
nowhere else, with no pages of their own under them, have the same navigation except for
which of them is the current page. So the theme draws the navigation of the first such
page of each group; for each other page, that first page's entry is made a plain link
again and the page's own link is made the current entry, as the theme marks it. Anything
outside that case (the root page, a page with pages under it, a page listed twice or
nowhere, a builder whose addresses differ per page, an entry not found exactly once) is
drawn by the theme. The same table of contents matters, not only the same parent: the
theme marks the list that holds the current page.
Each page's navigation is kept for the second of its two requests.

The book's copy of sphinx-book-theme's sidebar component (``_templates/sbt-sidebar-nav.html``)
calls ``sidebar_nav``, which this module adds to each page's context before the theme's own
handlers run: the theme checks that each sidebar template renders something by rendering
it, before any later handler could wrap its function.

Upstream internals: the page-context function ``generate_toctree_html`` added by
pydata-sphinx-theme (pydata_sphinx_theme/toctree.py, 0.20.0), the component
sphinx_book_theme/components/sbt-sidebar-nav.html (1.4.0), and the markup of a plain and
of a current entry in the navigation (``ENTRY``, ``CURRENT``). Guarded by
tests/test_contracts.py: test_theme_sidebar_nav_is_the_one_copied, and
test_sidebar_nav_draws_what_the_theme_draws, which builds a book with and without this
module and compares every page.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from _ext.accessibility import label_toggles
from _ext.shared import BEFORE_THEME

# An entry of the theme's sidebar navigation, as a plain link and as the current page.
ENTRY = '<li class="toctree-l{level}"><a class="reference internal" href="{href}">{title}</a></li>'
CURRENT = '<li class="toctree-l{level} current active"><a class="current reference internal" href="#">{title}</a></li>'
CURRENT_ENTRY = re.compile(re.escape(CURRENT).replace(r"\{level\}", r"(\d+)").replace(r"\{title\}", "(.*?)"))


def swap_current(drawn: str, drawn_for_href: str, page_href: str) -> str | None:
    """The navigation ``drawn`` for a sibling, with the current entry moved to the page.

    ``drawn_for_href`` is the sibling's address seen from the page, ``page_href`` the page's
    address seen from the sibling (both pages are in one folder). None if the sibling's
    current entry or the page's plain entry is not found exactly once.
    """
    current = CURRENT_ENTRY.findall(drawn)
    plain = re.compile(
        re.escape(ENTRY)
        .replace(r"\{level\}", r"(\d+)")
        .replace(r"\{href\}", re.escape(html.escape(page_href)))
        .replace(r"\{title\}", "(.*?)")
    )
    page = plain.findall(drawn)
    if len(current) != 1 or len(page) != 1:
        return None
    (level, title), (page_level, page_title) = current[0], page[0]
    return drawn.replace(
        CURRENT.format(level=level, title=title),
        ENTRY.format(level=level, href=html.escape(drawn_for_href), title=title),
    ).replace(
        ENTRY.format(level=page_level, href=html.escape(page_href), title=page_title),
        CURRENT.format(level=page_level, title=page_title),
    )


def setup(app: Sphinx) -> dict[str, Any]:
    """Give each page's context ``sidebar_nav``; what is drawn is kept for one build."""
    app.setup_extension("_ext.accessibility")
    drawn: dict[tuple, tuple[str, str]] = {}  # {(place, folder, arguments): (first page, its navigation)}
    placed: dict[str, tuple[str, int]] = {}  # {page listed once, with no pages under it: (parent, toctree)}

    def new_build(app: Sphinx, builder: Any) -> None:
        """Titles and the table of contents may have changed since the last build."""
        drawn.clear()
        placed.clear()
        env = app.env
        listed = Counter(child for children in env.toctree_includes.values() for child in children)
        for parent in env.toctree_includes:
            # Which of the parent's tables of contents lists a page matters: the theme marks it.
            for index, toctree in enumerate(env.tocs[parent].findall(addnodes.toctree)):
                for child in toctree["includefiles"]:
                    if listed[child] == 1 and not env.toctree_includes.get(child):
                        placed[child] = (parent, index)

    def add_function(
        app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None
    ) -> None:
        """Give the page's context ``sidebar_nav``, which the book's copy of the theme's
        sidebar component calls instead of ``generate_toctree_html``."""
        place = placed.get(pagename) if pagename != app.config.root_doc else None
        builder = app.builder
        folder = posixpath.dirname(builder.get_target_uri(pagename))
        own: dict[tuple, str] = {}  # the theme asks twice a page: its emptiness check, then the page

        def draw(*args: Any, **kwargs: Any) -> str:
            # Looked up when called: the theme adds its function after this handler. Labelled
            # here because the theme's emptiness check calls it before accessibility.py wraps
            # it; on the page's own render the wrapper has labelled it already (a no-op).
            return label_toggles(str(context["generate_toctree_html"](*args, **kwargs)))

        def sidebar_nav(*args: Any, **kwargs: Any) -> str:
            key = (args, tuple(sorted(kwargs.items())))
            if key not in own:
                group = (place, folder, key) if place and kwargs.get("kind") == "sidebar" else None
                own[key] = reuse(group) or draw(*args, **kwargs)
                if group:
                    drawn.setdefault(group, (pagename, own[key]))
            return own[key]

        def reuse(group: tuple | None) -> str | None:
            """The navigation drawn for the group's first page, made this page's; None if none."""
            if group not in drawn:
                return None
            first_page, navigation = drawn[group]
            return swap_current(
                navigation,
                builder.get_relative_uri(pagename, first_page),
                builder.get_relative_uri(first_page, pagename),
            )

        context["sidebar_nav"] = sidebar_nav

    app.connect("write-started", new_build)
    # Before the theme's handlers: its check that the sidebar's templates are not empty
    # renders them, and so calls sidebar_nav, before any later handler could step in.
    app.connect("html-page-context", add_function, priority=BEFORE_THEME)
    # No env_version: nothing of this module is kept in the environment.
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
