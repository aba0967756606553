"""Measurements: builds (time, peak memory, pages written, correctness of incremental
rebuilds) and what Debian's Chromium downloads and how long search takes."""

import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.synthetic import BIB_MARKER, CONTENT_PAGE, EDITED_PAGE, PAGE_MARKER, TERM_MARKER

try:  # the sharded search's own measurement, where it exists
    from bench.search import measure_search
except ImportError:
    measure_search = None
from tools.devtools import doctrees_of, launch_chromium, serve, source_date_epoch

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
import json, re, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
read = re.search(r"updating environment: (?:\\[[^]]*\\] )?(\\d+) added, (\\d+) changed", proc.stdout)
print(json.dumps({"returncode": proc.returncode, "seconds": seconds,
                  "max_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "pages_read": int(read.group(1)) + int(read.group(2)) if read else None,
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


def build_command(srcdir, outdir, doctrees):
    """The project's sphinx-build command line for one book."""
    sphinx = Path(sys.executable).with_name("sphinx-build")
    cmd = [str(sphinx)] if sphinx.exists() else [sys.executable, "-m", "sphinx"]
    return [*cmd, *BUILD_OPTIONS, "-d", str(doctrees), str(srcdir), str(outdir)]


def sphinx_build(srcdir, outdir):
    """Build srcdir into outdir the way the project does, from the book's own folder (as make
    does): seconds, peak memory, pages read and the pages written (docnames)."""
    before = html_mtimes(outdir) if outdir.exists() else {}
    env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch())
    proc = subprocess.run(
        [sys.executable, "-c", BUILD_WRAPPER, *build_command(srcdir, outdir, doctrees_of(outdir))],
        capture_output=True,
        text=True,
        env=env,
        cwd=srcdir,
        check=True,
    )
    report = json.loads(proc.stdout)
    if report["returncode"]:
        sys.exit("sphinx-build failed on %s:\n%s" % (srcdir, report["output"]))
    after = html_mtimes(outdir)
    written = sorted(p[: -len(".html")] for p in after if before.get(p) != after[p])
    return {
        "seconds": round(report["seconds"], 3),
        "max_rss_mb": round(report["max_rss_kb"] / 1024, 1),
        "pages_read": report["pages_read"],
        "pages_written": len(written),
        "written": written,
    }


def edit(path, old, new):
    """Replace old by new in a source file (it must be there)."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise ValueError("%s: %r not found" % (path, old))
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_page(src, marker):
    """The one-page edit: a paragraph with marker added to EDITED_PAGE."""
    edit(
        src / (EDITED_PAGE + ".md"),
        "\n## References",
        "\nAn edited paragraph %s for the benchmark.\n\n## References" % marker,
    )


def dependants(build, out, noop, marker, showing):
    """Whether a rebuild after editing a shared entry rewrote exactly the pages that show it."""
    written = set(build["written"]) - set(noop["written"])  # less what every build writes
    stale = [d for d in showing if marker not in (out / (d + ".html")).read_text(encoding="utf-8").lower()]
    return {
        "pages_showing": len(showing),
        "pages_written_docs": len(written),
        "stale_pages": stale,
        "extra_pages": sorted(written - set(showing))[:10],
        "exact": not stale and written == set(showing),
    }


def measure_builds(src, out, facts, project, repeat=1):
    """Clean build (the fastest of repeat), no-op rebuild and rebuilds after edits (bib and glossary: project only)."""
    runs = []
    for n in range(repeat):
        log("  clean build" + (" %d/%d" % (n + 1, repeat) if repeat > 1 else ""))
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(doctrees_of(out), ignore_errors=True)
        runs.append(sphinx_build(src, out))
    results = {
        "clean": dict(min(runs, key=lambda r: r["seconds"]), runs_seconds=[r["seconds"] for r in runs])
    }
    log("  no-op rebuild")
    results["noop"] = sphinx_build(src, out)
    log("  rebuild after editing one page")
    edit_page(src, PAGE_MARKER)
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
    results["edit_bib"].update(
        key=bib["key"], **dependants(results["edit_bib"], out, results["noop"], BIB_MARKER, bib["pages"])
    )

    log("  rebuild after editing one glossary definition")
    term = facts["term_edit"]
    glossary = src / "glossary.md"
    text = glossary.read_text(encoding="utf-8")
    match = re.search(r"^%s\n(?:.*\n)*?  (.*)$" % re.escape(term["term"]), text, re.M)
    edit(glossary, match.group(0), match.group(0) + " A revised sentence %s." % TERM_MARKER)
    results["edit_glossary"] = sphinx_build(src, out)
    results["edit_glossary"].update(
        term=term["term"],
        **dependants(results["edit_glossary"], out, results["noop"], TERM_MARKER, term["pages"]),
    )
    return results


# `make live`'s command (Makefile: live), started without its initial build: the benchmark
# hands it a copy of the book's finished build, as an author has after the first build.
LIVE_COMMAND = ["sphinx-autobuild", "--host", "127.0.0.1", "-n", "--keep-going", "--no-initial"]
LIVE_MARKER = "liveeditmark"


def measure_live(src, out, timeout=600):
    """Seconds from saving a page to `make live` having written it, and to its build ending.

    sphinx-autobuild serves a copy of the book's last build (output and doctrees) with
    ``BOOK_LIVE=1`` as `make live` does; one page is edited and its HTML watched for the edit.
    """
    live_out, live_doctrees = out.parent / (out.name + "-live"), out.parent / (out.name + "-live-doctrees")
    for there, here in ((out, live_out), (doctrees_of(out), live_doctrees)):
        shutil.rmtree(here, ignore_errors=True)
        shutil.copytree(there, here)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [str(Path(sys.executable).with_name(LIVE_COMMAND[0])), *LIVE_COMMAND[1:], "--port", str(port)]
    command += ["-d", str(live_doctrees), str(src), str(live_out)]
    logfile = out.parent / (out.name + "-live.log")
    env = dict(os.environ, BOOK_LIVE="1", PYTHONUNBUFFERED="1", SOURCE_DATE_EPOCH=source_date_epoch())
    with open(logfile, "w") as log_out:
        proc = subprocess.Popen(command, cwd=src, env=env, stdout=log_out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:  # the server is up once it answers
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=2).close()
                break
            except OSError as err:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("sphinx-autobuild did not start:\n%s" % logfile.read_text()) from err
                time.sleep(0.2)
        time.sleep(1)  # let the watcher settle
        page = live_out / (EDITED_PAGE + ".html")
        served = logfile.read_text().count("Serving on")
        edit_page(src, LIVE_MARKER)
        start = time.perf_counter()
        written = done = None
        while time.perf_counter() - start < timeout and done is None:
            if written is None and LIVE_MARKER in page.read_text(encoding="utf-8", errors="replace"):
                written = time.perf_counter() - start
            if logfile.read_text().count("Serving on") > served:
                done = time.perf_counter() - start
            time.sleep(0.01)
        if written is None:
            raise RuntimeError("make live never wrote the edited page:\n%s" % logfile.read_text()[-3000:])
        return {"written_seconds": round(written, 3), "rebuilt_seconds": done and round(done, 3)}
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(live_out, ignore_errors=True)
        shutil.rmtree(live_doctrees, ignore_errors=True)


def measure_ci_cache(src, out, local_read):
    """A one-page pull request built in CI with _build/doctrees restored from the cache.

    A fresh checkout (every file newly written, as actions/checkout leaves them) in the same
    folder, the doctrees of the last build restored beside it, tools/ci_mtimes.py run as the
    workflow runs it, one page edited, then the build into an empty output folder (make html
    empties it). Returns the pages read, the pages written and the seconds.
    """
    from tools import ci_mtimes

    doctrees = doctrees_of(out)
    saved = ci_mtimes.save(src, doctrees)  # what the workflow records after its build
    checkout = src.parent / (src.name + "-checkout")
    shutil.rmtree(checkout, ignore_errors=True)
    src.rename(checkout)
    try:
        shutil.copytree(checkout, src, copy_function=shutil.copyfile)  # new files, new times
        ci_out = out.parent / (out.name + "-ci")
        shutil.rmtree(ci_out, ignore_errors=True)
        shutil.rmtree(doctrees_of(ci_out), ignore_errors=True)
        shutil.copytree(doctrees, doctrees_of(ci_out))  # what actions/cache restores
        doctrees = doctrees_of(ci_out)
        time.sleep(0.05)
        edit_page(src, "cieditmark")
        restored = ci_mtimes.restore(src, doctrees)
        build = sphinx_build(src, ci_out)
        shutil.rmtree(ci_out, ignore_errors=True)
        shutil.rmtree(doctrees, ignore_errors=True)
    finally:
        shutil.rmtree(src, ignore_errors=True)
        checkout.rename(src)
    return {
        "files_recorded": saved,
        "files_restored": restored,
        "pages_read": build["pages_read"],
        "pages_read_locally": local_read,
        "pages_written": build["pages_written"],
        "seconds": build["seconds"],
    }


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
        body = _body(response)
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
    """Milliseconds from navigating to search.html?q=... until the results list is complete
    (median), and the KB the first of those loads downloaded (the page, its files, the index)."""
    runs, downloaded = [], []
    for _ in range(SEARCH_RUNS):
        # The book's Content Security Policy forbids eval, which the watcher's checks use.
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        context.add_init_script(SEARCH_WATCH_JS)
        page = context.new_page()
        responses = []
        page.on("response", lambda response, into=responses: into.append(response))
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.__bench && window.__bench.done !== null", timeout=300_000)
        runs.append(page.evaluate("window.__bench"))
        downloaded.append(sum(len(_body(r)) for r in responses))
        context.close()
    found = re.search(r"found (\d+|one)", runs[-1]["status"])
    found = (1 if found.group(1) == "one" else int(found.group(1))) if found else 0
    return {
        "ms": round(statistics.median(r["done"] for r in runs)),
        "runs_ms": [round(r["done"]) for r in runs],
        "downloaded_kb": round(downloaded[0] / 1024, 1),
        "results": found,
        "listed": runs[-1]["listed"],
        "status": runs[-1]["status"],
    }


def _body(response):
    try:
        return response.body()
    except Exception:  # a redirect has no body
        return b""


def measure_browser(outdir, project=True):
    """Page weight of a content page, search index size and search time for one built book."""
    from playwright.sync_api import sync_playwright

    index = (outdir / "searchindex.js").read_bytes()
    with serve(outdir) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        weight = page_weight(browser, "%s/%s.html" % (base, CONTENT_PAGE))
        search = search_time(browser, "%s/search.html?q=%s" % (base, QUERY))
        version = browser.version
        browser.close()
    results = {
        "page_weight": weight,
        "searchindex_kb": round(len(index) / 1024, 1),
        "searchindex_gzip_kb": round(len(gzip.compress(index, 6)) / 1024, 1),
        "search": search,
        "chromium": version,
    }
    # bench/search.py measures the book's own sharded search against Sphinx's whole index
    # and Pagefind (first-query bytes, time to complete results, file://, results found);
    # report.targets() reads its "shards" and "whole" answers.
    if project and measure_search is not None:
        results["search_index"] = measure_search(outdir, QUERY)
    return results


def real_book_weights(site):
    """The heaviest page of a built copy of the real book (make html), all its files, in Chromium."""
    from playwright.sync_api import sync_playwright

    pages = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith(("_", "."))
    )
    weights = {}
    with serve(site) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        for page in pages:
            weights[page] = page_weight(browser, "%s/%s" % (base, page))["kb"]
        browser.close()
    heaviest = max(weights, key=weights.get)
    return {"pages": len(weights), "heaviest_page": heaviest, "heaviest_kb": weights[heaviest]}
