#!/usr/bin/env python3
"""List the book's negative claims and its statements about the present, for re-checking.

A claim that something could not be found, is stated in no source or does not exist is
the easiest kind to get wrong: a later search may find what an earlier one missed. A
sentence about "now" or "today" goes stale without saying so. This script prints every
such sentence with its file and line, so that each can be searched again and either
corrected or kept with a note of what was searched (negative claims) or a date (time-bound
statements). It is a report for a person to read, not a check: it always exits 0 unless
its arguments are wrong.

Each negative claim is tagged "search stated" when the sentence itself says what was
searched or consulted, else "no search stated". Each time-bound statement is tagged
"dated" when the sentence carries a year, else "undated". Words inside double quotation
marks are the sources' words, not the book's, and are ignored.

usage: audit.py [BOOK_DIR]          (default: the book this script belongs to)
exit 0: report printed; 2: BOOK_DIR is missing or is not a directory.
"""

import re
import sys
from pathlib import Path

SKIP_DIRS = {
    "_build",
    ".git",
    ".venv",
    "node_modules",
    "tests",
    "templates",
    "bench",
    "requirements",
    "__pycache__",
    ".pytest_cache",
    "_generated",
}
SKIP_FILES = {"README.md", "CONTRIBUTING.md"}

NEGATIVE = re.compile(
    r"\b(?:could not|couldn't|cannot be|can't be|can not be|was not|were not|is not|are not|has not been|"
    r"have not been)\s+(?:be\s+)?(?:found|verified|confirmed|located|traced|checked|retrieved|identified)\b"
    r"|\b(?:could not|couldn't|cannot|can't|did not|were unable to|was unable to)\s+"
    r"(?:find|verify|confirm|locate|trace|check|retrieve|identify)\b"
    r"|\bnot (?:been )?verified\b|\bunverifi(?:ed|able)\b|\bwe found no\b|\bfound no\b|\bfinds no\b"
    r"|\bno (?:public |primary |other |such )?(?:source|record|trace|evidence)s?\b|\bnone of the sources\b"
    r"|\bdoes not exist\b|\bdo not exist\b|\bdid not exist\b|\bno such\b|\bstated nowhere\b|\bnowhere\b"
    r"|\bnot (?:stated|given|named) (?:in|by) (?:any|the)\b|\bno public\b|\bnot found\b",
    re.I,
)
TIME = re.compile(
    r"\b(?:now|nowadays|currently|current|today|today's|to date|the latest|at present|presently|"
    r"at the moment|at the time of writing|so far|as yet|this year|recently|these days)\b",
    re.I,
)
SEARCHED = re.compile(
    r"\b(?:search(?:ed|es|ing)?|look(?:ed|ing) (?:for|in|through)|checked|consulted|archive[sd]?|"
    r"catalogue|index(?:es)?|registry|sources? (?:available|consulted|we|here))\b",
    re.I,
)
YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")
QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')\]*]*\s+(?=[A-Z\"“(*\[{])")
FENCE = re.compile(r"^\s*(```|~~~)")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s")
BIB_FIELD = re.compile(r"^\s*(\w+)\s*=")
LABEL = re.compile(r"^\([\w./:-]+\)=$")


def book_files(book):
    for path in sorted(book.rglob("*")):
        rel = path.relative_to(book)
        if (
            set(rel.parts[:-1]) & SKIP_DIRS
            or rel.name in SKIP_FILES
            or any(p.startswith(".") for p in rel.parts)
        ):
            continue
        if (
            path.suffix == ".md"
            or (path.suffix in {".yaml", ".yml"} and rel.parts[0] == "_data")
            or rel.as_posix() == "references.bib"
        ):
            yield path, rel


def paragraphs(text):
    """Yield (first line number, [(line number, line), ...]) for each block of prose lines."""
    block, in_fence, in_front = [], False, False
    for number, line in enumerate(text.splitlines(), 1):
        if number == 1 and line.strip() == "---":
            in_front = True
            continue
        if in_front:
            in_front = line.strip() != "---"
            if not in_front:
                continue
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        stripped = line.strip()
        boundary = not stripped or stripped.startswith(":::") or LABEL.match(stripped)
        if in_fence or boundary:  # blank lines, directive fences and labels end a paragraph
            if block:
                yield block
            block = []
            continue
        if LIST_ITEM.match(line) and block:  # each list item starts a new paragraph
            yield block
            block = []
        if line.lstrip().startswith("|"):  # a table row is its own paragraph
            if block:
                yield block
            yield [(number, line)]
            block = []
            continue
        block.append((number, line))
    if block:
        yield block


def sentences(block):
    """Split a paragraph into sentences, each with the line number where it starts."""
    text, starts = "", []
    for number, line in block:
        starts.append((len(text), number))
        text += (LIST_ITEM.sub("", line, count=1) if not text else line).strip() + " "
    pos = 0
    for match in list(SENTENCE_END.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        sentence = text[pos:end].strip()
        if sentence:
            yield sentence, pos, starts, text
        pos = match.end() if match else len(text)


def line_of(offset, starts):
    number = starts[0][1]
    for start, line_number in starts:
        if start <= offset:
            number = line_number
    return number


def audit(book):
    negatives, timed = [], []
    for path, rel in book_files(book):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            blocks = paragraphs(text)
        else:  # data and bibliography files: one line, one statement
            blocks = [
                [(number, line)]
                for number, line in enumerate(text.splitlines(), 1)
                if line.strip()
                and not (
                    path.suffix == ".bib"
                    and BIB_FIELD.match(line)
                    and BIB_FIELD.match(line).group(1).lower() != "note"
                )
            ]
        for block in blocks:
            for sentence, offset, starts, _ in sentences(block):
                bare = QUOTED.sub(lambda m: " " * len(m.group(0)), sentence)
                for found, kind in ((NEGATIVE.search(bare), "negative"), (TIME.search(bare), "time")):
                    if not found:
                        continue
                    where = f"{rel.as_posix()}:{line_of(offset + found.start(), starts)}"
                    if kind == "negative":
                        tag = "search stated" if SEARCHED.search(bare) else "no search stated"
                        negatives.append((where, tag, sentence))
                    else:
                        tag = "dated" if YEAR.search(sentence) else "undated"
                        timed.append((where, tag, sentence))
    return negatives, timed


def main(argv):
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    book = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent
    if not book.is_dir():
        print(f"audit.py: {book}: not a directory", file=sys.stderr)
        return 2
    negatives, timed = audit(book)
    for title, rows, todo in (
        (
            "Negative claims: could not find or verify, no source, does not exist",
            negatives,
            "no search stated",
        ),
        ("Time-bound statements: now, currently, today, to date, the latest", timed, "undated"),
    ):
        print(f"== {title} ({len(rows)}; {sum(r[1] == todo for r in rows)} {todo})")
        for where, tag, sentence in rows:
            print(f"{where}: [{tag}] {sentence}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
