"""Give a fresh checkout the file times of the build whose doctrees CI restored from its cache.

Sphinx decides which pages to read again by comparing each source file's modification
time with the time it last read the page. A fresh checkout writes every file anew, so
with `_build/doctrees` restored from the cache Sphinx would still read every page. This
tool records, beside the doctrees, each source file's content hash and modification
time after a build (``save``), and before the next build gives every file whose content
is unchanged its recorded time back (``restore``): only the files a pull request
changed keep a new time, and only the pages they affect are read again.

    python3 tools/ci_mtimes.py save    # after the build: record _build/doctrees/source-mtimes.json
    python3 tools/ci_mtimes.py restore # before the build: set the unchanged files' times back

A missing or unreadable record restores nothing (a full build, never a wrong one); a
recorded path that leaves the checkout is ignored.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path

RECORD = "source-mtimes.json"
# Folders that are not the book's sources (output, caches, tools' installs).
SKIP = {"_build", "node_modules", "__pycache__"}


def _sources(root: Path):
    """Every file below root, less hidden folders and SKIP."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP and not d.startswith("."))
        for name in sorted(files):
            yield Path(folder) / name


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save(root: Path, doctrees: Path) -> int:
    """Record each source file's hash and time in doctrees/RECORD; return the number of files."""
    root, doctrees = Path(root), Path(doctrees)
    skip = doctrees.resolve()
    record = {
        path.relative_to(root).as_posix(): [_digest(path), path.stat().st_mtime_ns]
        for path in _sources(root)
        if skip not in path.resolve().parents
    }
    doctrees.mkdir(parents=True, exist_ok=True)
    (doctrees / RECORD).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    return len(record)


def restore(root: Path, doctrees: Path) -> int:
    """Give unchanged files their recorded times; return how many were restored."""
    root = Path(root).resolve()
    try:
        record = json.loads((Path(doctrees) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    restored = 0
    for name, entry in record.items() if isinstance(record, dict) else ():
        path = (root / name).resolve()
        if root not in path.parents or not path.is_file():
            continue
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], int)):
            continue
        if _digest(path) == entry[0]:
            os.utime(path, ns=(entry[1], entry[1]))
            restored += 1
    return restored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["save", "restore"])
    parser.add_argument("--root", default=".", help="the book's source folder (default: .)")
    parser.add_argument(
        "--doctrees", default="_build/doctrees", help="the doctree cache (default: _build/doctrees)"
    )
    args = parser.parse_args()
    count = (save if args.action == "save" else restore)(Path(args.root), Path(args.doctrees))
    print("%s: %d files" % ("recorded" if args.action == "save" else "restored", count))


if __name__ == "__main__":
    main()
