"""Benchmark the book's build, page weight and search on synthetic books of growing size.

For each size (content pages: 20, 100 and 500 by default) this script writes a synthetic
book into a temporary folder, configured exactly like the real one (it copies conf.py,
_ext/, _static/ and _templates/ from the repository at run time), and a baseline book with
the same pages built with Sphinx's alabaster theme and myst_parser only. It then measures
builds (clean, no-op, and after editing one page, one references.bib entry and one glossary
definition), peak memory, what Chromium downloads to show a content page, the search index
size and how long the search page takes to list its results. It prints a table, checks the
project's targets (ratios only: the machine is noisy) and writes bench/results/latest.json.

    .venv/bin/python bench/run.py                    # sizes 20,100,500 (what `make bench` runs)
    .venv/bin/python bench/run.py --quick            # sizes 20,100
    .venv/bin/python bench/run.py --sizes 20,100,500,1000

See bench/README.md for what each number means and the latest results.
"""

import argparse
import datetime
import fnmatch
import functools
import gzip
import http.server
import json
import os
import platform
import random
import re
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"

# What is copied from the repository into every synthetic book (read at run time, so
# changes to the configuration or the extensions are measured as they are).
PROJECT_FILES = ["conf.py", "_ext", "_static", "_templates"]
# The project's build options (Makefile: SPHINXOPTS).
BUILD_OPTIONS = ["-b", "html", "-n", "-W", "--keep-going", "-j", "auto"]

SEED = 2024
N_TERMS = 100  # glossary terms (fewer for books too small to link them all)
N_WORKS = 150  # references.bib entries
WORDS_PER_PAGE = 1500  # intro 110, summary 60, margin note 40, the rest in twelve paragraphs
LINKS_PER_PAGE = 5  # {ref}s, {cite:p}s and {term}s each
CHAPTER_SIZE = 25  # content pages per chapter (a chapter page introduces them, as essays/index does)
QUERY = "policy"  # the search word; a common word of the synthetic prose, found on most pages
SEARCH_RUNS = 3  # search timings per book; the median is reported
CONTENT_PAGE = "pages/page-0002"  # the page weighed in the browser
EDITED_PAGE = "pages/page-0001"  # the page edited for the one-page rebuild
PAGE_MARKER, BIB_MARKER, TERM_MARKER = "pageeditmark", "bibeditmark", "glosseditmark"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

# Sphinx's searchtools.js writes "Search finished, found N pages matching the search query."
# (or "Your search did not match any documents...") into #search-results .search-summary once
# the last result is in the list; until then that paragraph is empty.
SEARCH_DONE_JS = """() => {
  const s = document.querySelector('#search-results .search-summary');
  return !!s && /finished|found|did not match/i.test(s.textContent);
}"""
# Installed before any of the page's own scripts: notes the moment the status text appears,
# in milliseconds since the navigation to search.html?q=... started (performance.now()).
SEARCH_WATCH_JS = """
window.__bench = {done: null};
new MutationObserver(() => {
  if (window.__bench.done !== null || !(%s)()) return;
  window.__bench = {
    done: performance.now(),
    listed: document.querySelectorAll('#search-results li').length,
    status: document.querySelector('#search-results .search-summary').textContent,
  };
}).observe(document, {childList: true, subtree: true, characterData: true});
""" % SEARCH_DONE_JS

