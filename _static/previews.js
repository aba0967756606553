// Hover and focus previews for glossary terms, citations and cross-references.
// The build puts the preview text in a link's title attribute (so it also works
// without JavaScript, as a native tooltip); this script shows it at once, styled,
// and to keyboard users too. The build writes each text once per page, on the first
// link to its target (_ext/hover_text.py): later links to the same target take it
// from there; a citation, which has none, shows the entry of the page's reference
// list it links to. No data is fetched: everything is already in the page.
(function () {
  "use strict";
  var popover = null;

  function show(link) {
    var text = link.getAttribute("data-preview");
    if (!text) return;
    if (!popover) {
      popover = document.createElement("div");
      popover.id = "preview-popover";
      popover.className = "preview-popover";
      popover.setAttribute("role", "tooltip");
      document.body.appendChild(popover);
    }
    popover.textContent = text;
    popover.hidden = false;
    link.setAttribute("aria-describedby", popover.id);
    var box = link.getBoundingClientRect();
    var width = Math.min(360, window.innerWidth - 16);
    popover.style.maxWidth = width + "px";
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + window.innerWidth - width - 8));
    popover.style.left = left + "px";
    popover.style.top = (box.bottom + window.scrollY + 6) + "px";
  }

  function hide(link) {
    if (popover) popover.hidden = true;
    if (link) link.removeAttribute("aria-describedby");
  }

  // The reference a citation links to, as text: the entry's paragraphs, without its
  // label and back-links.
  function citationText(link) {
    if (!link.closest(".bibtex-citation")) return "";
    var href = link.getAttribute("href") || "";
    var entry = href.charAt(0) === "#" && document.getElementById(decodeURIComponent(href.slice(1)));
    if (!entry || !entry.classList.contains("citation")) return "";
    return Array.prototype.map.call(entry.querySelectorAll(":scope > p"), function (p) {
      return p.textContent.replace(/\s+/g, " ").trim();
    }).join(" ");
  }

  function init() {
    var texts = Object.create(null);
    var links = document.querySelectorAll(".bd-article a[href]");
    links.forEach(function (link) {
      if (!link.hasAttribute("title")) return;
      // Move the text out of title so the browser's own tooltip does not appear twice.
      link.setAttribute("data-preview", link.getAttribute("title"));
      link.removeAttribute("title");
      var href = link.getAttribute("href");
      if (link.classList.contains("reference") && !(href in texts)) texts[href] = link.getAttribute("data-preview");
    });
    links.forEach(function (link) {
      if (!link.hasAttribute("data-preview")) {
        if (!link.classList.contains("reference")) return;  // e.g. a heading's own "#" link
        var text = texts[link.getAttribute("href")] || citationText(link);
        if (!text) return;
        link.setAttribute("data-preview", text);
      }
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("mouseleave", function () { hide(link); });
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("blur", function () { hide(link); });
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(null); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
