"""The book's search: numbers in the index, descriptions for results.

Sphinx leaves numbers out of its search index, yet readers look for "4090",
"2,509" or "1.5"; the book's English search language keeps numbers of two or
more digits, and also indexes "2,509" as "2509".

Sphinx shows a snippet under each search result by downloading every result
page, which took seconds on a large book. The book switches that off
(``html_show_search_summary = False``) and shows each page's one-sentence
description instead, from a small file written here after the build.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.search.en import SearchEnglish

from _ext.page_metadata import front_matter

GROUPED_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")


class BookSearchEnglish(SearchEnglish):
    """Sphinx's English search language, keeping numbers of two or more digits."""

    def split(self, input):
        """Sphinx's words, plus each grouped number ("2,509") without its commas."""
        words = super().split(input)
        return words + [n.replace(",", "") for n in GROUPED_NUMBER.findall(input)]

    def word_filter(self, word):
        """Keep numbers of two or more digits; otherwise as Sphinx decides."""
        if word.isdigit():
            return len(word) >= 2
        return super().word_filter(word)


def write_descriptions(app: Sphinx, exception: Exception | None) -> None:
    """Write _static/descriptions.js: each page's one-sentence description, for search results."""
    if exception or app.builder.format != "html":
        return
    env = app.env
    descriptions = {doc: front_matter(env, doc).get("description", "") for doc in sorted(env.found_docs)}
    target = Path(app.outdir) / "_static" / "descriptions.js"
    target.write_text(
        "window.BOOK_DESCRIPTIONS = %s;\n"
        % json.dumps(
            {doc: text for doc, text in descriptions.items() if text}, sort_keys=True, ensure_ascii=False
        ),
        encoding="utf-8",
    )


def setup(app: Sphinx) -> dict[str, Any]:
    """Use the book's search language and write the descriptions file after the build."""
    app.setup_extension("_ext.page_metadata")
    app.add_search_language(BookSearchEnglish)
    app.connect("build-finished", write_descriptions)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
