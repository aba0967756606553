"""One concern per test, each on the tiny book (tests/roots/base) built strictly with the book's conf.py.

The tagged-pages directive, the bibliography's "Cited in" lists and the glossary's "Used in"
lists (with their sentences) across incremental builds, the bibliography's landing page,
and the icon subset's refusal of an icon the theme does not have.
"""

import json
import shutil

from bs4 import BeautifulSoup

import conf
from conftest import ROOT, ROOTS, sphinx_build

TOPIC = """---
description: A topic page that lists the pages tagged safety.
tags: []
---

# Safety topic

:::{tagged-pages} safety
:::
"""
BIBLIOGRAPHY = """---
description: Every work the tiny book cites, with the pages citing it.
tags: []
---

# Bibliography

:::{bibliography}
:all:
:::
"""
CITING_PAGE = """---
description: A second page that cites the scaling-law paper too.
tags: [safety]
---

(page)=
# Page

Back to {ref}`home`, and {cite:t}`Kaplan2020scaling` again.

## References

:::{bibliography}
:filter: docname in docnames
:::
"""


def tiny(tmp_path, **pages):
    """A copy of the base root with extra pages (added to the landing page's toctree)."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "base", src)
    index = src / "index.md"
    extra = "".join(name[:-3] + "\n" for name in pages if name != "page.md")
    index.write_text(
        index.read_text(encoding="utf-8").replace("page\nglossary\n", "page\nglossary\n" + extra),
        encoding="utf-8",
    )
    for name, text in pages.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    return src


def build(src, out):
    returncode, warnings = sphinx_build(src, out, env={"BOOK_ROOT": str(ROOT)})
    assert returncode == 0, warnings
    return warnings


def soup(out, name):
    return BeautifulSoup((out / (name + ".html")).read_text(encoding="utf-8"), "html.parser")


def test_tagged_pages_lists_the_pages_with_the_tag_and_follows_changes(tmp_path):
    src, out = tiny(tmp_path, **{"topic.md": TOPIC}), tmp_path / "out"
    build(src, out)
    items = soup(out, "topic").select("ul.tagged-pages > li")
    assert [li.a.get_text() for li in items] == ["Tiny book", "Page"]  # by document name: index, page
    assert items[1].get_text().endswith(": A second page that the negative tests overwrite.")
    assert items[1].a["href"] == "page.html"

    # A page gives up the tag: the topic page, not edited, drops it.
    (src / "page.md").write_text((src / "page.md").read_text().replace("tags: [safety]", "tags: [robots]"))
    build(src, out)
    assert [li.a.get_text() for li in soup(out, "topic").select("ul.tagged-pages > li")] == ["Tiny book"]


def test_tagged_pages_rejects_an_unknown_tag_naming_file_and_line(tmp_path):
    src = tiny(tmp_path, **{"topic.md": TOPIC.replace("tagged-pages} safety", "tagged-pages} astrology")})
    returncode, warnings = sphinx_build(src, tmp_path / "out", env={"BOOK_ROOT": str(ROOT)})
    assert returncode != 0
    assert "topic.md:8" in warnings and "unknown tag 'astrology'" in warnings, warnings


def test_cited_in_lists_follow_incremental_builds(tmp_path):
    papers = conf.bibliography_docnames[0]
    src, out = tiny(tmp_path, **{papers + ".md": BIBLIOGRAPHY}), tmp_path / "out"
    build(src, out)

    def cited_in():
        return [a.get_text() for a in soup(out, papers).select(".citation .cited-in a")]

    def contexts():
        items = soup(out, papers).select(".citation .cited-in li")
        return {li.a.get_text(): li.select_one(".backlink-context").get_text() for li in items}

    assert cited_in() == ["Tiny book"]
    assert contexts() == {
        "Tiny book": "Models learn from synthetic data, as Kaplan and McCandlish (2020) discuss."
    }
    # Another page starts citing the work: the bibliography page, unedited, lists it.
    (src / "page.md").write_text(CITING_PAGE)
    build(src, out)
    assert cited_in() == ["Tiny book", "Page"]  # by document name
    assert contexts()["Page"] == "Back to Tiny book, and Kaplan and McCandlish (2020) again."
    # The sentence around the citation changes: so does the context.
    (src / "page.md").write_text(CITING_PAGE.replace("again.", "once more. A second sentence."))
    build(src, out)
    assert contexts()["Page"] == "Back to Tiny book, and Kaplan and McCandlish (2020) once more."
    # The landing page stops citing it: the list drops it.
    index = src / "index.md"
    index.write_text(index.read_text().replace(", as {cite:t}`Kaplan2020scaling` discuss", ""))
    build(src, out)
    assert cited_in() == ["Page"]


LANDING = """---
description: The tiny book's bibliography, one page per kind of work.
tags: []
---

(bibliography)=
# Bibliography

:::{bibliography-pages}
:::

:::{toctree}
:hidden:

%s
:::
"""
KIND_PAGE = """---
description: The works of one kind that the tiny book cites.
tags: []
---

# %s works

