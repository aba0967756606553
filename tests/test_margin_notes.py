"""Margin notes stand beside the passage they annotate, on every annotated page.

The passage of a note is found from the page's structure alone (the nearest block
before the note that is not itself a note; for a note that opens its section, the
block after it), so the test measures the layout, not the markup the build adds.
"""

import pytest
from test_browser import visit

pytestmark = pytest.mark.browser

MEASURE = """() => {
  const article = document.querySelector('.bd-article');
  const notes = [...article.querySelectorAll('aside.margin')];
  const onlyNotes = el => el.matches('aside.margin') ||
      (el.children.length > 0 && [...el.children].every(c => c.matches('aside.margin')));
  function passageOf(note) {
    let el = note;
    while (el && el !== article) {
      let prev = el.previousElementSibling;
      while (prev && (onlyNotes(prev) || prev.matches('span, a[id]:empty'))) prev = prev.previousElementSibling;
      if (prev && !/^H[1-6]$/.test(prev.tagName)) return prev;
      if (prev) {  // the note opens its section: it annotates the block after it
        let next = el.nextElementSibling;
        while (next && onlyNotes(next)) next = next.nextElementSibling;
        return next;
      }
      el = el.parentElement;
    }
    return null;
  }
  const y = r => ({top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right});
  const text = [...article.querySelectorAll('p, li, h1, h2, h3, h4, table, figure, pre, dt, dd, blockquote')]
      // what a reader sees: not the notes themselves, nor the inside of a closed <details>
      .filter(e => !e.closest('aside.margin') && e.checkVisibility());
  document.documentElement.style.scrollBehavior = 'auto';  // the theme scrolls smoothly
  const column = article.querySelector('p').getBoundingClientRect();
  return notes.map(note => {
    scrollTo(0, 0);
    const p = passageOf(note);
    const n = y(note.getBoundingClientRect());
    const pr = p ? y(p.getBoundingClientRect()) : null;
    const lines = p ? p.getClientRects() : [];
    const lh = parseFloat(getComputedStyle(p || note).lineHeight) || 24;
    const hits = text.filter(t => { const r = y(t.getBoundingClientRect());
        return r.right > n.left + 1 && r.left < n.right - 1 && r.bottom > n.top + 1 && r.top < n.bottom - 1; });
    note.scrollIntoView({block: 'center', behavior: 'instant'});
    const toc = document.querySelector('.bd-sidebar-secondary');
    const tr = toc && toc.offsetParent !== null ? toc.querySelector('nav, .onthispage') : null;
    const t = tr ? tr.getBoundingClientRect() : null;
    const nv = note.getBoundingClientRect();
    const overToc = t && t.width > 0 && t.right > nv.left && t.left < nv.right && t.bottom > nv.top && t.top < nv.bottom;
    return {title: (note.querySelector('strong') || note).textContent.slice(0, 40), note: n, passage: pr,
            inline: n.left < column.right - 1,
            lastLine: pr ? pr.bottom - lh : null, textHits: hits.map(h => h.tagName + ':' + h.textContent.slice(0, 30)),
            overToc: !!overToc};
  });
}"""


def annotated_pages(book):
    return [name for name in book.pages() if book.page(name).select(".bd-article aside.margin")]


def test_there_are_annotated_pages(book):
    assert len(annotated_pages(book)) >= 10


@pytest.mark.parametrize("width", [1440, 1920])
def test_every_note_stands_beside_its_passage(browser, site, book, width):
    """Margin notes start between their passage's top and last line, overlapping nothing;
    a note shown inline instead (a fallback) stands right under its passage, for at most
    a quarter of a page's notes."""
    problems = []
    for name in annotated_pages(book):
        page, _, _ = visit(browser, "%s/%s.html" % (site, name), width=width)
        notes = page.evaluate(MEASURE)
        page.context.close()
        fallbacks = sum(n["inline"] for n in notes)
        if fallbacks > len(notes) / 4:
            problems.append("%s: %d of %d notes fall back to inline" % (name, fallbacks, len(notes)))
        for i, n in enumerate(notes):
            where = "%s note %d (%s)" % (name, i + 1, n["title"])
            if n["passage"] is None:
                problems.append(where + ": no passage found")
                continue
            top, p = n["note"]["top"], n["passage"]
            if n["inline"]:
                if not p["bottom"] - 1 <= top <= p["bottom"] + 40:
                    problems.append("%s: inline, but not right under its passage" % where)
            elif top < p["top"] - 1:
                problems.append("%s: starts %d px above its passage" % (where, p["top"] - top))
            elif top > max(n["lastLine"], p["top"]) + 1:
                problems.append(
                    "%s: starts %d px below its passage's last line" % (where, top - n["lastLine"])
                )
            if n["textHits"]:
                problems.append("%s: overlaps the text %s" % (where, n["textHits"][:2]))
            if n["overToc"]:
                problems.append(where + ": overlaps the page's contents")
            for j, other in enumerate(notes[:i]):
                o = other["note"]
                if (
                    o["bottom"] > top + 1
                    and o["top"] < n["note"]["bottom"] - 1
                    and o["right"] > n["note"]["left"]
                    and o["left"] < n["note"]["right"]
                ):
                    problems.append("%s: overlaps note %d" % (where, j + 1))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("javascript", [True, False])
def test_notes_sit_in_the_margin_with_or_without_javascript(browser, site, javascript):
    """At 1440 px the layout is the same with JavaScript off: one inline fallback of 13 notes."""
    page, _, _ = visit(browser, site + "/essays/open-source-ai.html", width=1440, javascript=javascript)
    inline = page.evaluate("""() => { const text = document.querySelector('.bd-article p').getBoundingClientRect();
        return [...document.querySelectorAll('aside.margin')].filter(n => n.getBoundingClientRect().left < text.right)
               .length; }""")
    assert inline == 1
    page.context.close()
