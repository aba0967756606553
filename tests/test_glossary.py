"""The glossary: enough terms, each defined, each used, each listing its uses."""


def entries(book):
    return book.page("glossary").select(".bd-article dl.glossary > dd")


def test_at_least_forty_terms(book):
    assert len(entries(book)) >= 40


def test_acronyms_link_as_well_as_their_expansion(book):
    ids = {dt["id"] for dt in book.page("glossary").select("dl.glossary dt[id]")}
    for name in ("term-LTM", "term-long-term-memory", "term-RLHF", "term-AGI", "term-LoRA"):
        assert name in ids, name


def test_every_entry_lists_the_pages_that_use_it(book):
    for dd in entries(book):
        uses = dd.select(".glossary-uses a")
        assert uses, dd.get_text(" ", strip=True)[:80]
        for a in uses:
            assert a["href"].endswith(".html") and not a["href"].startswith("http")


def test_term_links_carry_their_definition_for_hovering(book):
    soup = book.page("essays/open-source-ai")
    links = soup.select(".bd-article a:has(.std-term)")
    assert len(links) >= 10
    titled = set()  # the text is written once per term and page (_ext/hover_text.py)
    for a in links:
        assert len(a.get("title", "")) > 20 or a["href"] in titled, a
        titled.add(a["href"])


def test_every_annotated_page_links_terms(book):
    assert book.source_pages()
    for name in book.source_pages():
        assert book.page(name).select(".bd-article a:has(.std-term)"), name
