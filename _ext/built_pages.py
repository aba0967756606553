"""What the built pages contain, read once per build for the post-build passes.

A helper module for the extensions, not an extension itself.

icons.py and css_trim.py both need every class attribute of every built page;
reading hundreds of pages twice would double the cost of every rebuild.
"""

import re
from pathlib import Path

CLASS_ATTR = re.compile(r'class="([^"]*)"')


def class_attributes(app):
    """The value of every class attribute in every built HTML page (cached for this build)."""
    cached = getattr(app, "_book_class_attributes", None)
    if cached is None:
        cached = app._book_class_attributes = [
            value for page in sorted(Path(app.outdir).rglob("*.html"))
            for value in CLASS_ATTR.findall(page.read_text(encoding="utf-8"))
        ]
    return cached
