"""The book's search: numbers in the index, descriptions for results.

Sphinx leaves numbers out of its search index, yet readers look for "4090",
"2,509" or "1.5"; the book's English search language keeps numbers of two or
more digits, and also indexes "2,509" as "2509".

Sphinx shows a snippet under each search result by downloading every result
page, which took seconds on a large book. The book switches that off
(``html_show_search_summary = False``) and shows each page's one-sentence
description instead. Sphinx's index is also split into small files, so that a
first query downloads only what it needs: ``_ext/search_shards.py``, loaded here;
the descriptions are written there, in chunks.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx
from sphinx.search.en import SearchEnglish

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


def setup(app: Sphinx) -> dict[str, Any]:
    """Use the book's search language; write the sharded index after the build."""
    app.setup_extension("_ext.search_shards")
    app.add_search_language(BookSearchEnglish)
    return {"version": "2", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
