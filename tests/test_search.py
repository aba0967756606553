"""Search finds what a reader types: names, organisations, works, products, terms, numbers.

The index is sharded (_ext/search_shards.py): a first query loads the manifest and the
shards of its words, from a web server and from a copy opened from disk.
"""

import json
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator

from _ext.search_shards import read_script, shard_of, shards_for, tokens
from tools.devtools import ROOT

browser_test = pytest.mark.browser

NEWS = "newsletter/import-ai-375/"
# query -> a page that discusses it, expected among the first three results
QUERIES = [
    ("Shevlin", NEWS + "consciousness"),
    ("Henry Shevlin", NEWS + "consciousness"),
    ("CoreWeave", NEWS + "coreweave-debt"),
    ("Blackstone", NEWS + "coreweave-debt"),
    ("Magnetar", NEWS + "coreweave-debt"),
    ("RoboCasa", NEWS + "robocasa"),
    ("robosuite", NEWS + "robocasa"),
    ("MuJoCo", NEWS + "robocasa"),
    ("Midjourney", NEWS + "robocasa"),
    ("Mueller", NEWS + "myth-of-agi"),
    ("Stuxnet", NEWS + "myth-of-agi"),
    ("Vulnerable World Hypothesis", NEWS + "myth-of-agi"),
    ("Tallinn", NEWS + "reader-comments"),
    ("Ender's Game", NEWS + "ecology-of-war"),
    ("many-shot jailbreaking", NEWS + "ecology-of-war"),
    ("DiLoCo", NEWS + "decentralized-training"),
    ("Ethereum", NEWS + "decentralized-training"),
    ("Aksh Garg", NEWS + "decentralized-training"),
    ("Grover", NEWS + "gpt-2-five-years-on"),
    ("Karpathy", NEWS + "gpt-2-five-years-on"),
    ("Nuclear Regulatory Commission", NEWS + "gpt-2-five-years-on"),
    ("Bletchley", NEWS + "gpt-2-five-years-on"),
    ("unRLHF", "essays/open-source-ai"),
    ("Charlie Mnemonic", "essays/open-source-ai"),
    ("LTM Benchmark", "essays/open-source-ai"),
    ("GoodAI", "essays/open-source-ai"),
    ("Marek Rosa", "essays/open-source-ai"),
    ("Llama 2 licence", "essays/open-source-ai"),
    ("stochastic parrot", "glossary"),
    ("sim2real", "glossary"),
    ("hyperscaler", "glossary"),
    ("LoRA", "glossary"),
    ("4090", NEWS + "decentralized-training"),
    ("2,509", NEWS + "robocasa"),
    ("7.5 billion", NEWS + "coreweave-debt"),
]


def results(page, site, query):
    page.goto("%s/search.html?q=%s" % (site, quote(query)))
    page.wait_for_function(
        "(document.querySelector('#search-results .search-summary') || {}).innerText", timeout=10000
    )
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search li > a", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h.split("#")[0].removeprefix("./").removesuffix(".html") for h in hrefs]


@pytest.fixture(scope="module")
def search_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@browser_test
@pytest.mark.parametrize("query, expected", QUERIES)
def test_query_finds_the_page_that_discusses_it(search_page, site, query, expected):
    found = results(search_page, site, query)
    assert expected in found[:3], (query, found[:5])


# Sphinx's own search over its whole searchindex.js, in the page that just ran the book's search
# (same parser, scorer and description boosts): the search the book had before its index was split.
WHOLE_INDEX_RESULTS = """async (query) => {
  await new Promise((done, fail) => {
    const script = document.createElement("script");
    script.src = "searchindex.js"; script.onload = done; script.onerror = fail;
    document.head.appendChild(script);
  });
  return Search._performSearch(...Search._parseQuery(query)).reverse().map((r) => r[0] + r[2]);
}"""


