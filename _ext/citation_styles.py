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
import functools
import hashlib
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


def entry_digest(entry: Any) -> str:
    """A digest of everything pybtex formats from an entry: its type, fields and persons."""
    parts = [entry.type]
    parts += ["%s=%s" % (name, value) for name, value in entry.fields.items()]
    parts += ["%s=%s" % (role, " and ".join(map(str, people))) for role, people in entry.persons.items()]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class BookStyle(PlainStyle):
    """pybtex's plain style, labelled by key; each entry is formatted once, not once per build.

    Every page's reference list formats its entries again (twice, with the hover
    text), and every build formats them all again, a quarter of a rebuild that
    changes nothing; the result depends only on the entry's content and its label, so
    it is remembered by those. The book's bibtex domain (_ext/bibtex_domain.py) keeps
    the memo in the environment between builds and drops what a build did not use.
    """

    default_label_style = KeyLabelStyle
    formatted: ClassVar[dict] = {}  # (style options, label, digest of the entry) -> FormattedEntry
    used: ClassVar[set] = set()  # the keys of ``formatted`` looked up in this build
    digests: ClassVar[dict] = {}  # id of an entry -> (entry, its digest), for this build

    @functools.cached_property
    def options(self) -> str:
        """The options this style formats with (its label, name and sorting styles)."""
        return "%s %s %s %s %s" % (
            type(self).__qualname__,
            type(self.label_style).__qualname__,
            type(self.name_style).__qualname__,
            type(self.sorting_style).__qualname__,
            self.abbreviate_names,
        )

    def format_entry(self, label, entry, bib_data=None):
        """pybtex's format_entry, remembered by the entry's label and content (not for an
        entry with a crossref, which is formatted with another entry's fields)."""
        if "crossref" in entry.fields:
            return super().format_entry(label, entry, bib_data=bib_data)
        known = self.digests.get(id(entry))
        if known is None or known[0] is not entry:
            known = self.digests[id(entry)] = (entry, entry_digest(entry))
        cache_key = (self.options, label, known[1])
        if cache_key not in self.formatted:
            self.formatted[cache_key] = super().format_entry(label, entry, bib_data=bib_data)
        self.used.add(cache_key)
        return self.formatted[cache_key]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register both styles (force: a second app in one process gets these classes too)."""
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearStyle, force=True
    )
    pybtex.plugin.register_plugin("pybtex.style.formatting", "book", BookStyle, force=True)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
