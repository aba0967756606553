"""What contributed content may contain: the book's content policy, enforced at build time.

Pages arrive by pull request, so a page is untrusted input to the build machine and
to every reader's browser. This extension checks each page as parsed (its doctree,
not its source text) and reports every breach as a warning naming the file and the
line, which the strict build turns into a failure. It rejects:

* raw HTML anywhere (HTML blocks and inline HTML in bodies, headings and glossary
  definitions, the ``raw`` directive, ``eval-rst``), except the attribute-less inline
  tags of ``content_policy_inline_html`` (and ``<abbr title="...">``);
* the directives that read files or emit markup (``include``, ``literalinclude``,
  ``raw``, ``csv-table`` with ``:file:`` or ``:url:``, ``meta``, ``eval-rst``) and the
  ``html_meta`` front-matter key, unless ``content_policy_allowed_directives`` names them;
* a link, image, figure target or toctree entry whose scheme is not in
  ``content_policy_url_schemes`` (internal references are fine), and an image loaded
  from another host;
* any path that resolves outside the source folder (images, downloads, files a page
  depends on), and any symlink in the source folder that points outside it;
* a source file that is not UTF-8, a toctree cycle (Sphinx itself would recurse
  without end), and a page over ``content_policy_max_page_bytes`` bytes or with more
  than ``content_policy_max_headings`` headings.

``content_policy_enabled = False`` turns the content checks off; it exists for the
test that proves the Content-Security-Policy (_ext/csp.py) blocks scripts on its own.

One reliance on another package's internals: ``eval-rst`` is not a directive but a
branch of MyST's renderer (myst_parser/mdit_to_docutils/base.py,
``DocutilsRenderer.render_restructuredtext``, myst-parser 5.2); it is wrapped here
and the negative tests guard it.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.parsers.rst.directives.misc import Include
from myst_parser.mdit_to_docutils.base import DocutilsRenderer, token_line
from sphinx import addnodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

TOOL_FOLDERS = {".git", ".venv", "_build", "node_modules", ".pytest_cache", "__pycache__"}
GUARDED = ("include", "literalinclude", "raw", "csv-table", "meta")
ABBR = re.compile(r'^<abbr title="[^"<>&]*">$')


def _warn(message, location, subtype):
    logger.warning(message, location=location, type="content_policy", subtype=subtype)


def _policy_on(config):
    return config.content_policy_enabled


def _allowed(config, name):
    return not _policy_on(config) or name in config.content_policy_allowed_directives


# -- Directives ----------------------------------------------------------------------


def _deny(directive, name):
    env = directive.state.document.settings.env
    _warn(
        "the '%s' directive is not allowed in contributed pages (content policy; "
        "content_policy_allowed_directives in conf.py)" % name,
        (env.docname, directive.lineno),
        "directive",
    )
    return []


def _guard(name, base):
    """``base`` that refuses to run unless the content policy allows ``name``."""
    if issubclass(base, Include):
        # MyST swaps any Include subclass for its own mock, which would bypass run();
        # the refusing stand-in must therefore not be one.
        class Guarded(Directive):
            required_arguments = base.required_arguments
            optional_arguments = base.optional_arguments
            final_argument_whitespace = base.final_argument_whitespace
            has_content = base.has_content
            option_spec = dict(
                base.option_spec or {},
                **{
                    "relative-images": directives.flag,
                    "relative-docs": directives.path,
                    "heading-offset": directives.nonnegative_int,
                },
            )

            def run(self):
                return _deny(self, name)

        # an allowed include runs the real directive: chosen once conf.py is read
        _INCLUDES[name] = (base, Guarded)
        return Guarded

    class GuardedDirective(base):
        def run(self):
            config = self.state.document.settings.env.config
            if name == "csv-table":
                if ("file" in self.options or "url" in self.options) and not _allowed(
                    config, "csv-table :file:"
                ):
                    return _deny(self, "csv-table :file:")
            elif not _allowed(config, name):
                return _deny(self, name)
            return super().run()

    GuardedDirective.__name__ = "Guarded" + base.__name__
    return GuardedDirective


_INCLUDES = {}  # name -> (real directive, refusing stand-in), for Include subclasses


def _register_directives(app, config):
    for name, (base, guarded) in _INCLUDES.items():
        directives.register_directive(name, base if _allowed(config, name) else guarded)


def _wrap_directives(app):
    for name in GUARDED:
        base = directives._directives.get(name)
        if base is None:  # docutils registers its own directives lazily
            module, cls = directives._directive_registry[name]
            base = getattr(__import__("docutils.parsers.rst.directives." + module, fromlist=[cls]), cls)
        app.add_directive(name, _guard(name, base), override=True)


_upstream_render_restructuredtext = DocutilsRenderer.render_restructuredtext


def _render_restructuredtext(self, token):
    env = self.sphinx_env
    if env is not None and not _allowed(env.config, "eval-rst"):
        _warn(
            "the 'eval-rst' block is not allowed in contributed pages (content policy; "
            "content_policy_allowed_directives in conf.py)",
            (env.docname, token_line(token, 1)),
            "directive",
        )
        return None
    return _upstream_render_restructuredtext(self, token)


DocutilsRenderer.render_restructuredtext = _render_restructuredtext


# -- The parsed page -------------------------------------------------------------------


def _line(node, default=None):
    while node is not None:
        if getattr(node, "line", None):
            return node.line
        node = node.parent
    return default


def _inline_html_allowed(node, config):
    text = node.astext().strip()
    if not isinstance(node.parent, nodes.TextElement) or "\n" in text:
        return False  # a block, not inline formatting
    tags = "|".join(re.escape(t) for t in config.content_policy_inline_html)
    return bool(re.fullmatch(r"</?(%s)>" % tags, text) or ABBR.match(text) or text == "</abbr>")


def _url_problem(uri, config):
    parts = urlsplit(uri.strip())
    scheme = parts.scheme.lower()
    if not scheme and not uri.strip().startswith("//"):
        return None  # internal
    if scheme not in config.content_policy_url_schemes:
        return "URL scheme %r is not allowed (allowed: %s)" % (
            scheme or "//",
            ", ".join(config.content_policy_url_schemes),
        )
    return None


def _outside(env, path):
    src = os.path.realpath(env.srcdir)
    real = os.path.realpath(path)
    return os.path.commonpath([src, real]) != src


def check_doctree(app, doctree):
    env = app.env
    config = app.config
    docname = env.docname
    if not _policy_on(config):
        return
    source = env.doc2path(docname)
    for node in doctree.findall(nodes.raw):
        if _inline_html_allowed(node, config):
            continue
        snippet = " ".join(node.astext().split())[:60]
        _warn(
            "raw HTML is not allowed in contributed pages (content policy): %r" % snippet,
            (docname, _line(node, 1)),
            "raw_html",
        )
    for node in doctree.findall(nodes.meta):
        if "meta" not in config.content_policy_allowed_directives:
            _warn(
                "HTML <meta> tags (the meta directive or the html_meta front-matter key) are not allowed "
                "in contributed pages (content policy)",
                (docname, _line(node) or _text_line(source, "html_meta")),
                "meta",
            )
    for node in doctree.findall(nodes.reference):
        uri = node.get("refuri")
        problem = uri and _url_problem(uri, config)
        if problem:
            _warn("link to %r: %s" % (uri[:80], problem), (docname, _line(node, 1)), "url")
    for node in list(doctree.findall(nodes.image)):
        uri = node.get("uri", "")
        problem = _url_problem(uri, config)
        if problem:
            _warn("image %r: %s" % (uri[:80], problem), (docname, _line(node, 1)), "url")
        elif urlsplit(uri).netloc or uri.startswith("//"):
            _warn(
                "image %r is loaded from another host; keep images in the repository" % uri[:80],
                (docname, _line(node, 1)),
                "remote_image",
            )
        elif "://" not in uri and _outside(
            env,
            os.path.join(os.path.dirname(source), uri)
            if not uri.startswith("/")
            else os.path.join(env.srcdir, uri[1:]),
        ):
            _warn("image %r resolves outside the source folder" % uri, (docname, _line(node, 1)), "outside")
            node.replace_self(nodes.inline(text=node.get("alt", "")))  # never copied into the output
    for node in list(doctree.findall(addnodes.download_reference)):
        target = node.get("reftarget", "")
        if urlsplit(target).scheme:
            continue  # a URL, checked as a link
        _, path = env.relfn2path(target, docname)
        if _outside(env, path):
            _warn(
                "download %r resolves outside the source folder" % target,
                (docname, _line(node, 1)),
                "outside",
            )
            node.replace_self(nodes.inline(text=node.astext()))  # never copied into the output
    for node in doctree.findall(addnodes.toctree):
        for _title, ref in node["entries"]:
            problem = ref and ref not in env.found_docs and _url_problem(ref, config)
            if problem:
                _warn("toctree entry %r: %s" % (ref[:80], problem), (docname, _line(node, 1)), "url")
    headings = sum(1 for _ in doctree.findall(nodes.title))
    if headings > config.content_policy_max_headings:
        _warn(
            "page has %d headings, more than content_policy_max_headings (%d)"
            % (headings, config.content_policy_max_headings),
            (docname, 1),
            "size",
        )


def check_dependencies(app, env):
    """Every file a page read (include, literalinclude, csv-table, image...) lies inside the source folder."""
    if not _policy_on(app.config):
        return
    for docname, deps in sorted(env.dependencies.items()):
        for dep in sorted(map(str, deps)):
            if _outside(env, os.path.join(env.srcdir, dep)):
                _warn(
                    "the page reads %r, which resolves outside the source folder"
                    % os.path.relpath(os.path.join(env.srcdir, dep), env.srcdir),
                    (docname, 1),
                    "outside",
                )


def _text_line(path, word):
    try:
        for n, line in enumerate(Path(path).read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if word in line:
                return n
    except OSError:
        pass
    return 1


# -- Source files ---------------------------------------------------------------------


def check_sources(app, env, docnames):
    """Before reading: each page is UTF-8 and not oversized; symlinks stay inside the source folder."""
    config = app.config
    for docname in list(docnames):
        path = env.doc2path(docname)
        data = Path(path).read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            _warn(
                "not a UTF-8 file: byte 0x%02x cannot be decoded; save the file as UTF-8" % data[err.start],
                (docname, line),
                "encoding",
            )
            docnames.remove(docname)
            env.found_docs.discard(docname)
            continue
        if _policy_on(config) and len(data) > config.content_policy_max_page_bytes:
            _warn(
                "page is %d bytes, more than content_policy_max_page_bytes (%d)"
                % (len(data), config.content_policy_max_page_bytes),
                (docname, 1),
                "size",
            )
    if _policy_on(config):
        _check_symlinks(app)


def _check_symlinks(app):
    """Every folder counts, pages or not (_data/ feeds the figures), except tools' own folders."""
    srcdir = os.path.realpath(app.srcdir)
    skip = {os.path.realpath(app.outdir), os.path.realpath(app.doctreedir)}
    for folder, dirs, files in os.walk(srcdir):
        dirs[:] = sorted(d for d in dirs if d not in TOOL_FOLDERS and os.path.join(folder, d) not in skip)
        for name in sorted(dirs + files):
            path = os.path.join(folder, name)
            if os.path.islink(path) and _outside(app.env, path):
                _warn(
                    "symlink %s points outside the source folder (to %s)"
                    % (os.path.relpath(path, srcdir), os.readlink(path)),
                    _at(path),
                    "symlink",
                )


