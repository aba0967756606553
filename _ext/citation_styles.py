"""How citations look: the book's pybtex and sphinxcontrib-bibtex styles.

Registered through both packages' public plugin registries (``register_plugin``),
so ``bibtex_default_style`` and ``bibtex_reference_style`` in conf.py can name them:

* ``book`` (formatting style): pybtex's plain style labelled by citation key,
  because every page has its own reference list and numeric labels restart on
  each, which makes different works share a label.
* ``author_year_round`` (referencing style): author-year citations in round
  brackets, "(Radford et al., 2019)" and "Radford et al. (2019)", as a reader of
  a scholarly book expects.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import pybtex.plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

ROUND = BracketStyle(left="(", right=")")


@dataclasses.dataclass
class RoundAuthorYearStyle(AuthorYearReferenceStyle):
    """sphinxcontrib-bibtex's author-year style with round brackets everywhere."""

    bracket_parenthetical: BracketStyle = dataclasses.field(default_factory=lambda: ROUND)
    bracket_textual: BracketStyle = dataclasses.field(default_factory=lambda: ROUND)
    bracket_author: BracketStyle = dataclasses.field(default_factory=lambda: ROUND)
    bracket_label: BracketStyle = dataclasses.field(default_factory=lambda: ROUND)
    bracket_year: BracketStyle = dataclasses.field(default_factory=lambda: ROUND)


class KeyLabelStyle(BaseLabelStyle):
    """Each entry's label is its citation key."""

    def format_labels(self, sorted_entries: Iterable[Any]) -> Iterator[str]:
        """Yield the key of each entry, in order."""
        for entry in sorted_entries:
            yield entry.key


class BookStyle(PlainStyle):
    """pybtex's plain style, labelled by key; each entry is formatted once per build.

    Every page's reference list formats its entries again (twice, with the hover
    text); the result depends only on the entry and its label, so it is reused.
    The book's bibtex domain (_ext/bibtex_domain.py) empties the memo at the start
    of each build's bookkeeping, since the bibliography may have changed.
    """

    default_label_style = KeyLabelStyle
    formatted: ClassVar[dict] = {}  # (label, key, id of the entry) -> FormattedEntry

    def format_entry(self, label, entry, bib_data=None):
        """pybtex's format_entry, remembered for this build."""
        cache_key = (label, entry.key, id(entry))
        if cache_key not in self.formatted:
            self.formatted[cache_key] = super().format_entry(label, entry, bib_data=bib_data)
        return self.formatted[cache_key]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register both styles (force: a second app in one process gets these classes too)."""
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearStyle, force=True
    )
    pybtex.plugin.register_plugin("pybtex.style.formatting", "book", BookStyle, force=True)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
