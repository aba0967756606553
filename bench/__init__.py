"""The book's benchmarks: synthetic books of growing size against a plain-Sphinx baseline.

Modules: synthetic (text and book generation), measure (builds and the browser),
report (tables, targets, the README's results table), cli (the command line).
Run with ``.venv/bin/python bench/run.py`` (see bench/README.md).
"""
