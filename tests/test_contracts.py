"""Contract tests: the upstream internals the book copies, wraps or overrides.

Each test pins one internal of an installed package that the book relies on
(ARCHITECTURE.md, "Upstream internals we depend on"), on a tiny book where it
needs one. When an upgrade changes that internal's signature, markup or output,
its test fails and names what to re-check, instead of the book silently losing
a fix.
"""

import ast
import re
import shutil
from pathlib import Path

import pybtex.plugin
import pydata_sphinx_theme
import pytest
import sphinx
import sphinx_book_theme
from bs4 import BeautifulSoup
from pybtex.database import Entry, Person

from _ext import accessibility, bibtex_domain, icons, pybtex_cache
from tools.devtools import build_in_process, serve

ROOTS = Path(__file__).resolve().parent / "roots"
THEME = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
SPHINX_STATIC = Path(sphinx.__file__).parent / "themes" / "basic" / "static"

# -- sphinxcontrib-bibtex: _FilterVisitor and the subclassed domain --------------------------------


def test_bibtex_filter_visitor():
    """_FilterVisitor(entry=, docname=, cited_docnames=).visit(expression) decides as upstream documents."""
    entry = Entry(
        "article",
        fields={"title": "A synthetic entry", "year": "2001"},
        persons={"author": [Person("Alpha, Ann")]},
    )
    entry.key = "Alpha2001one"

    def keep(expression, docname="here", cited=frozenset({"here"})):
        visitor = bibtex_domain._FilterVisitor(entry=entry, docname=docname, cited_docnames=set(cited))
        return bool(visitor.visit(ast.parse(expression)))

    assert keep("docname in docnames")
    assert not keep("docname in docnames", docname="elsewhere")
    assert keep("cited") and not keep("cited", cited=())
    assert keep('type == "article" and key % "alpha"')
    assert not keep('author % "Beta"')
    with pytest.raises(ValueError):
        keep("docname in docnames; cited")


BIB = """\
@article{Alpha2001one, author = {Alpha, Ann}, title = {A synthetic test entry}, journal = {Tests}, year = {2001}}
@article{Beta2002two, author = {Beta, Bob}, title = {Another synthetic entry}, journal = {Tests}, year = {2002}}
@misc{Gamma2003three, author = {Gamma, Gus}, title = {A third synthetic entry}, year = {2003}}
@misc{Delta2004four, author = {Delta, Dee}, title = {Never cited}, year = {2004}}
"""
CONF = """\
extensions = ["myst_parser", "sphinxcontrib.bibtex", %s]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "book"
bibtex_reference_style = "author_year_round"
suppress_warnings = ["bibtex.duplicate_citation"]
"""
BIB_PAGES = {
    "refs.bib": BIB,
    "index.md": "# Home\n\n{cite:p}`Beta2002two,Alpha2001one`.\n\n```{toctree}\none\ntwo\nall\n```\n\n"
    "```{bibliography}\n:filter: docname in docnames\n```\n",
    "one.md": "# One\n\n{cite:t}`Alpha2001one` and {cite:p}`Gamma2003three`.\n\n"
    '```{bibliography}\n:filter: docname in docnames and type == "article"\n```\n',
    "two.md": "# Two\n\n{cite:p}`Gamma2003three`, {cite:p}`Beta2002two`.\n\n"
    "```{bibliography}\n:filter: cited and docname in docnames\n```\n",
    "all.md": "# All\n\n```{bibliography}\n:all:\n```\n",
}


