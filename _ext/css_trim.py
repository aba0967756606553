"""Trim the theme's stylesheet to the rules the book can use.

pydata-sphinx-theme ships one 377 KB stylesheet with all of Bootstrap and every
component any site might use, and sphinx-book-theme adds its own; a page of this
book needs a fraction of them.
After the build, each rule whose selector names a class that appears neither
in any built page nor in any of the site's scripts (which may add classes
later, such as Bootstrap's ``show``) is dropped, as are the Font Awesome web
fonts, which the book never loads (its icons are inline SVG, see icons.py),
with the rules that draw an icon as a glyph of those fonts (``content: var(--fa)``).
A selector is kept whenever in doubt: only class names are tested, and a word
that appears anywhere in a script counts as used. Inside ``:is(...)``,
``:where(...)`` and ``:has(...)`` a selector list matches when any one of its
selectors can, so one used alternative keeps the group; classes inside
``:not(...)`` need not be present at all.

Upstream files trimmed: pydata-sphinx-theme 0.20.0's
styles/pydata-sphinx-theme.css and sphinx-book-theme 1.4.0's
styles/sphinx-book-theme.css (the originals in the installed packages, never the
copies in the output).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pydata_sphinx_theme
import sphinx_book_theme
import tinycss2
from sphinx.application import Sphinx

from _ext.shared import AFTER_ICONS, class_attributes

PYDATA_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
BOOK_STATIC = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static"
# output path -> the original it is trimmed from (always the original, so that an
# incremental build never trims an already trimmed file)
STYLESHEETS = {
    "_static/styles/pydata-sphinx-theme.css": PYDATA_STATIC / "styles" / "pydata-sphinx-theme.css",
    "_static/styles/sphinx-book-theme.css": BOOK_STATIC / "styles" / "sphinx-book-theme.css",
}
# Sphinx's basic.css (15 KB) styles the basic theme's sidebars, indices and search page,
# which this theme draws its own way. It is rendered from a template, so it is trimmed from
# its copy in the output, which Sphinx writes afresh at every build (``force=True`` in
# ``copy_theme_static_files``, Sphinx 9.0.4) and minify.py has minified by then.
TRIMMED_IN_OUTPUT = ["_static/basic.css"]
WORD = re.compile(r"[A-Za-z_][\w-]*")
SELECTOR_CLASS = re.compile(r"\.((?:[\w-]|\\.)+)")
GROUPING_AT_RULES = {"media", "supports", "layer", "container", "document"}
# Pseudo-classes that take a selector list and match when any selector in it matches.
ANY_OF = re.compile(r":(?:is|where|has|matches|-webkit-any|-moz-any)\(", re.IGNORECASE)
# Font Awesome's rule that draws an icon as a glyph of its web font: useless without the font.
ICON_GLYPH = re.compile(r"\bcontent\s*:\s*var\(--fa\)")
NOT = re.compile(r":not\(", re.IGNORECASE)


# Classes of pydata-sphinx-theme 0.20.0 features the book does not turn on (the version
# switcher, the announcement banner, the version warning, the collapsible sidebar): the
# theme's script names them, so they count only when a page uses them.
UNUSED_FEATURES = {
    "version-switcher__menu", "version-switcher__button", "list-group-item", "list-group-item-action",
    "bd-header-announcement", "pst-button-link-to-stable-version", "pst-expand-sidebar-label",
    "pst-sidebar-collapse",
}  # fmt: skip


def used_words(app: Sphinx) -> set[str]:
    """Every class name in the built pages and every word in the site's scripts."""
    words, said = set(), set()
    for classes in class_attributes(app.outdir, app.doctreedir):
        words.update(classes.split())
    for script in Path(app.outdir).rglob("*.js"):
        # The search index (Sphinx's and its shards, _ext/search_shards.py) holds words, not classes.
        if script.name != "searchindex.js" and script.relative_to(app.outdir).parts[0] != "searchindex":
            said.update(WORD.findall(script.read_text(encoding="utf-8", errors="replace")))
    return words | (said - UNUSED_FEATURES)


