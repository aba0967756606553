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

from bench.measure import log, measure_browser, measure_builds
from bench.report import RESULTS, table, target_table, targets, write_readme
from bench.synthetic import SEED, make_book, to_baseline, write_book
from tools.devtools import CHROMIUM, ROOT


def read_project_conf():
    """The repository's conf.py as a dict of settings (for the allowed tags and source-page patterns)."""
    saved = list(sys.path)
    try:
        return runpy.run_path(str(ROOT / "conf.py"))
    finally:
        sys.path[:] = saved


def main():
    """Measure every size (project and baseline), write the results file and the README's tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,100,500", help="content pages per book, comma-separated")
    parser.add_argument("--quick", action="store_true", help="sizes 20,100 only")
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
    sizes = [20, 100] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    if not Path(CHROMIUM).exists():
        sys.exit("Debian's chromium is missing (%s): apt-get install chromium" % CHROMIUM)

    conf = read_project_conf()
    started, load_before = datetime.datetime.now(), os.getloadavg()
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
                log("  browser: page weight and search")
                results[str(n)][book] = {"builds": builds, "browser": measure_browser(out)}
                if not args.keep:
                    shutil.rmtree(src)
                    shutil.rmtree(out)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    rows = targets(results)
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
            "chromium": next(iter(results.values()))["project"]["browser"]["chromium"] if results else None,
        },
        "note": "One run on a shared machine (%s CPUs): compare ratios, not absolute times." % os.cpu_count(),
        "sizes": sizes,
        "results": results,
        "targets": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print()
    print(target_table(rows))
    print("\nJSON: %s" % RESULTS.relative_to(ROOT))
    if not args.no_readme:
        write_readme()
        print("bench/README.md: results section rewritten from the JSON")
