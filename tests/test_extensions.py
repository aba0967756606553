"""Unit tests of the local extensions' pure functions."""

import json

import tinycss2

from _ext.css_slim import drop_unread_properties
from _ext.css_trim import _keep_selector, _split_selectors, _trim
from _ext.icons import LIBRARY, OUTLINES_CACHE, _find, _pack_segments, outlines


def test_selector_lists_split_only_at_top_level_commas():
    prelude = "dl[class]:not(.a,.b) dt.x, .glossary, p:is(.c, .d)"
    assert _split_selectors(prelude) == ["dl[class]:not(.a,.b) dt.x", ".glossary", "p:is(.c, .d)"]


def test_selector_kept_only_when_all_its_classes_are_used():
    used = {"x", "glossary"}
    assert _keep_selector("dl[class]:not(.a,.b) dt.x", used)
    assert _keep_selector(".glossary dd", used)
    assert not _keep_selector(".glossary .unused", used)


def test_trim_drops_unused_rules_and_icon_fonts_but_keeps_media_queries():
    css = (
        "@font-face{font-family:Font Awesome\\ 7 Free;src:url(x.woff2)}"
        ".used{color:red}.unused{color:blue}@media (min-width:1px){.used,.unused{margin:0}}"
    )
    out = "".join(_trim(tinycss2.parse_stylesheet(css, skip_whitespace=True), {"used"}))
    assert ".unused" not in out and "Font Awesome" not in out
    assert ".used{color:red}" in out and "@media (min-width:1px){.used{margin:0}}" in out


def test_icons_are_found_by_name_and_by_alias():
    segments = _pack_segments(LIBRARY.read_text(encoding="utf-8"))
    width, height, path = _find(segments["fas"], "magnifying-glass")
    assert (width, height) == (512, 512) and path.startswith("M")
    assert _find(segments["fas"], "pencil-alt") is not None  # an alias of "pencil"
    assert _find(segments["fab"], "github") is not None
    assert _find(segments["fas"], "no-such-icon-anywhere") is None


def test_icon_outlines_are_looked_up_once_and_kept_while_the_library_is_unchanged(tmp_path):
    wanted = [("fas", "magnifying-glass"), ("fas", "no-such-icon-anywhere")]
    segments = _pack_segments(LIBRARY.read_text(encoding="utf-8"))
    first = outlines(wanted, tmp_path)
    assert first == {icon: _find(segments[icon[0]], icon[1]) for icon in wanted}
    cache = tmp_path / OUTLINES_CACHE
    saved = json.loads(cache.read_text())
    saved["outlines"]["fas:magnifying-glass"] = [1, 2, "M kept"]  # the next call answers from here
    cache.write_text(json.dumps(saved))
    assert outlines(wanted, tmp_path)[("fas", "magnifying-glass")] == [1, 2, "M kept"]
    saved["library"] = "another library"  # a theme upgrade: everything is looked up again
    cache.write_text(json.dumps(saved))
    assert outlines(wanted, tmp_path) == first


def test_is_and_where_groups_are_kept_when_any_listed_class_is_used():
    used = {"used"}
    assert _keep_selector(":is(.used, .unused) p", used)
    assert _keep_selector(":where(.unused,.used)>a", used)
    assert _keep_selector("p:not(:is(.unused, .other))", used)
    assert not _keep_selector(":is(.unused, .other) p", used)
    assert not _keep_selector(":where(.used) .unused", used)
    css = ":is(.used,.unused) b{color:red}:where(.unused,.other) i{color:blue}"
    out = "".join(_trim(tinycss2.parse_stylesheet(css, skip_whitespace=True), used))
    assert out == ":is(.used,.unused) b{color:red}", out


def test_icon_font_glyph_rules_go_with_the_icon_fonts():
    css = ':is(.fa-solid,.fa):before{content:var(--fa)/""}.fa-solid{display:inline-block}'
    out = "".join(_trim(tinycss2.parse_stylesheet(css, skip_whitespace=True), {"fa-solid", "fa"}))
    assert out == ".fa-solid{display:inline-block}", out


def test_unread_custom_properties_are_dropped_until_every_one_left_is_read():
    css = (
        ":root{--a:1px;--b:var(--a);--c:var(--b);--loop1:var(--loop2);--loop2:var(--loop1);--kept:2px}"
        "p{margin:var(--kept)}@media (min-width:1px){p{--d:var(--c);padding:0}}"
    )
    out = drop_unread_properties({"sheet.css": css}, "element.style.setProperty('--named', 1)")["sheet.css"]
    # --d is read by nothing, so --c, --b and --a go in turn; the loop reads itself and stays.
    assert "--a" not in out and "--b" not in out and "--c" not in out and "--d" not in out
    assert "--loop1:var(--loop2)" in out and "--kept:2px" in out and "padding:0" in out
