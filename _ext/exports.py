"""Exports at the site root, for readers and tools that do not browse the pages.

* ``llms.txt`` follows the llms.txt convention (https://llmstxt.org/): the book's title, its
  summary as a quotation, then one list per part of the book, each page linked with its
  description.
* ``llms-full.txt``: every page's text as Markdown, in reading order (the order of the
  table of contents).
* ``feed.xml``: an Atom feed (RFC 4287) with one entry per page that keeps an "Updates and
  corrections" list (newsletter issues, annotated pages, new pages) and one per dated
  update or correction (``_ext/page_endings.py``). Every web page's head links it, for feed
  readers to discover.

All three are written after the pages, from the resolved doctrees, sorted and dated from
the content (never the clock), so that a rebuild writes the same bytes.
"""

import pickle
import uuid
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from docutils import nodes
from sphinx import addnodes

from _ext.page_endings import page_date
from _ext.shared import page_url, site_url


def reading_order(env, root):
    """[(part caption, docname)] in the order of the table of contents, depth first.

    Only the root page's doctree is read (for its toctrees' captions); below it, the
    environment's record of each page's toctree entries gives the order, so that a
    rebuild does not load every page.
    """
    order, seen = [], set()

    def visit(docname, caption):
        if docname in seen or docname not in env.all_docs:
            return
        seen.add(docname)
        order.append((caption, docname))
        if docname == root:
            for toctree in env.get_doctree(docname).findall(addnodes.toctree):
                for child in toctree["includefiles"]:
                    visit(child, toctree.get("caption") or "")
        for child in env.toctree_includes.get(docname, ()):
            visit(child, caption)

    visit(root, "")
    for docname in sorted(env.all_docs):  # pages outside any toctree still count
        visit(docname, "More")
    return order


def description(env, docname):
    return " ".join(str(env.metadata.get(docname, {}).get("description", "")).split())


def write_llms(app, order):
    env = app.env
    root = app.config.root_doc
    lines = [
        f"# {app.config.project}",
        "",
        f"> {description(env, root)}",
        "",
        "Each page below is also available as rendered HTML; the whole book as Markdown is in "
        "llms-full.txt, its claims in claims.json and its link graph in graph.json.",
        "",
    ]
    current = None
    for caption, docname in order:
        if docname == root:
            continue
        if caption != current:
            lines += ["", f"## {caption or 'Pages'}", ""]
            current = caption
        title = env.titles[docname].astext()
        lines.append(f"- [{title}]({page_url(app, docname)}): {description(env, docname)}")
    lines += [
        "",
        "## Optional",
        "",
        "- [llms-full.txt](llms-full.txt): every page's text as Markdown",
        "- [claims.json](claims.json): every claim with its status and evidence",
        "- [graph.json](graph.json): pages, topics, terms, works and claims, and their links",
        "- [feed.xml](feed.xml): new pages, updates and corrections (Atom)",
    ]
    (Path(app.outdir) / "llms.txt").write_text(
        "\n".join(lines).replace("\n\n\n", "\n\n") + "\n", encoding="utf-8"
    )


# -- Markdown from a doctree: enough for prose, lists, tables and code --------------------------


def inline(node):
    if isinstance(node, nodes.Text):
        return str(node).replace("\n", " ")
    if isinstance(
        node, (nodes.raw, nodes.comment, nodes.system_message, nodes.target, nodes.footnote_reference)
    ):
        return ""
    text = "".join(inline(child) for child in node.children)
    if isinstance(node, (nodes.strong, nodes.emphasis)):
        mark = "**" if isinstance(node, nodes.strong) else "*"
        core = text.strip()
        if not core:
            return text
        return (" " if text[:1].isspace() else "") + mark + core + mark + (" " if text[-1:].isspace() else "")
    if isinstance(node, nodes.literal):
        return f"`{node.astext()}`"
    if isinstance(node, nodes.reference) and node.get("refuri", "").startswith(("http://", "https://")):
        return f"[{text}]({node['refuri']})"
    return text


