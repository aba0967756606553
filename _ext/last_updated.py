"""Each page's "Last updated" date: the last commit that changed the page, not the repository.

sphinx-last-updated-by-git (0.3.x) does the work: once the pages are read, it asks git (one
``git log`` per folder of pages) for the author date of each page's last commit, and the
theme prints it in the page's footer. A page's own data files count as the page (its claims
in ``_data/claims/``, the data its figures are drawn from); the files that nearly every page
depends on do not, or every page would show the date of the last edit to them:
``references.bib`` is left out in conf.py (``git_exclude_patterns``), and the glossary, whose
definitions are every page's hover texts, rebuilds the pages through ``_ext/glossary_index.py``
rather than as a file dependency.

What the build needs and guarantees:

* The whole history. In a shallow clone the dates of older pages are unknown (the package
  would warn "Git clone too shallow" for each), so there the package is not loaded, the build
  says why, and every page shows the build's date, as outside a checkout. The workflows
  check out with ``fetch-depth: 0``, Read the Docs unshallows its clone
  (``.readthedocs.yaml``) and ``.ci/run`` tries to, so the published book has every date.
* The same bytes on every machine: a commit's timestamp, printed in UTC (conf.py), never
  the clock or the machine's time zone.
* A page git does not know yet (a new page in a pull request) builds strictly and shows no
  date until it is committed.
* Outside a git checkout (an unpacked archive) there is no history to ask: the package is
  not loaded, and every page shows the build's date (``SOURCE_DATE_EPOCH``), as Sphinx does
  by itself.
"""

from __future__ import annotations

import subprocess
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


def in_git_checkout(folder: str) -> bool:
    """Whether ``folder`` is inside a git work tree with at least one commit."""
    try:
        return (
            subprocess.run(
                ["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=folder, capture_output=True
            ).returncode
            == 0
        )
    except OSError:  # git is not installed
        return False


def is_shallow(folder: str) -> bool:
    """Whether the git checkout holding ``folder`` lacks part of its history."""
    answer = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"], cwd=folder, capture_output=True, text=True
    )
    return answer.stdout.strip() == "true"


def setup(app: Sphinx) -> dict[str, Any]:
    """Load sphinx-last-updated-by-git when the book is a git checkout with its whole history."""
    if in_git_checkout(str(app.srcdir)):
        if is_shallow(str(app.srcdir)):
            logger.info(
                "last_updated: a shallow clone; every page shows the build's date. "
                "Run 'git fetch --unshallow' for each page's own date."
            )
        else:
            app.setup_extension("sphinx_last_updated_by_git")
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
