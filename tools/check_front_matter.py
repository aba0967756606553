"""Check the front matter of the book's pages without building the book.

The same rules as the build (_ext/page_metadata.py, with the settings in conf.py),
plus one the build does not enforce: no page may still be a draft. Used by
`make check` and by pre-commit; prints ``file:line: message`` for each problem and
exits 1 if there is any.

    python tools/check_front_matter.py [page.md ...]   (default: every page of the book)
"""

import fnmatch
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import conf  # noqa: E402
from _ext.page_metadata import _line_of, _problems, _read_front_matter  # noqa: E402


def pages(root=ROOT):
    """Every Markdown page the build reads (conf.exclude_patterns applied)."""
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(root).as_posix()
        if not any(
            fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative, p + "/*") for p in conf.exclude_patterns
        ):
            yield path


def docname(path, root=ROOT):
    return path.resolve().relative_to(root.resolve()).with_suffix("").as_posix()


def needs_source(name):
    patterns = conf.page_metadata_source_pages
    return any(fnmatch.fnmatch(name, p) for p in patterns if not p.startswith("!")) and not any(
        fnmatch.fnmatch(name, p[1:]) for p in patterns if p.startswith("!")
    )


def problems(path, root=ROOT):
    """Yield (line, message) for one page."""
    text = path.read_text(encoding="utf-8")
    meta = _read_front_matter(text)
    config = SimpleNamespace(**{k: getattr(conf, k) for k in dir(conf) if k.startswith("page_metadata_")})
    for key, message in _problems(meta, config, needs_source(docname(path, root))):
        yield _line_of(text, key), message
    if meta.get("draft") is True:
        yield _line_of(text, "draft"), "is still a draft: finish it, then delete the 'draft: true' line"


def main(argv):
    paths = [Path(a) for a in argv if a.endswith(".md")] if argv else list(pages())
    book = set(pages())
    found = 0
    for path in paths:
        if path.resolve() not in {p.resolve() for p in book}:
            continue  # README, templates and other files the build does not read
        for line, message in problems(path):
            print("%s:%d: %s" % (path.resolve().relative_to(ROOT), line, message))
            found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