def block(node, depth):
    """Markdown lines for one block node."""
    if isinstance(
        node,
        (
            nodes.raw,
            nodes.comment,
            nodes.system_message,
            nodes.target,
            addnodes.toctree,
            nodes.substitution_definition,
        ),
    ):
        return []
    if isinstance(node, nodes.section):
        title = node.next_node(nodes.title)
        lines = ["#" * min(depth, 6) + " " + inline(title).strip(), ""] if title is not None else []
        for child in node.children:
            if child is not title:
                lines += block(child, depth + 1)
        return lines
    if isinstance(node, (nodes.paragraph, nodes.rubric)):
        return [" ".join(inline(node).split()), ""]
    if isinstance(node, nodes.literal_block):
        return ["```", node.astext(), "```", ""]
    if isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
        lines = []
        start = node.get("start", 1)
        for number, item in enumerate(node.children, start):
            marker = f"{number}. " if isinstance(node, nodes.enumerated_list) else "- "
            body = [line for child in item.children for line in block(child, depth)]
            body = [line for line in body if line != ""] or [""]
            lines.append(marker + body[0])
            lines += ["   " + line for line in body[1:]]
        return lines + [""]
    if isinstance(node, nodes.table):
        rows = [
            [" ".join(entry.astext().split()).replace("|", "\\|") for entry in row.children]
            for row in node.findall(nodes.row)
        ]
        if not rows:
            return []
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return lines + [""]
    if isinstance(node, nodes.title):
        title = inline(node).strip()
        return ["**" + title + "**", ""] if title else []
    if isinstance(node, nodes.image):
        return [f"[Figure: {node.get('alt', '')}]", ""]
    if isinstance(node, (nodes.Element,)) and not isinstance(node, nodes.TextElement):
        lines = []
        quoted = isinstance(
            node, (nodes.Admonition, nodes.sidebar, nodes.block_quote)
        ) or "margin" in node.get("classes", ())
        for child in node.children:
            lines += block(child, depth)
        if quoted:
            return ["> " + line if line else ">" for line in lines] + [""]
        return lines
    text = " ".join(inline(node).split())
    return [text, ""] if text else []


def page_markdown(app, docname, doctree=None):
    """A page's text as Markdown, from its resolved doctree."""
    if doctree is None:
        doctree = app.env.get_and_resolve_doctree(docname, app.builder)
    lines = []
    for child in doctree.children:
        lines += block(child, 1)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


# Each page's Markdown is taken from the resolved doctree the HTML builder writes (the
# last handler of doctree-resolved), kept between builds in a file beside the doctrees, so
# that a rebuild converts only the pages it writes: a page whose resolved content changes
# is rewritten by Sphinx, and its Markdown with it.
MARKDOWN_CACHE = "exports-markdown.pickle"
LAST = 10_000  # doctree-resolved priority: after every other handler has changed the tree


def note_markdown(app, doctree, docname):
    """Convert a page to Markdown as it is written."""
    if app.builder.format == "html":
        if not hasattr(app, "_exports_markdown"):
            app._exports_markdown = {}
        app._exports_markdown[docname] = page_markdown(app, docname, doctree)


def page_markdowns(app, order):
    """{docname: Markdown} for every page in order: this build's, the last builds', or converted now."""
    cache = Path(app.doctreedir) / MARKDOWN_CACHE
    try:
        with cache.open("rb") as f:
            known = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        known = {}
    known.update(getattr(app, "_exports_markdown", {}))
    app._exports_markdown = {}
    pages = {d: known[d] if d in known else page_markdown(app, d) for _caption, d in order}
    # Straight to and from the file: the whole book's Markdown is never held twice more, as
    # bytes (23 MB at 2,000 pages), at the end of the build, when memory is at its peak.
    with cache.open("wb") as f:
        pickle.dump(pages, f, pickle.HIGHEST_PROTOCOL)
    return pages


def write_llms_full(app, order):
    markdown = page_markdowns(app, order)
    with (Path(app.outdir) / "llms-full.txt").open("w", encoding="utf-8") as f:  # page by page, not joined
        f.write(f"# {app.config.project}: the full text\n")
        f.write(
            "Every page of the book as Markdown, in reading order. Each page starts with a line "
            "giving its address.\n"
        )
        for _caption, docname in order:
            f.write(f"\n---\n\nPage: {page_url(app, docname)}\n\n" + markdown[docname])


