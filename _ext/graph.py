"""The book's knowledge graph, written as ``graph.json`` at the site root.

Nodes are pages (topic pages get their own kind), glossary terms, cited works and claims;
edges are links between pages, citations, term uses and claims (a page discusses a claim; a
claim rests on a work). The "Map of the book" page draws it (``_static/book-map.js``), and
its schema is ``_data/schemas/graph.schema.json``.

Links come from ``_ext/backlinks.py`` and claims from ``_ext/claims.py``; this module only
records, while each page is read, which works it cites and which terms it links. The output
is sorted, so a rebuild writes the same bytes. The same data is also written as a script,
``_static/graph-data.js``, because a page opened from disk cannot fetch a JSON file; both are
written once all pages are read and before any is written, so the script's checksum in the
map page is that of this build.
"""

import json
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from _ext import backlinks
from _ext.citations import listing_pages
from _ext.shared import keep_per_document


def collect(app, doctree):
    cites, terms = set(), set()
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "cite":
            cites.update(key.strip() for key in node["reftarget"].split(",") if key.strip())
        elif node.get("reftype") == "term":
            terms.add(" ".join(node["reftarget"].lower().split()))
    app.env.graph_uses[app.env.docname] = (sorted(cites), sorted(terms))


def build_graph(app):
    env, builder = app.env, app.builder
    nodes, edges = {}, set()

    # A cited work's node leads to its entry on the bibliography page that lists it. A work no
    # bibliography page lists (a test root has none) points where the first one would list it;
    # with no bibliography page configured at all, at the landing page of the book.
    listed = listing_pages(env, app.config)
    fallback = (app.config.bibliography_docnames or ["index"])[0]

    def add_work(key):
        url = "%s#%s" % (builder.get_target_uri(listed.get(key, fallback)), key)
        nodes.setdefault("work:" + key, {"id": "work:" + key, "kind": "work", "label": key, "url": url})

    pages = sorted(d for d in env.all_docs if d in env.titles)
    for doc in pages:
        kind = "topic" if doc.startswith("topics/") and doc != "topics/index" else "page"
        nodes["page:" + doc] = {
            "id": "page:" + doc,
            "kind": kind,
            "label": env.titles[doc].astext(),
            "url": builder.get_target_uri(doc),
        }
    for target, entries in backlinks.incoming(env).items():
        for source, _title, _context in entries:
            if "page:" + source in nodes and "page:" + target in nodes:
                edges.add(("page:" + source, "page:" + target, "link"))
    std = env.domains.standard_domain
    for doc, (cites, terms) in env.graph_uses.items():
        if "page:" + doc not in nodes:
            continue
        for key in cites:
            add_work(key)
            edges.add(("page:" + doc, "work:" + key, "cites"))
        for term in terms:
            hit = std.objects.get(("term", term))
            if hit is None:
                continue
            term_doc, term_id = hit[0], hit[1]
            if term_doc == doc:
                continue
            nodes.setdefault(
                "term:" + term,
                {
                    "id": "term:" + term,
                    "kind": "term",
                    "label": term,
                    "url": builder.get_target_uri(term_doc) + "#" + term_id,
                },
            )
            edges.add(("page:" + doc, "term:" + term, "uses-term"))
    for cid, claim in getattr(app, "claims", {}).items():
        if "page:" + claim["page"] not in nodes:
            continue
        nodes["claim:" + cid] = {
            "id": "claim:" + cid,
            "kind": "claim",
            "label": cid,
            "url": builder.get_target_uri(claim["page"]) + "#" + cid,
        }
        edges.add(("page:" + claim["page"], "claim:" + cid, "discusses-claim"))
        for key in claim["evidence"]:
            add_work(key)
            edges.add(("claim:" + cid, "work:" + key, "evidence"))
    return {
        "nodes": [nodes[key] for key in sorted(nodes)],
        "edges": [{"source": s, "target": t, "kind": k} for s, t, k in sorted(edges)],
    }


def write_data(app, env):
    if app.builder.format != "html":
        return
    graph = build_graph(app)
    text = json.dumps(graph, ensure_ascii=False, separators=(",", ":"))
    out = Path(app.outdir)
    (out / "_static").mkdir(parents=True, exist_ok=True)
    (out / "graph.json").write_text(text + "\n", encoding="utf-8")
    (out / "_static" / "graph-data.js").write_text(
        "window.BOOK_GRAPH = " + compact(graph) + ";\n", encoding="utf-8"
    )


