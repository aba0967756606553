"""The claims ledger: structured claims, placed as cards on their pages and listed in one table.

Each annotated page has a file ``_data/claims/<page>.yaml`` listing the claims it discusses.
The build validates every file against ``_data/schemas/claims.schema.json`` (with the
jsonschema package) and checks what a schema cannot: ids unique across files, evidence keys
present in ``references.bib``, and every claim placed once, on its own page, in the section
its entry names. Every problem is a warning naming the file, line, claim id and field; the
strict build turns it into a failure.

* ``:::{claim} <id>`` draws a card: statement, status badge (words, not colour alone),
  evidence as citations, the as-of date, a permalink (the claim id is the card's anchor and a
  ``{ref}`` label) and "Cite this claim" (text and BibTeX, readable without JavaScript;
  ``_static/claims.js`` adds copy buttons).
* ``:::{claims-ledger}`` draws one table of every claim; ``_static/claims.js`` adds sorting
  and filters. Without JavaScript the table is complete.
* The HTML build writes ``claims.json`` at the site root (schema:
  ``_data/schemas/claims-json.schema.json``).
* ``python -m _ext.claims stale`` (``make stale``) lists forecasts past ``review_by`` and
  judgements older than a given age. It reports and always exits 0.

Cost: one YAML read and one schema check per build (well under a tenth of a second); pages
that show claims depend on their data file, the ledger on every data file, so editing a
claim rebuilds only those pages.
"""

import html
import json
import re
import sys
from datetime import date
from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from _ext.shared import keep_per_document, page_url

logger = logging.getLogger(__name__)

CLAIMS_DIR = "_data/claims"
SCHEMA = "_data/schemas/claims.schema.json"
BIBFILE = "references.bib"
REPO = Path(__file__).resolve().parent.parent

STATUS_LABELS = {
    "supported": "Supported",
    "disputed": "Disputed",
    "unsupported": "Unsupported",
    "unverifiable": "Unverifiable",
    "came-true": "Came true",
    "partly": "Partly came true",
    "not-yet": "Not yet",
    "wrong": "Wrong",
    "contested": "Contested",
    "consensus": "Consensus",
}
KIND_LABELS = {
    "empirical": "Empirical",
    "forecast": "Forecast",
    "normative": "Normative",
    "definitional": "Definitional",
}


# -- Loading and validation (no Sphinx needed: the stale report uses it too) -------------------


def _node_at(root, path):
    """The YAML node at a jsonschema error path, or the deepest one that exists."""
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if k.value == step]
            if not found:
                break
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            break
    return node


def _source(srcdir):
    """The source name of a claim file's page: 'essays/open-source-ai' for its YAML file."""
    return lambda path: path.relative_to(Path(srcdir) / CLAIMS_DIR).with_suffix("").as_posix()


