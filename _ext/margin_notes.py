"""Put each margin note in one row with the passage it annotates.

Authors write ``:::{margin}`` after the passage a note is about. The theme
floats every note from that point into the right margin, and each float waits
for the one before it to end, so on a page of short steps with long notes the
notes drift hundreds of pixels below their passages.

This transform pairs each note with its passage and wraps both in a
``passage-row`` container: the passage first, then a ``passage-notes`` box
holding the note (or the run of notes written one after another). The
stylesheet (``_static/book.css``) lays a row out as a two-column grid on wide
screens, so a note always starts level with its passage; where a note is
taller than its passage, the text below makes room (the Distill layout, chosen
over gwern.net's shifting sidenotes because it needs no script, works the same
with JavaScript off, and leaves no note floating out of reach of its passage).
When an author writes two or more notes on one passage, only the first can
start beside it; the others (``passage-inline``) are shown as boxes in the
text column right under the passage, the form every note takes on a phone.
On narrow screens and in print the row is ordinary flow: passage, then notes.

The passage of a note is the nearest block before it in the same parent,
skipping other notes, link targets and comments; a note that opens its
section (nothing before it but the title) annotates the block after it.
"""

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

INVISIBLE = (nodes.target, nodes.comment, nodes.substitution_definition, nodes.title)
BETWEEN = INVISIBLE[:3]  # what may stand between two notes of one run


def is_note(node):
    return isinstance(node, nodes.sidebar) and "margin" in node.get("classes", [])


def _groups(parent):
    """Yield runs of consecutive margin notes among ``parent``'s children, as (first index, last index)."""
    children = parent.children
    i = 0
    while i < len(children):
        if is_note(children[i]):
            j = i
            while j + 1 < len(children) and (
                is_note(children[j + 1]) or isinstance(children[j + 1], BETWEEN)
            ):
                j += 1
            while not is_note(children[j]):
                j -= 1
            yield i, j
            i = j + 1
        else:
            i += 1


def _passage_index(parent, first, last):
    """Index of the block a run of notes annotates, or None."""
    for k in range(first - 1, -1, -1):
        node = parent.children[k]
        if isinstance(node, INVISIBLE):
            if isinstance(node, nodes.title):
                break
            continue
        if isinstance(node, nodes.section) or (node.get("classes") and "passage-row" in node["classes"]):
            break
        return k
    for k in range(last + 1, len(parent.children)):  # the note opens its section: the block after it
        node = parent.children[k]
        if isinstance(node, INVISIBLE) or is_note(node):
            continue
        if isinstance(node, nodes.Element) and not isinstance(node, nodes.section):
            return k
        break
    return None


class PairNotesWithPassages(SphinxPostTransform):
    default_priority = 900

    def run(self, **kwargs):
        parents = []
        for note in self.document.findall(is_note):
            if note.parent is not None and note.parent not in parents:
                parents.append(note.parent)
        for parent in parents:
            for first, last in reversed(list(_groups(parent))):
                passage = _passage_index(parent, first, last)
                if passage is None:
                    continue
                notes = [n for n in parent.children[first : last + 1] if is_note(n)]
                start, end = min(passage, first), max(passage, last)
                passage_node = parent.children[passage]
                kept = [
                    n for n in parent.children[start : end + 1] if n is not passage_node and not is_note(n)
                ]  # targets stay, before the row
                parent.children[start : end + 1] = []
                box = nodes.container("", notes[0], classes=["passage-notes"])
                row = nodes.container("", passage_node, box, classes=["passage-row"])
                if notes[1:]:  # a second note on one passage could not start beside it
                    row += nodes.container("", *notes[1:], classes=["passage-inline"])
                for offset, node in enumerate(kept + [row]):
                    parent.insert(start + offset, node)


def setup(app):
    app.add_post_transform(PairNotesWithPassages)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