def compact(graph):
    """The graph for the map's script, in a third of the bytes: nodes as [id, kind, label, url],
    except that a work's url, always "<bibliography page>#<key>", is the page's number in
    the list ``bibliography``; edges as [source, target, kind] with nodes by index.
    ``_static/book-map.js`` expands it back."""
    index = {node["id"]: number for number, node in enumerate(graph["nodes"])}
    pages = sorted({n["url"].rsplit("#", 1)[0] for n in graph["nodes"] if n["kind"] == "work"})
    data = {
        "bibliography": pages,
        "nodes": [
            [n["id"], n["kind"], n["label"], _work_page(n, pages) if n["kind"] == "work" else n["url"]]
            for n in graph["nodes"]
        ],
        "edges": [[index[e["source"]], index[e["target"]], e["kind"]] for e in graph["edges"]],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _work_page(node, pages):
    """The number of a work's bibliography page in ``pages``; its anchor is the key in its id."""
    page, _, anchor = node["url"].rpartition("#")
    assert "work:" + anchor == node["id"], node  # built so by build_graph's add_work
    return pages.index(page)


class book_map(nodes.General, nodes.Element):
    """Placeholder for the map: filled in once every page has been read."""


class BookMapDirective(SphinxDirective):
    """``:::{book-map}``: the drawing (by ``_static/book-map.js``) and its text alternative."""

    has_content = False

    def run(self):
        self.env.book_map_pages.add(self.env.docname)
        return [book_map()]


KIND_NAMES = {
    "page": "Pages",
    "topic": "Topics",
    "term": "Glossary terms",
    "claim": "Claims",
    "work": "Works",
}
EDGE_NAMES = {
    "link": "links to",
    "cites": "cites",
    "uses-term": "uses the terms",
    "discusses-claim": "discusses",
    "evidence": "rests on",
}


def fill_map(app, doctree, docname):
    for placeholder in list(doctree.findall(book_map)):
        graph = build_graph(app)
        by_id = {n["id"]: n for n in graph["nodes"]}
        out_edges = {}
        for edge in graph["edges"]:
            out_edges.setdefault(edge["source"], []).append(edge)
        counts = ", ".join(
            f"{sum(n['kind'] == k for n in graph['nodes'])} {name.lower()}" for k, name in KIND_NAMES.items()
        )
        drawing = nodes.raw(
            "",
            (
                '<div class="book-map" id="book-map-drawing">'
                '<div class="book-map-controls" role="group" aria-label="Map controls" hidden="hidden">'
                '<button type="button" data-zoom="in">Zoom in</button>'
                '<button type="button" data-zoom="out">Zoom out</button>'
                '<button type="button" data-zoom="reset">Reset view</button>'
                '<span class="book-map-hint">Drag to pan, scroll or use the buttons to zoom, Tab to move from node '
                "to node, Enter to open one.</span></div>"
                f'<svg class="book-map-canvas" role="group" aria-label="Map of the book: {counts}" '
                'xmlns="http://www.w3.org/2000/svg"></svg>'
                '<p class="book-map-nojs">Drawing the map needs JavaScript; the list below holds the same graph.</p>'
                "</div>"
            ),
            format="html",
        )
        alternative = nodes.section("", ids=["the-map-as-a-list"], classes=["book-map-list"])
        alternative += nodes.title("", "The map as a list")
        alternative += nodes.paragraph(
            "",
            f"The graph has {len(graph['nodes'])} nodes ({counts}) and "
            f"{len(graph['edges'])} edges. Each node below is listed with "
            "the nodes it points to.",
        )
        for kind, name in KIND_NAMES.items():
            members = [n for n in graph["nodes"] if n["kind"] == kind and n["id"] in out_edges]
            if not members:
                continue
            alternative += nodes.rubric("", name)
            items = nodes.bullet_list()
            for node in members:
                para = nodes.paragraph(
                    "", "", nodes.reference("", node["label"], internal=True, refuri=node["url"])
                )
                groups = {}
                for edge in out_edges[node["id"]]:
                    groups.setdefault(edge["kind"], []).append(by_id[edge["target"]]["label"])
                for edge_kind, labels in sorted(groups.items()):
                    para += nodes.Text(f"; {EDGE_NAMES[edge_kind]}: " + ", ".join(labels))
                items += nodes.list_item("", para)
            alternative += items
        # The EPUB gets the list alone: e-readers run no page scripts to draw the map.
        placeholder.replace_self([drawing, alternative] if app.builder.name == "html" else [alternative])


def add_script(app, pagename, templatename, context, doctree):
    if pagename in app.env.book_map_pages:
        app.add_css_file("book-map.css")
        for name in ("d3-dispatch.min.js", "d3-quadtree.min.js", "d3-timer.min.js", "d3-force.min.js"):
            app.add_js_file("vendor/d3-force/" + name, defer="defer")
        app.add_js_file("graph-data.js", defer="defer")
        app.add_js_file("book-map.js", defer="defer")


def setup(app):
    app.setup_extension("_ext.backlinks")
    app.setup_extension("_ext.citations")  # bibliography_docnames
    keep_per_document(app, graph_uses=dict, book_map_pages=set)
    app.connect("doctree-read", collect)
    app.add_node(book_map)
    app.add_directive("book-map", BookMapDirective)
    app.connect("env-updated", write_data)
    app.connect("doctree-resolved", fill_map)
    app.connect("html-page-context", add_script, priority=800)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