# -- Atom --------------------------------------------------------------------------------------


def atom_id(app, *parts):
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join([app.config.project, *parts])))


def write_feed(app, order):
    env = app.env
    entries = []
    for _caption, docname in order:
        corrections = env.page_corrections.get(docname) or []
        if not corrections:
            continue
        title = env.titles[docname].astext()
        added = corrections[-1][0]
        kind = (
            "Newsletter issue" if docname.startswith("newsletter/") and docname.endswith("/index") else "Page"
        )
        entries.append(
            (
                added,
                atom_id(app, docname),
                f"{kind}: {title}",
                page_url(app, docname),
                description(env, docname),
            )
        )
        for number, (date, text) in enumerate(reversed(corrections)):
            if number == 0 and text == "Page added.":
                continue
            entries.append(
                (
                    date,
                    atom_id(app, docname, date, str(number)),
                    f"Update to \u201c{title}\u201d",
                    page_url(app, docname) + "#updates-and-corrections",
                    text,
                )
            )
    entries.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    updated = entries[0][0] if entries else page_date(app, app.config.root_doc)
    xml = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{escape(app.config.project)}</title>",
        f"  <subtitle>{escape(description(env, app.config.root_doc))}</subtitle>",
        f"  <id>{atom_id(app, 'feed')}</id>",
        f"  <updated>{updated}T00:00:00Z</updated>",
        f"  <author><name>{escape(app.config.author)}</name></author>",
        f'  <link rel="alternate" href={quoteattr(page_url(app, app.config.root_doc))}/>',
        '  <link rel="self" href="feed.xml"/>',
    ]
    for date, entry_id, title, link, summary in entries:
        xml += [
            "  <entry>",
            f"    <title>{escape(title)}</title>",
            f"    <id>{entry_id}</id>",
            f"    <updated>{date}T00:00:00Z</updated>",
            f"    <link href={quoteattr(link)}/>",
            f"    <summary>{escape(summary)}</summary>",
            "  </entry>",
        ]
    xml.append("</feed>")
    (Path(app.outdir) / "feed.xml").write_text("\n".join(xml) + "\n", encoding="utf-8")


def write_exports(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    order = reading_order(app.env, app.config.root_doc)
    write_llms(app, order)
    write_llms_full(app, order)
    write_feed(app, order)


def site_file_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{site-file}`claims.json``: a link to a file the build writes at the site root.

    Such files (claims.json, graph.json, llms.txt, feed.xml) have no source page, so a
    Markdown link would be a broken cross-reference; the link is made relative to the page.
    """
    path = text.strip()
    if "/" in path or ":" in path or path.startswith("."):
        msg = inliner.reporter.warning(
            "site-file: %r is not a file name at the site root" % path, line=lineno
        )
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    env = inliner.document.settings.env
    if env.app.builder.name == "html":
        uri = "../" * env.docname.count("/") + path
    else:  # an EPUB does not carry the site's data files: point to the published copy
        uri = (env.config.html_baseurl or "").rstrip("/") + "/" + path
    return [nodes.reference(rawtext, path, refuri=uri, classes=["site-file"])], []


def add_feed_link(app, pagename, templatename, context, doctree):
    """Every page's head names the feed, so a feed reader given any page finds it (Atom
    autodiscovery). The published address when ``html_baseurl`` is set, as in the feed itself;
    otherwise relative to the page. Web pages only: the EPUB carries no feed."""
    if app.builder.name not in ("html", "dirhtml"):
        return
    href = site_url(app, "feed.xml") if app.config.html_baseurl else context["pathto"]("feed.xml", 1)
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" type="application/atom+xml" title={quoteattr(app.config.project)} '
        f"href={quoteattr(href)}/>"
    )


def setup(app):
    app.add_role("site-file", site_file_role)
    app.connect("html-page-context", add_feed_link)
    app.setup_extension("_ext.page_endings")
    app.connect("doctree-resolved", note_markdown, priority=LAST)
    app.connect("build-finished", write_exports)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
