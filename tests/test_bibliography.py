"""references.bib is complete, well formed, cited where discussed and shown where read."""

import re

import pytest
from pybtex.database import parse_file
from pybtex.database.input.bibtex import Parser

import conf
from _ext.bib_checks import REQUIRED  # the build's own rule for required fields
from conftest import ROOT

BIB = ROOT / "references.bib"
KEY = re.compile(r"^[A-Z][A-Za-z]+(?:[A-Z][a-z]+)*\d{4}[a-z0-9]+$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
ARXIV = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")
URL = re.compile(r"^https?://[^\s{}]+$")
GROUPS = {"paper", "article", "software", "policy", "newsletter"}
CITE = re.compile(r"\{cite:[a-z]+\}`([^`]+)`")
# A note that explains a missing identifier says so in one of these ways.
NO_IDENTIFIER_REASON = re.compile(
    r"has no DOI|no DOI or|no URL is given|could not be (?:verified|retrieved)", re.I
)


@pytest.fixture(scope="module")
def bib():
    return parse_file(str(BIB))


def cited_keys():
    keys = {}
    for page in ROOT.rglob("*.md"):
        rel = page.relative_to(ROOT)
        if {"_build", ".venv", "tests", "templates", "node_modules"} & set(rel.parts) or rel.name in {
            "README.md",
            "CONTRIBUTING.md",
        }:
            continue
        for match in CITE.finditer(page.read_text(encoding="utf-8")):
            for key in match.group(1).split(","):
                keys.setdefault(key.strip(), set()).add(str(rel))
    return keys


def test_no_duplicate_keys():
    parser = Parser()
    parser.parse_string(BIB.read_text(encoding="utf-8"))  # strict mode raises on a duplicate key
    raw = re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8"), re.M)
    assert len(raw) == len(set(raw)), sorted(k for k in raw if raw.count(k) > 1)


def test_enough_entries(bib):
    assert len(bib.entries) >= 60


def test_keys_follow_author_year_word(bib):
    bad = [k for k in bib.entries if not KEY.match(k)]
    assert not bad, bad


def test_required_fields_for_each_type(bib):
    problems = []
    for key, entry in bib.entries.items():
        if entry.type not in REQUIRED:
            problems.append((key, "type @%s is not used in this book" % entry.type))
            continue
        fields = set(f.lower() for f in entry.fields) | ({"author"} if entry.persons.get("author") else set())
        missing = REQUIRED[entry.type] - fields
        if entry.type == "misc" and not ({"url", "howpublished", "publisher"} & fields):
            missing.add("url or howpublished")
        if (
            entry.type in ("misc", "book")
            and not entry.persons.get("author")
            and "organization" not in fields
            and "publisher" not in fields
        ):
            missing.add("author or organization")
        if missing:
            problems.append((key, sorted(missing)))
    assert not problems, problems


def test_identifiers_have_the_right_shape(bib):
    problems = []
    for key, entry in bib.entries.items():
        fields = {k.lower(): v for k, v in entry.fields.items()}
        if "doi" in fields and not DOI.match(fields["doi"]):
            problems.append((key, "doi", fields["doi"]))
        if "url" in fields and not URL.match(fields["url"]):
            problems.append((key, "url", fields["url"]))
        if fields.get("archiveprefix", "").lower() == "arxiv" and not ARXIV.match(fields.get("eprint", "")):
            problems.append((key, "eprint", fields.get("eprint")))
        if "year" in fields and not re.fullmatch(r"\d{4}", fields["year"]):
            problems.append((key, "year", fields["year"]))
    assert not problems, problems


def test_every_entry_belongs_to_a_bibliography_group(bib):
    bad = [
        (k, e.fields.get("keywords"))
        for k, e in bib.entries.items()
        if not {w.strip() for w in e.fields.get("keywords", "").split(",")} & GROUPS
    ]
    assert not bad, bad


def test_every_entry_is_cited_and_every_citation_resolves(bib):
    cited = cited_keys()
    uncited = sorted(set(bib.entries) - set(cited))
    unknown = {k: v for k, v in cited.items() if k not in bib.entries}
    assert not uncited, "entries no page cites: %s" % uncited
    assert not unknown, "citations of unknown keys: %s" % unknown


def test_both_sources_are_in_the_bibliography(bib):
    assert "Rosa2024opensource" in bib.entries and "Clark2024importai375" in bib.entries


def test_each_citing_page_ends_with_its_own_references(book):
    for name in book.pages():
        soup = book.page(name)
        if name in conf.bibliography_docnames or not soup.select(".bd-article .bibtex-citation"):
            continue
        cites = soup.select(".bd-article .bibtex-citation a")
        for a in cites:
            assert a["href"].startswith("#"), (name, a["href"], "citation leaves the page")
            target = soup.find(id=a["href"][1:])
            assert target and "citation" in target.get("class", []), (name, a["href"])
            # The hover text is the entry's own text (previews.js; _ext/hover_text.py).
            assert len(target.select_one(":scope > p").get_text(strip=True)) > 20, (name, a["href"])
            assert not a.get("title"), (name, a["href"], "the full reference repeated in the citation")


def bibliography_entries(book):
    """Every entry of every bibliography page."""
    return [
        e for name in conf.bibliography_docnames for e in book.page(name).select(".bd-article div.citation")
    ]


def test_bibliography_pages_list_everything_with_backlinks(book, bib):
    entries = bibliography_entries(book)
    assert sorted(e["id"] for e in entries) == sorted(bib.entries)
    without = [e.get_text(" ", strip=True)[:60] for e in entries if not e.select(".cited-in a")]
    assert not without, without


def identifiers(entry):
    """The entry's DOI, arXiv id and URL, as the links they become on the page."""
    fields = {k.lower(): v for k, v in entry.fields.items()}
    found = []
    if "doi" in fields:
        found.append(fields["doi"])
    if fields.get("archiveprefix", "").lower() == "arxiv" and fields.get("eprint"):
        found.append(fields["eprint"])
    if "url" in fields:
        found.append(fields["url"])
    return found


def test_every_entry_has_an_identifier_or_a_note_saying_why_not(bib):
    missing = [
        key
        for key, entry in bib.entries.items()
        if not identifiers(entry) and not NO_IDENTIFIER_REASON.search(entry.fields.get("note", ""))
    ]
    assert not missing, "entries with no DOI, arXiv id or URL and no note saying why: %s" % missing


def test_bibliography_pages_show_each_identifier_or_the_reason(book, bib):
    problems = []
    for div in bibliography_entries(book):
        key = div["id"]  # the label reads author-year; the anchor is the key
        entry = bib.entries[key]
        hrefs = " ".join(a["href"] for a in div.select("a.reference.external"))
        if identifiers(entry):
            if not all(i in hrefs for i in identifiers(entry)):
                problems.append((key, "identifier not linked"))
        elif not NO_IDENTIFIER_REASON.search(div.get_text(" ", strip=True)):
            problems.append((key, "no identifier and no reason shown"))
    assert not problems, problems
