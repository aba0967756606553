"""Check every page's front matter against the book's schema.

A page's front matter says what it is (``description``), which topics it belongs
to (``tags``) and, for an annotated source, where the source comes from
(``source``: title, author, venue, date, url). The description also becomes
the page's ``<meta name="description">``. A missing or malformed field is
reported as a warning naming the file and the line, which the strict build turns
into an error.

Configuration (conf.py):
  page_metadata_required        keys every page needs
  page_metadata_tags            the allowed topic slugs
  page_metadata_source_pages    glob patterns of docnames that annotate a source;
                                a pattern starting with "!" exempts the pages it matches
  page_metadata_source_required keys the ``source`` mapping of such pages needs
                                (``url`` may give way to a ``url_note`` saying why
                                no original can be linked)
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from typing import Any

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$")


def _line_of(source_text, key):
    """The line (1-based) where ``key:`` stands in the front matter, else 1."""
    for lineno, line in enumerate(source_text.splitlines(), 1):
        if re.match(r"\s*%s\s*:" % re.escape(key), line):
            return lineno
        if lineno > 1 and line.strip() == "---":
            break
    return 1


def _problems(meta, config, needs_source):
    """Yield (front-matter key, message) for every problem in one page's metadata."""
    for key in config.page_metadata_required:
        if key not in meta:
            yield key, "front matter lacks '%s'" % key
    description = meta.get("description")
    if description is not None and (not isinstance(description, str) or len(description.split()) < 4):
        yield "description", "front matter 'description' must be a sentence of at least four words"
    tags = meta.get("tags")
    if tags is not None:
        if not isinstance(tags, list):
            yield "tags", "front matter 'tags' must be a list, e.g. [open-source, regulation]"
        else:
            for tag in tags:
                if tag not in config.page_metadata_tags:
                    yield "tags", "unknown tag %r (allowed: %s)" % (tag, ", ".join(config.page_metadata_tags))
    if "draft" in meta and not isinstance(meta["draft"], bool):
        yield "draft", "front matter 'draft' must be true or false, not %r" % (meta["draft"],)
    source = meta.get("source")
    if source is None:
        if needs_source:
            yield (
                "source",
                "front matter lacks 'source' (title, author, venue, date, url of the annotated text)",
            )
        return
    if not isinstance(source, dict):
        yield "source", "front matter 'source' must be a mapping with title, author, venue, date, url"
        return
    for key in config.page_metadata_source_required:
        if key == "url" and source.get("url_note"):
            continue  # no verifiable original online; url_note says why
        if not source.get(key):
            yield "source", "front matter 'source' lacks '%s'" % key
    date = source.get("date")
    if isinstance(date, (datetime.date, int)):  # YAML reads an unquoted 2024-05-21 as a date
        date = str(date)
    if date is not None and not DATE.match(str(date)):
        yield "date", "source date %r is not YYYY, YYYY-MM or YYYY-MM-DD" % (date,)
    url = source.get("url")
    if url is not None and not URL.match(str(url)):
        yield "url", "source url %r is not an http(s) URL" % (url,)


def _read_front_matter(text):
    """The page's YAML front matter as Python data (MyST keeps only strings).

    Malformed YAML raises YAMLFrontMatterError with the line in the page.
    """
    match = re.match(r"---\s*\n(.*?)\n---\s*(\n|$)", text, re.S)
    if not match:
        return {}
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # + the opening "---" line, 1-based
        raise YAMLFrontMatterError(getattr(err, "problem", None) or str(err), line) from None
    return data if isinstance(data, dict) else {}


class YAMLFrontMatterError(ValueError):
    def __init__(self, problem, line):
        super().__init__(problem)
        self.problem, self.line = problem, line


def front_matter(env, docname):
    """Front matter of a page, as read by check_metadata (for the other extensions)."""
    return env.metadata.get(docname, {}).get("front_matter", {})


def check_metadata(app, doctree):
    """Read the page's front matter into the environment and warn about every problem in it."""
    env = app.env
    docname = env.docname
    config = app.config
    source_path = env.doc2path(docname)
    text = open(source_path, encoding="utf-8").read()
    try:
        meta = _read_front_matter(text)
    except YAMLFrontMatterError as err:
        # One precise message; the checks below would only add misleading "lacks ..." ones.
        env.metadata[docname]["front_matter"] = {}
        logger.warning(
            "front matter is not valid YAML: %s",
            err.problem,
            location=(docname, err.line),
            type="page_metadata",
            subtype="yaml",
        )
        return
    env.metadata[docname]["front_matter"] = meta
    patterns = config.page_metadata_source_pages
    needs_source = any(fnmatch.fnmatch(docname, p) for p in patterns if not p.startswith("!")) and not any(
        fnmatch.fnmatch(docname, p[1:]) for p in patterns if p.startswith("!")
    )
    problems = list(_problems(meta, config, needs_source))
    for key, message in problems:
        logger.warning(
            message, location=(docname, _line_of(text, key)), type="page_metadata", subtype="front_matter"
        )


def add_meta_description(app, doctree):
    """Search engines and link previews show the page's own one-sentence description.

    A docutils ``meta`` node (what the ``meta`` directive and MyST's ``html_meta``
    produce) lets each builder write the tag in its own syntax: HTML for the site,
    well-formed XHTML for the EPUB.
    """
    description = front_matter(app.env, app.env.docname).get("description")
    if isinstance(description, str) and description.strip():
        doctree.insert(0, nodes.meta("", name="description", content=description.strip()))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the schema's settings and check each page's front matter as it is read."""
    app.add_config_value("page_metadata_required", ["description", "tags"], "env")
    app.add_config_value("page_metadata_tags", [], "env")
    app.add_config_value("page_metadata_source_pages", [], "env")
    app.add_config_value("page_metadata_source_required", ["title", "author", "date", "url"], "env")
    app.connect("doctree-read", check_metadata)
    app.connect("doctree-read", add_meta_description, priority=600)  # after check_metadata has read the page
    return {"version": "1.1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
