"""Rebuild exactly the pages that show an edited bibliography entry or glossary definition.

Left to themselves, Sphinx and sphinxcontrib-bibtex rebuild too much: every page with a
reference list depends on ``references.bib`` (the ``bibliography`` directive notes it),
and every page that links a term depended on the glossary's source, so one edited entry
or definition made the whole book read again. Neither needs a page to be read again:
citations are formatted once the pages are read (sphinxcontrib-bibtex's ``env-updated``)
and a term link's hover text is set when the page is written (glossary_index.py). So:

* a page no longer depends on the bibliography files; after the pages are read, each
  entry's content is compared with the last build's, and the pages that cite a changed
  entry or list it (a reference list, the bibliography page) are written again;
* each definition is compared with the last build's, and the pages that link a changed
  term are written again.

One case still reads pages again: when the bibliography's set of keys changes (an entry
added, removed or renamed), every page with a reference list is read again, because
sphinxcontrib-bibtex gives each list an anchor per entry when it reads the page
(sphinxcontrib/bibtex/directives.py, BibliographyDirective.run, 2.7.0).

What is compared is kept in the environment: ``dependants_bib`` ({key: digest}, and the
keys in order) and ``dependants_terms`` ({term: its definition, anchors and names}).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from _ext.citation_styles import entry_digest
from _ext.glossary_index import _all_entries, _norm
from _ext.rewrite_only import rewrite_only
from _ext.shared import AFTER_BIBTEX


def _bib_files(env: BuildEnvironment) -> set[Path]:
    return {Path(f).resolve() for f in env.get_domain("cite").bibdata.bibfiles}


def _bib_digests(env: BuildEnvironment) -> dict[str, str]:
    """{key: digest of the entry's fields and persons} for every entry of the bibliography."""
    return {key: entry_digest(entry) for key, entry in env.get_domain("cite").bibdata.data.entries.items()}


def forget_bib_dependency(app: Sphinx, doctree: Any) -> None:
    """A page read does not depend on the bibliography files (see the module's docstring)."""
    env = app.env
    deps = env.dependencies.get(env.docname)
    if deps:
        bibfiles = _bib_files(env)
        deps.difference_update({d for d in deps if Path(d).resolve() in bibfiles})


def reread_on_new_keys(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """The bibliography's keys changed: read every page with a reference list again."""
    stored = getattr(env, "dependants_bib", None)
    keys = list(env.get_domain("cite").bibdata.data.entries)
    if stored is None or stored["keys"] == keys:
        return []
    return sorted({key.docname for key in env.get_domain("cite").bibliographies} & env.found_docs)


def shown_by(env: BuildEnvironment) -> dict[str, set[str]]:
    """{key: the pages that cite it or list it}."""
    domain = env.get_domain("cite")
    shown = {key: set(docs) for key, docs in domain.citing_documents().items()}
    for citation in domain.citations:
        shown.setdefault(citation.key, set()).add(citation.bibliography_key.docname)
    return shown


def rewrite_bib_dependants(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write again the pages that show a bibliography entry whose content changed."""
    digests = _bib_digests(env)
    shown = shown_by(env)
    stored = getattr(env, "dependants_bib", None)
    env.dependants_bib = {
        "keys": list(digests),
        "digests": digests,
        "shown": {key: sorted(docs) for key, docs in shown.items()},
    }
    if stored is None:
        return []
    changed = {
        k for k in digests.keys() | stored["digests"].keys() if digests.get(k) != stored["digests"].get(k)
    }
    pages = set()
    for key in changed:
        pages |= shown.get(key, set()) | set(stored["shown"].get(key, ()))
    return rewrite_only(app, pages & set(env.all_docs))


def rewrite_term_dependants(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write again the pages that link a term whose definition (or anchor) changed."""
    entries = {
        key: (entry["definition"], entry["ids"], entry["names"], entry["docname"])
        for key, entry in _all_entries(env).items()
    }
    stored = getattr(env, "dependants_terms", None)
    env.dependants_terms = entries
    if stored is None:
        return []
    changed = [k for k in entries.keys() | stored.keys() if entries.get(k) != stored.get(k)]
    names = {_norm(n) for k in changed for e in (entries.get(k), stored.get(k)) if e for n in e[2]}
    return rewrite_only(
        app,
        (
            doc
            for doc, linked in env.glossary_links_by_doc.items()
            if linked.keys() & names and doc in env.all_docs
        ),
    )


def setup(app: Sphinx) -> dict[str, Any]:
    """Track which pages show which entries and definitions; write exactly those again."""
    app.setup_extension("_ext.citations")
    app.setup_extension("_ext.glossary_index")
    app.setup_extension("_ext.rewrite_only")
    app.connect("doctree-read", forget_bib_dependency)
    app.connect("env-get-outdated", reread_on_new_keys)
    app.connect("env-updated", rewrite_bib_dependants, priority=AFTER_BIBTEX)
    app.connect("env-updated", rewrite_term_dependants, priority=AFTER_BIBTEX)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