def _split_selectors(prelude):
    """A selector list split at its top-level commas (not those inside :not(...), :is(...))."""
    selectors, depth, current = [], 0, ""
    for char in prelude:
        depth += (char in "([") - (char in ")]")
        if char == "," and depth == 0:
            selectors.append(current.strip())
            current = ""
        else:
            current += char
    return [*selectors, current.strip()]


def _closing(text, start):
    """Index of the parenthesis closing the one opened just before ``start``."""
    depth = 1
    for i in range(start, len(text)):
        depth += (text[i] == "(") - (text[i] == ")")
        if depth == 0:
            return i
    return len(text)


def _keep_selector(selector, used):
    """Whether a selector can match given the used class names (True when in doubt)."""
    # Classes inside :not(...) need not be present for the selector to match.
    while match := NOT.search(selector):
        end = _closing(selector, match.end())
        selector = selector[: match.start()] + selector[end + 1 :]
    # :is(.a, .b) and its kin match when any alternative can.
    while match := ANY_OF.search(selector):
        end = _closing(selector, match.end())
        inner = selector[match.end() : end]
        if not any(_keep_selector(s, used) for s in _split_selectors(inner)):
            return False
        selector = selector[: match.start()] + selector[end + 1 :]
    return all(name.replace("\\", "") in used for name in SELECTOR_CLASS.findall(selector))


def _trim(rules, used):
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            if ICON_GLYPH.search(tinycss2.serialize(rule.content)):
                continue  # draws an icon-font glyph; the font is dropped below
            selectors = _split_selectors(tinycss2.serialize(rule.prelude))
            kept = [s for s in selectors if _keep_selector(s, used)]
            if kept:
                out.append("%s{%s}" % (",".join(kept), tinycss2.serialize(rule.content)))
        elif rule.type == "at-rule":
            prelude = tinycss2.serialize(rule.prelude)
            if rule.lower_at_keyword == "font-face" and "Font Awesome" in tinycss2.serialize(
                rule.content or []
            ):
                continue
            if rule.lower_at_keyword in GROUPING_AT_RULES and rule.content is not None:
                inner = _trim(
                    tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True),
                    used,
                )
                if inner:
                    out.append("@%s%s{%s}" % (rule.at_keyword, prelude, "".join(inner)))
            elif rule.content is None:
                out.append("@%s%s;" % (rule.at_keyword, prelude))
            else:
                out.append("@%s%s{%s}" % (rule.at_keyword, prelude, tinycss2.serialize(rule.content)))
    return out


def trim_stylesheets(app: Sphinx, exception: Exception | None) -> None:
    """Overwrite the theme's stylesheets in the output with their trimmed copies."""
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    used = used_words(app)
    sources = {**STYLESHEETS, **{name: outdir / name for name in TRIMMED_IN_OUTPUT}}
    for name, original in sources.items():
        path = outdir / name
        if not path.exists() or not original.exists():
            continue
        # Parsing the theme's stylesheet takes most of a second; an incremental build
        # that leaves the set of used classes as it was reuses the last result.
        source = original.read_text(encoding="utf-8")
        digest = hashlib.sha256((source + "\0" + " ".join(sorted(used))).encode()).hexdigest()
        cache = Path(app.doctreedir) / ("css-trim-" + path.name)
        if cache.exists() and cache.read_text(encoding="utf-8").startswith(digest + "\n"):
            trimmed = cache.read_text(encoding="utf-8").split("\n", 1)[1]
        else:
            rules = tinycss2.parse_stylesheet(source, skip_whitespace=True, skip_comments=True)
            trimmed = "".join(_trim(rules, used)) + "\n"
            cache.write_text(digest + "\n" + trimmed, encoding="utf-8")
        path.write_text(trimmed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Trim the stylesheets after the build, once icons.py has replaced the icon library
    (whose words would otherwise keep rules alive)."""
    app.setup_extension("_ext.icons")
    app.connect("build-finished", trim_stylesheets, priority=AFTER_ICONS)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
