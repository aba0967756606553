"""Pages marked ``draft: true`` in their front matter build, with a banner saying so.

A scaffolded page (``make new-page``) starts as a draft: it builds strictly with its
placeholders, the anatomy's minimums (anatomy.py) wait until the draft line goes,
and a reader of a preview sees at once that the page is unfinished. `make check`
fails while any page is still a draft (tests/test_contributing.py), so none is
published.
"""

from docutils import nodes

from _ext.page_metadata import front_matter


def is_draft(env, docname):
    return front_matter(env, docname).get("draft") is True


def add_banner(app, doctree):
    if not is_draft(app.env, app.env.docname):
        return
    banner = nodes.admonition("", classes=["draft-banner", "warning"])
    banner += nodes.title("", "Draft")
    banner += nodes.paragraph(
        "",
        "This page is a draft: its text, sources and facts are not yet checked. "
        "It is not part of the published book.",
    )
    title = next(iter(doctree.findall(nodes.title)), None)
    if title is not None:
        title.parent.insert(title.parent.index(title) + 1, banner)
    else:
        doctree.insert(0, banner)


def setup(app):
    app.connect("doctree-read", add_banner, priority=600)  # after page_metadata.py has read the front matter
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