def _bibliography_build(tmp_path, name, extensions):
    files = dict(BIB_PAGES, **{"conf.py": CONF % ", ".join('"%s"' % e for e in extensions)})
    app, warnings = build_in_process(tmp_path / name, tmp_path / (name + "-out"), files)
    domain = app.env.get_domain("cite")
    citations = [(c.bibliography_key.docname, c.key, c.citation_id) for c in domain.citations]
    # The environment's anchor nodes that the written pages took in (dict.values: the nodes
    # themselves, not the copies bibtex_domain.CitationNodes hands out).
    taken = [
        node
        for bibliography in domain.bibliographies.values()
        for node in dict.values(bibliography.citation_nodes)
        if node.parent is not None or node.children
    ]
    # Anchor nodes the pages' stored doctrees keep in their table of ids, outside their tree.
    stored = []
    for doc in ("index", "one", "two", "all"):
        doctree = app.env.get_doctree(doc)
        in_tree = {id(node) for node in doctree.findall()}
        stored += [i for i, node in doctree.ids.items() if id(node) not in in_tree]
    pages = {
        doc: BeautifulSoup((Path(app.outdir) / (doc + ".html")).read_text(encoding="utf-8"), "html.parser")
        .select_one("[role=main]")
        .decode()
        for doc in ("index", "one", "two", "all")
    }
    return type(domain), citations, pages, warnings, taken, stored


def test_subclassed_bibtex_domain_matches_upstream(tmp_path):
    """The book's BibtexDomain subclass gives upstream's reference lists, entry for entry, page for page."""
    upstream = _bibliography_build(tmp_path, "upstream", ["_ext.citation_styles"])
    book = _bibliography_build(tmp_path, "book", ["_ext.citation_styles", "_ext.bibtex_domain"])
    assert upstream[0].__name__ == "BibtexDomain" and book[0] is bibtex_domain.BookBibtexDomain
    assert upstream[3] == book[3] == "", (upstream[3], book[3])
    assert book[1] == upstream[1]
    assert [c[1] for c in book[1] if c[0] == "one"] == ["Alpha2001one"]
    assert [c[1] for c in book[1] if c[0] == "all"] == [
        "Alpha2001one",
        "Beta2002two",
        "Delta2004four",
        "Gamma2003three",
    ]  # sorted by author
    assert book[2] == upstream[2]


def test_bibtex_transform_takes_each_entry_node_by_key(tmp_path):
    """sphinxcontrib-bibtex's BibliographyTransform puts ``citation_nodes[key]`` into the page it
    resolves: upstream's own node, so the environment holds every resolved page until the build
    ends; bibtex_domain.CitationNodes hands out copies, and the environment's nodes stay as read."""
    upstream = _bibliography_build(tmp_path, "upstream", ["_ext.citation_styles"])
    book = _bibliography_build(tmp_path, "book", ["_ext.citation_styles", "_ext.bibtex_domain"])
    assert upstream[4], "upstream no longer puts the environment's own nodes into pages: drop CitationNodes"
    assert book[4] == [], "BibliographyTransform no longer takes its nodes with citation_nodes[key]"
    assert book[2] == upstream[2]


def test_bibtex_bibliography_notes_its_anchors_in_the_page_ids_only(tmp_path):
    """BibliographyDirective.run notes an anchor per entry in the page's table of ids, outside the
    page's tree; bibtex_domain.prune_citation_nodes drops them from the stored doctree, and the
    written pages are upstream's."""
    upstream = _bibliography_build(tmp_path, "upstream", ["_ext.citation_styles"])
    book = _bibliography_build(tmp_path, "book", ["_ext.citation_styles", "_ext.bibtex_domain"])
    assert upstream[5], "upstream no longer notes the anchors in the page's ids: the deletion is moot"
    assert book[5] == []
    assert book[2] == upstream[2]


# -- pybtex: the plugin look-up cache ---------------------------------------------------------------


class _StyleA(pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")):
    pass


class _StyleB(_StyleA):
    pass


def test_pybtex_plugin_lookup_uses_the_cache():
    """pybtex looks plugins up through its module name ``entry_points``, after its run-time registry."""
    pybtex_cache.setup(None)
    pybtex.plugin.find_plugin("pybtex.backends", "plaintext")
    before = pybtex_cache._installed.cache_info().hits
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext").__name__ == "Backend"
    assert pybtex_cache._installed.cache_info().hits > before, "pybtex no longer calls its entry_points name"
    # A re-registration is seen at once: the cache remembers installed packages, not answers.
    pybtex.plugin.register_plugin("pybtex.style.formatting", "contract-test", _StyleA, force=True)
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "contract-test") is _StyleA
    pybtex.plugin.register_plugin("pybtex.style.formatting", "contract-test", _StyleB, force=True)
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "contract-test") is _StyleB


