"""One more cut to the stylesheets every page loads, after css_trim.py.

The theme's stylesheet declares some four hundred CSS custom properties
(``--bs-*``, ``--pst-*``) that no rule reads once css_trim.py has dropped the
rules that used them (from the theme's stylesheets and Sphinx's basic.css). A
custom property does nothing unless a ``var()`` reads it, so each declaration
that no stylesheet reads and no script names is dropped, repeatedly, until every
one left is read.

With the trim of basic.css, about 24 KB off every page. The stylesheets are parsed
once and the repeats work on the property names; an incremental build whose stylesheets
and scripts are as they were reuses the last result (kept beside the doctrees, as
css_trim.py does).

Runs after css_trim.py on the stylesheets in the output, which Sphinx copies
afresh at every build (``force=True`` in ``copy_theme_static_files``, Sphinx
9.0.4), so the cut never starts from an already cut file; both cuts are
idempotent all the same.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import tinycss2
from sphinx.application import Sphinx

from _ext import css_trim
from _ext.shared import AFTER_ICONS

AFTER_CSS_TRIM = AFTER_ICONS + 50  # build-finished: after css_trim.py wrote the trimmed stylesheets
# The stylesheets whose unread custom properties are dropped (the book's own are all read).
WITH_PROPERTIES = [*css_trim.STYLESHEETS, *css_trim.TRIMMED_IN_OUTPUT]
VAR = re.compile(r"var\(\s*(--[\w-]+)")
NAME = re.compile(r"--[\w-]+")


def _rules(rules, keep):
    """Serialize ``rules`` with only the declarations ``keep(name)`` accepts (recursing into @media...)."""
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            declarations = tinycss2.parse_declaration_list(
                rule.content, skip_whitespace=True, skip_comments=True
            )
            kept = [
                d
                for d in declarations
                if d.type != "declaration" or not d.name.startswith("--") or keep(d.name)
            ]
            if len(kept) == len(declarations):
                out.append(tinycss2.serialize([rule]))
            elif kept:
                body = "".join(tinycss2.serialize([d]) for d in kept)  # each ends with its ";"
                out.append("%s{%s}" % (tinycss2.serialize(rule.prelude).strip(), body))
        elif (
            rule.type == "at-rule"
            and rule.content is not None
            and rule.at_keyword in css_trim.GROUPING_AT_RULES
        ):
            inner = _rules(
                tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True), keep
            )
            if inner:
                out.append("@%s%s{%s}" % (rule.at_keyword, tinycss2.serialize(rule.prelude), "".join(inner)))
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]))
    return out


def _reads(rules, always, by_property):
    """Note the custom properties each declaration reads: a custom property's own declarations
    in ``by_property[its name]``, everything else (kept whatever is dropped) in ``always``."""
    for rule in rules:
        if rule.type == "qualified-rule":
            for d in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True, skip_comments=True):
                names = VAR.findall(tinycss2.serialize([d]))
                if d.type == "declaration" and d.name.startswith("--"):
                    by_property.setdefault(d.name, set()).update(names)
                else:
                    always.update(names)
        elif (
            rule.type == "at-rule"
            and rule.content is not None
            and rule.at_keyword in css_trim.GROUPING_AT_RULES
        ):
            _reads(
                tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True),
                always,
                by_property,
            )
        elif rule.type == "at-rule":
            always.update(VAR.findall(tinycss2.serialize([rule])))


def drop_unread_properties(sheets: dict[str, str], readers: str) -> dict[str, str]:
    """``sheets`` (name -> CSS) less the custom properties that no sheet and no text in ``readers`` reads.

    Dropping a declaration may leave another property unread, so the cut repeats until
    every property left is read; the stylesheets are parsed once and the repeats work on
    the names alone. A property that only properties read stays as long as one of them
    does, including two that read each other.
    """
    parsed = {
        name: tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
        for name, css in sheets.items()
    }
    always, by_property = set(NAME.findall(readers)), {}
    for rules in parsed.values():
        _reads(rules, always, by_property)
    read = always | {name for names in by_property.values() for name in names}
    while True:
        narrower = always | {name for prop, names in by_property.items() if prop in read for name in names}
        if narrower == read:
            break
        read = narrower
    return {name: "".join(_rules(rules, read.__contains__)) + "\n" for name, rules in parsed.items()}


def slim(app: Sphinx, exception: Exception | None) -> None:
    """Drop the unread custom properties of the trimmed stylesheets."""
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    names = [name for name in WITH_PROPERTIES if (outdir / name).exists()]
    sheets = {name: (outdir / name).read_text(encoding="utf-8") for name in names}
    # Stylesheets left out of the cut (the book's own) still read properties, and so may scripts.
    readers = [
        p.read_text(encoding="utf-8")
        for p in (outdir / "_static").rglob("*.css")
        if p.relative_to(outdir).as_posix() not in sheets
    ]
    readers += [p.read_text(encoding="utf-8", errors="replace") for p in (outdir / "_static").rglob("*.js")]
    digest = hashlib.sha256(json.dumps([sheets, readers], sort_keys=True).encode()).hexdigest()
    cache = Path(app.doctreedir) / "css-slim.json"
    cached = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    if cached.get("digest") == digest:
        slimmed = cached["sheets"]
    else:
        slimmed = drop_unread_properties(sheets, "\n".join(readers))
        cache.write_text(json.dumps({"digest": digest, "sheets": slimmed}), encoding="utf-8")
    for name, css in slimmed.items():
        if css != sheets[name]:
            (outdir / name).write_text(css, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Cut the stylesheets once css_trim.py has trimmed them."""
    app.setup_extension("_ext.css_trim")
    app.connect("build-finished", slim, priority=AFTER_CSS_TRIM)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
