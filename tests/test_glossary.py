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


def test_uses_carry_the_sentence_around_the_link_for_a_few_pages(book):
    """Under each term: the first pages that link it, each with the sentence around its link
    (the linked words among them), then the others as plain links; every linking page once."""
    from _ext.glossary_index import GLOSSARY_CONTEXTS

    linking = {}  # term anchor -> titles of the pages that link it
    for name in book.pages():
        if name != "glossary":
            title = book.page(name).select_one("h1").get_text().rstrip("#").strip()
            for a in book.page(name).select(".bd-article a[href*='glossary.html#']:has(.std-term)"):
                linking.setdefault(a["href"].partition("#")[2], {})[title] = a.get_text(" ", strip=True)
    shown = 0
    for dd in entries(book):
        anchors = []
        dt = dd.find_previous_sibling()
        while dt is not None and dt.name == "dt":
            anchors.append(dt["id"])
            dt = dt.find_previous_sibling()
        expected = {title: text for anchor in anchors for title, text in linking.get(anchor, {}).items()}
        assert "no-search" in dd.select_one(".glossary-uses")["class"]  # other pages' words: not indexed
        items = dd.select(".glossary-uses li")
        more = [a.get_text() for a in dd.select(".glossary-uses .glossary-more-uses a")]
        assert len(items) == min(len(expected), GLOSSARY_CONTEXTS), anchors
        listed = [li.a.get_text() for li in items]
        assert sorted(listed + more) == sorted(expected), anchors
        for li in items:
            context = li.select_one(".backlink-context").get_text()
            assert len(context) >= 10 and not context.endswith(":"), (anchors, context)
            if len(set(expected.values())) == 1:  # the page's link text, as the page shows it
                assert next(iter(expected.values())).lower() in context.lower(), (anchors, context)
        shown += len(items)
    assert shown >= 50  # about two sentences for each of the 47 terms


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
