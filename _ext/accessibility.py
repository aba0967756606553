"""Fix the theme's markup where accessibility checks (axe-core) fail it.

* The navigation's expand/collapse toggles are ``<summary>`` elements holding
  only an icon: they get a label a screen reader can announce.
* Citation lists are ``role="list"`` with ``role="doc-biblioentry"`` items, a
  role ARIA 1.3 deprecates, so checkers see a list without list items; the
  items become ``role="listitem"``.
The search button's label is fixed in _templates/search-button-field.html.
"""

import functools

TOGGLE = '<summary><span class="toctree-toggle"'
LABELLED_TOGGLE = '<summary aria-label="Show or hide this section\'s pages"><span class="toctree-toggle"'


def fix_page(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
    generate = context.get("generate_toctree_html")
    if generate is not None:
        @functools.wraps(generate)
        def labelled(*args, **kwargs):
            return str(generate(*args, **kwargs)).replace(TOGGLE, LABELLED_TOGGLE)

        context["generate_toctree_html"] = labelled


def setup(app):
    app.connect("html-page-context", fix_page, priority=900)  # after the theme has added its functions
    return {"parallel_read_safe": True, "parallel_write_safe": True}
