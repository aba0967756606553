"""Sphinx configuration for the Annotated AI Policy Reader.

Sections: project, general, MyST, bibliography, HTML, local extensions.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT))

# -- Reproducibility ----------------------------------------------------------
# Every date in the output (copyright year, "last updated") comes from the last
# commit, never from the clock, so two builds of one commit are byte-identical.
if "SOURCE_DATE_EPOCH" not in os.environ:
    try:
        os.environ["SOURCE_DATE_EPOCH"] = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip() or "0"
    except (OSError, subprocess.CalledProcessError):
        os.environ["SOURCE_DATE_EPOCH"] = "0"  # not a git checkout (e.g. an unpacked archive)

# -- Project --------------------------------------------------------------------
project = "Annotated AI Policy Reader"
author = "The Annotated AI Policy Reader contributors"
copyright = "%Y, " + author
# Where the book's source lives; the repository, edit and issue buttons point here.
repository_url = os.environ.get("BOOK_REPOSITORY_URL", "https://github.com/annotated-ai-policy/reader")

# -- General --------------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx_book_theme",
    "sphinxcontrib.bibtex",
    # Local extensions (in _ext/), one concern each:
    "_ext.accessibility",
    "_ext.backlinks",
    "_ext.citations",
    "_ext.claims",
    "_ext.css_trim",
    "_ext.exports",
    "_ext.figures",
    "_ext.glossary_index",
    "_ext.graph",
    "_ext.icons",
    "_ext.page_assets",
    "_ext.page_endings",
    "_ext.page_metadata",
    "_ext.previews",
    "_ext.search",
    "_ext.tagged_pages",
]
nitpicky = True
exclude_patterns = [
    "_build", ".venv", "README.md", "CONTRIBUTING.md", "LICENSE*", "templates", "bench", "tests",
    "requirements", ".pytest_cache", "_data", "node_modules",
]
suppress_warnings = [
    # Each page ends with its own reference list, so a work cited on two pages is
    # listed twice by design; citations link to the list on their own page.
    "bibtex.duplicate_citation",
]

# -- MyST ---------------------------------------------------------------------------
myst_enable_extensions = [
    "attrs_inline",
    "colon_fence",
    "deflist",
    "fieldlist",
    "substitution",
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

# -- Local extensions ---------------------------------------------------------
# Front matter every content page must carry (checked by _ext/page_metadata.py).
page_metadata_required = ["description", "tags"]
page_metadata_source_required = ["title", "author", "venue", "date", "url"]
# Pages that annotate a source; a section index only introduces its pages.
page_metadata_source_pages = ["essays/*", "newsletter/*/*", "!essays/index"]
page_metadata_tags = [
    "open-source", "regulation", "safety", "decentralization",
    "compute", "robots", "consciousness", "forecasting",
]