# -- The theme and Sphinx's HTML: a tiny book with the real configuration ----------------------------

CHAPTER = """---
description: A chapter page that introduces one section page.
tags: [safety]
---

# Chapter

:::{toctree}
section
:::
"""
SECTION = """---
description: A section page below the chapter, for the navigation's toggles.
tags: [safety]
---

# Section

Back to {ref}`home`.
"""


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory, monkeypatch_module):
    """The base root, with a chapter and a section page, built in-process with the book's conf.py."""
    src = tmp_path_factory.mktemp("tiny") / "src"
    shutil.copytree(ROOTS / "base", src)
    index = (
        (src / "index.md").read_text(encoding="utf-8").replace("page\nglossary", "page\nchapter\nglossary")
    )
    monkeypatch_module.setenv("BOOK_ROOT", str(ROOTS.parent.parent))
    app, warnings = build_in_process(
        src, src.parent / "out", {"index.md": index, "chapter.md": CHAPTER, "section.md": SECTION}
    )
    assert warnings == "", warnings
    return Path(app.outdir)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_theme_toctree_toggle_markup(tiny_book):
    """The theme's generate_toctree_html draws toggles as accessibility.TOGGLE; each gets its label."""
    html = (tiny_book / "chapter.html").read_text(encoding="utf-8")  # the navigation shows its branch
    assert html.count(accessibility.LABELLED_TOGGLE) >= 1, (
        "no labelled toggle: has the theme's markup changed?"
    )
    assert accessibility.TOGGLE not in html, "a toggle left without a label"


def test_sphinx_javascript_asset(tiny_book):
    """Sphinx's _JavaScript(filename, priority=, **attributes) round-trips; deferred scripts say so."""
    from _ext.page_assets import DEFERRABLE, _JavaScript

    js = _JavaScript("_static/x.js", priority=300, **{"defer": "defer", "id": "x"})
    assert (js.filename, js.priority, js.attributes) == ("_static/x.js", 300, {"defer": "defer", "id": "x"})
    soup = BeautifulSoup((tiny_book / "index.html").read_text(encoding="utf-8"), "html.parser")
    scripts = {s["src"].partition("?")[0]: s for s in soup.select("script[src]")}
    for name in DEFERRABLE:
        assert scripts[name].get("defer") == "defer", name
    assert not scripts["_static/documentation_options.js"].get("defer")


UPSTREAM_EXTRAHEAD = """
  <meta name="viewport" content="width=device-width, initial-scale=1"/>
  <meta name="docsearch:language" content="{{ language }}"/>
  <meta name="docsearch:version" content="{{ version }}" />
  {%- if last_updated %}
    <meta name="docbuild:last-update" content="{{ last_updated | e }}"/>
  {%- endif %}
  {% if pagename == 'search' %}
    {# Search tools are already loaded on search page. Don't load them twice. #}
  {% else %}
    {# Load Sphinx's built-in search tools so that our custom inline search
       experience can work on any page. #}
    <script src="{{ pathto('_static/searchtools.js', 1) | e }}"></script>
    <script src="{{ pathto('_static/language_data.js', 1) | e }}"></script>
    <script src="{{ pathto('searchindex.js', 1) | e }}"></script>
  {% endif %}
"""
UPSTREAM_SEARCH_BUTTON = """\
<button class="btn search-button-field search-button__button pst-js-only" title="{{ _('Search') }}" \
aria-label="{{ _('Search') }}" data-bs-placement="bottom" data-bs-toggle="tooltip">
 <i class="fa-solid fa-magnifying-glass"></i>
 <span class="search-button__default-text">{{ _('Search') }}</span>
 <span class="search-button__kbd-shortcut"><kbd class="kbd-shortcut__modifier">Ctrl</kbd>+\
<kbd class="kbd-shortcut__modifier">K</kbd></span>
</button>
"""