def load_claims(srcdir):
    """Read and check every claim file. Returns (claims by id, problems as (location, message)).

    Each claim dict gains ``page`` (a source name), ``file`` and ``line``. Invalid claims are
    left out, so one bad entry produces its own messages and nothing else.
    """
    from jsonschema import Draft202012Validator

    srcdir = Path(srcdir)
    if not (srcdir / CLAIMS_DIR).is_dir():
        return {}, []
    # The schema belongs to the code, not to the book being built (test books have none).
    schema = json.loads((REPO / SCHEMA).read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    bib = srcdir / BIBFILE
    bib_keys = set(
        re.findall(r"^@\w+\{([^,\s]+),", bib.read_text(encoding="utf-8") if bib.exists() else "", re.M)
    )
    page_of = _source(srcdir)
    claims, problems = {}, []
    for path in sorted((srcdir / CLAIMS_DIR).rglob("*.yaml")):
        rel = path.relative_to(srcdir).as_posix()
        text = path.read_text(encoding="utf-8")
        try:
            root = yaml.compose(text)
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            problems.append((f"{rel}:{mark.line + 1 if mark else 1}", f"not valid YAML: {err}"))
            continue
        bad = set()
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
            path_ = list(error.absolute_path)
            field = path_[2] if len(path_) > 2 else None
            message = error.message
            if error.validator == "not":  # the schema's only "not": review_by outside a forecast
                field = error.validator_value["required"][0]
                message = f"{field} is only for forecasts"
                path_ = path_ + [field]
            elif error.validator in ("required", "additionalProperties"):
                names = re.findall(r"'([^']+)'", error.message)
                field = names[0] if names else field
                if error.validator == "additionalProperties":
                    path_ = path_ + [field]
            index = path_[1] if len(path_) > 1 and path_[0] == "claims" else None
            claim_id = None
            if index is not None and isinstance(data["claims"][index], dict):
                claim_id = data["claims"][index].get("id")
                bad.add(index)
            node = _node_at(root, path_)
            where = f"claim '{claim_id or '?'}'" + (f", field '{field}'" if field else "")
            problems.append((f"{rel}:{node.start_mark.line + 1}", f"{where}: {message}"))
        if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
            continue
        for index, claim in enumerate(data["claims"]):
            if index in bad or not isinstance(claim, dict):
                continue
            line = _node_at(root, ["claims", index]).start_mark.line + 1
            cid = claim["id"]
            if cid in claims:
                other = claims[cid]
                problems.append(
                    (
                        f"{rel}:{line}",
                        f"claim '{cid}', field 'id': already used at {other['file']}:{other['line']}",
                    )
                )
                continue
            missing = [key for key in claim["evidence"] if key not in bib_keys]
            for key in missing:
                node = _node_at(root, ["claims", index, "evidence"])
                problems.append(
                    (
                        f"{rel}:{node.start_mark.line + 1}",
                        f"claim '{cid}', field 'evidence': '{key}' is not a key of {BIBFILE}",
                    )
                )
            if missing:
                continue
            claims[cid] = dict(claim, page=page_of(path), file=rel, line=line)
    return claims, problems


def claim_record(claim, uri):
    """One entry of claims.json."""
    return {
        "id": claim["id"],
        "page": uri,
        "who": claim["who"],
        "when": claim["when"],
        "kind": claim["kind"],
        "status": claim["status"],
        "statement": claim["statement"],
        "evidence": list(claim["evidence"]),
        "as_of": claim["as_of"],
        "review_by": claim.get("review_by"),
    }


# -- Sphinx: data, directives, checks ---------------------------------------------------------


class claim_card(nodes.container):
    """A claim's card; its cite block is filled in once titles and URLs are known."""


class claim_cite(nodes.Element):
    """Placeholder for the "Cite this claim" block of one card."""


def load(app):
    app.claims, problems = load_claims(app.srcdir)
    for location, message in problems:
        logger.warning(message, location=location, type="claims", subtype="data")


def _badge(claim):
    status = claim["status"]
    return nodes.inline(
        "", "Status: " + STATUS_LABELS[status], classes=["claim-status", "claim-status-" + status]
    )


class ClaimDirective(SphinxDirective):
    """``:::{claim} <id>``: the card of one claim, where the page discusses it."""

    required_arguments = 1
    has_content = False

    def run(self):
        cid = self.arguments[0]
        claim = self.env.app.claims.get(cid)
        if claim is None:
            logger.warning(
                "unknown claim '%s': no valid entry in %s/",
                cid,
                CLAIMS_DIR,
                location=self.get_location(),
                type="claims",
                subtype="card",
            )
            return []
        self.env.note_dependency(self.env.app.srcdir / claim["file"])
        if claim["page"] != self.env.docname:
            logger.warning(
                "claim '%s' belongs to page '%s' (%s:%s), not to this page",
                cid,
                claim["page"],
                claim["file"],
                claim["line"],
                location=self.get_location(),
                type="claims",
                subtype="card",
            )
            return []
        std = self.env.domains.standard_domain
        if cid in std.anonlabels and std.anonlabels[cid][0] != self.env.docname:
            logger.warning(
                "claim '%s' clashes with a label on page '%s'",
                cid,
                std.anonlabels[cid][0],
                location=self.get_location(),
                type="claims",
                subtype="card",
            )
            return []
        std.anonlabels[cid] = (self.env.docname, cid)
        std.labels[cid] = (self.env.docname, cid, f"Claim {cid}")
        placed = self.env.claims_placed.setdefault(self.env.docname, [])
        if cid in placed:
            logger.warning(
                "claim '%s' is placed twice on this page",
                cid,
                location=self.get_location(),
                type="claims",
                subtype="card",
            )
            return []
        placed.append(cid)

        card = claim_card(classes=["claim-card", "claim-kind-" + claim["kind"]], ids=[cid])
        self.set_source_info(card)
        head = nodes.paragraph(classes=["claim-head"])
        head += nodes.inline("", KIND_LABELS[claim["kind"]], classes=["claim-kind"])
        head += nodes.Text(" ")
        head += _badge(claim)
        head += nodes.Text(" ")
        head += nodes.reference("", "Claim " + cid, refuri="#" + cid, classes=["claim-permalink"])
        card += head
        card += nodes.paragraph("", claim["statement"], classes=["claim-statement"])
        when = f"{claim['who']}, {claim['when']}."
        meta = nodes.paragraph(classes=["claim-meta"])
        meta += nodes.strong("", "Who and when: ")
        meta += nodes.Text(when + " ")
        meta += nodes.strong("", "As of: ")
        meta += nodes.Text(claim["as_of"])
        if claim.get("review_by"):
            meta += nodes.Text("; ")
            meta += nodes.strong("", "review by: ")
            meta += nodes.Text(claim["review_by"])
        card += meta
        if claim.get("note"):
            card += nodes.paragraph(
                "",
                "",
                nodes.strong("", "The book's reading: "),
                nodes.Text(claim["note"]),
                classes=["claim-note"],
            )
        # The evidence goes through MyST so that each key is a real citation: it links to the
        # page's reference list and shows a preview on hover, like any other citation.
        evidence = nodes.container(classes=["claim-evidence"])
        self.state.nested_parse(
            StringList(
                ["**Evidence:** {cite:p}`" + ",".join(claim["evidence"]) + "`"], self.get_source_info()[0]
            ),
            self.content_offset,
            evidence,
        )
        card += evidence.children
        card += claim_cite(claim_id=cid)
        return [card]


class ClaimsLedgerDirective(SphinxDirective):
    """``:::{claims-ledger}``: every claim in one sortable, filterable table."""

    has_content = False

    def link(self, kind, target, text):
        """A cross-reference (``ref`` or ``doc``) showing ``text``, resolved like ``{ref}``."""
        return addnodes.pending_xref(
            "",
            nodes.inline("", text),
            refdomain="std",
            reftype=kind,
            reftarget=target,
            refexplicit=True,
            refwarn=True,
            refdoc=self.env.docname,
        )

    def run(self):
        claims = self.env.app.claims
        for claim in claims.values():
            self.env.note_dependency(self.env.app.srcdir / claim["file"])
        headers = ["Claim", "Statement", "Source", "Who", "Kind", "Status", "As of", "Review by"]
        table = nodes.table(classes=["claims-ledger"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for width in (14, 40, 10, 10, 8, 8, 5, 5):
            group += nodes.colspec(colwidth=width)
        head_row = nodes.row()
        for header in headers:
            head_row += nodes.entry("", nodes.paragraph("", header))
        group += nodes.thead("", head_row)
        body = nodes.tbody()
        for claim in sorted(claims.values(), key=lambda c: (c["page"], c["id"])):
            ref = self.link("ref", claim["id"], claim["id"])
            page = self.link("doc", "/" + claim["page"], source_name(claim["page"]))
            cells = [
                nodes.paragraph("", "", ref),
                # A link to the card, so the table's statements are not prose of this page
                # (no glossary links expected here, unlike on the page that discusses them).
                nodes.paragraph("", "", self.link("ref", claim["id"], claim["statement"])),
                nodes.paragraph("", "", page),
                nodes.paragraph("", claim["who"]),
                nodes.paragraph("", KIND_LABELS[claim["kind"]]),
                nodes.paragraph("", "", _badge(claim)),
                nodes.paragraph("", claim["as_of"]),
                nodes.paragraph("", claim.get("review_by") or "—"),
            ]
            row = nodes.row()
            for cell in cells:
                row += nodes.entry("", cell)
            body += row
        group += body
        self.env.claims_ledger_pages.add(self.env.docname)
        caption = nodes.paragraph("", f"{len(claims)} claims.", classes=["claims-count"])
        return [caption, table]


def source_name(page):
    """Which source a page reads: the filter of the ledger's Source column."""
    if page.endswith("reader-comments"):
        return "Reader comments"
    if page.startswith("essays/"):
        return "Rosa's essay"
    return "Import AI 375"


def check_sections(app, doctree):
    """Each card sits in the section its data names, so claims.json points at the passage."""
    for card in doctree.findall(claim_card):
        claim = app.claims[card["ids"][0]]
        section = card.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        ids = section["ids"] if section is not None else []
        if claim["section"] not in ids:
            logger.warning(
                "claim '%s', field 'section': the card is in section '%s', but %s:%s says '%s'",
                claim["id"],
                ids[-1] if ids else "(none)",
                claim["file"],
                claim["line"],
                claim["section"],
                location=card,
                type="claims",
                subtype="card",
            )


def check_placed(app, env):
    placed = {cid: doc for doc, ids in env.claims_placed.items() for cid in ids}
    for cid, claim in app.claims.items():
        if claim["page"] not in env.all_docs:
            logger.warning(
                "claim '%s': %s names page '%s', which does not exist",
                cid,
                claim["file"],
                claim["page"],
                location=f"{claim['file']}:{claim['line']}",
                type="claims",
                subtype="data",
            )
        elif cid not in placed:
            logger.warning(
                "claim '%s' is not shown on its page: add ':::{claim} %s' to section '%s' of %s",
                cid,
                cid,
                claim["section"],
                env.doc2path(claim["page"], False),
                location=f"{claim['file']}:{claim['line']}",
                type="claims",
                subtype="data",
            )


def cite_block(app, claim, docname):
    title = app.env.titles[docname].astext() if docname in app.env.titles else docname
    url = page_url(app, docname) + "#" + claim["id"]
    status = STATUS_LABELS[claim["status"]].lower()
    text = (
        f"{app.config.project}, \u201cClaim {claim['id']}\u201d, on the page \u201c{title}\u201d: "
        f"{claim['who']} ({claim['when']}), {KIND_LABELS[claim['kind']].lower()}, {status} "
        f"as of {claim['as_of']}. {url}"
    )
    bibtex = "\n".join(
        [
            f"@misc{{reader-{claim['id']},",
            f"  title        = {{Claim {claim['id']}: {claim['statement']}}},",
            f"  author       = {{{{{app.config.author}}}}},",
            f"  howpublished = {{{app.config.project}, page \u201c{title}\u201d}},",
            f"  year         = {{{claim['as_of'][:4]}}},",
            f"  note         = {{Claim by {claim['who']} ({claim['when']}); status: {status}, as of {claim['as_of']}}},",
            f"  url          = {{{url}}},",
            "}",
        ]
    )
    return nodes.raw(
        "",
        (
            '<details class="claim-cite"><summary>Cite this claim</summary>'
            f'<p class="claim-cite-text">{html.escape(text)}</p>'
            f'<pre class="claim-cite-bibtex">{html.escape(bibtex)}</pre></details>'
        ),
        format="html",
    )


def fill_cites(app, doctree, docname):
    for placeholder in list(doctree.findall(claim_cite)):
        claim = app.claims.get(placeholder["claim_id"])
        placeholder.replace_self(cite_block(app, claim, docname) if claim else [])


def add_script(app, pagename, templatename, context, doctree):
    if doctree is not None and (
        pagename in app.env.claims_ledger_pages or next(doctree.findall(claim_card), None) is not None
    ):
        app.add_css_file("claims.css")
        app.add_js_file("claims.js", defer="defer")


def write_json(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    sections = {cid: claim["section"] for cid, claim in app.claims.items()}
    records = [
        claim_record(claim, app.builder.get_target_uri(claim["page"]) + "#" + sections[cid])
        for cid, claim in sorted(app.claims.items(), key=lambda item: (item[1]["page"], item[0]))
        if claim["page"] in app.env.all_docs
    ]
    out = Path(app.outdir) / "claims.json"
    out.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def visit_card(self, node):
    self.visit_container(node)


def depart_card(self, node):
    self.depart_container(node)


def setup(app):
    app.add_node(claim_card, html=(visit_card, depart_card))
    app.add_directive("claim", ClaimDirective)
    app.add_directive("claims-ledger", ClaimsLedgerDirective)
    app.connect("builder-inited", load)
    keep_per_document(app, claims_placed=dict, claims_ledger_pages=set)
    app.connect("doctree-read", check_sections)
    app.connect("env-check-consistency", check_placed)
    app.connect("doctree-resolved", fill_cites)
    app.connect("html-page-context", add_script, priority=800)
    app.connect("build-finished", write_json)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}


# -- make stale ---------------------------------------------------------------------------------


def stale_report(srcdir, today, max_age_days):
    claims, problems = load_claims(srcdir)
    lines = [f"{where}: {message}" for where, message in problems]
    overdue = [c for c in claims.values() if c.get("review_by") and c["review_by"] < today.isoformat()]
    old = [c for c in claims.values() if (today - date.fromisoformat(c["as_of"])).days > max_age_days]
    lines.append(f"Forecasts past their review_by date ({today.isoformat()}): {len(overdue)}")
    lines += [
        f"  {c['id']}: review by {c['review_by']} ({c['file']}:{c['line']})"
        for c in sorted(overdue, key=lambda c: c["review_by"])
    ]
    lines.append(f"Claims judged more than {max_age_days} days ago: {len(old)}")
    lines += [
        f"  {c['id']}: as of {c['as_of']} ({c['file']}:{c['line']})"
        for c in sorted(old, key=lambda c: c["as_of"])
    ]
    return "\n".join(lines)


def main(argv):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m _ext.claims", description="Report stale claims.")
    parser.add_argument("command", choices=["stale"])
    parser.add_argument("--max-age-days", type=int, default=365)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--srcdir", default=str(Path(__file__).resolve().parent.parent))
    args = parser.parse_args(argv)
    print(stale_report(args.srcdir, args.today, args.max_age_days))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
