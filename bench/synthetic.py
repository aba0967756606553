"""Synthetic text and books: the pages, references.bib and glossary a benchmark builds.

Each synthetic page has valid front matter, about 1,500 words of MyST prose, cross-references,
citations, glossary links, a margin note, an admonition and its own reference list; the book
is configured exactly like the real one (its conf.py, _ext/, _static/ and _templates/ are
copied at run time). to_baseline() turns the same pages into a plain-Sphinx baseline.
"""

import fnmatch
import random
import re
import shutil
import statistics

from tools.devtools import ROOT

# changes to the configuration or the extensions are measured as they are).
PROJECT_FILES = ["conf.py", "pyproject.toml", "_ext", "_static", "_templates"]

SEED = 2024
N_TERMS = 100  # glossary terms (fewer for books too small to link them all)
N_WORKS = 150  # references.bib entries
WORDS_PER_PAGE = 1500  # intro 110, summary 60, margin note 40, the rest in twelve paragraphs
LINKS_PER_PAGE = 5  # {ref}s, {cite:p}s and {term}s each
CHAPTER_SIZE = 25  # content pages per chapter (a chapter page introduces them, as essays/index does)
QUERY = "policy"  # the search word; a common word of the synthetic prose, found on most pages
CONTENT_PAGE = "pages/page-0002"  # the page weighed in the browser
EDITED_PAGE = "pages/page-0001"  # the page edited for the one-page rebuild
PAGE_MARKER, BIB_MARKER, TERM_MARKER = "pageeditmark", "bibeditmark", "glosseditmark"

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
NOUNS = [
    "network",
    "protocol",
    "audit",
    "threshold",
    "regime",
    "benchmark",
    "dividend",
    "horizon",
    "ledger",
    "window",
    "frontier",
    "budget",
    "curve",
    "effect",
    "gap",
    "test",
]
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
        head = rng.choice(TERM_SYLLABLES) + "".join(
            rng.choice(FILLER_SYLLABLES) for _ in range(rng.randint(1, 2))
        )
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
        return "\n".join(" ".join(words[i : i + 14]) for i in range(0, len(words), 14))

    def title(self, n=4):
        return " ".join(self.draw(n)).capitalize()


# -- The synthetic book -------------------------------------------------------------------------------


def front_matter(description, tags, source=None):
    """YAML front matter valid for _ext/page_metadata.py."""
    lines = ["---", "description: %s" % description, "tags: [%s]" % ", ".join(tags)]
    if source:
        lines.append("source:")
        lines += ['  %s: "%s"' % (k, v) for k, v in source.items()]
    return "\n".join([*lines, "---", ""])


def source_block(docname, patterns):
    """A valid ``source`` block if conf.page_metadata_source_pages asks this page for one, else None."""
    if any(fnmatch.fnmatch(docname, p) for p in patterns if not p.startswith("!")) and not any(
        fnmatch.fnmatch(docname, p[1:]) for p in patterns if p.startswith("!")
    ):
        return {
            "title": "Synthetic source",
            "author": "A. Author",
            "venue": "Synthetic",
            "date": "2024-01-01",
            "url": "https://example.org/%s" % docname,
        }
    return None


VENUE_FIELD = {
    "article": "journal",
    "inproceedings": "booktitle",
    "book": "publisher",
    "misc": "howpublished",
}


