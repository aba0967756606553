"""`make audit` lists negative claims and time-bound statements, with file and line."""

import subprocess
import sys

from conftest import ROOT

AUDIT = ROOT / "tools" / "audit.py"
FIXTURE = ROOT / "tests" / "fixtures" / "audit"


def run(*args):
    return subprocess.run([sys.executable, str(AUDIT), *map(str, args)], capture_output=True, text=True)


def test_finds_the_planted_negative_claim_with_file_and_line():
    out = run(FIXTURE)
    assert out.returncode == 0, out.stderr
    assert (
        "page.md:8: [no search stated] We could not find the original memo, so its date is left out."
        in out.stdout
    ), out.stdout
    assert "page.md:17: [search stated] No record of the hearing was found" in out.stdout, out.stdout


def test_ignores_the_sources_words_in_quotation_marks():
    assert "page.md:11" not in run(FIXTURE).stdout


def test_lists_time_bound_statements_and_whether_they_carry_a_date():
    out = run(FIXTURE).stdout
    assert "page.md:13: [undated] Models are currently cheap to train." in out, out
    assert "page.md:14: [dated] In June 2024" in out, out
    assert "== Time-bound statements: now, currently, today, to date, the latest (2; 1 undated)" in out, out


def test_runs_on_the_book_and_never_fails():
    out = run()
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("== Negative claims"), out.stdout[:200]
    assert "tests/fixtures" not in out.stdout


def test_a_missing_directory_is_a_clear_error():
    out = run(FIXTURE / "nowhere")
    assert out.returncode == 2
    assert "nowhere: not a directory" in out.stderr and "Traceback" not in out.stderr
