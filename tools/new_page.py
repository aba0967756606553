"""Scaffold a new annotated page: `make new-page PAGE=<folder>/<slug> TITLE="..."`.

Creates ``<PAGE>.md`` from ``page-templates/source-page.md`` with valid front matter
marked ``draft: true``, a label, and the anatomy's sections as placeholders, and adds
it to the toctree of its folder's ``index.md``. When the folder does not exist yet (a
new newsletter issue), creates it with an overview page from
``page-templates/issue-index.md`` and adds that to the parent folder's index.
The result builds strictly as it stands; `make check` fails until the draft line goes.

Only the standard library: it runs before any dependency is installed.
"""

import argparse
import datetime
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Label prefixes by folder, as the existing pages use them (CONTRIBUTING.md).
PREFIXES = {"essays": "essay", "topics": "topic"}
ISSUE = re.compile(r"^import-ai-(\d+)$")
DEFAULT_TAG = "forecasting"


class ScaffoldError(Exception):
    pass


def label_prefix(folder):
    """'newsletter/import-ai-376' -> 'ia376'; 'essays' -> 'essay'."""
    name = folder.name
    match = ISSUE.match(name)
    if match:
        return "ia" + match.group(1)
    return PREFIXES.get(folder.as_posix(), name)


def issue_title(folder):
    match = ISSUE.match(folder.name)
    return "Import AI %s" % match.group(1) if match else folder.name.replace("-", " ").capitalize()


def fill(template, **values):
    text = template
    for key, value in values.items():
        text = text.replace("__%s__" % key.upper(), value)
    return text


def add_to_toctree(index, entry):
    """Append ``entry`` to the last toctree of ``index`` (a MyST colon fence)."""
    text = index.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = max((i for i, line in enumerate(lines) if line.strip() == ":::{toctree}"), default=None)
    if start is None:
        raise ScaffoldError("%s:1: no ':::{toctree}' block to add %r to" % (index, entry))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == ":::"), None)
    if end is None:
        raise ScaffoldError("%s:%d: the toctree block is never closed with ':::'" % (index, start + 1))
    entries = [line.strip() for line in lines[start + 1 : end] if line.strip() and not line.startswith(":")]
    if entry in entries:
        return
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # insert right after the last entry, before blank lines
    if end == start + 1 or lines[end - 1].startswith(":"):
        lines.insert(end, "")  # a blank line separates the options from the entries
        end += 1
    lines.insert(end, entry)
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")


def scaffold(root, page, title, today=None):
    """Create the page (and its folder's overview page if needed); return the files written."""
    root = Path(root)
    today = today or datetime.date.today().isoformat()
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError('TITLE is empty: make new-page PAGE=folder/slug TITLE="The page\'s title"')
    if any(c in title for c in "`{}<>\n"):
        raise ScaffoldError("TITLE %r may not contain backticks, braces or angle brackets" % title)
    parts = page.removesuffix(".md").strip("/").split("/")
    if len(parts) < 2 or not all(SLUG.match(p) for p in parts):
        raise ScaffoldError(
            "PAGE %r must be folder/slug in lowercase words joined by hyphens, without .md, "
            "e.g. newsletter/import-ai-376/some-item" % page
        )
    if parts[-1] == "index":
        raise ScaffoldError("PAGE %r: an index page is created with its folder" % page)
    path = root.joinpath(*parts).with_suffix(".md")
    folder = path.parent
    relative = folder.relative_to(root)
    if path.exists():
        raise ScaffoldError("%s already exists" % path.relative_to(root))
    tag = DEFAULT_TAG
    written = []
    if not (folder / "index.md").exists():
        parent_index = folder.parent / "index.md"
        if not parent_index.exists() or folder.parent == root:
            raise ScaffoldError(
                "%s has no index.md to add a new folder %r to; new pages go into an existing "
                "section (essays/, newsletter/, topics/) or a new newsletter issue"
                % (folder.parent.relative_to(root) or ".", folder.name)
            )
        folder.mkdir(parents=True, exist_ok=True)
        template = (root / "page-templates" / "issue-index.md").read_text(encoding="utf-8")
        (folder / "index.md").write_text(
            fill(template, title=issue_title(relative), label=label_prefix(relative), date=today, tag=tag),
            encoding="utf-8",
        )
        add_to_toctree(parent_index, folder.name + "/index")
        written += [folder / "index.md", parent_index]
    template = (root / "page-templates" / "source-page.md").read_text(encoding="utf-8")
    label = "%s-%s" % (label_prefix(relative), parts[-1])
    path.write_text(fill(template, title=title, label=label, date=today, tag=tag), encoding="utf-8")
    add_to_toctree(folder / "index.md", parts[-1])
    written += [path, folder / "index.md"]
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "page", help="path of the new page without .md, e.g. newsletter/import-ai-376/some-item"
    )
    parser.add_argument("title", help="the page's title")
    parser.add_argument("--root", default=ROOT, help="the book's folder (default: this checkout)")
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.root, args.page, args.title)
    except ScaffoldError as error:
        print("new-page: %s" % error, file=sys.stderr)
        return 2
    for path in dict.fromkeys(written):
        print("wrote %s" % Path(path).relative_to(Path(args.root).resolve()))
    print("The page is a draft: fill in every TODO, then delete the 'draft: true' line.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
