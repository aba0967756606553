"""Bad input fails the build with a message naming the file and the line."""

import pytest

PAGE = """---
description: A page broken on purpose by one negative test.
tags: [safety]
---

(page)=
# Page

Back to {{ref}}`home`.

{body}
"""


def test_the_tiny_book_builds_cleanly(build_root):
    returncode, warnings = build_root("base")
    assert returncode == 0 and warnings == "", warnings


@pytest.mark.parametrize(
    "body, line, message",
    [
        ("See {ref}`no-such-label`.", 11, "undefined label: 'no-such-label'"),
        ("As {cite:p}`Nobody2099nothing` shows.", 11, 'could not find bibtex key "Nobody2099nothing"'),
        ("A {term}`flux capacitor` is needed.", 11, "term not in glossary: 'flux capacitor'"),
        ("Lots of synthetic data here, never linked.", 11, "glossary term 'synthetic data' is used"),
        (":::{figure-data} missing.yaml\n:::", 11, "figure-data: cannot read _data/missing.yaml"),
    ],
)
def test_broken_page_names_file_and_line(build_root, body, line, message):
    returncode, warnings = build_root("base", **{"page.md": PAGE.format(body=body)})
    assert returncode != 0
    assert "page.md:%d" % line in warnings and message in warnings, warnings


@pytest.mark.parametrize(
    "front_matter, line, message",
    [
        ("tags: [safety]", 1, "front matter lacks 'description'"),
        ("description: Broken tags on purpose here.\ntags: [astrology]", 3, "unknown tag 'astrology'"),
        ("description: Not a list of tags here.\ntags: safety", 3, "'tags' must be a list"),
    ],
)
def test_malformed_front_matter_names_file_and_line(build_root, front_matter, line, message):
    page = "---\n%s\n---\n\n# Page\n\nBack to {ref}`home`.\n" % front_matter
    returncode, warnings = build_root("base", **{"page.md": page})
    assert returncode != 0
    assert "page.md:%d" % line in warnings and message in warnings, warnings


def test_unused_glossary_term_is_reported(build_root):
    glossary = (
        "---\ndescription: The tiny book's glossary of two terms.\ntags: []\n---\n\n(glossary)=\n"
        "# Glossary\n\n:::{glossary}\nsynthetic data\n  Made data.\n\nzebra crossing\n  A road marking.\n:::\n"
    )
    returncode, warnings = build_root("base", **{"glossary.md": glossary})
    assert returncode != 0
    assert "glossary.md:" in warnings and "glossary term 'zebra crossing' is used on no page" in warnings, (
        warnings
    )
