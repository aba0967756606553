"""Benchmark the book's build, page weight and search on synthetic books of growing size.

For each size (content pages: 20, 100 and 500 by default) this script writes a synthetic
book into a temporary folder, configured exactly like the real one (it copies conf.py,
_ext/, _static/ and _templates/ from the repository at run time), and a baseline book with
the same pages built with Sphinx's alabaster theme and myst_parser only. It then measures
builds (clean, no-op, and after editing one page, one references.bib entry and one glossary
definition), peak memory, what Chromium downloads to show a content page, the search index
size and how long the search page takes to list its results. It prints a table, checks the
project's targets (ratios only: the machine is noisy) and writes bench/results/latest.json.

    .venv/bin/python bench/run.py                    # sizes 20,100,500 (what `make bench` runs)
    .venv/bin/python bench/run.py --quick            # sizes 20,100
    .venv/bin/python bench/run.py --sizes 20,100,500,1000
    .venv/bin/python bench/run.py --readme           # rewrite bench/README.md's results from the results file

See bench/README.md for what each number means and the latest results.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: import bench and tools

from bench.cli import main

if __name__ == "__main__":
    main()
