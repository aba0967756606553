"""The search index in small pieces, so that a reader's first query downloads a fraction of it.

Sphinx writes the whole index into one ``searchindex.js``, which grows with the book
(2 MB at 500 pages) and which a reader's first search had to download whole. After the
build, this module splits Sphinx's own index into ``searchindex/``:

- ``manifest.js``: the page list (docnames, titles), the object tables and the list of
  shards; loaded on the first search;
- ``shard-<prefix>.js``: every key that starts with the prefix (lower-case words and
  Sphinx's stemmed terms), with what Sphinx's search needs for it: the pages that contain
  the stem (``terms``) or have it in a title (``titleterms``), the section titles and index
  entries that contain the word, and the pages whose description contains the word;
- ``descriptions-<n>.js``: the one-sentence descriptions of pages ``n*CHUNK`` and the
  next CHUNK-1, shown under the results as they come into view.

Each file is a ``<script>`` that hands its JSON payload to a global callback
(``BookSearch.manifest``, ``BookSearch.shard``, ``BookSearch.descriptions``), so it loads
from a web server and from a copy opened from disk (``file://``, where Chromium blocks
``fetch``). ``_static/search.js`` loads the manifest and the shards of the query's words,
puts together the part of Sphinx's index they hold and runs Sphinx's own ranking on it.

A prefix gets its own shard while the keys under it weigh more than SHARD_BYTES; the split
goes one character deeper each time, so a word's shard is found from the manifest alone.

Upstream internals relied on, in one place (``sphinx_index``): the ``searchindex.js`` file
Sphinx 9.0.4 writes at the end of every HTML build (``StandaloneHTMLBuilder.dump_search_index``
in ``sphinx/builders/html/__init__.py``), read back with ``sphinx.search.js_index`` (from
``sphinx/search/__init__.py``), and the keys of the dictionary ``IndexBuilder.freeze()``
returns: ``docnames``, ``titles``, ``terms``, ``titleterms``, ``alltitles``,
``indexentries``, ``objects``, ``objnames``, ``objtypes``. Guarded by
``tests/test_contracts.py::test_sphinx_search_index_shape``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import js_index

from _ext.page_metadata import front_matter

FOLDER = "searchindex"  # in the output folder, beside Sphinx's searchindex.js
SHARD_BYTES = 16_000  # a shard stays under this size unless one key alone is larger
CHUNK = 32  # descriptions per file
# The keys of Sphinx's index (IndexBuilder.freeze(), Sphinx 9.0.4) that the shards are made from.
SPHINX_KEYS = (
    "docnames",
    "titles",
    "terms",
    "titleterms",
    "alltitles",
    "indexentries",
    "objects",
    "objnames",
    "objtypes",
)
# Words as search.js splits them (tokens()): runs of letters and digits, lower-cased.
WORD = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """The lower-case words of a title, index entry or description."""
    return WORD.findall(text.lower())


def sphinx_index(outdir: Path) -> dict[str, Any]:
    """Sphinx's search index as it wrote it (searchindex.js), checked for the keys used here."""
    data = js_index.loads((outdir / "searchindex.js").read_text(encoding="utf-8"))
    missing = [key for key in SPHINX_KEYS if key not in data]
    if missing:
        raise ValueError("searchindex.js has no %s: Sphinx's index format changed" % ", ".join(missing))
    return data


def keyed(index: dict[str, Any], descriptions: dict[str, str]) -> dict[str, dict[str, Any]]:
    """{key: what a shard holds for it}: the stems and words under which each part is found."""
    entries: dict[str, dict[str, Any]] = defaultdict(dict)
    for part in ("terms", "titleterms"):
        for stem, pages in index[part].items():
            entries[stem][part] = pages
    for part in ("alltitles", "indexentries"):
        for text in sorted(index[part]):
            for word in set(tokens(text)):
                entries[word].setdefault(part, []).append(text)
    position = {doc: n for n, doc in enumerate(index["docnames"])}
    for doc, text in descriptions.items():
        for word in set(tokens(text)):
            entries[word].setdefault("described", []).append(position[doc])
    for parts in entries.values():
        for part in ("alltitles", "indexentries", "described"):
            if part in parts:
                parts[part].sort()
    return entries


def prefixes(sizes: dict[str, int], limit: int = SHARD_BYTES) -> dict[str, bool]:
    """{prefix: whether its shard holds every key under it}, splitting while a prefix is too heavy.

    A prefix that is split keeps a shard only for the key equal to it (if there is one);
    the keys under it go one character deeper. The empty prefix is the root.
    """
    out: dict[str, bool] = {}

    def visit(prefix: str, keys: list[str]) -> None:
        if sum(sizes[k] for k in keys) <= limit or all(k == prefix for k in keys):
            out[prefix] = True
            return
        if prefix in sizes:
            out[prefix] = False
        children: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            if key != prefix:
                children[key[: len(prefix) + 1]].append(key)
        for child in sorted(children):
            visit(child, children[child])

    visit("", sorted(sizes))
    return out


