"""Benchmark the book's build, page weight and search on synthetic books of growing size.

The command line of bench/run.py; see its docstring and bench/README.md.
"""

import argparse
import datetime
import json
import os
import platform
import runpy
import shutil
import sys
import tempfile
from pathlib import Path

from bench.measure import (
    log,
    measure_browser,
    measure_builds,
    measure_ci_cache,
    measure_live,
    real_book_weights,
)
from bench.report import RESULTS, table, target_table, targets, validate, write_readme
from bench.synthetic import SEED, make_book, to_baseline, write_book
from tools.devtools import CHROMIUM, ROOT, doctrees_of


def read_project_conf():
    """The repository's conf.py as a dict of settings (for the allowed tags and source-page patterns)."""
    saved = list(sys.path)
    try:
        return runpy.run_path(str(ROOT / "conf.py"))
    finally:
        sys.path[:] = saved


def save(results, real_book, sizes, started, load_before, path=RESULTS):
    """Write the results so far (after each size: a run cut short keeps what it measured)."""
    done = {size: r for size, r in results.items() if "browser" in r.get("baseline", {})}
    rows = targets(done, real_book)
    command = " ".join(
        [os.path.relpath(sys.executable, ROOT), os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]]
    )
    report = {
        "date": started.isoformat(timespec="seconds"),
        "command": command,
        "seconds": round((datetime.datetime.now() - started).total_seconds()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_1_5_15min": {"before": load_before, "after": os.getloadavg()},
            "chromium": next(iter(done.values()))["project"]["browser"]["chromium"] if done else None,
        },
        "note": "One run on a shared machine (%s CPUs): compare ratios, not absolute times." % os.cpu_count()
        + ("" if len(done) == len(sizes) else " Sizes measured so far: %s." % ", ".join(done)),
        "sizes": sizes,
        "results": done,
        "real_book": real_book,
        "targets": rows,
    }
    validate(report)  # against SCHEMA: a results file that breaks it is never written
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return rows


def main():
    """Measure every size (project and baseline), write the results file and the README's tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="20,100",
        help="content pages per book, comma-separated (default 20,100: a few minutes; "
        "the issue's targets need 100,500,2000)",
    )
    parser.add_argument("--results", default=str(RESULTS), help="the results file to write")
    parser.add_argument(
        "--real-book",
        default=str(ROOT / "_build" / "html"),
        help="a build of the real book to weigh every page of (make html first); 'none' to skip",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="random seed of the synthetic text")
    parser.add_argument(
        "--repeat", type=int, default=1, help="clean builds per book; the fastest is reported"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary books and builds")
    parser.add_argument(
        "--readme",
        action="store_true",
        help="measure nothing: rewrite bench/README.md's results from %s" % RESULTS.relative_to(ROOT),
    )
    parser.add_argument(
        "--no-readme", action="store_true", help="after measuring, leave bench/README.md as it is"
    )
    args = parser.parse_args()
    if args.readme:
        write_readme()
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    # The CI cache is simulated on the 500-page book, or the largest book below it, if any.
    ci_size = max([n for n in sizes if n <= 500], default=None)
    if not Path(CHROMIUM).exists():
        sys.exit("Debian's chromium is missing (%s): apt-get install chromium" % CHROMIUM)

    conf = read_project_conf()
    started, load_before = datetime.datetime.now(), os.getloadavg()
    real_book = None
    if args.real_book != "none" and (Path(args.real_book) / "index.html").exists():
        log("the real book's pages, weighed in Chromium (%s)" % args.real_book)
        real_book = real_book_weights(Path(args.real_book))
    tmp = Path(tempfile.mkdtemp(prefix="book-bench-"))
    log("working in %s" % tmp)
    results = {}
    try:
        for n in sizes:
            files, facts = make_book(n, conf, args.seed)
            results[str(n)] = {"facts": facts}
            for book, book_files, project in (
                ("project", files, True),
                ("baseline", to_baseline(files), False),
            ):
                log("%d pages, %s" % (n, "the book's configuration" if project else "alabaster baseline"))
                src, out = tmp / ("%s-%d" % (book, n)), tmp / ("%s-%d-html" % (book, n))
                write_book(src, book_files, with_project_files=project)
                builds = measure_builds(src, out, facts, project, args.repeat)
                results[str(n)][book] = {"builds": builds}
                if project and n == ci_size:
                    log("  one-page change in CI, doctrees restored from the cache")
                    results[str(n)][book]["ci_cache"] = measure_ci_cache(
                        src, out, builds["edit_page"]["pages_read"]
                    )
                if project:
                    log("  make live: from saving a page to its page written")
                    results[str(n)][book]["live"] = measure_live(src, out)
                log("  browser: page weight and search")
                results[str(n)][book]["browser"] = measure_browser(out, project)
                if not args.keep:
                    shutil.rmtree(src)
                    shutil.rmtree(out)
                    shutil.rmtree(doctrees_of(out), ignore_errors=True)
            save(results, real_book, sizes, started, load_before, Path(args.results))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    rows = save(results, real_book, sizes, started, load_before, Path(args.results))
    print(table(results))
    print()
    print(target_table(rows))
    print("\nJSON: %s" % args.results)
    if not args.no_readme:
        write_readme()
        print("bench/README.md: results section rewritten from the JSON")
