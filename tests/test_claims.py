"""The claims ledger (_ext/claims.py): data checked at build time, cards on pages, the ledger
table, claims.json, the disagreement map and the stale report."""

import json
import re
import shutil
from datetime import date

import pytest
from jsonschema import Draft202012Validator

from _ext.claims import STATUS_LABELS, load_claims, main, stale_report
from conftest import ROOT, ROOTS, sphinx_build

CLAIMS = load_claims(ROOT)[0]


def annotated_pages():
    """Pages that annotate a source: their front matter has a ``source:`` block."""
    pages = []
    for path in sorted(ROOT.glob("**/*.md")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {"page-templates", ".venv", "_build", "node_modules", "tests"}:
            continue
        text = path.read_text(encoding="utf-8")
        if text.startswith("---") and re.search(r"^source:", text.split("\n---", 1)[0], re.M):
            pages.append(rel.with_suffix("").as_posix())
    return pages


def test_the_data_is_valid_and_covers_every_annotated_page():
    claims, problems = load_claims(ROOT)
    assert problems == []
    assert len(claims) >= 40
    pages = annotated_pages()
    assert len(pages) >= 10
    for page in pages:
        assert sum(c["page"] == page for c in claims.values()) >= 2, page


def test_the_gpt2_forecasts_are_all_in_the_ledger():
    forecasts = {
        cid for cid, c in CLAIMS.items() if c["kind"] == "forecast" and cid.startswith("ia375-gpt2-")
    }
    for item in ("writing", "dialogue", "translation", "speech"):
        assert "ia375-gpt2-benefit-" + item in forecasts
    for item in ("news", "impersonation", "social-media", "spam"):
        assert "ia375-gpt2-misuse-" + item in forecasts


@pytest.mark.parametrize("cid", sorted(CLAIMS))
def test_every_claim_has_its_card_on_its_page(book, cid):
    claim = CLAIMS[cid]
    card = book.page(claim["page"]).find(id=cid)
    assert card is not None and "claim-card" in card["class"], cid
    # in the section its data names, which is where claims.json points
    assert card.find_parent("section", id=claim["section"]) or card.find_parent(
        lambda tag: (
            tag.name == "section"
            and claim["section"]
            in [tag.get("id")] + [span.get("id") for span in tag.find_all("span", recursive=False)]
        )
    ), claim["section"]
    text = " ".join(card.get_text(" ").split())
    assert " ".join(claim["statement"].split()) in text
    badge = card.select_one(".claim-status")
    assert badge.get_text() == "Status: " + STATUS_LABELS[claim["status"]]  # words, not colour alone
    assert "As of: " + claim["as_of"] in text
    cited = card.select(".bibtex-citation a")
    assert len(cited) == len(claim["evidence"])
    assert card.select_one(f'a.claim-permalink[href="#{cid}"]')
    cite = card.select_one("details.claim-cite")
    assert cite.select_one("summary").get_text() == "Cite this claim"
    assert f"#{cid}" in cite.select_one(".claim-cite-text").get_text()
    bibtex = cite.select_one("pre.claim-cite-bibtex").get_text()
    assert bibtex.startswith(f"@misc{{reader-{cid},") and f"as of {claim['as_of']}" in bibtex


def test_the_ledger_lists_every_claim_without_javascript(book):
    page = book.page("claims")
    assert page.select_one("h1").get_text().startswith("Claims ledger")
    rows = page.select("table.claims-ledger tbody tr")
    assert len(rows) == len(CLAIMS)
    ids = {row.select_one("td a").get_text(): row for row in rows}
    assert set(ids) == set(CLAIMS)
    for cid, row in ids.items():
        link = row.select_one("td a")["href"]
        assert link.endswith("#" + cid) and link.split("#")[0].endswith(CLAIMS[cid]["page"] + ".html")
        assert STATUS_LABELS[CLAIMS[cid]["status"]] in row.get_text()
    assert page.find("script", src=re.compile(r"_static/claims\.js"))


def test_claims_json_validates_and_points_at_the_passages(book):
    data = json.loads((book.outdir / "claims.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "_data/schemas/claims-json.schema.json").read_text(encoding="utf-8"))
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(data)]
    assert errors == []
    assert {entry["id"] for entry in data} == set(CLAIMS)
    for entry in data:
        claim = CLAIMS[entry["id"]]
        assert entry["evidence"] == claim["evidence"] and entry["statement"] == claim["statement"]
        url, anchor = entry["page"].split("#")
        page = book.page(url.removesuffix(".html"))
        assert page.find(id=anchor) is not None, entry["page"]


def test_the_schema_of_claims_json_rejects_a_bad_entry():
    schema = json.loads((ROOT / "_data/schemas/claims-json.schema.json").read_text(encoding="utf-8"))
    entry = {
        "id": "x-y",
        "page": "a.html#b",
        "who": "Someone",
        "when": "2024",
        "kind": "forecast",
        "status": "supported",
        "statement": "A statement long enough.",
        "evidence": ["K"],
        "as_of": "2026-01-01",
        "review_by": None,
    }
    messages = [e.message for e in Draft202012Validator(schema).iter_errors([entry])]
    assert any("'supported' is not one of" in m for m in messages)
    assert any("None is not of type 'string'" in m for m in messages)


def test_the_disagreement_map(book):
    page = book.page("disagreements")
    assert page.select_one("h1").get_text().startswith("Where the sources disagree")
    table = page.select_one("table")
    headers = [th.get_text(strip=True).replace("\u2019", "'") for th in table.select("thead th")]
    for party in (
        "Rosa's essay",
        "Import AI 375 (Clark)",
        "First reader comment",
        "Second reader comment",
        "Where they agree",
        "Claims",
    ):
        assert party in headers
    rows = table.select("tbody tr")
    assert len(rows) >= 8
    agree = headers.index("Where they agree")
    for row in rows:
        cells = row.find_all("td")
        assert cells[agree].get_text(strip=True)
        anchors = [a["href"].split("#")[-1] for a in cells[-1].find_all("a")]
        assert anchors and all(anchor in CLAIMS for anchor in anchors), anchors
    assert sum("agree" in row.find_all("td")[agree].get_text() for row in rows) >= 7


def test_the_stale_report_lists_overdue_forecasts_and_old_judgements(capsys):
    report = stale_report(ROOT, date(2100, 1, 1), 365)
    forecasts = [c for c in CLAIMS.values() if c["kind"] == "forecast"]
    assert f"Forecasts past their review_by date (2100-01-01): {len(forecasts)}" in report
    assert f"Claims judged more than 365 days ago: {len(CLAIMS)}" in report
    fresh = stale_report(ROOT, date(2026, 11, 30), 365)
    assert "review_by date (2026-11-30): 0" in fresh
    assert main(["stale", "--today", "2100-01-01"]) == 0  # reports, never fails
    assert "ia375-dt-policy-breaks" in capsys.readouterr().out


# -- Bad data fails the build with the file, the line, the claim and the field --------------------

PAGE = """---
description: A page that shows two claim cards, broken on purpose by each test.
tags: [safety]
---

(page)=
# Page

Back to {ref}`home`.

## The argument

:::{claim} tiny-claim
:::

:::{claim} tiny-forecast
:::

## Context

Nothing here.

## References

:::{bibliography}
:filter: docname in docnames
:::
"""

DATA = """claims:
  - id: tiny-claim
    section: the-argument
    who: A tester
    when: "2024"
    kind: empirical
    status: supported
    statement: Loss falls smoothly as models grow larger.
    evidence: [Kaplan2020scaling]
    as_of: "2026-11-30"
  - id: tiny-forecast
    section: the-argument
    who: A tester
    when: "2024"
    kind: forecast
    status: not-yet
    statement: Loss will keep falling for larger models still.
    evidence: [Kaplan2020scaling]
    as_of: "2026-11-30"
    review_by: "2027-11-30"
"""


def build_with_claims(tmp_path, data=DATA, page=PAGE):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "base", src)
    (src / "page.md").write_text(page, encoding="utf-8")
    (src / "_data/claims").mkdir(parents=True)
    (src / "_data/claims/page.yaml").write_text(data, encoding="utf-8")
    return sphinx_build(src, tmp_path / "out", env={"BOOK_ROOT": str(ROOT)})


def test_a_tiny_book_with_claims_builds_cleanly(tmp_path):
    returncode, warnings = build_with_claims(tmp_path)
    assert returncode == 0 and warnings == "", warnings
    data = json.loads((tmp_path / "out/claims.json").read_text())
    assert [d["page"] for d in data] == ["page.html#the-argument"] * 2


@pytest.mark.parametrize(
    "old, new, where, message",
    [
        (
            "status: supported",
            "status: came-true",
            "page.yaml:7",
            "claim 'tiny-claim', field 'status': 'came-true' is not one of",
        ),
        ("kind: empirical", "kind: opinion", "page.yaml:6", "claim 'tiny-claim', field 'kind'"),
        (
            '    review_by: "2027-11-30"\n',
            "",
            "page.yaml:11",
            "claim 'tiny-forecast', field 'review_by': 'review_by' is a required property",
        ),
        (
            'as_of: "2026-11-30"\n  - id: tiny-forecast',
            'as_of: "2026-11-30"\n    review_by: "2027-01-01"\n  - id: tiny-forecast',
            "page.yaml:11",
            "claim 'tiny-claim', field 'review_by': review_by is only for forecasts",
        ),
        (
            "evidence: [Kaplan2020scaling]\n    as_of",
            "evidence: [Nobody2099nothing]\n    as_of",
            "page.yaml:9",
            "claim 'tiny-claim', field 'evidence': 'Nobody2099nothing' is not a key of references.bib",
        ),
        (
            'as_of: "2026-11-30"\n  - id',
            'as_of: "30 November 2026"\n  - id',
            "page.yaml:10",
            "claim 'tiny-claim', field 'as_of'",
        ),
        (
            "id: tiny-forecast",
            "id: tiny-claim",
            "page.yaml:11",
            "claim 'tiny-claim', field 'id': already used at",
        ),
        ("    who: A tester\n    when", "    when", "page.yaml:2", "claim 'tiny-claim', field 'who'"),
        (
            "    statement: Loss falls",
            "    colour: red\n    statement: Loss falls",
            "page.yaml:8",
            "claim 'tiny-claim', field 'colour': Additional properties are not allowed",
        ),
        ("claims:\n", "claims:\n  - [\n", "page.yaml:", "not valid YAML"),
    ],
)
def test_bad_claim_data_names_file_line_claim_and_field(tmp_path, old, new, where, message):
    assert old in DATA
    returncode, warnings = build_with_claims(tmp_path, data=DATA.replace(old, new, 1))
    assert returncode != 0
    assert where in warnings and message in warnings, warnings


@pytest.mark.parametrize(
    "old, new, where, message",
    [
        (
            ":::{claim} tiny-forecast\n:::\n",
            "",
            "page.yaml:11",
            "claim 'tiny-forecast' is not shown on its page: add ':::{claim} tiny-forecast'",
        ),
        (
            "## Context\n\nNothing here.\n",
            "## Context\n\n:::{claim} tiny-claim\n:::\n",
            "page.md:",
            "claim 'tiny-claim' is placed twice on this page",
        ),
        (
            ":::{claim} tiny-forecast",
            ":::{claim} no-such-claim",
            "page.md:16",
            "unknown claim 'no-such-claim'",
        ),
        (
            "## The argument\n\n:::{claim} tiny-claim\n:::\n",
            "## The argument\n\n",
            "page.md:",
            "claim 'tiny-claim', field 'section': the card is in section 'context'",
        ),
    ],
)
def test_misplaced_cards_are_reported(tmp_path, old, new, where, message):
    page = PAGE.replace(old, new, 1)
    if "field 'section'" in message:  # move the card to the wrong section instead of dropping it
        page = page.replace("Nothing here.\n", ":::{claim} tiny-claim\n:::\n")
    returncode, warnings = build_with_claims(tmp_path, page=page)
    assert returncode != 0
    assert where in warnings and message in warnings, warnings


# -- In the browser: the ledger sorts and filters, the cards copy their citation --------------------


@pytest.mark.browser
def test_the_ledger_filters_and_sorts(browser, site):
    page = browser.new_page()
    page.goto(site + "/claims.html")
    rows = page.locator("table.claims-ledger tbody tr")
    assert rows.count() == len(CLAIMS)
    page.select_option(".claims-filters select >> nth=1", "Forecast")
    forecasts = sum(c["kind"] == "forecast" for c in CLAIMS.values())
    assert page.locator("table.claims-ledger tbody tr:not([hidden])").count() == forecasts
    assert page.get_by_role("status").inner_text() == f"{forecasts} of {len(CLAIMS)} claims shown."
    page.select_option(".claims-filters select >> nth=2", "Came true")
    visible = page.locator("table.claims-ledger tbody tr:not([hidden])")
    expected = sum(c["kind"] == "forecast" and c["status"] == "came-true" for c in CLAIMS.values())
    assert visible.count() == expected
    page.select_option(".claims-filters select >> nth=1", "")
    page.select_option(".claims-filters select >> nth=2", "")
    page.get_by_role("button", name="As of").click()
    page.get_by_role("button", name="Claim", exact=True).click()
    first = page.locator("table.claims-ledger tbody tr >> nth=0 >> td >> nth=0").inner_text()
    assert first == min(CLAIMS)
    page.close()


@pytest.mark.browser
def test_a_card_copies_its_citation(browser, site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site + "/newsletter/import-ai-375/gpt-2-five-years-on.html#ia375-gpt2-cost-decline")
    card = page.locator("#ia375-gpt2-cost-decline")
    card.locator("summary").click()
    card.get_by_role("button", name="Copy BibTeX").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{reader-ia375-gpt2-cost-decline,")
    context.close()