def test_theme_extrahead_block_is_the_one_copied():
    """_templates/layout.html copies the theme's extrahead block (pydata-sphinx-theme 0.20.0) minus its
    search scripts; a change upstream must be carried over by hand."""
    layout = (THEME / "layout.html").read_text(encoding="utf-8")
    block = re.search(r"\{%-? block extrahead %\}(.*?)\{%-? endblock extrahead %\}", layout, re.S)
    assert block, "the theme's layout.html has no extrahead block any more"
    assert block.group(1) == UPSTREAM_EXTRAHEAD, (
        "the theme's extrahead block changed: update _templates/layout.html"
    )


def test_theme_search_button_is_the_one_copied():
    """_templates/search-button-field.html copies the theme's component minus its aria-label."""
    component = (THEME / "components" / "search-button-field.html").read_text(encoding="utf-8")
    assert component.split("#}\n")[-1] == UPSTREAM_SEARCH_BUTTON, (
        "the theme's search button changed: update _templates/search-button-field.html"
    )


# -- The sidebar's navigation: sphinx-book-theme's component, drawn once per group of siblings -----

BOOK_THEME = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme"


def test_theme_sidebar_nav_is_the_one_copied():
    """_templates/sbt-sidebar-nav.html is the theme's component, calling sidebar_nav where the
    theme calls generate_toctree_html (_ext/sidebar_nav.py)."""
    component = (BOOK_THEME / "components" / "sbt-sidebar-nav.html").read_text(encoding="utf-8")
    copy = (ROOTS.parent.parent / "_templates" / "sbt-sidebar-nav.html").read_text(encoding="utf-8")
    assert copy.split("-#}\n", 1)[1].replace("sidebar_nav(", "generate_toctree_html(") == component, (
        "the theme's sidebar component changed: update _templates/sbt-sidebar-nav.html"
    )


def _nav_page(title, toctree=()):
    entries = "\n".join(toctree)
    listed = f"\n:::{{toctree}}\n{entries}\n:::\n" if toctree else ""
    return f"---\ndescription: A page for the navigation test.\ntags: [safety]\n---\n\n# {title}\n{listed}"


# Siblings in two folders, two tables of contents on one page, a page with pages under it, a
# page listed twice, a title with markup: the cases sidebar_nav reuses and those it leaves.
NAV_BOOK = {
    "a/chapter.md": _nav_page("Chapter A", ["one", "two", "three", "deep", "/shared"]),
    "a/one.md": _nav_page("One"),
    "a/two.md": _nav_page("Two & `code`"),
    "a/three.md": _nav_page("Three"),
    "a/deep.md": _nav_page("Deep", ["deeper"]),
    "a/deeper.md": _nav_page("Deeper"),
    "b/chapter.md": _nav_page("Chapter B", ["one", "two", "/shared"]),
    "b/one.md": _nav_page("B one"),
    "b/two.md": _nav_page("B two"),
    "shared.md": _nav_page("Shared"),
    "intro.md": _nav_page("Intro"),
    "more-1.md": _nav_page("More one"),
    "more-2.md": _nav_page("More two"),
}
THEME_NAV = """
def use_the_theme(app, pagename, templatename, context, doctree):
    if "sidebar_nav" in context:
        context["sidebar_nav"] = lambda *a, **k: context["generate_toctree_html"](*a, **k)

def setup(app):
    app.connect("html-page-context", use_the_theme, priority=990)
"""


def _nav_book(tmp_path, name, extra_extensions=()):
    src = tmp_path / name / "src"
    shutil.copytree(ROOTS / "base", src)
    index = (src / "index.md").read_text(encoding="utf-8")
    index = index.replace(
        "page\nglossary\n:::",
        "intro\na/chapter\nb/chapter\n:::\n\n:::{toctree}\n:caption: More\n\npage\nglossary\nmore-1\nmore-2\n:::",
    )
    files = {"index.md": index, "theme_nav.py": THEME_NAV, **NAV_BOOK}
    conf = (src / "conf.py").read_text(encoding="utf-8")
    files["conf.py"] = conf + "\nsys.path.insert(0, os.path.dirname(__file__))\nextensions += %r\n" % list(
        extra_extensions
    )
    app, warnings = build_in_process(
        src, tmp_path / name / "out", files, templates_path=[str(ROOTS.parent.parent / "_templates")]
    )
    assert warnings == "", warnings
    out = Path(app.outdir)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.html"))}


