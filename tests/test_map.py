"""The map of the book (_ext/graph.py, _static/book-map.js) and graph.json."""

import json

import pytest
from jsonschema import Draft202012Validator
from test_browser import AXE, serious_axe_violations, visit

from _ext.claims import load_claims
from conftest import ROOT

CLAIMS = load_claims(ROOT)[0]
MAP_WEIGHT_LIMIT = 400 * 1024


def graph(book):
    return json.loads((book.outdir / "graph.json").read_text(encoding="utf-8"))


def test_graph_json_validates_and_is_consistent(book):
    data = graph(book)
    schema = json.loads((ROOT / "_data/schemas/graph.schema.json").read_text(encoding="utf-8"))
    assert [e.message for e in Draft202012Validator(schema).iter_errors(data)] == []
    ids = {n["id"] for n in data["nodes"]}
    assert len(ids) == len(data["nodes"])
    for edge in data["edges"]:
        assert edge["source"] in ids and edge["target"] in ids, edge
    kinds = {n["kind"] for n in data["nodes"]}
    assert kinds == {"page", "topic", "term", "work", "claim"}
    assert {e["kind"] for e in data["edges"]} == {"link", "cites", "uses-term", "discusses-claim", "evidence"}
    assert {n["id"][len("claim:") :] for n in data["nodes"] if n["kind"] == "claim"} == set(CLAIMS)
    for name in book.pages():
        assert "page:" + name in ids, name
    for node in data["nodes"]:  # every URL leads to a built page
        assert (book.outdir / node["url"].split("#")[0]).exists(), node
    for node in (n for n in data["nodes"] if n["kind"] == "work"):  # a work, to its entry
        page, _, key = node["url"].partition("#")
        assert book.page(page.removesuffix(".html")).find("div", class_="citation", id=key), node
    # the map's script carries the same data, for a book opened from disk
    script = (book.outdir / "_static/graph-data.js").read_text(encoding="utf-8")
    compact = json.loads(script.removeprefix("window.BOOK_GRAPH = ").rstrip().removesuffix(";"))
    nodes = [
        {
            "id": i,
            "kind": k,
            "label": label,
            # a work: the number of its bibliography page, whose anchor is the work's key
            "url": compact["bibliography"][url] + "#" + i.removeprefix("work:") if k == "work" else url,
        }
        for i, k, label, url in compact["nodes"]
    ]
    edges = [
        {"source": compact["nodes"][s][0], "target": compact["nodes"][t][0], "kind": k}
        for s, t, k in compact["edges"]
    ]
    assert {"nodes": nodes, "edges": edges} == data


def test_the_schema_rejects_an_unknown_kind():
    schema = json.loads((ROOT / "_data/schemas/graph.schema.json").read_text(encoding="utf-8"))
    bad = {"nodes": [{"id": "page:x", "kind": "planet", "label": "X", "url": "x.html"}], "edges": []}
    assert any("'planet' is not one of" in e.message for e in Draft202012Validator(schema).iter_errors(bad))


def test_the_map_page_lists_the_graph_without_javascript(book):
    page = book.page("map")
    assert page.select_one("h1").get_text().startswith("Map of the book")
    data = graph(book)
    listed = page.select_one("section#the-map-as-a-list")
    text = listed.get_text(" ")
    sources = {e["source"] for e in data["edges"]}
    for node in data["nodes"]:
        if node["id"] in sources:
            assert listed.find("a", string=node["label"]), node
    assert f"{len(data['edges'])} edges" in text
    # the map's code and data load from files: no inline script (Content-Security-Policy)
    assert not [
        s for s in page.find_all("script", src=False) if "BOOK_GRAPH" in s.get_text() or "d3" in s.get_text()
    ]


@pytest.mark.browser
def test_the_map_draws_highlights_and_opens_pages(browser, site):
    page, errors, foreign = visit(browser, site + "/map.html")
    nodes = page.locator(".book-map-canvas a")
    count = page.evaluate("window.BOOK_GRAPH.nodes.length")
    assert nodes.count() == count
    assert errors == [] and foreign == []
    # hover: the node and its neighbours are marked, the rest dimmed
    target = page.locator('.book-map-canvas a[data-id="page:newsletter/import-ai-375/gpt-2-five-years-on"]')
    target.hover()
    assert page.locator(".book-map-canvas.has-focus").count() == 1
    assert page.locator(".book-map-canvas g.is-neighbour").count() >= 10
    # pan and zoom move the camera
    before = page.get_attribute(".book-map-canvas", "viewBox")
    page.get_by_role("button", name="Zoom in").click()
    zoomed = page.get_attribute(".book-map-canvas", "viewBox")
    assert zoomed != before
    box = page.locator(".book-map-canvas").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 80, box["y"] + 60)
    page.mouse.up()
    assert page.get_attribute(".book-map-canvas", "viewBox") != zoomed
    page.get_by_role("button", name="Reset view").click()
    assert page.get_attribute(".book-map-canvas", "viewBox") == before
    # a click opens the node's page
    target.click()
    page.wait_for_url("**/newsletter/import-ai-375/gpt-2-five-years-on.html")
    page.context.close()


@pytest.mark.browser
def test_the_keyboard_reaches_and_opens_map_nodes(browser, site):
    page, _, _ = visit(browser, site + "/map.html")
    page.get_by_role("button", name="Reset view").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.book-map-canvas') !== null")
    assert focused
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label and "connections" in label
    assert page.locator(".book-map-canvas.has-focus").count() == 1  # focus highlights, as hover does
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/" + href))  # a work's or a term's has an anchor
    page.context.close()


@pytest.mark.browser
def test_the_map_page_weighs_at_most_400_kb(browser, site):
    context = browser.new_context()
    page = context.new_page()
    sizes = {}

    def record(response):
        if response.ok:
            sizes[response.url] = len(response.body())

    page.on("response", record)
    page.goto(site + "/map.html", wait_until="networkidle")
    total = sum(sizes.values())
    assert total <= MAP_WEIGHT_LIMIT, sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["map", "claims", "disagreements"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_the_new_pages(browser, site, name, scheme):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    page, errors, _ = visit(
        browser, f"{site}/{name}.html", color_scheme=scheme, bypass_csp=True
    )  # axe is injected inline
    serious = serious_axe_violations(page, AXE.read_text(encoding="utf-8"))
    assert serious == [], serious
    assert errors == []
    page.context.close()
