/* The bibliography page: a filter box, a link to the whole references.bib, and a
   download link for each entry's BibTeX (built from the entry's own block, offline). */
(function () {
  "use strict";
  function setUp() {
    var entries = Array.prototype.slice.call(document.querySelectorAll(".bd-article div.citation"));
    var heading = document.querySelector(".bd-article h1");
    if (!entries.length || !heading) return;
    var root = document.documentElement.getAttribute("data-content_root") || "./";

    var bar = document.createElement("div");
    bar.className = "bibliography-tools";
    var label = document.createElement("label");
    label.textContent = "Filter by author, title or year ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "bibliography-filter";
    input.autocomplete = "off";
    label.appendChild(input);
    var count = document.createElement("span");
    count.className = "bibliography-count";
    count.setAttribute("aria-live", "polite");
    var all = document.createElement("a");
    all.href = root + "references.bib";
    all.setAttribute("download", "references.bib");
    all.textContent = "Download BibTeX (all entries)";
    bar.appendChild(label);
    bar.appendChild(count);
    bar.appendChild(all);
    heading.parentNode.insertBefore(bar, heading.nextSibling);

    var texts = entries.map(function (e) {
      var clone = e.cloneNode(true);
      clone.querySelectorAll(".cited-in, .bibtex-source").forEach(function (n) { n.remove(); });
      return clone.textContent.toLowerCase().replace(/\s+/g, " ");
    });
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      entries.forEach(function (entry, i) {
        var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        entry.hidden = !match;
        if (match) shown += 1;
      });
      document.querySelectorAll(".bd-article section > h2").forEach(function (h) {
        var section = h.parentNode;
        section.hidden = words.length > 0 && !section.querySelector("div.citation:not([hidden])");
      });
      count.textContent = words.length ? shown + " of " + entries.length + " works" : entries.length + " works";
    }
    input.addEventListener("input", apply);
    apply();

    // Each block's BibTeX: in the page (EPUB, or an entry the build could not cut out), or
    // loaded with every entry's from _static/bibtex-entries.js when the reader first opens one.
    function addDownload(block, text) {
      var link = document.createElement("a");
      link.className = "bibtex-download";
      link.textContent = "Download " + block.getAttribute("data-key") + ".bib";
      link.setAttribute("download", block.getAttribute("data-key") + ".bib");
      link.href = URL.createObjectURL(new Blob([text + "\n"], {type: "application/x-bibtex"}));
      block.appendChild(link);
    }
    var waiting = null;
    function withEntries(then) {
      if (window.BOOK_BIBTEX) return then(window.BOOK_BIBTEX);
      if (!waiting) {
        waiting = [];
        var script = document.createElement("script");
        script.src = root + "_static/bibtex-entries.js";
        script.onload = function () { waiting.forEach(function (f) { f(window.BOOK_BIBTEX || {}); }); };
        document.head.appendChild(script);
      }
      waiting.push(then);
    }
    document.querySelectorAll("details.bibtex-source").forEach(function (block) {
      var source = block.querySelector("pre");
      if (source) return addDownload(block, source.textContent);
      block.addEventListener("toggle", function fill() {
        if (!block.open) return;
        block.removeEventListener("toggle", fill);
        withEntries(function (entries) {
          var text = entries[block.getAttribute("data-key")];
          if (!text) return;
          var pre = document.createElement("pre");
          pre.textContent = text;
          block.insertBefore(pre, block.querySelector(".bibtex-elsewhere"));
          addDownload(block, text);
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
