"""Search at scale: what a reader's first query downloads and how soon its results are complete.

Three ways to search one built book are compared in the same run, in Debian's Chromium:

- ``shards``: the book's own search (``_static/search.js`` and the sharded index
  ``searchindex/`` written by ``_ext/search_shards.py``), typed into the search dialog of a
  content page, as a reader does;
- ``whole``: Sphinx's search tools with the whole ``searchindex.js``, as the book loaded it
  before the index was sharded, on a small page of its own (``_bench-search/whole.html``)
  that runs Sphinx's ``_performSearch`` and lists every result's title;
- ``pagefind``: Pagefind (``pagefind`` and ``pagefind-bin`` on PyPI), its index written by
  its binary into ``_pagefind/``, on a page of its own (``_bench-search/pagefind.html``)
  that runs ``pagefind.search()`` and loads the data (title, URL) of the first ten results,
  as Pagefind's own interface does for its first page of results.

Each page gets the same 150 ms pause after the last keystroke before it searches (the
book's dialog waits that long). For each, from a fresh browser context:

- the bytes downloaded from the moment the reader focuses the search field until the results
  are complete (search tools, index files, descriptions: everything), raw and gzip-compressed;
- the time from the last keystroke to the complete result list (median of ``runs``);
- whether the same search works from a copy opened from disk (``file://``).

``measure_search(site_dir, query)`` returns::

    {"query": str, "pages": int,  # content pages in the book (docnames in Sphinx's index)
     "shards" | "whole" | "pagefind": {
         "first_query_kb": float,        # raw bytes downloaded for the first query, KB
         "first_query_gzip_kb": float,   # the same files gzip-compressed, KB
         "requests": int,                # files fetched for it
         "complete_ms": float,           # median time from the last keystroke to the results
         "runs_ms": [float, ...],
         "results": int,                 # results found (Pagefind: all it found; ten listed)
         "file_url_works": bool,         # the same search from file://
         "file_url_error": str | None,   # what went wrong there, if it did
         "index_kb": float,              # the engine's whole index on disk, KB
     }}

An engine that cannot be measured (Pagefind not installed) has ``{"error": "..."}`` instead.

Run alone: ``python -m bench.search --sizes 100,500,2000`` builds synthetic books (as
``bench/synthetic.py`` makes them, with this repository's configuration) and prints a table;
``--site DIR`` measures a built book instead.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.devtools import ROOT, launch_chromium, serve

BENCH_DIR = "_bench-search"  # the comparison pages, written into the site being measured
PAGEFIND_DIR = "_pagefind"
DEBOUNCE_MS = 150  # as _static/search.js waits after a keystroke
TIMEOUT_MS = 20_000

# Installed before a page's own scripts: the time of the last keystroke, and the moment the
# complete result list is on the page (the status text a search writes when it is done).
# The comparison pages note which query a status is for (data-query): a search started for
# part of the query, while the keystrokes waited behind the loading index, can finish after
# the last keystroke, and its count is not the query's.
WATCH_JS = """
window.__search = {typed: null, done: null, status: null};
document.addEventListener("input", () => { window.__search.typed = performance.now(); window.__search.done = null; }, true);
new MutationObserver(() => {
  const s = window.__search, el = document.querySelector(%s);
  if (s.typed === null || s.done !== null || !el || !/finished|did not match|found|error/i.test(el.textContent)) return;
  if (el.dataset.query !== undefined && el.dataset.query !== (document.activeElement || {}).value) return;
  s.done = performance.now();
  s.status = el.textContent;
}).observe(document, {childList: true, subtree: true, characterData: true});
"""

WHOLE_PAGE = """<!DOCTYPE html>
<html lang="en" data-content_root="../"><head><meta charset="utf-8"><title>Search: Sphinx's whole index</title>
<script src="../_static/documentation_options.js"></script>
<script src="../_static/doctools.js"></script><script src="../_static/sphinx_highlight.js"></script>
</head><body><input name="q" aria-label="Search"><div id="search-results"><p class="search-summary"></p><ul></ul></div>
<div id="search-progress"></div>
<script>
const q = document.querySelector("input"), status = document.querySelector(".search-summary");
const list = document.querySelector("ul");
let loading = null, timer = null;
function script(src) { return new Promise((ok, fail) => { const s = document.createElement("script");
  s.src = src; s.onload = ok; s.onerror = () => fail(new Error(src)); document.head.appendChild(s); }); }
function load() { return loading = loading || script("../_static/language_data.js")
  .then(() => script("../_static/searchtools.js")).then(() => script("../searchindex.js")); }
