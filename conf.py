"""Sphinx configuration for the Annotated AI Policy Reader.

Sections: project, general, MyST, bibliography, HTML, local extensions.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT))

# -- Reproducibility ----------------------------------------------------------
# Every date in the output (copyright year, "last updated") comes from the last
# commit, never from the clock, so two builds of one commit are byte-identical.
if "SOURCE_DATE_EPOCH" not in os.environ:
    try:
        os.environ["SOURCE_DATE_EPOCH"] = (
            subprocess.run(
                ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
            or "0"
        )
    except (OSError, subprocess.CalledProcessError):
        os.environ["SOURCE_DATE_EPOCH"] = "0"  # not a git checkout (e.g. an unpacked archive)

# -- Project --------------------------------------------------------------------
project = "Annotated AI Policy Reader"
author = "The Annotated AI Policy Reader contributors"
copyright = "%Y, " + author
# The book's version, from pyproject.toml (the EPUB requires one).
import tomllib  # noqa: E402

release = version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
# Where the book's source lives; the repository, edit and issue buttons point here.
repository_url = os.environ.get("BOOK_REPOSITORY_URL", "https://github.com/annotated-ai-policy/reader")
# Where the published book lives: canonical links, the sitemap, social previews and the
# 404 page's links all start here. The deploy sets BOOK_BASEURL; Read the Docs sets its own.
html_baseurl = (
    os.environ.get("BOOK_BASEURL")
    or os.environ.get("READTHEDOCS_CANONICAL_URL")
    or "https://annotated-ai-policy.github.io/reader/"
)

# -- General --------------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx_book_theme",
    "sphinxcontrib.bibtex",
    "notfound.extension",  # the 404 page, with links that work at any depth
    "sphinx_sitemap",
    "_ext.opengraph",  # sphinxext-opengraph's link-preview metadata, without matplotlib
    # Local extensions (in _ext/), one concern each:
    "_ext.accessibility",
    "_ext.anatomy",
    "_ext.backlinks",
    "_ext.bib_checks",
    "_ext.bibliography_landing",
    "_ext.bibliography_page",
    "_ext.citations",
    "_ext.claims",
    "_ext.content_policy",
    "_ext.csp",
    "_ext.css_trim",
    "_ext.css_slim",
    "_ext.dependants",
    "_ext.doctree_cache",
    "_ext.drafts",
    "_ext.exports",
    "_ext.figures",
    "_ext.glossary_index",
    "_ext.graph",
    "_ext.hover_text",
    "_ext.icons",
    "_ext.issue_button",
    "_ext.last_updated",
    "_ext.live_warnings",
    "_ext.margin_notes",
    "_ext.minify",
    "_ext.navigation",
    "_ext.overviews",
    "_ext.page_assets",
    "_ext.page_endings",
    "_ext.page_metadata",
    "_ext.previews",
    "_ext.publishing",
    "_ext.search",
    "_ext.sidebar_nav",
    "_ext.small_reads",
    "_ext.tagged_pages",
    "_ext.template_cache",
    "_ext.write_ahead",
]
nitpicky = True
exclude_patterns = [
    "_build",
    ".venv",
    "README.md",
    "CONTRIBUTING.md",
    "ARCHITECTURE.md",
    "LICENSE*",
    "page-templates",
    "bench",
    "tests",
    "requirements",
    ".pytest_cache",
    "_data",
    "node_modules",
    ".github",
]
suppress_warnings = [
    # Each page ends with its own reference list, so a work cited on two pages is
    # listed twice by design; citations link to the list on their own page.
    "bibtex.duplicate_citation",
    # MyST reports malformed front matter at line 1 with no detail; _ext/page_metadata.py
    # reports it at its real line with YAML's own message.
    "myst.topmatter",
]

# -- MyST ---------------------------------------------------------------------------
myst_enable_extensions = [
    "attrs_inline",
    "colon_fence",
    "deflist",
    "fieldlist",
    # No "substitution": it evaluates {{ ... }} in any page with an unsandboxed Jinja2,
    # which runs code on the build machine. No page needs it.
]
myst_heading_anchors = 3
myst_url_schemes = {
    "http": None,
    "https": None,
    "mailto": None,
    "doi": "https://doi.org/{{path}}",
    "arxiv": "https://arxiv.org/abs/{{path}}",
}

# -- Bibliography ---------------------------------------------------------------
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "book"  # plain, labelled by key: _ext/citations.py
bibtex_reference_style = "author_year_round"  # "(Radford et al., 2019)", defined in _ext/citations.py

# -- HTML -------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = project
html_favicon = "_static/favicon.svg"  # browsers ask for one; without it every page logs a 404
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_js_files = [("previews.js", {"defer": "defer"}), ("search.js", {"defer": "defer"})]
templates_path = ["_templates"]
# Search results show each page's description (_ext/search.py) instead of a snippet
# that Sphinx would fetch page by page.
html_show_search_summary = False
html_search_scorer = "_static/search-scorer.js"
html_last_updated_fmt = "%Y-%m-%d"
# Each page's date is its own last commit (_ext/last_updated.py, sphinx-last-updated-by-git),
# printed in UTC so that every machine writes the same bytes.
git_last_updated_timezone = "UTC"
git_exclude_patterns = ["**/references.bib"]  # every page with references depends on it
git_untracked_check_dependencies = False  # a page not yet committed shows no date
git_untracked_show_sourcelink = True  # keeps its context whole: the edit button reads it
git_last_updated_metatags = False  # article:modified_time is for og:type article; pages are websites
html_copy_source = False  # readers get the rendered page; the source is one click away on the repository
html_show_sourcelink = False
html_context = {"default_mode": "auto"}  # dark or light mode follows the reader's system
html_theme_options = {
    "repository_url": repository_url,
    "repository_branch": "main",
    "path_to_docs": "",
    "use_repository_button": True,
    "use_edit_page_button": True,
    "use_issues_button": True,
    "use_download_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    # Render only the current branch of the navigation into each page: the full
    # tree made every page's HTML grow with the size of the book.
    "collapse_navbar": True,
    "max_navbar_depth": 3,
    "navbar_persistent": [],  # the sidebar already has the search field; no second one in a top bar
    "extra_footer": (
        "Text licensed under <a href='https://creativecommons.org/licenses/by/4.0/'>CC BY 4.0</a>; "
        "code under the MIT licence."
    ),
}

# -- Publishing ---------------------------------------------------------------
sitemap_url_scheme = "{link}"
sitemap_excludes = ["404.html", "search.html", "genindex.html"]
ogp_site_url = html_baseurl
ogp_site_name = project
ogp_image = "_static/social-card.png"  # relative to html_baseurl; drawn once, committed
ogp_image_alt = project
ogp_social_cards = {"enable": False}  # no images drawn at build time
ogp_enable_meta_description = False  # _ext/page_metadata.py writes the page's own description
notfound_urls_prefix = urlsplit(html_baseurl).path  # "/reader/": the 404 page is served at any depth
notfound_context = {
    "title": "Page not found",
    "body": "<h1>Page not found</h1>\n<p>No page of the book lives at this address; it may have moved. "
    "Search the book, or start again from <a href='%sindex.html'>the landing page</a>.</p>"
    % notfound_urls_prefix,
}

# -- EPUB -------------------------------------------------------------------------
epub_basename = "annotated-ai-policy-reader"
epub_show_urls = "no"  # links stay links; their addresses would interrupt every sentence
epub_exclude_files = [
    "search.html",  # an e-reader has its own search; Sphinx's needs JavaScript
    # Data files for the site's readers and tools, not pages: an EPUB has no place for them.
    "graph.json",
    "claims.json",
    "_static/vendor/d3-force/README.txt",
    "_static/vendor/d3-force/LICENSE-d3-dispatch",
    "_static/vendor/d3-force/LICENSE-d3-force",
    "_static/vendor/d3-force/LICENSE-d3-quadtree",
    "_static/vendor/d3-force/LICENSE-d3-timer",
]

# -- Local extensions ---------------------------------------------------------
# Front matter every content page must carry (checked by _ext/page_metadata.py).
page_metadata_required = ["description", "tags"]
page_metadata_source_required = ["title", "author", "venue", "date", "url"]
# Pages that annotate a source; a section index only introduces its pages.
page_metadata_source_pages = ["essays/*", "newsletter/*/*", "!essays/index"]
# The anatomy every annotated page follows unless it is a draft (_ext/anatomy.py); an
# issue's overview page introduces its sections and is exempt. CONTRIBUTING.md explains.
anatomy_exempt = ["newsletter/*/index"]
anatomy_sections = [
    ["The argument, step by step", "The story, step by step"],
    "Context",
    "Fact check",
    "Where it connects",
    "Questions to think about",
    "References",
]
anatomy_min_margin_notes = 6
anatomy_min_words = 800
anatomy_min_links = 3
# The pages that say which texts the book reads, and which sources each must mention
# (_ext/overviews.py), so that a new issue or essay cannot leave them stale.
overview_pages = {
    "index": ["essays/*", "newsletter/*/*"],
    "newsletter/index": ["newsletter/*/*"],
    "topics/index": ["essays/*", "newsletter/*/*"],
}
page_metadata_tags = [
    "open-source",
    "regulation",
    "safety",
    "decentralization",
    "compute",
    "robots",
    "consciousness",
    "forecasting",
]
# What contributed pages may contain (_ext/content_policy.py): no directive that reads
# files or writes raw markup is allowed; name one here only after review.
content_policy_allowed_directives = []
# The groups of the bibliography; every entry's `keywords` names one (_ext/bib_checks.py).
bib_keyword_groups = ["paper", "article", "software", "policy", "newsletter"]
# The bibliography's pages, one per group, each listing the works whose `keywords` name it
# (_ext/citations.py, _ext/bibliography_page.py); bibliography.md lists them.
bibliography_docnames = [
    "bibliography/papers",
    "bibliography/articles",
    "bibliography/software",
    "bibliography/policy",
    "bibliography/newsletters",
]