def test_sidebar_nav_draws_what_the_theme_draws(tmp_path, monkeypatch):
    """Every page's navigation is the theme's own, whether drawn by the theme or made from a
    sibling's; and siblings are made from one another."""
    from _ext import sidebar_nav

    monkeypatch.setenv("BOOK_ROOT", str(ROOTS.parent.parent))
    swapped = []
    swap = sidebar_nav.swap_current
    monkeypatch.setattr(sidebar_nav, "swap_current", lambda *a: swapped.append(swap(*a)) or swapped[-1])
    book = _nav_book(tmp_path, "book")
    theme = _nav_book(tmp_path, "theme", ["theme_nav"])
    assert sum(1 for s in swapped if s) >= 4, "no navigation was made from a sibling's"
    assert book.keys() == theme.keys()
    differ = [page for page in book if book[page] != theme[page]]
    assert not differ, "these pages' navigation is not the theme's: %s" % differ


def test_sidebar_nav_swaps_only_entries_found_once():
    """The current entry moves from the sibling to the page; if either is not found exactly
    once, the page is left to the theme (None)."""
    from _ext.sidebar_nav import CURRENT, ENTRY, swap_current

    nav = CURRENT.format(level=2, title="A &amp; a") + ENTRY.format(level=2, href="b.html", title="B")
    assert swap_current(nav, "a.html", "b.html") == (
        ENTRY.format(level=2, href="a.html", title="A &amp; a") + CURRENT.format(level=2, title="B")
    )
    assert swap_current(nav, "a.html", "c.html") is None
    assert swap_current(nav + nav, "a.html", "b.html") is None


# -- pydata-sphinx-theme's Bootstrap bundle, which the book does not load ----------------------------

PYDATA_ASSETS = Path(pydata_sphinx_theme.__file__).parent / "assets" / "scripts"


def test_theme_loads_bootstrap_only_where_the_book_drops_it():
    """_templates/layout.html drops the lines naming scripts/bootstrap.js from the blocks css and
    scripts_end (pydata-sphinx-theme 0.20.0, static/webpack-macros.html); theme-controls.js does
    what the bundle did for the book. If the theme loads it elsewhere, or its bundle or its own
    script ask more of Bootstrap, re-check _static/theme-controls.js."""
    macros = (THEME / "static" / "webpack-macros.html").read_text(encoding="utf-8")
    lines = [line for line in macros.splitlines() if "bootstrap.js" in line]
    assert len(lines) == 2 and 'rel="preload"' in lines[0] and "<script defer" in lines[1], lines
    layout = (THEME / "layout.html").read_text(encoding="utf-8")
    assert "_webpack.head_js_preload()" in re.search(r"block css %\}(.*?)endblock css", layout, re.S).group(1)
    assert "_webpack.body_post()" in re.search(r"block scripts_end %\}(.*?)endblock", layout, re.S).group(1)
    # What the bundle does on a page: tooltips, the colour-mode tooltip, the back-to-top button.
    bundle = (PYDATA_ASSETS / "bootstrap.js").read_text(encoding="utf-8")
    assert re.findall(r"^documentReady\((\w+)\);", bundle, re.M) == [
        "TriggerTooltip",
        "setupThemeSwitchDropdownTooltip",
        "backToTop",
        "showBackToTop",
    ]
    # The theme's own script uses Bootstrap once: for the collapse-sidebar button, which this
    # book does not draw (tests/test_browser.py checks the pages never load the bundle).
    theme_js = (PYDATA_ASSETS / "pydata-sphinx-theme.js").read_text(encoding="utf-8")
    assert re.findall(r"\bbootstrap\.\w+", theme_js) == ["bootstrap.Tooltip"]
    assert "function setupCollapseSidebarButton" in theme_js