# Runs sphinx-build as its child in a fresh interpreter, so that RUSAGE_CHILDREN holds the
# peak resident memory of this one build (its largest process, parallel workers included).
BUILD_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
print(json.dumps({"returncode": proc.returncode, "seconds": seconds,
                  "max_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "output": (proc.stdout[-3000:] + proc.stderr[-6000:]) if proc.returncode else ""}))
"""

# -- Synthetic text ----------------------------------------------------------------------------------

# Common words first (the most frequent ones of the synthetic prose), then made-up words.
COMMON = """
the of and to a in is that it for as with was on be by this are from or an at which not but have has
their its more can they one would other all been than also these there some new into only may about
most when what who how policy model models data research open systems people risk training public
government law work power time first years use large could such many should because each between
both over while where those without through under against after before during same own few well
much make made even still often back later much rather case point fact question answer example
world country state market company companies group groups users user report reports study studies
claim claims argument evidence reader readers author authors essay newsletter text page book chapter
section note notes idea ideas value values cost costs price prices money capital growth scale access
release rules rule control safety security harm benefit benefits trade policy debate view views
history future past present change changes level levels number numbers share support problem
problems approach method methods result results effect effects reason reasons decision decisions
process system network machine machines computer software hardware chip chips energy building build
builds built write writes wrote read reads argue argues argued suggest suggests show shows shown
find finds found test tests tested measure measures measured compare compares compared explain
""".split()
COMMON = list(dict.fromkeys(COMMON))  # unique, in order
NOUNS = ["network", "protocol", "audit", "threshold", "regime", "benchmark", "dividend", "horizon", "ledger",
         "window", "frontier", "budget", "curve", "effect", "gap", "test"]
FILLER_SYLLABLES = [c + v for c in "bdfgklmnprstv" for v in "aeiou"]
TERM_SYLLABLES = ["qua", "que", "qui", "quo", "xa", "xe", "xi", "xo", "zy", "zu"]  # never in filler


def make_vocabulary(rng, size=20000):
    """Filler words and their Zipf weights: the COMMON words, then made-up words as a long tail.

    A large vocabulary with Zipf frequencies gives the search index a realistic size (a real
    page of 1,500 words has several hundred distinct words, many of them rare).
    """
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(FILLER_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.3:
            word += rng.choice("nrst")
        if word not in seen:
            seen.add(word)
            words.append(word)
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cum.append(total)
    return words, cum


def make_terms(rng, n, filler_words):
    """Glossary terms, each a list of names (headword first), with made-up headwords no filler word spells.

    The project's glossary extension fails the build when a page uses a term's name (any case,
    plural too, or a synonym) without linking it; filler never contains a term's headword.
    Every fourth term has an abbreviation as a synonym.
    """
    filler = set(filler_words)
    used, terms = set(), []
    while len(terms) < n:
        head = rng.choice(TERM_SYLLABLES) + "".join(rng.choice(FILLER_SYLLABLES) for _ in range(rng.randint(1, 2)))
        name = head + (" " + rng.choice(NOUNS) if rng.random() < 0.4 else "")
        names = [name]
        if len(terms) % 4 == 3:
            names.append("".join(w[0] for w in name.split()).upper() + head[1:3].upper() + "X")
        forms = {x.lower() for x in names} | {head}
        forms |= {x + "s" for x in forms} | {x + "es" for x in forms}  # the extension matches plurals too
        if forms & used or forms & filler:
            continue
        used |= forms
        terms.append(names)
    return sorted(terms, key=lambda names: names[0])


class Prose:
    """Deterministic filler prose drawn from the vocabulary with Zipf frequencies."""

    def __init__(self, rng, words, cum):
        self.rng, self.words, self.cum = rng, words, cum

    def draw(self, n):
        return self.rng.choices(self.words, cum_weights=self.cum, k=n)

    def sentences(self, n_words):
        """A list of sentences (lists of words) adding up to about n_words words."""
        out, left = [], n_words
        while left > 0:
            k = min(left, self.rng.randint(8, 22))
            words = self.draw(k)
            words[0] = words[0].capitalize()
            if k > 10 and self.rng.random() < 0.5:
                words[k // 2] += ","
            words[-1] += "."
            out.append(words)
            left -= k
        return out

    def paragraph(self, n_words, inserts=()):
        """A paragraph of filler with each insert (MyST markup) placed after a random word."""
        words = [w for s in self.sentences(n_words) for w in s]
        for insert in inserts:
            i = self.rng.randrange(len(words))
            words[i] = words[i].rstrip(".,") + " " + insert + (words[i][-1] if words[i][-1] in ".," else "")
        return "\n".join(" ".join(words[i:i + 14]) for i in range(0, len(words), 14))

    def title(self, n=4):
        return " ".join(self.draw(n)).capitalize()


# -- The synthetic book -------------------------------------------------------------------------------

def front_matter(description, tags, source=None):
    """YAML front matter valid for _ext/page_metadata.py."""
    lines = ["---", "description: %s" % description, "tags: [%s]" % ", ".join(tags)]
    if source:
        lines.append("source:")
        lines += ['  %s: "%s"' % (k, v) for k, v in source.items()]
    return "\n".join(lines + ["---", ""])


def source_block(docname, patterns):
    """A valid ``source`` block if conf.page_metadata_source_pages asks this page for one, else None."""
    if any(fnmatch.fnmatch(docname, p) for p in patterns if not p.startswith("!")) and not any(
            fnmatch.fnmatch(docname, p[1:]) for p in patterns if p.startswith("!")):
        return {"title": "Synthetic source", "author": "A. Author", "venue": "Synthetic", "date": "2024-01-01",
                "url": "https://example.org/%s" % docname}
    return None


VENUE_FIELD = {"article": "journal", "inproceedings": "booktitle", "book": "publisher", "misc": "howpublished"}


def make_bib(rng, prose, n):
    """A synthetic references.bib: (text, keys, {key: its title line})."""
    entries, keys, titles = [], [], {}
    kinds = list(VENUE_FIELD)
    for i in range(n):
        surnames = [rng.choice(prose.words[len(COMMON):]).capitalize() for _ in range(rng.randint(1, 4))]
        year = rng.randint(1990, 2024)
        key = "%s%d%s%d" % (surnames[0], year, rng.choice(COMMON[60:]), i)
        title = prose.title(rng.randint(5, 10))
        kind = kinds[i % len(kinds)]
        fields = {
            "author": " and ".join("%s, %s" % (s, rng.choice("ABCDEFGHJKLMNPRSTW") + ".") for s in surnames),
            "title": "{%s}" % title,
            "year": str(year),
            VENUE_FIELD[kind]: "{%s}" % prose.title(3),
            "doi": "10.5555/bench.%d" % i,
            "url": "https://example.org/works/%d" % i,
            "keywords": rng.choice(["paper", "article", "software", "policy", "newsletter"]),
        }
        body = ",\n".join("  %-9s = %s" % (k, v if v.startswith("{") else "{%s}" % v) for k, v in fields.items())
        entries.append("@%s{%s,\n%s\n}\n" % (kind, key, body))
        keys.append(key)
        titles[key] = "  title     = {%s}" % title
    return "% Synthetic bibliography for the benchmark.\n\n" + "\n".join(entries), keys, titles


def make_book(n_pages, conf, seed):
    """Every source file of a synthetic book of n_pages content pages, and what is where.

    Returns (files, facts): files maps a path to its text; facts records which pages cite
    each work and link each term, the query word's page count, and the edits to make.
    """
    rng = random.Random("%s-%d" % (seed, n_pages))
    words, cum = make_vocabulary(random.Random(seed))
    prose = Prose(rng, words, cum)
    n_terms = min(N_TERMS, LINKS_PER_PAGE * n_pages)
    terms = make_terms(random.Random(seed + 1), n_terms, words)
    bib, keys, bib_titles = make_bib(rng, prose, N_WORKS)
    tags = list(conf["page_metadata_tags"])
    source_patterns = conf.get("page_metadata_source_pages", [])
    names = ["pages/page-%04d" % (i + 1) for i in range(n_pages)]
    files = {"references.bib": bib}
    cited_by, linked_by, with_query = {}, {}, 0

    for i, docname in enumerate(names):
        start = (LINKS_PER_PAGE * i) % n_terms
        if LINKS_PER_PAGE * i < n_terms:  # the first pages link every term once, in turn
            page_terms = [terms[(start + k) % n_terms] for k in range(LINKS_PER_PAGE)]
        else:
            page_terms = rng.sample(terms, LINKS_PER_PAGE)
        page_keys = rng.sample(keys, LINKS_PER_PAGE)
        others = [d for d in rng.sample(names, min(len(names), LINKS_PER_PAGE + 1)) if d != docname]
        inserts = (["{term}`%s`" % t[0] for t in page_terms] + ["{cite:p}`%s`" % k for k in page_keys]
                   + ["({ref}`%s`)" % d.replace("pages/", "") for d in others[:LINKS_PER_PAGE]])
        rng.shuffle(inserts)
        for key in page_keys:
            cited_by.setdefault(key, []).append(docname)
        for t in page_terms:
            linked_by.setdefault(t[0], []).append(docname)
        source = source_block(docname, source_patterns)
        # ~1,500 words: intro, a summary admonition, a margin note, four sections of three paragraphs.
        chunks = [inserts[k::13] for k in range(13)]
        parts = [
            front_matter("A synthetic page about %s, written for the build benchmark." % " ".join(prose.draw(4)),
                         rng.sample(tags, min(2, len(tags))), source),
            "(%s)=" % docname.replace("pages/", ""),
            "# %s %d" % (prose.title(), i + 1),
            "",
            prose.paragraph(110, chunks[0]),
            "",
            ":::{admonition} In short\n:class: about-this-text\n%s\n:::" % prose.paragraph(60),
            "",
        ]
        for s in range(4):
            parts += ["## %s" % prose.title(3), ""]
            for p in range(3):
                parts += [prose.paragraph((WORDS_PER_PAGE - 210) // 12, chunks[1 + 3 * s + p]), ""]
                if s == 0 and p == 0:
                    parts += [":::{margin}\n%s\n:::" % prose.paragraph(40), ""]
        parts += ["## References", "", ":::{bibliography}\n:filter: docname in docnames\n:::", ""]
        text = "\n".join(parts)
        with_query += bool(re.search(r"\b%s\b" % QUERY, text, re.I))
        files[docname + ".md"] = text

    files["glossary.md"] = make_glossary(rng, prose, terms, keys)
    chapters = []
    for c, start in enumerate(range(0, n_pages, CHAPTER_SIZE), 1):
        chapter, members = "pages/chapter-%02d" % c, names[start:start + CHAPTER_SIZE]
        chapters.append(chapter)
        files[chapter + ".md"] = "\n".join([
            front_matter("Chapter %d of the synthetic book, pages %d to %d." % (c, start + 1, start + len(members)),
                         [], source_block(chapter, source_patterns)),
            "(chapter-%02d)=" % c, "# Chapter %d: %s" % (c, prose.title(3)), "", prose.paragraph(60), "",
            ":::{toctree}\n:maxdepth: 1\n\n%s\n:::" % "\n".join(m.replace("pages/", "") for m in members), ""])
    files["index.md"] = "\n".join([
        front_matter("The landing page of a synthetic book built by the benchmark.", []),
        "(home)=", "# Synthetic book", "",
        "A synthetic book of %d pages, generated to measure the build." % n_pages, "",
        ":::{toctree}\n:caption: Chapters\n:maxdepth: 2\n\n%s\n:::" % "\n".join(chapters), "",
        ":::{toctree}\n:caption: Reference\n:maxdepth: 1\n\ntopics\nglossary\nbibliography\n:::", ""])
    files["topics.md"] = "\n".join(
        [front_matter("Every synthetic page listed under each of its topics.", []), "(topics)=", "# Topics", ""]
        + ["## %s\n\n:::{tagged-pages} %s\n:::\n" % (tag, tag) for tag in tags])
    files["bibliography.md"] = "\n".join([
        front_matter("Every work the synthetic pages cite, with where it is cited.", []),
        "(bibliography)=", "# Bibliography", "", ":::{bibliography}\n:::", ""])

    edited_key = max(cited_by, key=lambda k: len(cited_by[k]))
    edited_term = max(linked_by, key=lambda t: len(linked_by[t]))
    facts = {
        "pages": n_pages, "terms": n_terms, "works": N_WORKS,
        "words_per_page": round(statistics.mean(len(re.findall(r"[A-Za-z]+", files[d + ".md"])) for d in names)),
        "query": QUERY, "pages_with_query": with_query,
        "bib_edit": {"key": edited_key, "old": bib_titles[edited_key], "pages": sorted(cited_by[edited_key])},
        "term_edit": {"term": edited_term, "pages": sorted(linked_by[edited_term])},
    }
    return files, facts


def make_glossary(rng, prose, terms, keys):
    """glossary.md: the terms grouped by first letter, each defined in filler with a citation."""
    out = [front_matter("Definitions of every synthetic term the pages link to.", []), "(glossary)=", "# Glossary", ""]
    by_letter = {}
    for names in terms:
        by_letter.setdefault(names[0][0].upper(), []).append(names)
    for letter, group in sorted(by_letter.items()):
        out += ["## %s" % letter, "", ":::{glossary}"]
        for names in group:
            other = rng.choice(terms)
            inserts = ["{cite:p}`%s`" % rng.choice(keys)] + (["{term}`%s`" % other[0]] if other != names else [])
            definition = prose.paragraph(rng.randint(35, 60), inserts).replace("\n", " ")
            out += names + ["  " + definition, ""]
        out += [":::", ""]
    out += ["## References", "", ":::{bibliography}\n:filter: docname in docnames\n:::", ""]
    return "\n".join(out)


BASELINE_CONF = '''# Baseline: the same pages with Sphinx's alabaster theme and no extension but MyST.
project = "Synthetic baseline"
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]
html_theme = "alabaster"
exclude_patterns = ["_build"]
'''


def to_baseline(files):
    """The same book for alabaster + myst_parser only: the project's roles and directives become plain text."""
    out = {"conf.py": BASELINE_CONF}
    for path, text in files.items():
        if not path.endswith(".md"):
            continue
        text = re.sub(r"\{cite:p\}`([^`]+)`", r"(\1)", text)
        text = re.sub(r"\{term\}`([^`<]+?)(?: <[^>]+>)?`", r"\1", text)
        text = text.replace(":::{margin}", ":::{note}")
        text = re.sub(r":::\{bibliography\}\n(:filter:[^\n]*\n)?:::", "The works cited are listed in the book's bibliography.", text)
        text = re.sub(r":::\{tagged-pages\} (\S+)\n:::", r"Pages tagged \1 are listed here in the real book.", text)
        out[path] = text
    return out


def write_book(folder, files, with_project_files):
    """Write a book's sources into folder, with the repository's conf.py, _ext/, _static/ if asked."""
    folder.mkdir(parents=True)
    if with_project_files:
        for name in PROJECT_FILES:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
            elif src.exists():
                shutil.copy2(src, folder / name)
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")


# -- Building -------------------------------------------------------------------------------------------

def html_mtimes(outdir):
    """{page: mtime} for every HTML page in a build (to count the pages a rebuild wrote)."""
    return {str(p.relative_to(outdir)): p.stat().st_mtime_ns for p in outdir.rglob("*.html")
            if not p.relative_to(outdir).parts[0].startswith((".", "_"))}


def sphinx_build(srcdir, outdir):
    """Build srcdir into outdir the way the project does; return seconds, peak memory, pages written."""
    sphinx = Path(sys.executable).with_name("sphinx-build")
    cmd = [str(sphinx)] if sphinx.exists() else [sys.executable, "-m", "sphinx"]
    before = html_mtimes(outdir) if outdir.exists() else {}
    env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch())
    proc = subprocess.run([sys.executable, "-c", BUILD_WRAPPER, *cmd, *BUILD_OPTIONS, str(srcdir), str(outdir)],
                          capture_output=True, text=True, env=env, check=True)
    report = json.loads(proc.stdout)
    if report["returncode"]:
        sys.exit("sphinx-build failed on %s:\n%s" % (srcdir, report["output"]))
    after = html_mtimes(outdir)
    written = sorted(p for p in after if before.get(p) != after[p])
    return {"seconds": round(report["seconds"], 3), "max_rss_mb": round(report["max_rss_kb"] / 1024, 1),
            "pages_written": len(written)}


@functools.cache
def source_date_epoch():
    """The repository's last commit time, as `make html` sets it (reproducible dates)."""
    out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return os.environ.get("SOURCE_DATE_EPOCH") or out.stdout.strip() or "0"


def edit(path, old, new):
    """Replace old by new in a source file (it must be there)."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise ValueError("%s: %r not found" % (path, old))
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def titles_with(html_file, marker):
    """Whether any title attribute (hover text) in a built page contains marker."""
    text = html_file.read_text(encoding="utf-8")
    return any(marker in t.lower() for t in re.findall(r'title="([^"]*)"', text))


def measure_builds(src, out, facts, project, repeat=1):
    """Clean build (the fastest of repeat), no-op rebuild and rebuilds after edits (bib and glossary: project only)."""
    runs = []
    for n in range(repeat):
        log("  clean build" + (" %d/%d" % (n + 1, repeat) if repeat > 1 else ""))
        shutil.rmtree(out, ignore_errors=True)
        runs.append(sphinx_build(src, out))
    results = {"clean": dict(min(runs, key=lambda r: r["seconds"]), runs_seconds=[r["seconds"] for r in runs])}
    log("  no-op rebuild")
    results["noop"] = sphinx_build(src, out)
    log("  rebuild after editing one page")
    edit(src / (EDITED_PAGE + ".md"), "\n## References", "\nAn edited paragraph %s for the benchmark.\n\n## References"
         % PAGE_MARKER)
    results["edit_page"] = sphinx_build(src, out)
    results["edit_page"]["updated"] = PAGE_MARKER in (out / (EDITED_PAGE + ".html")).read_text(encoding="utf-8")
    if not project:
        return results

    log("  rebuild after editing one references.bib entry")
    bib = facts["bib_edit"]
    edit(src / "references.bib", bib["old"], bib["old"][:-1] + " revised %s}" % BIB_MARKER)
    results["edit_bib"] = sphinx_build(src, out)
    stale = [d for d in bib["pages"] if not titles_with(out / (d + ".html"), BIB_MARKER)]
    on_bib_page = BIB_MARKER in (out / "bibliography.html").read_text(encoding="utf-8").lower()
    results["edit_bib"].update(key=bib["key"], pages_showing=len(bib["pages"]), stale_pages=stale,
                               bibliography_page_updated=on_bib_page, correct=not stale and on_bib_page)

    log("  rebuild after editing one glossary definition")
    term = facts["term_edit"]
    glossary = src / "glossary.md"
    text = glossary.read_text(encoding="utf-8")
    match = re.search(r"^%s\n(?:.*\n)*?  (.*)$" % re.escape(term["term"]), text, re.M)
    edit(glossary, match.group(0), match.group(0) + " A revised sentence %s." % TERM_MARKER)
    results["edit_glossary"] = sphinx_build(src, out)
    stale = [d for d in term["pages"] if not titles_with(out / (d + ".html"), TERM_MARKER)]
    on_glossary = TERM_MARKER in (out / "glossary.html").read_text(encoding="utf-8")
    results["edit_glossary"].update(term=term["term"], pages_showing=len(term["pages"]), stale_pages=stale,
                                    glossary_page_updated=on_glossary, correct=not stale and on_glossary)
    return results


# -- In the browser ---------------------------------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    """Serve folder on 127.0.0.1 from a thread; return (server, base URL)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


def page_weight(browser, url):
    """Everything Chromium fetches to show url (HTML, CSS, JS, fonts, images): bytes raw and gzipped."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests, responses, failed = [], [], []
    page.on("request", lambda request: requests.append(request))
    page.on("response", lambda response: responses.append(response))
    page.on("requestfailed", lambda request: failed.append(request))
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")  # fonts are requested once layout needs them
    page.wait_for_load_state("networkidle")
    by_type, resources, total_raw, total_gzip = {}, [], 0, 0
    for response in responses:
        try:
            body = response.body()
        except Exception:  # a redirect has no body
            body = b""
        kind = response.request.resource_type
        raw, packed = len(body), len(gzip.compress(body, 6))
        resources.append({"url": response.url.split("/", 3)[-1], "type": kind, "kb": round(raw / 1024, 1),
                          "gzip_kb": round(packed / 1024, 1)})
        entry = by_type.setdefault(kind, {"requests": 0, "kb": 0.0, "gzip_kb": 0.0})
        entry["requests"] += 1
        entry["kb"] += raw / 1024
        entry["gzip_kb"] += packed / 1024
        total_raw, total_gzip = total_raw + raw, total_gzip + packed
    context.close()
    for entry in by_type.values():
        entry["kb"], entry["gzip_kb"] = round(entry["kb"], 1), round(entry["gzip_kb"], 1)
    return {"requests": len(requests), "failed": len(failed), "kb": round(total_raw / 1024, 1),
            "gzip_kb": round(total_gzip / 1024, 1), "by_type": by_type, "resources": resources}


def search_time(browser, url):
    """Milliseconds from navigating to search.html?q=... until the results list is complete (median)."""
    runs = []
    for _ in range(SEARCH_RUNS):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(SEARCH_WATCH_JS)
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.__bench && window.__bench.done !== null", timeout=300_000)
        runs.append(page.evaluate("window.__bench"))
        context.close()
    found = re.search(r"found (\d+|one)", runs[-1]["status"])
    found = (1 if found.group(1) == "one" else int(found.group(1))) if found else 0
    return {"ms": round(statistics.median(r["done"] for r in runs)), "runs_ms": [round(r["done"]) for r in runs],
            "results": found, "listed": runs[-1]["listed"], "status": runs[-1]["status"]}


def measure_browser(outdir):
    """Page weight of a content page, search index size and search time for one built book."""
    from playwright.sync_api import sync_playwright

    index = (outdir / "searchindex.js").read_bytes()
    server, base = serve(outdir)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            weight = page_weight(browser, "%s/%s.html" % (base, CONTENT_PAGE))
            search = search_time(browser, "%s/search.html?q=%s" % (base, QUERY))
            version = browser.version
            browser.close()
    finally:
        server.shutdown()
    return {"page_weight": weight, "searchindex_kb": round(len(index) / 1024, 1),
            "searchindex_gzip_kb": round(len(gzip.compress(index, 6)) / 1024, 1), "search": search,
            "chromium": version}


# -- Report -------------------------------------------------------------------------------------------------

def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def targets(results):
    """The project's targets (from its performance issue), each with its measurement."""
    def get(size, book, *path):
        value = results.get(str(size), {}).get(book)
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    per_page_100 = ratio(get(100, "project", "builds", "clean", "seconds"), 100)
    per_page_500 = ratio(get(500, "project", "builds", "clean", "seconds"), 500)
    weights = {size: get(size, "project", "browser", "page_weight", "kb") for size in results}
    rows = [
        ("per-page clean build time, 500 vs 100 pages", ratio(per_page_500, per_page_100), 1.2),
        ("clean build at 100 pages vs alabaster baseline", ratio(get(100, "project", "builds", "clean", "seconds"),
                                                                 get(100, "baseline", "builds", "clean", "seconds")), 1.5),
        ("one-page rebuild vs clean build at 100 pages", ratio(get(100, "project", "builds", "edit_page", "seconds"),
                                                               get(100, "project", "builds", "clean", "seconds")), 0.08),
        ("content page total weight, KB uncompressed (heaviest of the sizes)",
         max(weights.values()) if weights else None, 300),
        ("search complete time at 500 pages vs default search", ratio(get(500, "project", "browser", "search", "ms"),
                                                                       get(500, "baseline", "browser", "search", "ms")),
         0.2),
    ]
    out = [{"target": name, "value": value, "limit": limit, "met": None if value is None else value <= limit}
           for name, value, limit in rows]
    out[3]["by_size_kb"] = weights
    for size in results:
        for step in ("edit_bib", "edit_glossary"):
            check = get(size, "project", "builds", step, "correct")
            out.append({"target": "%s pages: every page showing the edited %s is rebuilt"
                        % (size, "entry" if step == "edit_bib" else "definition"), "value": check,
                        "limit": True, "met": check})
    return out


def table(results):
    """A Markdown table: one row per measurement, one column per book and size."""
    sizes = list(results)
    head = ["measurement"] + ["%s %s" % (s, b) for s in sizes for b in ("book", "alabaster")]

    def cell(size, book, fn):
        try:
            value = fn(dict(results[size][book], pages=results[size]["facts"]["pages"]))
        except (KeyError, TypeError):
            value = None
        return "n/a" if value is None else value

    def build(step, what="seconds"):
        def fn(r):
            b = r["builds"][step]
            return "%.1f s (%d written)" % (b["seconds"], b["pages_written"]) if what == "seconds" else b[what]
        return fn

    rows = [
        ("clean build", build("clean")),
        ("clean build per page (ms)", lambda r: round(1000 * r["builds"]["clean"]["seconds"] / r["pages"])),
        ("no-op rebuild", build("noop")),
        ("rebuild, one page edited", build("edit_page")),
        ("rebuild, one bib entry edited", build("edit_bib")),
        ("rebuild, one glossary definition edited", build("edit_glossary")),
        ("peak memory, clean build (MB)", build("clean", "max_rss_mb")),
        ("content page weight, KB (gzip)",
         lambda r: "%.0f (%.0f)" % (r["browser"]["page_weight"]["kb"], r["browser"]["page_weight"]["gzip_kb"])),
        ("content page requests", lambda r: r["browser"]["page_weight"]["requests"]),
        ("searchindex.js, KB (gzip)",
         lambda r: "%.0f (%.0f)" % (r["browser"]["searchindex_kb"], r["browser"]["searchindex_gzip_kb"])),
        ("search '%s' complete (ms)" % QUERY,
         lambda r: "%d (%d results)" % (r["browser"]["search"]["ms"], r["browser"]["search"]["results"])),
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, fn in rows:
        lines.append("| " + " | ".join([name] + [str(cell(s, b, fn)) for s in sizes for b in ("project", "baseline")])
                     + " |")
    return "\n".join(lines)


def target_table(rows):
    lines = ["| target | measured | limit | met |", "|---|---|---|---|"]
    for row in rows:
        met = "n/a (size not run)" if row["met"] is None else ("met" if row["met"] else "NOT met")
        limit = ("≤ %s" % row["limit"]) if not isinstance(row["limit"], bool) else "true"
        value = row["value"]
        if "by_size_kb" in row:
            value = ", ".join("%s pages: %s" % (s, v) for s, v in row["by_size_kb"].items())
        lines.append("| %s | %s | %s | %s |" % (row["target"], "n/a" if value is None else value, limit, met))
    return "\n".join(lines)


def log(message):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), message), file=sys.stderr, flush=True)


