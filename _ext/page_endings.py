"""The end of a page: "Updates and corrections" and, on annotated pages, "Cite this page".

A page may keep a ``corrections:`` list in its front matter, one dated entry per change a
reader should know about::

    corrections:
      - date: 2026-11-22
        text: What changed, in a sentence.

The list is shown, newest first, as "Updates and corrections" at the end of the page, and
``_ext/exports.py`` turns each entry into an item of the Atom feed. A malformed list fails
the build with the file and line. Every page that annotates a source (its front matter has
``source:``) must keep the list, and ends with "Cite this page": a text citation and a
BibTeX ``@misc`` (title, book, URL, date), readable without JavaScript; ``_static/claims.js``
adds copy buttons on pages that load it.
"""

import datetime
import html
import re

import yaml
from docutils import nodes
from sphinx.util import logging

from _ext.shared import keep_per_document, page_url

logger = logging.getLogger(__name__)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_front_matter(path):
    """(front matter as a dict, the line of each top-level key); empty when there is none."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}, {}
    end = text.find("\n---", 4)
    block = text[4:end] if end > 0 else ""
    try:
        data = yaml.safe_load(block) or {}
    except yaml.YAMLError:
        return {}, {}  # page_metadata.py reports broken front matter
    lines = {m.group(1): block[: m.start()].count("\n") + 2 for m in re.finditer(r"^([\w-]+):", block, re.M)}
    return (data if isinstance(data, dict) else {}), lines


def corrections_of(env, docname):
    """The page's corrections as [(date, text)], newest first, checked; problems are warnings."""
    path = env.doc2path(docname)
    meta, lines = read_front_matter(path)
    entries = meta.get("corrections")
    location = f"{path}:{lines.get('corrections', 1)}"
    if entries is None:
        if "source" in meta:
            logger.warning(
                "an annotated page needs a 'corrections:' list in its front matter "
                "(dated entries: date, text)",
                location=location,
                type="corrections",
                subtype="missing",
            )
        return []
    if not isinstance(entries, list):
        logger.warning(
            "'corrections' must be a list of entries with 'date' and 'text'",
            location=location,
            type="corrections",
            subtype="format",
        )
        return []
    result = []
    for number, entry in enumerate(entries, 1):
        date = entry.get("date") if isinstance(entry, dict) else None
        text = entry.get("text") if isinstance(entry, dict) else None
        date = date.isoformat() if isinstance(date, datetime.date) else date
        if not (isinstance(date, str) and DATE.match(date)) or not (isinstance(text, str) and text.strip()):
            logger.warning(
                "corrections entry %d needs 'date' (YYYY-MM-DD) and 'text'",
                number,
                location=location,
                type="corrections",
                subtype="format",
            )
            continue
        result.append((date, " ".join(text.split())))
    return sorted(result, key=lambda item: item[0], reverse=True)


def collect(app, doctree):
    env = app.env
    env.page_corrections[env.docname] = corrections_of(env, env.docname)
    meta, _ = read_front_matter(env.doc2path(env.docname))
    if "source" in meta:
        env.annotated_pages.add(env.docname)
    else:
        env.annotated_pages.discard(env.docname)


def page_date(app, docname):
    """The date a citation gives: the page's newest update, or the commit's date."""
    entries = app.env.page_corrections.get(docname) or []
    if entries:
        return entries[0][0]
    epoch = int(__import__("os").environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).date().isoformat()


def cite_section(app, docname):
    title = app.env.titles[docname].astext()
    url = page_url(app, docname)
    date = page_date(app, docname)
    key = "reader-" + docname.replace("/", "-")
    text = f"{app.config.author}, \u201c{title}\u201d, in {app.config.project}, updated {date}. {url}"
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  title        = {{{title}}},",
            f"  author       = {{{{{app.config.author}}}}},",
            f"  howpublished = {{{app.config.project}}},",
            f"  year         = {{{date[:4]}}},",
            f"  date         = {{{date}}},",
            f"  url          = {{{url}}},",
            "}",
        ]
    )
    section = nodes.section("", ids=["cite-this-page"], classes=["cite-this-page", "no-search"])
    section += nodes.title("", "Cite this page")
    section += nodes.paragraph("", text, classes=["page-cite-text"])
    section += nodes.raw(
        "",
        '<details class="claim-cite page-cite" open="open"><summary>BibTeX</summary>'
        f'<p class="claim-cite-text" hidden="hidden">{html.escape(text)}</p>'
        f'<pre class="claim-cite-bibtex">{html.escape(bibtex)}</pre></details>',
        format="html",
    )
    return section


def add_sections(app, doctree, docname):
    top = next((child for child in doctree.children if isinstance(child, nodes.section)), None)
    if top is None:
        return
    entries = app.env.page_corrections.get(docname)
    if entries or docname in app.env.annotated_pages:
        section = nodes.section("", ids=["updates-and-corrections"], classes=["updates-and-corrections"])
        section += nodes.title("", "Updates and corrections")
        items = nodes.bullet_list()
        for date, text in entries or []:
            items += nodes.list_item(
                "", nodes.paragraph("", "", nodes.strong("", date), nodes.Text(": " + text))
            )
        section += items if entries else nodes.paragraph("", "No updates or corrections yet.")
        top += section
    if docname in app.env.annotated_pages:
        top += cite_section(app, docname)


def add_script(app, pagename, templatename, context, doctree):
    if pagename in app.env.annotated_pages:
        app.add_css_file("claims.css")
        app.add_js_file("claims.js", defer="defer")


def setup(app):
    keep_per_document(app, page_corrections=dict, annotated_pages=set)
    app.connect("doctree-read", collect)
    # before _ext/backlinks.py, so "Linked from" stays the last section
    app.connect("doctree-resolved", add_sections, priority=400)
    app.connect("html-page-context", add_script, priority=800)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