def test_book_draws_no_collapse_sidebar_button(book):
    """The one place the theme's script calls Bootstrap must stay absent from the book's pages."""
    html = (book.outdir / "essays" / "open-source-ai.html").read_text(encoding="utf-8")
    assert "pst-collapse-sidebar-button" not in html
    assert "scripts/bootstrap.js" not in html
    assert "theme-controls.js" in html


# -- Sphinx's search tools, which _static/search.js wraps and replaces ----------------------------------

SEARCH_SHAPES = """() => {
  const parsed = Search._parseQuery("section 4090");
  const results = Search._performSearch(...Search._parseQuery("section"));
  return {
    parsed: [parsed.length, typeof parsed[0], parsed[1] instanceof Set, parsed[3] instanceof Set],
    numberKept: parsed[1].has("4090"),
    result: results.length ? [results[0].length, typeof results[0][0], typeof results[0][4]] : null,
    members: ["output", "title", "status"].map((name) => Search[name] instanceof HTMLElement),
    functions: ["stopPulse", "performSearch", "query"].map((name) => typeof Search[name]),
  };
}"""


@pytest.mark.browser
def test_search_functions_that_search_js_overrides(tiny_book, browser):
    """Search._parseQuery, _performSearch, query, performSearch, setIndex, stopPulse, output, title and
    status (Sphinx 9.0.4's searchtools.js) have the shapes _static/search.js relies on; _performSearch
    reads the index search.js puts together for each query from Search._index."""
    source = (SPHINX_STATIC / "searchtools.js").read_text(encoding="utf-8")
    for name in ("query", "_parseQuery", "_performSearch", "performSearch", "stopPulse", "setIndex"):
        assert re.search(r"\n  %s: \(" % name, source), "searchtools.js lost Search.%s" % name
    with serve(tiny_book) as url:
        page = browser.new_page()
        page.goto(url + "/search.html?q=section")
        page.wait_for_selector("#search-results ul.search li", timeout=15000)
        shapes = page.evaluate(SEARCH_SHAPES)
        page.close()
    assert shapes == {
        "parsed": [5, "string", True, True],
        "numberKept": True,
        "result": [7, "string", "number"],
        "members": [True, True, True],
        "functions": ["function"] * 3,
    }, shapes