def make_bib(rng, prose, n, groups):
    """A synthetic references.bib: (text, keys, {key: its title line}, {key: its group})."""
    entries, keys, titles, group_of = [], [], {}, {}
    kinds = list(VENUE_FIELD)
    for i in range(n):
        surnames = [rng.choice(prose.words[len(COMMON) :]).capitalize() for _ in range(rng.randint(1, 4))]
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
            "keywords": rng.choice(groups),
        }
        body = ",\n".join(
            "  %-9s = %s" % (k, v if v.startswith("{") else "{%s}" % v) for k, v in fields.items()
        )
        entries.append("@%s{%s,\n%s\n}\n" % (kind, key, body))
        keys.append(key)
        titles[key] = "  title     = {%s}" % title
        group_of[key] = fields["keywords"]
    return "% Synthetic bibliography for the benchmark.\n\n" + "\n".join(entries), keys, titles, group_of


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
    n_works = min(N_WORKS, LINKS_PER_PAGE * n_pages)  # every work is cited (bib_checks.py)
    # One bibliography page per group of works, as in the real book (conf.py lists the pages
    # in the order of the groups).
    groups = list(conf["bib_keyword_groups"])
    bib_pages = dict(zip(groups, conf["bibliography_docnames"], strict=True))
    bib, keys, bib_titles, group_of = make_bib(rng, prose, n_works, groups)
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
        if LINKS_PER_PAGE * i < n_works:  # the first pages cite every work once, in turn
            page_keys = [keys[(LINKS_PER_PAGE * i + k) % n_works] for k in range(LINKS_PER_PAGE)]
        else:
            page_keys = rng.sample(keys, LINKS_PER_PAGE)
        others = [d for d in rng.sample(names, min(len(names), LINKS_PER_PAGE + 1)) if d != docname]
        inserts = (
            ["{term}`%s`" % t[0] for t in page_terms]
            + ["{cite:p}`%s`" % k for k in page_keys]
            + ["({ref}`%s`)" % d.replace("pages/", "") for d in others[:LINKS_PER_PAGE]]
        )
        rng.shuffle(inserts)
        for key in page_keys:
            cited_by.setdefault(key, []).append(docname)
        for t in page_terms:
            linked_by.setdefault(t[0], []).append(docname)
        source = source_block(docname, source_patterns)
        # ~1,500 words: intro, a summary admonition, a margin note, four sections of three paragraphs.
        chunks = [inserts[k::13] for k in range(13)]
        parts = [
            front_matter(
                "A synthetic page about %s, written for the build benchmark." % " ".join(prose.draw(4)),
                rng.sample(tags, min(2, len(tags))),
                source,
            ),
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
        chapter, members = "pages/chapter-%02d" % c, names[start : start + CHAPTER_SIZE]
        chapters.append(chapter)
        files[chapter + ".md"] = "\n".join(
            [
                front_matter(
                    "Chapter %d of the synthetic book, pages %d to %d."
                    % (c, start + 1, start + len(members)),
                    [],
                    source_block(chapter, source_patterns),
                ),
                "(chapter-%02d)=" % c,
                "# Chapter %d: %s" % (c, prose.title(3)),
                "",
                prose.paragraph(60),
                "",
                ":::{toctree}\n:maxdepth: 1\n\n%s\n:::" % "\n".join(m.replace("pages/", "") for m in members),
                "",
            ]
        )
    files["index.md"] = simple_page(
        "The landing page of a synthetic book built by the benchmark.",
        "home",
        "Synthetic book",
        [
            "A synthetic book of %d pages, generated to measure the build." % n_pages,
            ":::{toctree}\n:caption: Chapters\n:maxdepth: 2\n\n%s\n:::" % "\n".join(chapters),
            ":::{toctree}\n:caption: Reference\n:maxdepth: 1\n\ntopics\nglossary\nbibliography\n:::",
        ],
    )
    files["topics.md"] = simple_page(
        "Every synthetic page listed under each of its topics.",
        "topics",
        "Topics",
        ["## %s\n\n:::{tagged-pages} %s\n:::" % (tag, tag) for tag in tags],
    )
    files["bibliography.md"] = simple_page(
        "Every work the synthetic pages cite, on one page per kind of work.",
        "bibliography",
        "Bibliography",
        [":::{bibliography-pages}\n:::", ":::{toctree}\n:hidden:\n\n%s\n:::" % "\n".join(bib_pages.values())],
    )
    for group, docname in bib_pages.items():
        files[docname + ".md"] = simple_page(
            "The synthetic works of the group %s, with where each is cited." % group,
            docname.replace("/", "-"),
            "Works of the group %s" % group,
            [':::{bibliography}\n:filter: keywords %% "%s"\n:::' % group],
        )

    edited_key = max(cited_by, key=lambda k: len(cited_by[k]))
    edited_term = max(linked_by, key=lambda t: len(linked_by[t]))
    facts = {
        "pages": n_pages,
        "terms": n_terms,
        "works": n_works,
        "words_per_page": round(
            statistics.mean(len(re.findall(r"[A-Za-z]+", files[d + ".md"])) for d in names)
        ),
        "query": QUERY,
        "pages_with_query": with_query,
        # The pages that show the edited entry (hover text, reference list, the bibliography
        # page of its group) or definition (hover text, the glossary itself): exactly these
        # must be rewritten.
        "bib_edit": {
            "key": edited_key,
            "old": bib_titles[edited_key],
            "pages": sorted(
                cited_by[edited_key]
                + [bib_pages[group_of[edited_key]]]
                + (["glossary"] if "`%s`" % edited_key in files["glossary.md"] else [])
            ),
        },
        "term_edit": {"term": edited_term, "pages": sorted(linked_by[edited_term] + ["glossary"])},
    }
    return files, facts


def simple_page(description, label, title, blocks):
    """A page with front matter, a label, a title and blocks separated by blank lines."""
    return "\n\n".join([front_matter(description, []) + "(%s)=\n# %s" % (label, title), *blocks]) + "\n"


def make_glossary(rng, prose, terms, keys):
    """glossary.md: the terms grouped by first letter, each defined in filler with a citation."""
    out = [
        front_matter("Definitions of every synthetic term the pages link to.", []),
        "(glossary)=",
        "# Glossary",
        "",
    ]
    by_letter = {}
    for names in terms:
        by_letter.setdefault(names[0][0].upper(), []).append(names)
    for letter, group in sorted(by_letter.items()):
        out += ["## %s" % letter, "", ":::{glossary}"]
        for names in group:
            other = rng.choice(terms)
            inserts = ["{cite:p}`%s`" % rng.choice(keys)] + (
                ["{term}`%s`" % other[0]] if other != names else []
            )
            definition = prose.paragraph(rng.randint(35, 60), inserts).replace("\n", " ")
            out += [*names, "  " + definition, ""]
        out += [":::", ""]
    out += ["## References", "", ":::{bibliography}\n:filter: docname in docnames\n:::", ""]
    return "\n".join(out)


BASELINE_CONF = """# Baseline: the same pages with Sphinx's alabaster theme and no extension but MyST.
project = "Synthetic baseline"
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]
html_theme = "alabaster"
exclude_patterns = ["_build"]
"""


def to_baseline(files):
    """The same book for alabaster + myst_parser only: the project's roles and directives become plain text."""
    out = {"conf.py": BASELINE_CONF}
    for path, text in files.items():
        if not path.endswith(".md"):
            continue
        text = re.sub(r"\{cite:p\}`([^`]+)`", r"(\1)", text)
        text = re.sub(r"\{term\}`([^`<]+?)(?: <[^>]+>)?`", r"\1", text)
        text = text.replace(":::{margin}", ":::{note}")
        text = re.sub(
            r":::\{bibliography\}\n(:filter:[^\n]*\n)?:::",
            "The works cited are listed in the book's bibliography.",
            text,
        )
        text = re.sub(
            r":::\{tagged-pages\} (\S+)\n:::", r"Pages tagged \1 are listed here in the real book.", text
        )
        text = text.replace(
            ":::{bibliography-pages}\n:::", "The bibliography's pages are listed here in the real book."
        )
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
