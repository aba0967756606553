"""Trim the theme's stylesheet to the rules the book can use.

pydata-sphinx-theme ships one 377 KB stylesheet with all of Bootstrap and every
component any site might use, and sphinx-book-theme adds its own; a page of this
book needs a fraction of them.
After the build, each rule whose selector names a class that appears neither
in any built page nor in any of the site's scripts (which may add classes
later, such as Bootstrap's ``show``) is dropped, as are the Font Awesome web
fonts, which the book never loads (its icons are inline SVG, see icons.py).
A selector is kept whenever in doubt: only class names are tested, and a word
that appears anywhere in a script counts as used.
"""

import hashlib
import re
from pathlib import Path

import pydata_sphinx_theme
import sphinx_book_theme
import tinycss2

from _ext.built_pages import class_attributes

PYDATA_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
BOOK_STATIC = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static"
# output path -> the original it is trimmed from (always the original, so that an
# incremental build never trims an already trimmed file)
STYLESHEETS = {
    "_static/styles/pydata-sphinx-theme.css": PYDATA_STATIC / "styles" / "pydata-sphinx-theme.css",
    "_static/styles/sphinx-book-theme.css": BOOK_STATIC / "styles" / "sphinx-book-theme.css",
}
WORD = re.compile(r"[A-Za-z_][\w-]*")
SELECTOR_CLASS = re.compile(r"\.((?:[\w-]|\\.)+)")
GROUPING_AT_RULES = {"media", "supports", "layer", "container", "document"}


def used_words(app):
    """Every class name in the built pages and every word in the site's scripts."""
    words = set()
    for classes in class_attributes(app):
        words.update(classes.split())
    for script in Path(app.outdir).rglob("*.js"):
        if script.name != "searchindex.js":
            words.update(WORD.findall(script.read_text(encoding="utf-8", errors="replace")))
    return words


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
    return selectors + [current.strip()]


def _keep_selector(selector, used):
    # Classes inside :not(...) need not be present for the selector to match.
    selector = re.sub(r":not\([^)]*\)", "", selector)
    return all(name.replace("\\", "") in used for name in SELECTOR_CLASS.findall(selector))


def _trim(rules, used):
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = _split_selectors(tinycss2.serialize(rule.prelude))
            kept = [s for s in selectors if _keep_selector(s, used)]
            if kept:
                out.append("%s{%s}" % (",".join(kept), tinycss2.serialize(rule.content)))
        elif rule.type == "at-rule":
            prelude = tinycss2.serialize(rule.prelude)
            if rule.lower_at_keyword == "font-face" and "Font Awesome" in tinycss2.serialize(rule.content or []):
                continue
            if rule.lower_at_keyword in GROUPING_AT_RULES and rule.content is not None:
                inner = _trim(tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True,
                                                             skip_comments=True), used)
                if inner:
                    out.append("@%s%s{%s}" % (rule.at_keyword, prelude, "".join(inner)))
            elif rule.content is None:
                out.append("@%s%s;" % (rule.at_keyword, prelude))
            else:
                out.append("@%s%s{%s}" % (rule.at_keyword, prelude, tinycss2.serialize(rule.content)))
    return out


def trim_stylesheets(app, exception):
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    used = used_words(app)
    for name, original in STYLESHEETS.items():
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


def setup(app):
    app.connect("build-finished", trim_stylesheets, priority=800)  # after icons.py has replaced the icon library
    return {"parallel_read_safe": True, "parallel_write_safe": True}
