"""The book's own scripts and stylesheets, and Sphinx's, minified in the output.

The files in ``_static/`` are written to be read: comments that say why, one
statement a line. Readers download them on every page, where the comments and
the indentation are a fifth to a half of each file (15 KB of a long page).
After the build, each of the book's own ``.js`` and ``.css`` files in the output
is replaced by its minified form: rjsmin and rcssmin (both by André Malo), which
remove only comments and whitespace, and so leave the code's meaning as it was.
The sources in ``_static/`` stay as they are.

Sphinx's own ``doctools.js``, ``sphinx_highlight.js`` and ``basic.css``, which
every page loads unminified (Sphinx 9.0.4, themes/basic/static/), are minified
the same way (rjsmin keeps their template literals as they are).
Left alone: vendored files (``_static/vendor/``, already minified), the theme's
files (shipped minified) and Sphinx's search tools. Runs before css_trim.py
reads the scripts, so words that appear only in a script's comments no longer
keep stylesheet rules alive.
Sphinx copies ``html_static_path`` afresh at every build (``force=True``), and
minifying a minified file changes nothing, so an incremental build is safe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import rcssmin
import rjsmin
from sphinx.application import Sphinx

from _ext.shared import AFTER_ICONS

BEFORE_CSS_TRIM = AFTER_ICONS - 150  # build-finished: after icons.py, before css_trim.py reads the scripts
MINIFIERS = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}
SPHINX_FILES = ["doctools.js", "sphinx_highlight.js", "basic.css"]  # in the output's _static/


def own_files(confdir: str | Path, static_path: list[str]) -> list[str]:
    """The book's static files that a minifier can shrink, relative to each static folder."""
    found = []
    for folder in static_path:
        root = Path(confdir) / folder
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if (
                path.suffix in MINIFIERS
                and "vendor" not in relative.parts
                and not path.name.endswith(".min.js")
            ):
                found.append(relative.as_posix())
    return found


def minify(app: Sphinx, exception: Exception | None) -> None:
    """Replace the output copy of each of the book's scripts and stylesheets by its minified form."""
    if exception or app.builder.format != "html":
        return
    for name in [*own_files(app.confdir, app.config.html_static_path), *SPHINX_FILES]:
        path = Path(app.outdir) / "_static" / name
        if path.exists():
            text = path.read_text(encoding="utf-8")
            small = MINIFIERS[path.suffix](text).strip() + "\n"
            if small != text:
                path.write_text(small, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Minify the book's own static files after the build."""
    app.connect("build-finished", minify, priority=BEFORE_CSS_TRIM)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
