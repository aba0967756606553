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

Sphinx also loses, on an incremental build, the index entries (the glossary's terms)
of every page it does not write again: it collects them while writing, after the
environment has been saved, and does not read them back from the last
``searchindex.js`` (sphinx-doc/sphinx#12599, open for Sphinx 9.0.4). The book keeps
them itself: ``keep_index_entries`` saves them beside the doctrees when a build ends,
``restore_index_entries`` puts them back before writing starts. Upstream internal relied
on: ``IndexBuilder`` takes its index entries from ``env._search_index_index_entries``
(``sphinx/search/__init__.py``, Sphinx 9.0.4); guarded by
``tests/test_contracts.py::test_sphinx_index_entries_live_in_the_environment``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.search.en import SearchEnglish

GROUPED_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")


class BookSearchEnglish(SearchEnglish):
    """Sphinx's English search language, keeping numbers of two or more digits, with each
    word's stem remembered for the whole build."""

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.stems: dict[str, str] = {}
        self.kept: dict[str, bool] = {}  # word_filter's answers, asked for every word of every page

    def stem(self, word: str) -> str:
        """Sphinx's stem of the word. Sphinx remembers stems one page at a time, so a word on
        every page was stemmed again on each: a fifth of a clean build, spent in the pure-Python
        stemmer. The stemmer is a function of the word alone."""
        stem = self.stems.get(word)
        if stem is None:
            stem = self.stems[word] = super().stem(word)
        return stem

    def split(self, input):
        """Sphinx's words, plus each grouped number ("2,509") without its commas."""
        words = super().split(input)
        return words + [n.replace(",", "") for n in GROUPED_NUMBER.findall(input)]

    def word_filter(self, word):
        """Keep numbers of two or more digits; otherwise as Sphinx decides."""
        kept = self.kept.get(word)
        if kept is None:
            kept = self.kept[word] = len(word) >= 2 if word.isdigit() else super().word_filter(word)
        return kept


INDEX_ENTRIES = "search-index-entries.json"  # in the doctree folder: {page: [[entry, anchor, main]]}


def _index_entries_file(app: Sphinx) -> Path:
    return Path(app.doctreedir) / INDEX_ENTRIES


def restore_index_entries(app: Sphinx, builder: Any) -> None:
    """Before writing: the index entries of every page, as the last build left them; the
    pages written in this build replace theirs as they are indexed."""
    if not getattr(builder, "search", False):
        return
    path = _index_entries_file(app)
    kept = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    entries = app.env._search_index_index_entries
    entries.clear()  # nothing in the saved environment is newer than the file
    entries.update(
        {doc: [tuple(entry) for entry in items] for doc, items in kept.items() if doc in app.env.all_docs}
    )


def keep_index_entries(app: Sphinx, exception: Exception | None) -> None:
    """After a build that wrote the search index: save what it held, for the next build."""
    if exception is not None or getattr(app.builder, "indexer", None) is None:
        return
    entries = app.env._search_index_index_entries
    data = {doc: entries[doc] for doc in sorted(entries) if doc in app.env.all_docs}
    _index_entries_file(app).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Use the book's search language; write the sharded index after the build."""
    app.setup_extension("_ext.search_shards")
    app.add_search_language(BookSearchEnglish)
    app.connect("write-started", restore_index_entries)
    app.connect("build-finished", keep_index_entries)
    return {"version": "2", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