def test_sphinx_search_index_shape(tiny_book):
    """_ext/search_shards.py reads searchindex.js back with sphinx.search.js_index (Sphinx 9.0.4) and
    splits the keys IndexBuilder.freeze() writes; their shapes are the ones it splits."""
    from sphinx.search import js_index

    from _ext.search_shards import SPHINX_KEYS, sphinx_index

    text = (tiny_book / "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith(js_index.PREFIX) and js_index.PREFIX == "Search.setIndex("
    index = sphinx_index(tiny_book)
    assert set(SPHINX_KEYS) <= set(index)
    assert len(index["docnames"]) == len(index["titles"]) >= 3
    for part in ("terms", "titleterms"):
        assert index[part] and all(
            isinstance(pages, int) or all(isinstance(n, int) for n in pages) for pages in index[part].values()
        ), part
    assert all(
        isinstance(n, int) and (anchor is None or isinstance(anchor, str))
        for where in index["alltitles"].values()
        for n, anchor in where
    )
    assert all(len(entry) == 3 for where in index["indexentries"].values() for entry in where)


UPSTREAM_SEARCH_SCRIPTS = """{% block scripts -%}
  {{ super() }}
  <script src="{{ pathto('_static/searchtools.js', 1) }}"></script>
  <script src="{{ pathto('_static/language_data.js', 1) }}"></script>
  <script src="{{ pathto('searchindex.js', 1) }}"></script>
{%- endblock scripts %}"""


def test_theme_search_page_scripts_are_the_ones_copied():
    """_templates/search.html copies the theme's search-page scripts block minus searchindex.js."""
    page = (THEME / "search.html").read_text(encoding="utf-8")
    assert UPSTREAM_SEARCH_SCRIPTS in page, (
        "the theme's search page scripts changed: update _templates/search.html"
    )


# -- Font Awesome, as bundled by the theme ---------------------------------------------------------


def test_font_awesome_bundle_has_the_icons():
    """icons.py reads each pack's icon table from the theme's minified bundle (Font Awesome Free 7.2.0)."""
    library = icons.LIBRARY.read_text(encoding="utf-8")
    segments = icons._pack_segments(library)
    assert set(segments) == {"fas", "far", "fab"}, sorted(segments)
    width, height, path = icons._find(segments["fas"], "magnifying-glass")
    assert (width, height) == (512, 512) and re.fullmatch(r"M[0-9 .,A-Za-z-]+", path)
    assert icons._find(segments["fas"], "pencil-alt") is not None  # an alias of "pencil"
    assert icons._find(segments["fab"], "github") is not None
    assert icons._find(segments["fas"], "no-such-icon-anywhere") is None
    # Every icon the theme's own templates name is found.
    named = set()
    for template in THEME.rglob("*.html"):
        named.update(
            re.findall(r"fa-(?:solid|regular|brands) fa-([a-z0-9-]+)", template.read_text(encoding="utf-8"))
        )
    missing = sorted(n for n in named if not any(icons._find(s, n) for s in segments.values()))
    assert named and not missing, missing


def test_sphinx_chooses_parallel_reading_after_env_before_read_docs():
    """_ext/small_reads.py sets app.parallel in env-before-read-docs; Sphinx must look after it."""
    import inspect

    from sphinx.builders import Builder

    source = inspect.getsource(Builder.read)
    assert source.index("'env-before-read-docs'") < source.index("self._app.parallel > 1")


def test_bibtex_bibliography_notes_the_bib_files_and_anchors_every_entry_on_read():
    """_ext/dependants.py drops the dependency the directive notes, and reads again on new keys."""
    import inspect

    from sphinxcontrib.bibtex.directives import BibliographyDirective

    source = inspect.getsource(BibliographyDirective.run)
    assert "env.note_dependency(str(bibfile))" in source
    assert "for entry in domain.get_entries(bibfiles)" in source


def test_sphinx_keeps_each_loaded_doctree_in_pickled_doctree_cache(tmp_path):
    """_ext/doctree_cache.py drops a page's entry from BuildEnvironment._pickled_doctree_cache,
    where get_doctree keeps the bytes of every doctree it loads until the build ends."""
    from _ext import doctree_cache

    files = {"conf.py": "", "index.rst": "Home\n====\n\nA page.\n"}
    app, warnings = build_in_process(tmp_path / "src", tmp_path / "out", files)
    assert warnings == ""
    app.env._pickled_doctree_cache.clear()
    app.env.get_doctree("index")
    assert set(app.env._pickled_doctree_cache) == {"index"}, "get_doctree no longer keeps the bytes there"
    doctree_cache.forget(app.env, "index")
    assert app.env._pickled_doctree_cache == {}
    assert app.env.get_doctree("index").astext().startswith("Home")  # read again from its file


def test_sphinx_parallel_writes_make_their_tasks_by_name():
    """_ext/write_ahead.py swaps the ParallelTasks that Builder._write_parallel makes, by its
    name in sphinx.builders, for one whose add_task waits for a free worker with _pworking,
    nproc and _join_one, as ParallelTasks.join does."""
    import inspect
    import time

    import sphinx.builders
    from sphinx.util.parallel import ParallelTasks

    from _ext import write_ahead

    assert sphinx.builders.ParallelTasks is ParallelTasks
    assert "tasks = ParallelTasks(nproc)" in inspect.getsource(sphinx.builders.Builder._write_parallel)
    join = inspect.getsource(ParallelTasks.join)
    assert "self._pworking" in join and "self._join_one()" in join
    assert "self._pworking < self.nproc" in inspect.getsource(ParallelTasks._join_one)

    def queued_after_each_add(tasks):
        done, queued = [], []
        for n in range(4):
            tasks.add_task(time.sleep, 0.1, lambda arg, result, n=n: done.append(n))
            queued.append(len(tasks._precvs_waiting))
        tasks.join()
        return sorted(done), queued

    assert queued_after_each_add(ParallelTasks(1)) == ([0, 1, 2, 3], [0, 1, 2, 3])
    assert queued_after_each_add(write_ahead.HandOverWhenFree(1)) == ([0, 1, 2, 3], [0, 0, 0, 0])


def test_sphinx_adds_toctree_parents_after_write_started():
    """_ext/rewrite_only.py sets table-of-contents entries aside in write-started; Builder.write
    must read env.files_to_rebuild after emitting it, or parents are written again."""
    import inspect

    from sphinx.builders import Builder

    source = inspect.getsource(Builder.write)
    assert source.index("'write-started'") < source.index("env.files_to_rebuild")


def test_sphinx_index_entries_live_in_the_environment():
    """_ext/search.py keeps the index entries across builds through env._search_index_index_entries:
    IndexBuilder must take them from there, and its load() must still not restore them (once it
    does, sphinx-doc/sphinx#12599 is fixed and the book's copy can go)."""
    import inspect

    from sphinx.search import IndexBuilder

    assert "self._index_entries" in inspect.getsource(IndexBuilder.__init__)
    assert "env._search_index_index_entries" in inspect.getsource(IndexBuilder.__init__)
    assert "indexentries" not in inspect.getsource(IndexBuilder.load)


def test_opengraph_imports_only_the_stand_in_names():
    """_ext/opengraph.py replaces sphinxext-opengraph's _social_cards module with a stand-in: the
    extension must import just the stand-in's names from it, and skip cards when the maker is None.
    Loaded through the stand-in, it must not import matplotlib (the half second it saves)."""
    import inspect
    import subprocess
    import sys

    import sphinxext.opengraph

    from _ext import opengraph

    source = inspect.getsource(sphinxext.opengraph)
    imported = {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module == opengraph.SOCIAL_CARDS
        for alias in node.names
    }
    stand_in = opengraph._stand_in()
    assert imported == {name for name in vars(stand_in) if not name.startswith("__")}
    assert "create_social_card is not None" in source
    check = (
        "import sys; from _ext import opengraph; "
        "sys.modules.setdefault(opengraph.SOCIAL_CARDS, opengraph._stand_in()); "
        "import sphinxext.opengraph; assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOTS.parent.parent, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_sphinx_templates_have_a_jinja_environment(tiny_book):
    """_ext/template_cache.py gives the HTML builder's Jinja environment a bytecode cache: the
    builder must render through builder.templates.environment, and the build must fill the cache."""
    import inspect

    from jinja2 import BaseLoader
    from sphinx.jinja2glue import BuiltinTemplateLoader

    assert "self.environment = " in inspect.getsource(BuiltinTemplateLoader.init)
    assert issubclass(BuiltinTemplateLoader, BaseLoader)  # BaseLoader.load reads the bytecode cache
    assert any((tiny_book.parent / "doctrees" / "jinja").glob("__jinja2_*.cache"))


def test_bibtex_env_updated_warns_through_the_module_logger():
    """_ext/bibtex_domain.py quiets the suppressed bibtex warnings by swapping the upstream
    module's logger during env_updated: the warnings must go through that global."""
    import inspect

    import sphinxcontrib.bibtex.domain as upstream
    from sphinxcontrib.bibtex.domain import BibtexDomain

    source = inspect.getsource(BibtexDomain.env_updated)
    assert "logger.warning(" in source and 'subtype="duplicate_citation"' in source
    assert (
        "logger" in BibtexDomain.env_updated.__globals__
        and upstream.logger is bibtex_domain.logger_of_upstream
    )

    quiet = bibtex_domain.QuietLogger(upstream.logger, ["bibtex.duplicate_citation", "myst.topmatter"])
    assert quiet.suppressed == {"duplicate_citation"}
    heard = []

    class Listener:
        def warning(self, message, *args, **kwargs):
            heard.append(kwargs["subtype"])

    quiet = bibtex_domain.QuietLogger(Listener(), ["bibtex.duplicate_citation"])
    quiet.warning("dropped", type="bibtex", subtype="duplicate_citation")
    quiet.warning("kept", type="bibtex", subtype="duplicate_label")
    assert heard == ["duplicate_label"]
