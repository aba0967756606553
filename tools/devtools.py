"""What the tests and the benchmarks both need to build and look at a book.

One copy of: the reproducible date (``SOURCE_DATE_EPOCH``), the project's build
options, the ``sphinx-build`` runner, a copy of the checkout with its history, the
quiet local HTTP server, Debian's Chromium and its flags, and a small factory that
builds a tiny book in-process.
"""

from __future__ import annotations

import functools
import http.server
import multiprocessing
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project's build options (Makefile: SPHINXOPTS), without parallelism.
STRICT = ["-n", "-W", "--keep-going"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@functools.cache
def source_date_epoch() -> str:
    """The date every build writes, as `make html` sets it: $SOURCE_DATE_EPOCH, else the last commit's."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "0"


def doctrees_of(outdir: Path) -> Path:
    """Sphinx's cache for a build: beside its output, never inside it (as in the Makefile)."""
    return Path(outdir).parent / (Path(outdir).name + "-doctrees")


def sphinx_build(
    srcdir: Path, outdir: Path, *options: str, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run a strict sphinx-build in its own process; return (returncode, warnings text)."""
    warnings = Path(outdir).parent / (Path(outdir).name + "-warnings.txt")
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        *STRICT,
        *options,
        "-w",
        str(warnings),
        "-d",
        str(doctrees_of(outdir)),
        str(srcdir),
        str(outdir),
    ]
    run_env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(), **(env or {})}  # env may set it
    proc = subprocess.run(cmd, capture_output=True, text=True, env=run_env)
    text = warnings.read_text() if warnings.exists() else ""
    return proc.returncode, text + (proc.stderr if proc.returncode and not text else "")


def copy_of_the_checkout(dest: Path) -> Path:
    """The checkout as it stands, history included, in ``dest``: the commit checked out here,
    fetched into a new repository, with this working tree's files over it (tracked and new,
    not ignored; deleted ones removed), as a clone with the same uncommitted changes would be.

    A build there sees what a build here sees, down to each page's "last updated" date,
    which comes from git (``_ext/last_updated.py``). Fetching ``HEAD`` rather than cloning
    also works where the commit is on no branch (a pull request's merge commit in CI).
    """
    dest = Path(dest)

    def git(*args: str, cwd: Path = ROOT) -> str:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout

    dest.mkdir(parents=True, exist_ok=True)
    git("init", "--quiet", str(dest))
    # --update-shallow: from a shallow clone, fetch its partial history (else git refuses).
    git("fetch", "--quiet", "--update-shallow", str(ROOT), "HEAD", cwd=dest)
    git("checkout", "--quiet", "--detach", "FETCH_HEAD", cwd=dest)
    for f in git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0"):
        if f and (ROOT / f).is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            (dest / f).write_bytes((ROOT / f).read_bytes())
    for f in git("ls-files", "-z", "--deleted").split("\0"):
        if f:
            (dest / f).unlink(missing_ok=True)
    return dest


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request."""

    def log_message(self, *args: object) -> None:
        """Say nothing."""


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser that leaves a page cancels its requests: no traceback for that."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve folder on 127.0.0.1 from a thread; yield its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield "http://127.0.0.1:%d" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def launch_chromium(playwright):  # Playwright's sync API object
    """Debian's Chromium under Playwright; never a browser downloaded by a test tool."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def write_tree(folder: Path, files: dict[str, str]) -> None:
    """Write {relative path: text} into folder."""
    for name, text in files.items():
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build_in_process(
    srcdir: Path, outdir: Path, files: dict[str, str] | None = None, **confoverrides: object
) -> tuple[object, str]:
    """Build a tiny book in this process with Sphinx's testing application.

    ``files`` are written into srcdir first (a ``conf.py`` among them, or the
    default one: the given extensions and nothing else). Returns (app, warnings).
    """
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    write_tree(srcdir, files or {})
    warning = StringIO()
    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch())
    app = SphinxTestApp(
        "html",
        srcdir=Path(srcdir),
        builddir=Path(outdir),
        confoverrides=confoverrides,
        status=StringIO(),
        warning=warning,
    )
    try:
        app.build()
    finally:
        app.cleanup()
        # sphinx-sitemap starts a multiprocessing Manager for each build; in a test process
        # that also runs browser threads its server would outlive the build and hang the exit.
        for child in multiprocessing.active_children():
            child.terminate()
            child.join(5)
    return app, warning.getvalue()
