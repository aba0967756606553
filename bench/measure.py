"""Measurements: builds (time, peak memory, pages written, correctness of incremental
rebuilds) and what Debian's Chromium downloads and how long search takes."""

import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.synthetic import BIB_MARKER, CONTENT_PAGE, EDITED_PAGE, PAGE_MARKER, TERM_MARKER
from tools.devtools import launch_chromium, serve, source_date_epoch

# The project's build options (Makefile: SPHINXOPTS).
BUILD_OPTIONS = ["-b", "html", "-n", "-W", "--keep-going", "-j", "auto"]
QUERY = "policy"  # the search word; a common word of the synthetic prose, found on most pages
SEARCH_RUNS = 3  # search timings per book; the median is reported


# Sphinx's searchtools.js writes "Search finished, found N pages matching the search query."
# (or "Your search did not match any documents...") into #search-results .search-summary once
# the last result is in the list; until then that paragraph is empty.
SEARCH_DONE_JS = """() => {
  const s = document.querySelector('#search-results .search-summary');
  return !!s && /finished|found|did not match/i.test(s.textContent);
}"""
# Installed before any of the page's own scripts: notes the moment the status text appears,
# in milliseconds since the navigation to search.html?q=... started (performance.now()).
SEARCH_WATCH_JS = (
    """
window.__bench = {done: null};
new MutationObserver(() => {
  if (window.__bench.done !== null || !(%s)()) return;
  window.__bench = {
    done: performance.now(),
    listed: document.querySelectorAll('#search-results li').length,
    status: document.querySelector('#search-results .search-summary').textContent,
  };
}).observe(document, {childList: true, subtree: true, characterData: true});
"""
    % SEARCH_DONE_JS
)

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


def log(message):
    """A progress line on stderr, with the time."""
    print("[%s] %s" % (time.strftime("%H:%M:%S"), message), file=sys.stderr, flush=True)


# -- Building -------------------------------------------------------------------------------------------


def html_mtimes(outdir):
    """{page: mtime} for every HTML page in a build (to count the pages a rebuild wrote)."""
    return {
        str(p.relative_to(outdir)): p.stat().st_mtime_ns
        for p in outdir.rglob("*.html")
        if not p.relative_to(outdir).parts[0].startswith((".", "_"))
    }


def sphinx_build(srcdir, outdir):
    """Build srcdir into outdir the way the project does; return seconds, peak memory, pages written."""
    sphinx = Path(sys.executable).with_name("sphinx-build")
    cmd = [str(sphinx)] if sphinx.exists() else [sys.executable, "-m", "sphinx"]
    before = html_mtimes(outdir) if outdir.exists() else {}
    env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch())
    proc = subprocess.run(
        [sys.executable, "-c", BUILD_WRAPPER, *cmd, *BUILD_OPTIONS, str(srcdir), str(outdir)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    report = json.loads(proc.stdout)
    if report["returncode"]:
        sys.exit("sphinx-build failed on %s:\n%s" % (srcdir, report["output"]))
    after = html_mtimes(outdir)
    written = sorted(p for p in after if before.get(p) != after[p])
    return {
        "seconds": round(report["seconds"], 3),
        "max_rss_mb": round(report["max_rss_kb"] / 1024, 1),
        "pages_written": len(written),
    }


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
    results = {
        "clean": dict(min(runs, key=lambda r: r["seconds"]), runs_seconds=[r["seconds"] for r in runs])
    }
    log("  no-op rebuild")
    results["noop"] = sphinx_build(src, out)
    log("  rebuild after editing one page")
    edit(
        src / (EDITED_PAGE + ".md"),
        "\n## References",
        "\nAn edited paragraph %s for the benchmark.\n\n## References" % PAGE_MARKER,
    )
    results["edit_page"] = sphinx_build(src, out)
    results["edit_page"]["updated"] = PAGE_MARKER in (out / (EDITED_PAGE + ".html")).read_text(
        encoding="utf-8"
    )
    if not project:
        return results

    log("  rebuild after editing one references.bib entry")
    bib = facts["bib_edit"]
    edit(src / "references.bib", bib["old"], bib["old"][:-1] + " revised %s}" % BIB_MARKER)
    results["edit_bib"] = sphinx_build(src, out)
    stale = [d for d in bib["pages"] if not titles_with(out / (d + ".html"), BIB_MARKER)]
    on_bib_page = BIB_MARKER in (out / "bibliography.html").read_text(encoding="utf-8").lower()
    results["edit_bib"].update(
        key=bib["key"],
        pages_showing=len(bib["pages"]),
        stale_pages=stale,
        bibliography_page_updated=on_bib_page,
        correct=not stale and on_bib_page,
    )

    log("  rebuild after editing one glossary definition")
    term = facts["term_edit"]
    glossary = src / "glossary.md"
    text = glossary.read_text(encoding="utf-8")
    match = re.search(r"^%s\n(?:.*\n)*?  (.*)$" % re.escape(term["term"]), text, re.M)
    edit(glossary, match.group(0), match.group(0) + " A revised sentence %s." % TERM_MARKER)
    results["edit_glossary"] = sphinx_build(src, out)
    stale = [d for d in term["pages"] if not titles_with(out / (d + ".html"), TERM_MARKER)]
    on_glossary = TERM_MARKER in (out / "glossary.html").read_text(encoding="utf-8")
    results["edit_glossary"].update(
        term=term["term"],
        pages_showing=len(term["pages"]),
        stale_pages=stale,
        glossary_page_updated=on_glossary,
        correct=not stale and on_glossary,
    )
    return results


# -- In the browser ---------------------------------------------------------------------------------------


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
        resources.append(
            {
                "url": response.url.split("/", 3)[-1],
                "type": kind,
                "kb": round(raw / 1024, 1),
                "gzip_kb": round(packed / 1024, 1),
            }
        )
        entry = by_type.setdefault(kind, {"requests": 0, "kb": 0.0, "gzip_kb": 0.0})
        entry["requests"] += 1
        entry["kb"] += raw / 1024
        entry["gzip_kb"] += packed / 1024
        total_raw, total_gzip = total_raw + raw, total_gzip + packed
    context.close()
    for entry in by_type.values():
        entry["kb"], entry["gzip_kb"] = round(entry["kb"], 1), round(entry["gzip_kb"], 1)
    return {
        "requests": len(requests),
        "failed": len(failed),
        "kb": round(total_raw / 1024, 1),
        "gzip_kb": round(total_gzip / 1024, 1),
        "by_type": by_type,
        "resources": resources,
    }


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
    return {
        "ms": round(statistics.median(r["done"] for r in runs)),
        "runs_ms": [round(r["done"]) for r in runs],
        "results": found,
        "listed": runs[-1]["listed"],
        "status": runs[-1]["status"],
    }


def measure_browser(outdir):
    """Page weight of a content page, search index size and search time for one built book."""
    from playwright.sync_api import sync_playwright

    index = (outdir / "searchindex.js").read_bytes()
    with serve(outdir) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        weight = page_weight(browser, "%s/%s.html" % (base, CONTENT_PAGE))
        search = search_time(browser, "%s/search.html?q=%s" % (base, QUERY))
        version = browser.version
        browser.close()
    return {
        "page_weight": weight,
        "searchindex_kb": round(len(index) / 1024, 1),
        "searchindex_gzip_kb": round(len(gzip.compress(index, 6)) / 1024, 1),
        "search": search,
        "chromium": version,
    }