def read_project_conf():
    """The repository's conf.py as a dict of settings (for the allowed tags and source-page patterns)."""
    saved = list(sys.path)
    try:
        return runpy.run_path(str(ROOT / "conf.py"))
    finally:
        sys.path[:] = saved


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,100,500", help="content pages per book, comma-separated")
    parser.add_argument("--quick", action="store_true", help="sizes 20,100 only")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed of the synthetic text")
    parser.add_argument("--repeat", type=int, default=1, help="clean builds per book; the fastest is reported")
    parser.add_argument("--keep", action="store_true", help="keep the temporary books and builds")
    args = parser.parse_args()
    sizes = [20, 100] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    if not Path(CHROMIUM).exists():
        sys.exit("Debian's chromium is missing (%s): apt-get install chromium" % CHROMIUM)

    conf = read_project_conf()
    started, load_before = datetime.datetime.now(), os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="book-bench-"))
    log("working in %s" % tmp)
    results = {}
    try:
        for n in sizes:
            files, facts = make_book(n, conf, args.seed)
            results[str(n)] = {"facts": facts}
            for book, book_files, project in (("project", files, True), ("baseline", to_baseline(files), False)):
                log("%d pages, %s" % (n, "the book's configuration" if project else "alabaster baseline"))
                src, out = tmp / ("%s-%d" % (book, n)), tmp / ("%s-%d-html" % (book, n))
                write_book(src, book_files, with_project_files=project)
                builds = measure_builds(src, out, facts, project, args.repeat)
                log("  browser: page weight and search")
                results[str(n)][book] = {"builds": builds, "browser": measure_browser(out)}
                if not args.keep:
                    shutil.rmtree(src)
                    shutil.rmtree(out)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    rows = targets(results)
    command = " ".join([os.path.relpath(sys.executable, ROOT), os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]])
    report = {
        "date": started.isoformat(timespec="seconds"),
        "command": command,
        "seconds": round((datetime.datetime.now() - started).total_seconds()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_1_5_15min": {"before": load_before, "after": os.getloadavg()},
                    "chromium": next(iter(results.values()))["project"]["browser"]["chromium"] if results else None},
        "note": "One run on a noisy 2-core machine: compare ratios, not absolute times.",
        "sizes": sizes,
        "results": results,
        "targets": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print()
    print(target_table(rows))
    print("\nJSON: %s" % RESULTS.relative_to(ROOT))


if __name__ == "__main__":
    main()