q.addEventListener("focus", () => load().catch(() => {}));
q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, %d); });
function run() { const query = q.value; load().then(() => {
  const results = Search._performSearch(...Search._parseQuery(query));
  list.replaceChildren(...results.reverse().map((r) => Object.assign(document.createElement("li"), {textContent: r[1]})));
  status.dataset.query = query;
  status.textContent = "Search finished, found " + results.length;
}, (e) => { status.textContent = "error: " + e.message; }); }
</script></body></html>
"""

PAGEFIND_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Search: Pagefind</title></head>
<body><input name="q" aria-label="Search"><div id="search-results"><p class="search-summary"></p><ul></ul></div>
<script type="module">
const q = document.querySelector("input"), status = document.querySelector(".search-summary");
const list = document.querySelector("ul");
let loading = null, timer = null;
function load() { return loading = loading || import("../%s/pagefind.js").then(async (pf) => { await pf.init(); return pf; }); }
q.addEventListener("focus", () => load().catch(() => {}));
q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, %d); });
async function run() {
  try {
    const query = q.value, pf = await load();
    const search = await pf.search(query);
    const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
    list.replaceChildren(...data.map((d) => Object.assign(document.createElement("li"), {textContent: d.meta.title})));
    status.dataset.query = query;
    status.textContent = "Search finished, found " + search.results.length;
  } catch (e) { status.textContent = "error: " + e; }
}
</script></body></html>
"""


def pagefind_index(site_dir: Path) -> str | None:
    """Write Pagefind's index of the site's article text into _pagefind/; None, or why it could not."""
    try:
        import pagefind_bin  # noqa: F401 (the binary, shipped in the wheel)
    except ImportError:
        return "Pagefind is not installed (pip install pagefind pagefind-bin)"
    shutil.rmtree(site_dir / PAGEFIND_DIR, ignore_errors=True)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(site_dir),
            "--output-subdir",
            PAGEFIND_DIR,
            "--root-selector",
            "article",
            "--silent",
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        return "pagefind failed: %s" % (proc.stderr or proc.stdout)[-500:]
    return None


def folder_kb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024, 1)


def content_page(site_dir: Path) -> str:
    """A content page to search from: the synthetic book's second page, or the real book's longest essay."""
    for name in ("pages/page-0002.html", "essays/open-source-ai.html", "index.html"):
        if (site_dir / name).exists():
            return name
    raise FileNotFoundError("no content page in %s" % site_dir)


def engines(site_dir: Path) -> dict[str, tuple[str, str] | str]:
    """{engine: (page to open, selector of its status text)}, or why the engine cannot run."""
    bench = site_dir / BENCH_DIR
    bench.mkdir(exist_ok=True)
    (bench / "whole.html").write_text(WHOLE_PAGE % DEBOUNCE_MS, encoding="utf-8")
    out: dict[str, tuple[str, str] | str] = {
        "shards": (content_page(site_dir), "#pst-search-dialog #search-results .search-summary"),
        "whole": (BENCH_DIR + "/whole.html", "#search-results .search-summary"),
    }
    problem = pagefind_index(site_dir)
    if problem:
        out["pagefind"] = problem
    else:
        (bench / "pagefind.html").write_text(PAGEFIND_PAGE % (PAGEFIND_DIR, DEBOUNCE_MS), encoding="utf-8")
        out["pagefind"] = (BENCH_DIR + "/pagefind.html", "#search-results .search-summary")
    return out


