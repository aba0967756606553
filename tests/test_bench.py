"""The benchmark's results file and the CI cache's file times, checked without building.

Nothing here times anything: the benchmarks measure cost, the tests check that what the
benchmarks write follows its schema and names every target of the performance issue.
"""

import hashlib
import json
import os

import pytest
from jsonschema import Draft202012Validator

from bench.report import SCHEMA, target_table, targets
from conftest import ROOT
from tools import ci_mtimes


def build(seconds, mb=100.0, **extra):
    return {"seconds": seconds, "max_rss_mb": mb, "pages_read": 1, "pages_written": 3, **extra}


def book(clean, edit, mb, project):
    builds = {"clean": build(clean, mb), "noop": build(1.0), "edit_page": build(edit)}
    if project:
        for step in ("edit_bib", "edit_glossary"):
            builds[step] = build(
                edit, pages_showing=4, pages_written_docs=4, stale_pages=[], extra_pages=[], exact=True
            )
    result = {"builds": builds, "browser": {"search": {"ms": 200, "downloaded_kb": 120.0}}}
    if project:
        result["live"] = {"written_seconds": edit * 1.1, "rebuilt_seconds": edit * 1.2}
    return result


def results(sizes=(100, 500, 2000)):
    out = {}
    for n in sizes:
        out[str(n)] = {
            "facts": {"pages": n},
            "project": book(0.09 * n, 2.0, 300.0, True),
            "baseline": book(0.05 * n, 1.5, 160.0, False),
        }
    out[str(max(n for n in sizes if n <= 500))]["project"]["ci_cache"] = {
        "pages_read": 1,
        "pages_read_locally": 1,
        "pages_written": 526,
        "seconds": 30.0,
    }
    return out


def report(rows, sizes=(100, 500, 2000)):
    return {
        "date": "2026-12-01T00:00:00",
        "command": "bench/run.py --sizes 100,500,2000",
        "seconds": 1,
        "machine": {"cpus": 2, "python": "3.11.7"},
        "sizes": list(sizes),
        "results": results(sizes),
        "real_book": None,
        "targets": rows,
    }


def errors(data):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return [e.message for e in Draft202012Validator(schema).iter_errors(data)]


def test_the_targets_name_each_target_of_the_issue_once_per_size():
    rows = targets(results())
    names = [row["target"] for row in rows]
    assert len(names) == len(set(names))
    assert errors(report(rows)) == []
    assert any("2,000" in n and n.startswith("scaling:") for n in names)
    for prefix, count in [
        ("clean build vs the alabaster baseline", 2),  # 100 and 2,000 pages
        ("edit loop:", 3),
        ("live reload:", 3),
        ("memory:", 2),  # 500 and 2,000 pages
        ("search:", 4),
        ("every real page light:", 1),
        ("dependants:", 6),  # bibliography entry and glossary definition, at each size
        ("CI at scale:", 1),
    ]:
        assert sum(n.startswith(prefix) for n in names) == count, prefix
    by_name = {row["target"]: row for row in rows}
    scaling = by_name["scaling: per-page clean build time at 2,000 pages vs at 100 pages"]
    assert scaling["value"] == 1.0 and scaling["met"] is True
    memory = by_name["memory: peak memory of a clean build vs the baseline, 2,000 pages"]
    assert memory["value"] == 1.875 and memory["met"] is True
    edit = by_name["edit loop: rebuild after editing one page vs the baseline's one-page rebuild, 500 pages"]
    assert edit["value"] == 1.333 and edit["met"] is True
    assert (
        by_name["every real page light: the real book's heaviest page with all its files, KB"]["met"] is None
    )
    assert "| scaling: per-page clean build time at 2,000 pages" in target_table(rows)


def test_a_size_not_run_leaves_its_targets_open_not_met():
    rows = targets(results(sizes=(20, 100)))
    assert errors(report(rows, sizes=(20, 100))) == []
    scaling = next(r for r in rows if r["target"].startswith("scaling:"))
    assert scaling["value"] is None and scaling["met"] is None


def test_the_schema_rejects_a_row_without_its_verdict_or_with_a_worded_value():
    rows = targets(results())
    broken = [dict(rows[0]), dict(rows[1], value="fast")]
    del broken[0]["met"]
    messages = errors(report(broken))
    assert any("'met' is a required property" in m for m in messages), messages
    assert any("'fast' is not of type" in m for m in messages), messages


def test_ci_file_times_come_back_for_unchanged_files_only(tmp_path):
    root, doctrees = tmp_path / "book", tmp_path / "book" / "_build" / "doctrees"
    (root / "pages").mkdir(parents=True)
    for name in ("index.md", "pages/a.md", "pages/b.md"):
        (root / name).write_text(name)
        os.utime(root / name, ns=(1_000_000_000, 1_000_000_000))
    assert ci_mtimes.save(root, doctrees) == 3
    for name in ("index.md", "pages/a.md", "pages/b.md"):  # a fresh checkout: new times
        os.utime(root / name, ns=(2_000_000_000, 2_000_000_000))
    (root / "pages/b.md").write_text("changed by the pull request")
    assert ci_mtimes.restore(root, doctrees) == 2
    assert (root / "index.md").stat().st_mtime_ns == 1_000_000_000
    assert (root / "pages/a.md").stat().st_mtime_ns == 1_000_000_000
    assert (root / "pages/b.md").stat().st_mtime_ns != 1_000_000_000


X = hashlib.sha256(b"x").hexdigest()


@pytest.mark.parametrize("record", ["not json", json.dumps({"../outside.md": [X, 1]}), json.dumps([1, 2])])
def test_ci_file_times_ignore_a_bad_or_escaping_record(tmp_path, record):
    root, doctrees = tmp_path / "book", tmp_path / "doctrees"
    root.mkdir()
    doctrees.mkdir()
    (tmp_path / "outside.md").write_text("x")
    (doctrees / ci_mtimes.RECORD).write_text(record)
    assert ci_mtimes.restore(root, doctrees) == 0


def test_the_schema_is_where_the_benchmark_reads_it():
    assert SCHEMA.relative_to(ROOT).as_posix() == "_data/schemas/bench-results.schema.json"
