"""Contributed content is untrusted: each rejected construct and each bad input fails the
strict build with a message naming the file and the line, and never with a traceback.

The payloads are data: one tiny book carries each on its own page and is built once;
each row of a table then checks its own page's message.
"""

import shutil

import pytest

from conftest import ROOT, ROOTS, sphinx_build

PAGE = """---
orphan: true
description: A page that carries one payload for the content policy tests.
tags: [safety]
---

# Payload page

{body}
"""
BODY_LINE = 9  # the line of {body} in PAGE

# Raw HTML in any form, each refused with "raw HTML is not allowed" at the body's line.
RAW_HTML = [
    ("script-block", "<script>alert(1)</script>"),
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("svg-onload", "<svg onload=alert(1)></svg>"),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("iframe-javascript", '<iframe src="javascript:alert(1)"></iframe>'),
    ("object-data", '<object data="data:text/html,<script>alert(1)</script>"></object>'),
    ("inline-html", 'Some text <span onmouseover="alert(1)">here</span>.'),
    ("anchor-javascript", '<a href="javascript:alert(1)">a link</a>'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0; url=https://example.org">'),
    ("style-block", "<style>nav { display: none }</style>"),
    ("form-post", '<form action="https://example.org"><input type="password"></form>'),
    ("abbr-with-onclick", 'An <abbr title="x" onclick="alert(1)">AB</abbr>.'),
    ("heading-html", "## A heading <img src=x onerror=alert(1)>"),
]
# Directives and addresses refused, by message: (name, body) at the body's first line.
REFUSED = {
    "the 'raw' directive is not allowed": [
        ("raw-directive", "```{raw} html\n<script>alert(1)</script>\n```"),
        ("raw-file", "```{raw} html\n:file: ../secret.txt\n```"),
    ],
    "the 'eval-rst' block is not allowed": [
        ("eval-rst", "```{eval-rst}\n.. raw:: html\n\n   <script>alert(1)</script>\n```"),
    ],
    "the 'include' directive is not allowed": [
        ("include", "```{include} ../secret.txt\n```"),
    ],
    "the 'literalinclude' directive is not allowed": [
        ("literalinclude", "```{literalinclude} /etc/hostname\n```"),
    ],
    "the 'csv-table :file:' directive is not allowed": [
        ("csv-table-file", "```{csv-table} Secrets\n:file: ../secret.txt\n```"),
    ],
    "the 'meta' directive is not allowed": [
        ("meta-directive", "```{meta}\n:http-equiv=refresh: 0; url=https://example.org\n```"),
    ],
    "URL scheme 'javascript' is not allowed": [
        (
            "figure-target",
            "```{figure} picture.svg\n:alt: A square.\n:target: javascript:alert(1)\n\nA square.\n```",
        ),
        ("toctree-javascript", "```{toctree}\nClick <javascript://%0aalert(1)>\n```"),
    ],
    "URL scheme 'data' is not allowed": [
        ("image-data-url", "![A dot](data:image/png;base64,AAAA)"),
    ],
    "is loaded from another host": [
        ("image-other-host", "![A pixel](https://tracker.example.org/pixel.png)"),
    ],
    "resolves outside the source folder": [
        ("image-outside", "![A picture](../outside.svg)"),
        ("download-outside", "Get {download}`the secret <../secret.txt>`."),
    ],
}
# (name, body, line offset within the body, expected message)
PAYLOADS = [
    *[(name, body, 0, "raw HTML is not allowed") for name, body in RAW_HTML],
    (
        "glossary-html",
        ":::{glossary}\nzebra\n  A <img src=x onerror=alert(1)> stripe.\n:::",
        2,
        "raw HTML is not allowed",
    ),
    *[(name, body, 0, message) for message, rows in REFUSED.items() for name, body in rows],
]
INERT = [
    # Allowed inline formatting, and links MyST already renders as text.
    (
        "kbd-allowed",
        "Press <kbd>Ctrl</kbd>+<kbd>K</kbd>, H<sub>2</sub>O, x<sup>2</sup>, "
        '<abbr title="Artificial intelligence">AI</abbr>.',
    ),
    ("markdown-javascript-link", "[click](javascript:alert(1)) and [data](data:text/html,x)."),
    ("template-expression", "Seven times 191 is {{ 7 * 191 }}; the shell says {{ lipsum.__globals__ }}."),
]
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'


def make_root(tmp_path, pages, files=None):
    src = tmp_path / "book"
    shutil.copytree(ROOTS / "base", src)
    (src / "picture.svg").write_text(SVG, encoding="utf-8")
    (tmp_path / "outside.svg").write_text(SVG, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("SECRET-FROM-OUTSIDE\n", encoding="utf-8")
    for name, text in pages.items():
        (src / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    for name, text in (files or {}).items():
        (src / name).write_text(text, encoding="utf-8")
    return src


def build(src, outdir, *options):
    return sphinx_build(src, outdir, *options, env={"BOOK_ROOT": str(ROOT)})


@pytest.fixture(scope="module")
def battery(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("payloads")
    pages = {"%s.md" % name: PAGE.format(body=body) for name, body, *_ in PAYLOADS + INERT}
    src = make_root(tmp, pages)
    returncode, warnings = build(src, tmp / "out")
    return returncode, warnings, tmp / "out"


def assert_reported(returncode, warnings, where, message):
    assert returncode != 0, warnings
    assert "Traceback" not in warnings and "Exception occurred" not in warnings, warnings
    lines = [w for w in warnings.splitlines() if where in w and message in w]
    assert lines, "expected %r at %s in:\n%s" % (message, where, warnings)


@pytest.mark.parametrize("name, body, offset, message", PAYLOADS, ids=[p[0] for p in PAYLOADS])
def test_payload_is_rejected_with_file_and_line(battery, name, body, offset, message):
    returncode, warnings, _ = battery
    assert_reported(returncode, warnings, "%s.md:%d" % (name, BODY_LINE + offset), message)


@pytest.mark.parametrize("name", [p[0] for p in INERT])
def test_inert_content_passes_the_policy(battery, name):
    _, warnings, _ = battery
    assert "%s.md" % name not in warnings, warnings


def test_template_expression_is_not_evaluated(battery):
    _, _, outdir = battery
    html = (outdir / "template-expression.html").read_text(encoding="utf-8")
    assert "1337" not in html and "{{ 7 * 191 }}" in html
    assert "function" not in html.split('id="payload-page"')[-1].split("</article>")[0]


def test_no_file_from_outside_is_published(battery):
    _, _, outdir = battery
    published = [
        p for p in outdir.rglob("*") if p.is_file() and "SECRET-FROM-OUTSIDE" in p.read_text(errors="replace")
    ]
    assert not published, published
    assert not list(outdir.rglob("outside*.svg"))


BIB_OK = (
    "@misc{Kaplan2020scaling,\n  author = {Kaplan, Jared},\n  title = {Scaling},\n  year = {2020},\n"
    "  url = {https://arxiv.org/abs/2001.08361},\n  keywords = {paper},\n}\n"
)
BIB_CASES = [
    # (entry, line offset of the entry, message)
    ("@misc{Empty2020nothing,\n}\n", "bibliography entry 'Empty2020nothing' has no fields"),
    ("@misc{Empty2021cited,}\n", "bibliography entry 'Empty2021cited' has no fields"),
    (
        "@article{Doe2020partial,\n  title = {Partial},\n  year = {2020},\n  keywords = {paper},\n}\n",
        "'Doe2020partial' lacks author, journal, required for @article",
    ),
    (
        "@misc{Doe2021group,\n  author = {Doe, Jane},\n  title = {T},\n  year = {2021},\n"
        "  url = {https://example.org},\n  keywords = {astrology},\n}\n",
        "naming no group of the bibliography page",
    ),
    (
        "@misc{Doe2022script,\n  author = {Doe, Jane},\n  title = {T},\n  year = {2022},\n"
        "  url = {javascript:alert(1)},\n  keywords = {paper},\n}\n",
        "is not an http(s) URL",
    ),
    (
        "@misc{Doe2023alone,\n  author = {Doe, Jane},\n  title = {T},\n  year = {2023},\n"
        "  url = {https://example.org},\n  keywords = {paper},\n}\n",
        "'Doe2023alone' is cited by no page",
    ),
    (
        "@misc{Kaplan2020scaling,\n  author = {Kaplan, Jared},\n  title = {Again},\n  year = {2020},\n"
        "  url = {https://example.org},\n  keywords = {paper},\n}\n",
        "duplicate bibliography key 'Kaplan2020scaling' (first defined at line 1)",
    ),
]


@pytest.fixture(scope="module")
def bib_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bib")
    bib, lines = BIB_OK, []
    for entry, _ in BIB_CASES:
        lines.append(bib.count("\n") + 1)
        bib += entry
    cited = (
        "Cites {cite:p}`Empty2021cited`, {cite:p}`Doe2020partial`, {cite:p}`Doe2021group`, "
        "{cite:p}`Doe2022script`.\n\n:::{bibliography}\n:filter: docname in docnames\n:::\n"
    )
    src = make_root(
        tmp, {"page.md": PAGE.format(body=cited).replace("orphan: true\n", ""), "references.bib": bib}
    )
    returncode, warnings = build(src, tmp / "out")
    return returncode, warnings, lines


@pytest.mark.parametrize("case", range(len(BIB_CASES)), ids=[c[1][:40] for c in BIB_CASES])
def test_bibliography_problem_names_file_and_line(bib_build, case):
    returncode, warnings, lines = bib_build
    assert_reported(returncode, warnings, "references.bib:%d" % lines[case], BIB_CASES[case][1])


GLOSSARY_DUP = (
    "---\ndescription: The tiny book's glossary of one term.\ntags: []\n---\n\n(glossary)=\n"
    "# Glossary\n\n:::{glossary}\nsynthetic data\n  Data made by a program.\n\n"
    "synthetic data\n  Something else entirely.\n:::\n"
)
CYCLE = PAGE.format(body="```{toctree}\nindex\n```").replace("orphan: true\n", "")  # "index" on BODY_LINE


@pytest.mark.parametrize(
    "name, pages, options, where, message",
    [
        (
            "non-utf8",
            {"page.md": PAGE.format(body="R\xe9sum\xe9").encode("utf-8").replace(b"\xc3\xa9", b"\xe9")},
            (),
            "page.md:%d" % BODY_LINE,
            "not a UTF-8 file",
        ),
        ("toctree-cycle", {"page.md": CYCLE}, (), "page.md:%d" % BODY_LINE, "toctree cycle"),
        (
            "yaml-error",
            {
                "page.md": "---\ndescription: A page with broken front matter.\ntags: [safety\n"
                "author: {x\n---\n\n# Page\n"
            },
            (),
            "page.md:4",
            "front matter is not valid YAML",
        ),
        (
            "html-meta",
            {
                "page.md": PAGE.replace(
                    "orphan: true\n",
                    "myst:\n  html_meta:\n    http-equiv=refresh: 0; url=https://example.org\n",
                ).format(body="")
            },
            (),
            "page.md:3",
            "HTML <meta> tags",
        ),
        (
            "glossary-duplicate",
            {"glossary.md": GLOSSARY_DUP},
            (),
            "glossary.md:13",
            "duplicate glossary term",
        ),
        (
            "page-too-large",
            {"page.md": PAGE.format(body="Words. " * 400)},
            ("-D", "content_policy_max_page_bytes=2000"),
            "page.md",
            "more than content_policy_max_page_bytes (2000)",
        ),
        (
            "too-many-headings",
            {"page.md": PAGE.format(body="\n\n".join("## H%d" % i for i in range(5)))},
            ("-D", "content_policy_max_headings=3"),
            "page.md",
            "more than content_policy_max_headings (3)",
        ),
        (
            "include-allowed-but-outside",
            {"page.md": PAGE.format(body="```{include} ../secret.txt\n```")},
            ("-D", "content_policy_allowed_directives=include"),
            "page.md",
            "resolves outside the source folder",
        ),
    ],
)
def test_bad_input_names_file_and_line(tmp_path, name, pages, options, where, message):
    src = make_root(tmp_path, pages)
    returncode, warnings = build(src, tmp_path / "out", *options)
    assert_reported(returncode, warnings, where, message)
    if name == "yaml-error":
        assert "lacks" not in warnings, warnings


def test_symlink_out_of_the_source_folder_is_rejected(tmp_path):
    src = make_root(tmp_path, {})
    (src / "_data").mkdir()  # not a folder of pages, yet read by the build
    (src / "_data" / "secret.md").symlink_to(tmp_path / "secret.txt")
    returncode, warnings = build(src, tmp_path / "out")
    assert_reported(returncode, warnings, "secret.md", "points outside the source folder")


def test_duplicate_glossary_term_keeps_the_first_definition(tmp_path):
    src = make_root(tmp_path, {"glossary.md": GLOSSARY_DUP})
    build(src, tmp_path / "out")
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'title="Data made by a program."' in html and "Something else entirely" not in html


def test_the_book_uses_no_allowlisted_directive():
    """conf.py allows nothing beyond the default policy: a change here is a reviewed decision."""
    import conf

    assert conf.content_policy_allowed_directives == []
    assert "substitution" not in conf.myst_enable_extensions