def one_search(browser, url: str, status: str, query: str, count_bytes: bool) -> dict:
    """Open url in a fresh context, focus its search field, type query; time and bytes to the results."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_JS % json.dumps(status))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    fetched: list = []
    if count_bytes:
        page.on("requestfinished", lambda r: fetched.append(r))
    if "#pst-search-dialog" in status:  # the book: open the search dialog as a reader does
        page.keyboard.press("Control+k")
        field = page.locator("#pst-search-dialog input[name=q]")
    else:
        field = page.locator("input[name=q]")
    field.wait_for(state="visible")
    field.focus()
    field.press_sequentially(query)
    # Polled from here: the book's Content-Security-Policy forbids the eval wait_for_function needs.
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    result = page.evaluate("window.__search")
    while result["done"] is None and time.monotonic() < deadline:
        page.wait_for_timeout(20)
        result = page.evaluate("window.__search")
    if result["done"] is None:
        result["status"] = "no results after %d s" % (TIMEOUT_MS / 1000)
    page.wait_for_load_state("networkidle")
    raw = packed = 0
    for request in fetched:
        response = request.response()
        body = response.body() if response else b""
        raw, packed = raw + len(body), packed + len(gzip.compress(body, 6))
    context.close()
    ok = result["done"] is not None and not str(result["status"]).startswith("error")
    found = re.search(r"found (\d+|one)", str(result["status"]))
    return {
        "ms": round(result["done"] - result["typed"], 1) if ok else None,
        "ok": ok,
        "results": (1 if found.group(1) == "one" else int(found.group(1))) if found else 0,
        "status": result["status"],
        "errors": errors,
        "requests": len(fetched),
        "kb": round(raw / 1024, 1),
        "gzip_kb": round(packed / 1024, 1),
    }


def measure_search(site_dir: Path, query: str, runs: int = 3, browser=None) -> dict:
    """Measure the book's sharded search, Sphinx's whole index and Pagefind on one built book."""
    site_dir = Path(site_dir)
    from sphinx.search import js_index

    docnames = js_index.loads((site_dir / "searchindex.js").read_text(encoding="utf-8"))["docnames"]
    report: dict = {"query": query, "pages": len(docnames)}
    index_kb = {
        "shards": folder_kb(site_dir / "searchindex"),
        "whole": round((site_dir / "searchindex.js").stat().st_size / 1024, 1),
    }
    with serve(site_dir) as base:
        if browser is None:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                own = launch_chromium(p)
                try:
                    return _measure(own, base, site_dir, query, runs, report, index_kb)
                finally:
                    own.close()
        return _measure(browser, base, site_dir, query, runs, report, index_kb)


def _measure(browser, base, site_dir, query, runs, report, index_kb):
    for name, how in engines(site_dir).items():
        if isinstance(how, str):
            report[name] = {"error": how}
            continue
        path, status = how
        timed = [one_search(browser, "%s/%s" % (base, path), status, query, n == 0) for n in range(runs)]
        first = timed[0]
        on_disk = one_search(browser, (site_dir / path).resolve().as_uri(), status, query, False)
        report[name] = {
            "first_query_kb": first["kb"],
            "first_query_gzip_kb": first["gzip_kb"],
            "requests": first["requests"],
            "complete_ms": statistics.median(t["ms"] for t in timed) if all(t["ok"] for t in timed) else None,
            "runs_ms": [t["ms"] for t in timed],
            "results": first["results"],
            "file_url_works": on_disk["ok"] and on_disk["results"] == first["results"],
            "file_url_error": None if on_disk["ok"] else "%s %s" % (on_disk["status"], on_disk["errors"][:2]),
            "index_kb": index_kb.get(
                name, folder_kb(site_dir / PAGEFIND_DIR) if name == "pagefind" else None
            ),
        }
        if not first["ok"]:
            report[name]["error"] = "%s %s" % (first["status"], first["errors"][:2])
    return report


def build_synthetic(n_pages: int, folder: Path) -> tuple[Path, str]:
    """Build a synthetic book of n_pages with this repository's configuration: (HTML folder, warnings).

    The build is the project's strict one; a warning (a small synthetic book may leave a
    bibliography entry uncited) is reported, and the search measured all the same.
    """
    from bench.cli import read_project_conf
    from bench.synthetic import SEED, make_book, write_book
    from tools.devtools import sphinx_build

    files, _facts = make_book(n_pages, read_project_conf(), SEED)
    src, out = folder / ("book-%d" % n_pages), folder / ("book-%d-html" % n_pages)
    write_book(src, files, with_project_files=True)
    if not (src / "pyproject.toml").exists():  # conf.py reads the book's version from it
        shutil.copy2(ROOT / "pyproject.toml", src / "pyproject.toml")
    _returncode, warnings = sphinx_build(src, out, "-j", "auto")
    if not (out / "searchindex" / "manifest.js").exists():
        sys.exit("the build of %d pages wrote no search index:\n%s" % (n_pages, warnings[-3000:]))
    return out, warnings


def table(reports: list[dict]) -> str:
    """A Markdown table of measure_search() reports, one row per size and engine."""
    lines = [
        "| pages | search | first query, KB (gzip) | requests | complete, ms | results | file:// | whole index, KB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for report in reports:
        for name in ("shards", "pagefind", "whole"):
            r = report.get(name, {})
            if "first_query_kb" not in r:
                lines.append(
                    "| %s | %s | %s | | | | | |" % (report["pages"], name, r.get("error", "not run"))
                )
                continue
            lines.append(
                "| %s | %s | %.0f (%.0f) | %d | %s | %d | %s | %.0f |"
                % (
                    report["pages"],
                    name,
                    r["first_query_kb"],
                    r["first_query_gzip_kb"],
                    r["requests"],
                    "%.0f" % r["complete_ms"] if r["complete_ms"] is not None else "failed",
                    r["results"],
                    "works" if r["file_url_works"] else "fails",
                    r["index_kb"],
                )
            )
    return "\n".join(lines)


def main() -> None:
    """Measure search on synthetic books of the given sizes (or one built site) and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="100,500", help="content pages per synthetic book, comma-separated"
    )
    parser.add_argument("--site", type=Path, help="measure this built book instead of synthetic ones")
    parser.add_argument("--query", default="policy", help="the words typed (default: a word on most pages)")
    parser.add_argument(
        "--runs", type=int, default=3, help="timed searches per engine; the median is reported"
    )
    parser.add_argument("--keep", action="store_true", help="keep the synthetic books")
    parser.add_argument("--json", type=Path, help="also write the reports to this file")
    args = parser.parse_args()
    reports = []
    if args.site:
        reports.append(measure_search(args.site, args.query, args.runs))
    else:
        tmp = Path(tempfile.mkdtemp(prefix="search-bench-"))
        try:
            for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
                print("building %d pages in %s" % (n, tmp), file=sys.stderr, flush=True)
                site, warnings = build_synthetic(n, tmp)
                print("measuring %d pages" % n, file=sys.stderr, flush=True)
                reports.append(dict(measure_search(site, args.query, args.runs), build_warnings=warnings))
        finally:
            if not args.keep:
                shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2) + "\n", encoding="utf-8")
    print(table(reports))


if __name__ == "__main__":
    main()
