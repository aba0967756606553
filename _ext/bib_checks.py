"""The bibliography's rules, checked by the build with the file and the entry's line.

Each entry of every ``bibtex_bibfiles`` file is read on its own, so one broken entry
cannot hide the others, and every problem is a warning at ``references.bib:LINE``:

* an entry with no key, or with no fields at all;
* a duplicate key (sphinxcontrib-bibtex would silently keep only one);
* an entry type the book does not use, or a missing required field for its type
  (which would otherwise show as "n.d." or stop the build);
* a ``keywords`` field that names none of ``bib_keyword_groups``, the groups of the
  bibliography page;
* a ``url`` whose scheme is not http or https;
* an entry that no page cites.

An entry with a problem is left out of the book (a citation of it is then reported
as an unknown key) rather than stopping the build with a traceback.
"""

import re
from pathlib import Path

from docutils import nodes
from pybtex.database.input.bibtex import Parser
from sphinx.util import logging

logger = logging.getLogger(__name__)

ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s{}()]*)", re.M)
NOT_ENTRIES = {"comment", "string", "preamble"}
REQUIRED = {
    "article": {"author", "title", "journal", "year"},
    "inproceedings": {"author", "title", "booktitle", "year"},
    "techreport": {"title", "institution", "year"},
    "book": {"title", "publisher", "year"},
    "incollection": {"author", "title", "booktitle", "publisher", "year"},
    "misc": {"title", "year"},
}


def _at(path, line):
    """A location for a line of a file that is not a page."""
    node = nodes.Element()
    node.source, node.line = str(path), line
    return node


def _warn(message, path, line, subtype):
    logger.warning(message, location=_at(path, line), type="bib_checks", subtype=subtype)


def read_entries(path):
    """[(key, type, line, fields or None, persons)] for every entry of a .bib file, in order."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    matches = [m for m in ENTRY.finditer(text) if m.group(1).lower() not in NOT_ENTRIES]
    entries = []
    for n, match in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        line = text.count("\n", 0, match.start()) + 1
        chunk = text[match.start() : end]
        try:
            data = Parser().parse_string(chunk)
            entry = next(iter(data.entries.values()), None)
        except Exception:
            entry = None
        fields = {k.lower(): str(v) for k, v in entry.fields.items()} if entry is not None else None
        persons = {k.lower() for k, v in entry.persons.items() if v} if entry is not None else set()
        entries.append((match.group(2), match.group(1).lower(), line, fields, persons))
    return entries


def _problems(kind, fields, persons, groups):
    if not fields and not persons:
        yield "has no fields"
        return
    if kind not in REQUIRED:
        yield "has type @%s, which the book does not use (use one of: %s)" % (
            kind,
            ", ".join(sorted(REQUIRED)),
        )
        return
    present = set(fields) | persons
    missing = sorted(REQUIRED[kind] - present)
    if kind == "misc" and not {"url", "howpublished", "publisher"} & present:
        missing.append("url or howpublished")
    if kind in ("misc", "book") and not {"author", "organization", "publisher"} & present:
        missing.append("author or organization")
    if missing:
        yield "lacks %s, required for @%s" % (", ".join(missing), kind)
    words = {w.strip() for w in fields.get("keywords", "").split(",")}
    if groups and not words & set(groups):
        yield "has keywords %r, naming no group of the bibliography page (%s)" % (
            fields.get("keywords", ""),
            ", ".join(groups),
        )
    url = fields.get("url")
    if url is not None and not re.match(r"https?://", url.strip(), re.I):
        yield "has url %r, which is not an http(s) URL" % url[:80]


def check_bibfiles(app):
    app.env.bib_checks_lines = {}
    broken = set()
    for bibfile in app.config.bibtex_bibfiles:
        path = Path(app.srcdir) / bibfile
        if not path.is_file():
            continue  # sphinxcontrib-bibtex reports it
        first = {}
        for key, kind, line, fields, persons in read_entries(path):
            if not key:
                _warn("bibliography entry has no key", path, line, "entry")
                continue
            if fields is None:
                _warn(
                    "bibliography entry '%s' cannot be read; check its braces, commas and quotes" % key,
                    path,
                    line,
                    "entry",
                )
                continue
            if key.lower() in first:
                _warn(
                    "duplicate bibliography key '%s' (first defined at line %d); the second entry would be "
                    "dropped" % (key, first[key.lower()][2]),
                    path,
                    line,
                    "duplicate",
                )
                continue
            first[key.lower()] = (key, path, line)
            for problem in _problems(kind, fields, persons, app.config.bib_keyword_groups):
                _warn("bibliography entry '%s' %s" % (key, problem), path, line, "entry")
                broken.add(key.lower())
        app.env.bib_checks_lines.update({k: (key, str(p), n) for k, (key, p, n) in first.items()})
    _leave_out(app, broken)


def _leave_out(app, broken):
    """Take broken entries out of sphinxcontrib-bibtex's parsed data: formatting one would
    stop the build with a traceback, and its warning above already fails the build."""
    bibdata = app.env.get_domain("cite").bibdata
    for key in list(bibdata.data.entries.keys()):
        if key.lower() in broken:
            del bibdata.data.entries[key]
            for bibfile in bibdata.bibfiles.values():
                bibfile.keys.pop(key, None)


def check_cited(app, env):
    domain = env.get_domain("cite")
    cited = {target.key.lower() for ref in domain.citation_refs for target in ref.targets}
    for lower, (key, path, line) in sorted(getattr(env, "bib_checks_lines", {}).items()):
        if lower not in cited:
            _warn(
                "bibliography entry '%s' is cited by no page; cite it or remove it" % key,
                path,
                line,
                "uncited",
            )


def setup(app):
    app.add_config_value("bib_keyword_groups", [], "env")
    app.connect("builder-inited", check_bibfiles, priority=600)  # after sphinxcontrib-bibtex parsed the files
    app.connect("env-check-consistency", check_cited)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
