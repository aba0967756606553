"""The book's search: numbers in the index, descriptions for results.

Sphinx leaves numbers out of its search index, yet readers look for "4090",
"2,509" or "1.5"; the book's English search language keeps numbers of two or
more digits, and also indexes "2,509" as "2509".

Sphinx shows a snippet under each search result by downloading every result
page, which took seconds on a large book. The book switches that off
(``html_show_search_summary = False``) and shows each page's one-sentence
description instead, from a small file written here after the build.
"""

import json
import re
from pathlib import Path

from sphinx.search.en import SearchEnglish

from _ext.page_metadata import front_matter

GROUPED_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")


class BookSearchEnglish(SearchEnglish):
    def split(self, input):
        words = super().split(input)
        return words + [n.replace(",", "") for n in GROUPED_NUMBER.findall(input)]

    def word_filter(self, word):
        if word.isdigit():
            return len(word) >= 2
        return super().word_filter(word)


def write_descriptions(app, exception):
    if exception or app.builder.format != "html":
        return
    env = app.env
    descriptions = {doc: front_matter(env, doc).get("description", "") for doc in sorted(env.found_docs)}
    target = Path(app.outdir) / "_static" / "descriptions.js"
    target.write_text("window.BOOK_DESCRIPTIONS = %s;\n" % json.dumps(
        {doc: text for doc, text in descriptions.items() if text}, sort_keys=True, ensure_ascii=False),
        encoding="utf-8")


def setup(app):
    app.add_search_language(BookSearchEnglish)
    app.connect("build-finished", write_descriptions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