def _at(path, line=1):
    """A location for a file that is not a page."""
    node = nodes.Element()
    node.source, node.line = str(path), line
    return node


# -- Toctree cycles ------------------------------------------------------------------


def break_toctree_cycles(app, env):
    """Report a toctree cycle and cut it before anything walks the tree (Sphinx recurses forever)."""
    found = []
    state = {}

    def visit(doc):
        state[doc] = "open"
        for child in list(env.toctree_includes.get(doc, ())):
            if state.get(child) == "open":
                env.toctree_includes[doc].remove(child)
                found.append((doc, child))
            elif child not in state:
                visit(child)
        state[doc] = "done"

    for doc in [app.config.root_doc] + sorted(env.toctree_includes):
        if doc not in state:
            visit(doc)
    env.content_policy_cycles = sorted(set(found))
    for doc, child in env.content_policy_cycles:
        line = _entry_line(env.doc2path(doc), child)
        _warn(
            "toctree cycle: '%s' lists '%s', which already contains it; remove one of the two entries"
            % (doc, child),
            (doc, line),
            "toctree_cycle",
        )


def _entry_line(path, child):
    """The line of the toctree entry naming ``child`` (``child`` or ``Title <child>``), else 1."""
    name = child.rpartition("/")[2]
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    for n, line in enumerate(lines, 1):
        entry = line.strip().rstrip(">").rpartition("<")[2].strip()
        if entry.removesuffix(".md") in (child, name, "/" + child):
            return n
    return 1


def reread_cycles(app, env, added, changed, removed):
    """The pages of a cut cycle are read again next time, so the cycle is reported again."""
    return [d for pair in getattr(env, "content_policy_cycles", ()) for d in pair if d in env.found_docs]


def setup(app):
    app.add_config_value("content_policy_enabled", True, "env", types=[bool, int])
    app.add_config_value("content_policy_allowed_directives", [], "env")
    app.add_config_value("content_policy_inline_html", ["kbd", "sub", "sup"], "env")
    app.add_config_value("content_policy_url_schemes", ["http", "https", "mailto"], "env")
    app.add_config_value("content_policy_max_page_bytes", 1_000_000, "env")
    app.add_config_value("content_policy_max_headings", 300, "env")
    _wrap_directives(app)
    app.connect("config-inited", _register_directives)
    app.connect("env-before-read-docs", check_sources)
    app.connect("env-get-outdated", reread_cycles)
    app.connect(
        "doctree-read", check_doctree, priority=400
    )  # before Sphinx's collectors copy images and downloads
    app.connect(
        "env-updated", break_toctree_cycles, priority=100
    )  # before sphinxcontrib-bibtex walks the tree
    app.connect("env-check-consistency", check_dependencies)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