:::{bibliography}
:filter: keywords %% "%s"
:::
"""


def test_the_landing_page_follows_a_work_moved_to_another_kind(tmp_path):
    """The counts and the map of old anchors follow an edit of an entry's group, which
    rewrites the two bibliography pages but reads no page again."""
    src = tiny(tmp_path, **{"bibliography.md": LANDING % "\n".join(conf.bibliography_docnames)})
    for doc, group in zip(conf.bibliography_docnames, conf.bib_keyword_groups, strict=True):
        (src / doc).parent.mkdir(exist_ok=True)
        (src / (doc + ".md")).write_text(KIND_PAGE % (group.capitalize(), group), encoding="utf-8")
    out = tmp_path / "out"
    build(src, out)

    def counts():
        return [
            li.get_text(strip=True) for li in soup(out, "bibliography").select("ul.bibliography-pages > li")
        ]

    def anchor():
        text = (out / "_static" / "bibliography-anchors.js").read_text(encoding="utf-8")
        return json.loads(text.removeprefix("window.BOOK_BIBLIOGRAPHY_ANCHORS = ").removesuffix(";\n"))[
            "Kaplan2020scaling"
        ]

    papers, articles = conf.bibliography_docnames[:2]
    assert counts()[:2] == ["Paper works: 1 work", "Article works: 0 works"]
    assert anchor() == papers + ".html#Kaplan2020scaling"
    bib = src / "references.bib"
    bib.write_text(bib.read_text().replace("keywords = {paper}", "keywords = {article}"))
    build(src, out)
    assert counts()[:2] == ["Paper works: 0 works", "Article works: 1 work"]
    assert anchor() == articles + ".html#Kaplan2020scaling"
    assert not soup(out, papers).select("div.citation")
    assert soup(out, articles).select_one("div.citation#Kaplan2020scaling")


def test_a_bibliography_page_that_does_not_exist_is_named_with_the_landing_page(tmp_path):
    src = tiny(tmp_path, **{"bibliography.md": LANDING % ""})
    returncode, warnings = sphinx_build(src, tmp_path / "out", env={"BOOK_ROOT": str(ROOT)})
    assert returncode != 0
    assert "bibliography.md:9" in warnings, warnings
    assert "bibliography_docnames (conf.py) names '%s', which is not a page" % conf.bibliography_docnames[
        0
    ] in (warnings)


def test_glossary_uses_carry_their_sentence_across_incremental_builds(tmp_path):
    src, out = tiny(tmp_path), tmp_path / "out"
    build(src, out)

    def uses():
        items = soup(out, "glossary").select(".glossary-uses li")
        return {li.a.get_text(): li.select_one(".backlink-context").get_text() for li in items}

    assert uses() == {
        "Tiny book": "Models learn from synthetic data, as Kaplan and McCandlish (2020) discuss."
    }
    # A page starts using the term: the glossary, not edited, lists it with its sentence.
    page = src / "page.md"
    page.write_text(page.read_text() + "\nFirst things first. Some {term}`synthetic data` is noisy. Last.\n")
    build(src, out)
    assert uses()["Page"] == "Some synthetic data is noisy."
    # The sentence changes around the same link: so does the glossary's.
    page.write_text(page.read_text().replace("is noisy", "is clean"))
    build(src, out)
    assert uses()["Page"] == "Some synthetic data is clean."


def test_an_icon_the_theme_lacks_fails_the_build_naming_the_page(tmp_path):
    page = (ROOTS / "base" / "page.md").read_text() + '\n<i class="fa-solid fa-no-such-icon-here"></i>\n'
    src = tiny(tmp_path, **{"page.md": page})
    returncode, warnings = sphinx_build(src, tmp_path / "out", env={"BOOK_ROOT": str(ROOT)})
    assert returncode != 0
    assert "page.html" in warnings and "icon 'fa-no-such-icon-here'" in warnings, warnings


def test_only_pages_with_code_load_the_highlighting_stylesheet(tmp_path):
    page = (ROOTS / "base" / "page.md").read_text() + "\n```python\nprint('highlighted')\n```\n"
    src, out = tiny(tmp_path, **{"page.md": page}), tmp_path / "out"
    build(src, out)

    def stylesheets(name):
        return [link["href"].partition("?")[0] for link in soup(out, name).select("link[rel=stylesheet]")]

    assert "_static/pygments.css" in stylesheets("page")
    assert "_static/pygments.css" not in stylesheets("index")


def test_a_new_glossary_name_is_checked_on_pages_not_rebuilt(tmp_path):
    page = (ROOTS / "base" / "page.md").read_text() + "\nZebra crossings slow the traffic.\n"
    src, out = tiny(tmp_path, **{"page.md": page}), tmp_path / "out"
    build(src, out)
    # The glossary gains a term that page.md, which is not edited, names without linking it.
    glossary = src / "glossary.md"
    glossary.write_text(glossary.read_text() + "\n:::{glossary}\nzebra crossing\n  A road marking.\n:::\n")
    returncode, warnings = sphinx_build(src, out, env={"BOOK_ROOT": str(ROOT)})
    assert returncode != 0
    assert (
        "page.md:11" in warnings and "glossary term 'zebra crossing' is used ('Zebra crossings')" in warnings
    ), warnings
