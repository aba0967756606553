// Search for the book: loads Sphinx's search tools and index only when a reader
// starts searching, shows results as they type in the search dialog, and gives
// each result its page's one-line description instead of fetching every result
// page for a snippet. Works from a web server and from a copy opened from disk.
//
// Overrides: Search.query (replaced) and Search._parseQuery (wrapped) of Sphinx 9.0.4,
// sphinx/themes/basic/static/searchtools.js; also relies on Search._performSearch,
// performSearch, stopPulse, output, title and status. Guarded by
// tests/test_contracts.py::test_search_functions_that_search_js_overrides.
(function () {
  "use strict";
  var root = document.documentElement.dataset.content_root || "";
  var loading = null;

  function script(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = root + src;
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  // Sphinx's tools are already on the search page; elsewhere, fetch them once, in order.
  function load() {
    if (!loading) {
      loading = (typeof Search !== "undefined" ? Promise.resolve() :
        script("_static/language_data.js").then(function () { return script("_static/searchtools.js"); })
          .then(function () { return script("searchindex.js"); }))
        .then(function () { return window.BOOK_DESCRIPTIONS ? null : script("_static/descriptions.js"); })
        .then(keepNumbers);
    }
    return loading;
  }

  // Sphinx's query parser drops numbers; the book's index keeps them (_ext/search.py),
  // so let a query for "4090" or "2,509" look them up. The searched words are kept
  // for the ranking in search-scorer.js.
  function keepNumbers() {
    if (typeof Search === "undefined" || Search._bookNumbers) return;
    var parse = Search._parseQuery;
    Search._parseQuery = function (query) {
      var parsed = parse(query);
      var numbers = query.match(/\d[\d,]*\d/g) || [];
      numbers.forEach(function (n) {
        [n.replace(/,/g, "")].concat(n.split(",")).forEach(function (term) {
          if (term.length >= 2) { parsed[1].add(term); parsed[3].add(term); }
        });
      });
      window.BOOK_QUERY_TERMS = Array.from(parsed[3]);
      return parsed;
    };
    // Sphinx adds results to the list one every 5 ms (to fetch a snippet for each):
    // half a second per hundred results. With no snippets to fetch, list them at once.
    Search.query = function (query) {
      var results = Search._performSearch.apply(null, Search._parseQuery(query));
      var items = document.createDocumentFragment();
      for (var i = results.length - 1; i >= 0; i--) items.appendChild(resultItem(results[i]));
      Search.output.appendChild(items);
      Search.stopPulse();
      Search.title.innerText = "Search Results";
      Search.status.innerText = !results.length
        ? "Your search did not match any documents. Please make sure that all words are spelled correctly."
        : "Search finished, found " + (results.length === 1 ? "one page" : results.length + " pages") +
          " matching the search query.";
    };
    Search._bookNumbers = true;
  }

  // One result, as Sphinx draws it: [docname, title, anchor, description, score, filename, kind].
  function resultItem(result) {
    var li = document.createElement("li");
    li.classList.add("kind-" + result[6]);
    var a = li.appendChild(document.createElement("a"));
    a.href = result[0] + DOCUMENTATION_OPTIONS.LINK_SUFFIX + result[2];
    a.dataset.score = result[4];
    a.textContent = result[1];
    if (result[3]) li.appendChild(document.createElement("span")).textContent = " (" + result[3] + ")";
    return li;
  }

  // Under each result: the description of the page it leads to; links made relative to this page.
  function decorate(list) {
    list.querySelectorAll("li").forEach(function (li) {
      var a = li.querySelector("a");
      if (!a || li.dataset.decorated) return;
      li.dataset.decorated = "1";
      var href = a.getAttribute("href");
      if (root && href.indexOf(root) !== 0 && !/^[a-z]+:/.test(href)) a.setAttribute("href", root + href);
      var doc = href.replace(/\.html.*$/, "");
      var text = (window.BOOK_DESCRIPTIONS || {})[doc];
      if (text) {
        var p = document.createElement("p");
        p.className = "result-description";
        p.textContent = text;
        li.appendChild(p);
      }
    });
  }

  function watch(container) {
    new MutationObserver(function () {
      container.querySelectorAll("ul.search").forEach(decorate);
    }).observe(container, { childList: true, subtree: true });
  }

  function searchAsYouType(dialog) {
    var input = dialog.querySelector("input[name=q]");
    if (!input) return;
    var results = document.createElement("section");
    results.id = "search-results";
    results.setAttribute("aria-live", "polite");
    dialog.appendChild(results);
    watch(results);
    var timer = null, last = "";
    input.addEventListener("focus", load);
    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query === last) return;
      last = query;
      timer = window.setTimeout(function () {
        results.replaceChildren();
        if (query.length < 2) return;
        load().then(function () { Search.performSearch(query); });
      }, 150);
    });
  }

  function init() {
    var page = document.querySelector(".bd-search-container #search-results");
    if (page) {  // the search page: Sphinx runs the query from ?q=; add descriptions
      watch(page);
      keepNumbers();
      load();
      return;
    }
    var dialog = document.getElementById("pst-search-dialog");
    if (dialog) searchAsYouType(dialog);
  }

  // The pages' Content-Security-Policy allows no form submission (form-action 'none'),
  // so pressing Enter in a search field opens the search page as a plain link would.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.bd-search")) return;
    event.preventDefault();
    window.location.href = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
