"""The page's "open an issue" button opens the correction form, already filled in.

sphinx-book-theme (1.4, ``header_buttons/source.py``, ``add_source_buttons``) points
the button at a blank issue titled with the page's file name. This replaces that
address, after the theme has built its buttons (``html-page-context`` at priority
501), with the repository's correction form (``.github/ISSUE_TEMPLATE/correction.yml``)
and the page's title and published address in its fields. The button is found by
the label the theme gives it; tests/test_contributing.py guards the contract.
"""

import html
import re
from urllib.parse import urlencode

LABEL = "source-issues-button"
TEMPLATE = "correction.yml"


def _buttons(buttons):
    for button in buttons or []:
        yield button
        yield from _buttons(button.get("buttons"))  # a group holds its buttons here


def correction_url(app, pagename, title):
    repository = app.config.html_theme_options.get("repository_url", "").rstrip("/")
    page_url = app.config.html_baseurl.rstrip("/") + "/" + app.builder.get_target_uri(pagename)
    query = urlencode({"template": TEMPLATE, "title": "Correction: %s" % title, "page": page_url})
    return "%s/issues/new?%s" % (repository, query)


def point_to_correction_form(app, pagename, templatename, context, doctree):
    for button in _buttons(context.get("header_buttons")):
        if button.get("label") == LABEL:
            title = html.unescape(
                re.sub(r"<[^>]+>", "", context.get("title") or pagename)
            )  # titles may hold markup
            button["url"] = correction_url(app, pagename, title)


def setup(app):
    app.connect("html-page-context", point_to_correction_form, priority=510)  # after the theme's 501
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