def shard_of(key: str, shards: dict[str, bool]) -> str:
    """The shard a key is written to: its longest prefix that has a shard and holds it."""
    for end in range(len(key), -1, -1):
        prefix = key[:end]
        if prefix in shards and (shards[prefix] or prefix == key):
            return prefix
    raise KeyError(key)


def shards_for(word: str, shards: dict[str, bool]) -> list[str]:
    """The shards _static/search.js loads for a word (its shardsFor()): the one the word's key
    would be in, and for words of three characters or more every shard under the word."""
    found = [p for p in shards if len(word) > 2 and len(p) > len(word) and p.startswith(word)]
    try:
        found.append(shard_of(word, shards))
    except KeyError:
        pass
    return sorted(found)


def read_script(text: str) -> tuple[str, list[Any]]:
    """(callback, [JSON arguments]) of a file script() wrote: for the tests and the schemas."""
    match = re.fullmatch(r"BookSearch\.(\w+)\((.*)\);\n", text, re.S)
    if not match:
        raise ValueError("not a BookSearch script: %r" % text[:60])
    decoder, args, rest = json.JSONDecoder(), [], match.group(2)
    while rest:
        value, end = decoder.raw_decode(rest)
        args.append(value)
        rest = rest[end:].removeprefix(",")
    return match.group(1), args


def file_id(prefix: str) -> str:
    """A shard's file name part: its prefix, hex-encoded where a name could not hold it."""
    if re.fullmatch(r"[a-z0-9]*", prefix):
        return prefix or "_"
    return "x" + prefix.encode("utf-8").hex()


# One encoder for every call: json.dumps with options builds a new one each time, and the
# index is dumped key by key (84,000 calls at 2,000 pages).
ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def dumps(data: Any) -> str:
    """Compact, sorted JSON: the same index always makes the same bytes."""
    return ENCODER.encode(data)


def script(callback: str, *args: Any) -> str:
    """A JavaScript file that hands its JSON to BookSearch.<callback>."""
    return "BookSearch.%s(%s);\n" % (callback, ",".join(dumps(a) for a in args))


def shard_files(index: dict[str, Any], descriptions: dict[str, str]) -> dict[str, str]:
    """{file name: text} of the sharded index, from Sphinx's index and the pages' descriptions."""
    entries = keyed(index, descriptions)
    sizes = {
        key: len(dumps(key))
        + len(dumps(parts))
        + sum(
            len(dumps(index[part][text]))
            for part in ("alltitles", "indexentries")
            for text in parts.get(part, [])
        )
        for key, parts in entries.items()
    }
    shards = prefixes(sizes)
    grouped: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"keys": {}, "alltitles": {}, "indexentries": {}}
    )
    for key, parts in entries.items():
        shard = grouped[shard_of(key, shards)]
        shard["keys"][key] = parts
        for part in ("alltitles", "indexentries"):
            for text in parts.get(part, []):
                shard[part][text] = index[part][text]
    docnames = list(index["docnames"])
    manifest = {
        "docnames": docnames,
        "titles": list(index["titles"]),
        "objects": index["objects"],
        "objnames": index["objnames"],
        "objtypes": index["objtypes"],
        "shards": {prefix: [file_id(prefix), whole] for prefix, whole in shards.items()},
        "chunk": CHUNK,
    }
    files = {"manifest.js": script("manifest", manifest)}
    for prefix in sorted(grouped):
        files["shard-%s.js" % file_id(prefix)] = script("shard", prefix, grouped[prefix])
    for start in range(0, len(docnames), CHUNK):
        chunk = {doc: descriptions[doc] for doc in docnames[start : start + CHUNK] if descriptions.get(doc)}
        files["descriptions-%d.js" % (start // CHUNK)] = script("descriptions", start // CHUNK, chunk)
    return files


def write_shards(app: Sphinx, exception: Exception | None) -> None:
    """After an HTML build: write searchindex/ from Sphinx's searchindex.js and the descriptions."""
    if exception or app.builder.format != "html" or not getattr(app.builder, "search", False):
        return
    outdir = Path(app.outdir)
    described = {
        doc: text
        for doc in sorted(app.env.found_docs)
        if (text := str(front_matter(app.env, doc).get("description", "")).strip())
    }
    # Sphinx writes searchindex.js at every build; when it and the descriptions are as they
    # were, so are the shards (a no-op rebuild at 2,000 pages would split 8 MB again).
    digest = hashlib.sha256(
        ((outdir / "searchindex.js").read_text(encoding="utf-8") + dumps(described)).encode("utf-8")
    ).hexdigest()
    target = outdir / FOLDER
    stamp = Path(app.doctreedir) / "search-shards.sha256"
    if (target / "manifest.js").exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == digest:
        return
    index = sphinx_index(outdir)
    docs = set(index["docnames"])
    descriptions = {doc: text for doc, text in described.items() if doc in docs}
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    for name, text in shard_files(index, descriptions).items():
        (target / name).write_text(text, encoding="utf-8")
    stamp.write_text(digest, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Write the sharded search index after each HTML build."""
    app.setup_extension("_ext.page_metadata")
    app.connect("build-finished", write_shards)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