@browser_test
def test_sharded_search_ranks_as_sphinx_whole_index_did(search_page, site):
    """For every query above, the sharded index lists the same results in the same order as
    Sphinx's search over the whole index: the quality of search does not drop with the split."""
    differ = {}
    for query, _ in QUERIES:
        search_page.goto("%s/search.html?q=%s" % (site, quote(query)))
        search_page.locator("#search-results .search-summary").filter(has_text="found").wait_for()
        sharded = search_page.eval_on_selector_all(
            "#search-results ul.search li > a",
            "els => els.map(e => e.getAttribute('href').replace(/^\\.\\//, '').replace('.html', ''))",
        )
        whole = search_page.evaluate(WHOLE_INDEX_RESULTS, query)
        if sharded != whole:
            differ[query] = (sharded[:5], whole[:5])
    assert differ == {}, differ


@browser_test
def test_results_show_descriptions_without_fetching_pages(browser, site):
    context = browser.new_context()
    page = context.new_page()
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith(".html") else None)
    found = results(page, site, "GPT-2")
    assert len(found) >= 5
    page.wait_for_selector("#search-results li .result-description")
    assert fetched == [page.url.split("?")[0]] or all("search.html" in u for u in fetched), fetched
    context.close()


@browser_test
def test_search_as_you_type_in_the_dialog(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + "/newsletter/import-ai-375/robocasa.html")
    page.keyboard.press("Control+k")
    dialog_input = page.locator("#pst-search-dialog input[name=q]")
    dialog_input.wait_for(state="visible")
    overlap = page.evaluate("""() => { const form = document.querySelector('#pst-search-dialog form');
        const icon = form.querySelector('svg'), input = form.querySelector('input');
        return icon.getBoundingClientRect().right - input.getBoundingClientRect().left; }""")
    assert overlap <= 0, "the magnifier overlaps the search text by %dpx" % overlap
    dialog_input.type("Shevlin")
    first = page.locator("#pst-search-dialog #search-results ul.search li a").first
    first.wait_for(timeout=5000)
    hrefs = page.eval_on_selector_all(
        "#pst-search-dialog #search-results ul.search li a", "els => els.map(e => e.href)"
    )
    assert any(h.endswith("/newsletter/import-ai-375/consciousness.html") for h in hrefs), hrefs
    context.close()


@browser_test
def test_search_index_is_not_loaded_until_a_reader_searches(browser, site):
    context = browser.new_context()
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site + "/essays/open-source-ai.html", wait_until="networkidle")
    assert not any("searchindex" in u or "searchtools" in u for u in requested), requested
    context.close()


# -- The sharded index -------------------------------------------------------------------------------


