"""`make html` publishes only what the current sources build."""

import subprocess

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_make_html_drops_the_output_of_deleted_pages_and_keeps_the_cache(tmp_path):
    stale = tmp_path / "html" / "essays" / "a-deleted-page.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("<p>a page whose source was deleted</p>", encoding="utf-8")
    cache = tmp_path / "doctrees" / "kept.txt"
    cache.parent.mkdir()
    cache.write_text("doctree cache", encoding="utf-8")
    proc = subprocess.run(
        ["make", "html", "BUILDDIR=%s" % tmp_path], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "html" / "essays" / "open-source-ai.html").exists()
    assert not stale.exists(), "the deleted page's HTML is still in the output"
    assert cache.exists(), "the doctree cache was removed"
