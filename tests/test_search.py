"""Search finds what a reader types: names, organisations, works, products, terms, numbers."""

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

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


@pytest.mark.parametrize("query, expected", QUERIES)
def test_query_finds_the_page_that_discusses_it(search_page, site, query, expected):
    found = results(search_page, site, query)
    assert expected in found[:3], (query, found[:5])


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


def test_search_index_is_not_loaded_until_a_reader_searches(browser, site):
    context = browser.new_context()
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site + "/essays/open-source-ai.html", wait_until="networkidle")
    assert not any("searchindex.js" in u for u in requested)
    context.close()