def index_files(book):
    """{file name: (callback, [JSON arguments])} of every file in the built searchindex/."""
    folder = book.outdir / "searchindex"
    return {p.name: read_script(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.js"))}


def sphinx_index(book):
    from sphinx.search import js_index

    return js_index.loads((book.outdir / "searchindex.js").read_text(encoding="utf-8"))


def schema(name):
    return Draft202012Validator(json.loads((ROOT / "_data/schemas" / name).read_text(encoding="utf-8")))


def test_every_index_file_matches_its_schema(book):
    """manifest.js, shard-*.js and descriptions-*.js hand JSON that their schemas accept."""
    files = index_files(book)
    validators = {
        "manifest": schema("search-manifest.schema.json"),
        "shard": schema("search-shard.schema.json"),
        "descriptions": schema("search-descriptions.schema.json"),
    }
    seen = set()
    for name, (callback, args) in files.items():
        seen.add(callback)
        errors = [e.message for e in validators[callback].iter_errors(args[-1])]
        assert errors == [], (name, errors[:3])
    assert seen == set(validators), seen


def test_shards_hold_all_of_sphinx_index(book):
    """Every stem of Sphinx's searchindex.js is in the shard search.js looks in, with the same pages;
    and every section title and index entry that has a word is there too."""
    index = sphinx_index(book)
    files = index_files(book)
    manifest = files["manifest.js"][1][0]
    assert manifest["docnames"] == index["docnames"] and manifest["titles"] == index["titles"]
    shards = {prefix: whole for prefix, (_, whole) in manifest["shards"].items()}
    by_prefix = {args[0]: args[1] for callback, args in files.values() if callback == "shard"}
    for part in ("terms", "titleterms"):
        for stem, pages in index[part].items():
            shard = by_prefix[shard_of(stem, shards)]
            assert shard["keys"][stem][part] == pages, (part, stem)
    for part in ("alltitles", "indexentries"):
        found = {text: where for shard in by_prefix.values() for text, where in shard[part].items()}
        # A title with no word (Sphinx lists some as "") matches no query, in Sphinx as here.
        expected = {text: [list(w) for w in where] for text, where in index[part].items() if tokens(text)}
        assert found == expected, part


def test_descriptions_are_in_their_chunks(book):
    files = index_files(book)
    manifest = files["manifest.js"][1][0]
    n = manifest["docnames"].index("newsletter/import-ai-375/consciousness")
    callback, (chunk, texts) = files["descriptions-%d.js" % (n // manifest["chunk"])]
    assert callback == "descriptions" and chunk == n // manifest["chunk"]
    source = (ROOT / "newsletter/import-ai-375/consciousness.md").read_text(encoding="utf-8")
    description = next(line for line in source.splitlines() if line.startswith("description:"))
    assert texts["newsletter/import-ai-375/consciousness"] == description.split(":", 1)[1].strip().strip('"')


def expected_files(book, word):
    """The index files a first query for one word needs: the manifest and the word's shards."""
    manifest = index_files(book)["manifest.js"][1][0]
    shards = {prefix: whole for prefix, (_, whole) in manifest["shards"].items()}
    return {"manifest.js"} | {"shard-%s.js" % manifest["shards"][p][0] for p in shards_for(word, shards)}


def dialog_search(page, url, query):
    """Open url, open the search dialog, type query, wait for the complete result list; the links."""
    page.goto(url)
    page.keyboard.press("Control+k")
    field = page.locator("#pst-search-dialog input[name=q]")
    field.wait_for(state="visible")
    field.press_sequentially(query)
    page.locator("#pst-search-dialog #search-results .search-summary").filter(has_text="found").wait_for()
    return page.eval_on_selector_all(
        "#pst-search-dialog #search-results ul.search li a", "els => els.map(e => e.href)"
    )


@browser_test
def test_first_query_downloads_only_the_manifest_and_its_shards(browser, site, book):
    """A first query for "Shevlin" fetches the manifest, the shard of "shevlin" and the descriptions
    of the results in view: a fraction of the index, never Sphinx's whole searchindex.js."""
    context = browser.new_context()
    page = context.new_page()
    fetched = {}
    page.on("requestfinished", lambda r: fetched.__setitem__(r.url, r.sizes()["responseBodySize"]))
    hrefs = dialog_search(page, site + "/essays/open-source-ai.html", "Shevlin")
    assert any(h.endswith("/newsletter/import-ai-375/consciousness.html") for h in hrefs), hrefs
    page.locator("#pst-search-dialog .result-description").first.wait_for()
    context.close()
    index = {u.split("/searchindex/")[1]: size for u, size in fetched.items() if "/searchindex/" in u}
    shards = {name for name in index if not name.startswith("descriptions-")}
    assert shards == expected_files(book, "shevlin"), sorted(index)
    assert not any(u.endswith("/searchindex.js") for u in fetched), sorted(fetched)
    downloaded = sum(index.values())
    whole = sum(p.stat().st_size for p in (book.outdir / "searchindex").glob("*.js"))
    assert downloaded == sum((book.outdir / "searchindex" / n).stat().st_size for n in index)
    assert downloaded < whole / 4, (downloaded, whole)


@browser_test
def test_search_works_from_a_copy_opened_from_disk(browser, book):
    """From file:// (where Chromium blocks fetch()), the dialog and the search page both find "Shevlin"."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    hrefs = dialog_search(page, (book.outdir / "essays/open-source-ai.html").as_uri(), "Shevlin")
    assert any(h.endswith("/newsletter/import-ai-375/consciousness.html") for h in hrefs), hrefs
    found = results(page, (book.outdir).as_uri(), "Henry Shevlin")
    assert NEWS + "consciousness" in found[:3], found
    context.close()
    assert errors == []


@browser_test
def test_search_page_runs_without_console_errors(browser, site):
    """The search page loads its tools and shards and lists results with no error in the console."""
    context = browser.new_context()
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append("failed: " + r.url))
    page.on("response", lambda r: problems.append("%d: %s" % (r.status, r.url)) if r.status >= 400 else None)
    found = results(page, site, "stochastic parrot")
    page.wait_for_load_state("networkidle")
    context.close()
    assert "glossary" in found[:3], found
    assert problems == [], problems
