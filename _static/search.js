// Search for the book: loads Sphinx's search tools and a small part of the index only when
// a reader starts searching, shows results as they type in the search dialog, and gives
// each result its page's one-line description instead of fetching every result page for a
// snippet. Works from a web server and from a copy opened from disk (file://): every file
// is a <script> that hands its data to window.BookSearch, never a fetch().
//
// The index is in pieces (_ext/search_shards.py): a manifest (pages, titles, the list of
// shards), one shard per word prefix, and the descriptions in chunks. A query loads the
// manifest and the shards of its words, puts together the part of Sphinx's index they hold,
// and runs Sphinx's own _performSearch on it. A word matches the words it begins ("polic"
// finds "policy"); Sphinx also matched words it falls inside of, which would need every word.
//
// Overrides: Search.query (replaced), Search._parseQuery (wrapped) and Search._index (set per
// query) of Sphinx 9.0.4, sphinx/themes/basic/static/searchtools.js; also relies on
// Search._performSearch, performSearch, setIndex, stopPulse, output, title and status.
// Guarded by tests/test_contracts.py::test_search_functions_that_search_js_overrides.
(function () {
  "use strict";
  var root = document.documentElement.dataset.content_root || "";
  var loading = null;
  var manifest = null;
  var shards = {}; // prefix -> {keys, alltitles, indexentries}
  var descriptions = {}; // docname -> its one-sentence description
  var scripts = {}; // src -> promise
  var generation = 0; // the latest query; an earlier one that finishes late is dropped

  // The callbacks the index files call when they run.
  window.BookSearch = {
    boost: {}, // docname -> how many searched words its description has (search-scorer.js)
    manifest: function (data) { manifest = data; },
    shard: function (prefix, data) { shards[prefix] = data; },
    descriptions: function (n, data) { Object.assign(descriptions, data); },
  };

  function script(src) {
    if (!scripts[src]) {
      scripts[src] = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = root + src;
        el.onload = resolve;
        el.onerror = function () { delete scripts[src]; reject(new Error("cannot load " + src)); };
        document.head.appendChild(el);
      });
    }
    return scripts[src];
  }

  // Sphinx's tools are already on the search page; elsewhere, fetch them once, in order.
  function load() {
    if (!loading) {
      loading = (typeof Search !== "undefined" ? Promise.resolve() :
        script("_static/language_data.js").then(function () { return script("_static/searchtools.js"); }))
        .then(function () { override(); return script("searchindex/manifest.js"); })
        .then(function () { Search.setIndex(base()); }); // runs a query that was waiting for it
    }
    return loading;
  }

  // What Sphinx's index holds for every query: pages, titles and objects, no words yet.
  function base() {
    return {
      docnames: manifest.docnames, filenames: manifest.docnames, titles: manifest.titles,
      objects: manifest.objects, objnames: manifest.objnames, objtypes: manifest.objtypes,
      terms: {}, titleterms: {}, alltitles: {}, indexentries: {},
    };
  }

  // Words as _ext/search_shards.py splits titles and descriptions: letters and digits.
  function tokens(text) { return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []; }

  // A key answers a word that it equals or, for words of three letters or more, begins with.
  function matches(key, word) { return key === word || (word.length > 2 && key.indexOf(word) === 0); }

  // The shards that can hold keys a word matches: the one its key would be in, and for
  // words of three letters or more, every shard deeper under it.
  function shardsFor(word) {
    var found = [], own = null;
    Object.keys(manifest.shards).forEach(function (prefix) {
      var whole = manifest.shards[prefix][1];
      if (word.indexOf(prefix) === 0 && (whole || prefix === word) && (own === null || prefix.length > own.length)) own = prefix;
      if (word.length > 2 && prefix.length > word.length && prefix.indexOf(word) === 0) found.push(prefix);
    });
    if (own !== null) found.push(own);
    return found;
  }

  // [query, searchTerms, excludedTerms, highlightTerms, objectTerms] -> the words to look up.
  function wanted(parsed) {
    var first = tokens(parsed[0])[0];
    return {
      terms: Array.from(parsed[1]), excluded: Array.from(parsed[2]),
      described: Array.from(parsed[3]), titles: first ? [first] : [],
    };
  }

  function fetchShards(words) {
    var needed = {};
    [].concat(words.terms, words.excluded, words.described, words.titles).forEach(function (word) {
      shardsFor(word).forEach(function (prefix) { needed[prefix] = true; });
    });
    var prefixes = Object.keys(needed).sort();
    return Promise.all(prefixes.map(function (prefix) {
      return script("searchindex/shard-" + manifest.shards[prefix][0] + ".js");
    })).then(function () { return prefixes; });
  }

  // The part of Sphinx's index a query needs, from its shards; and each page's description boost.
  function assemble(words, prefixes) {
    var index = base(), described = {};
    function any(list, key) { return list.some(function (w) { return matches(key, w); }); }
    prefixes.forEach(function (prefix) {
      var shard = shards[prefix];
      Object.keys(shard.keys).forEach(function (key) {
        var parts = shard.keys[key];
        if (any(words.terms, key) || words.excluded.indexOf(key) >= 0) {
          if ("terms" in parts) index.terms[key] = parts.terms;
          if ("titleterms" in parts) index.titleterms[key] = parts.titleterms;
        }
        if (any(words.titles, key)) {
          (parts.alltitles || []).forEach(function (t) { index.alltitles[t] = shard.alltitles[t]; });
          (parts.indexentries || []).forEach(function (e) { index.indexentries[e] = shard.indexentries[e]; });
        }
        words.described.forEach(function (word) {
          if (!matches(key, word)) return;
          (parts.described || []).forEach(function (n) {
            var doc = manifest.docnames[n];
            (described[doc] = described[doc] || {})[word] = true;
          });
        });
      });
    });
    window.BookSearch.boost = {};
    Object.keys(described).forEach(function (doc) {
      window.BookSearch.boost[doc] = Object.keys(described[doc]).length;
    });
    return index;
  }

  function override() {
    if (Search._bookSearch) return;
    // Sphinx's query parser drops numbers; the book's index keeps them (_ext/search.py),
    // so let a query for "4090" or "2,509" look them up.
    var parse = Search._parseQuery;
    Search._parseQuery = function (query) {
      var parsed = parse(query);
      var numbers = query.match(/\d[\d,]*\d/g) || [];
      numbers.forEach(function (n) {
        [n.replace(/,/g, "")].concat(n.split(",")).forEach(function (term) {
          if (term.length >= 2) { parsed[1].add(term); parsed[3].add(term); }
        });
      });
      return parsed;
    };
    // Load the query's shards, then rank with Sphinx's own search and list every result at
    // once (Sphinx adds one every 5 ms, to fetch a snippet for each).
    Search.query = function (query) {
      var mine = ++generation;
      var parsed = Search._parseQuery(query);
      var words = wanted(parsed);
      var output = Search.output, title = Search.title, status = Search.status;
      load().then(function () { return fetchShards(words); }).then(function (prefixes) {
        if (mine !== generation) return;
        Search._index = assemble(words, prefixes);
        var results = Search._performSearch.apply(null, parsed);
        var items = document.createDocumentFragment();
        for (var i = results.length - 1; i >= 0; i--) items.appendChild(resultItem(results[i]));
        output.appendChild(items);
        Search.stopPulse();
        title.innerText = "Search Results";
        status.innerText = !results.length
          ? "Your search did not match any documents. Please make sure that all words are spelled correctly."
          : "Search finished, found " + (results.length === 1 ? "one page" : results.length + " pages") +
            " matching the search query.";
      }, function (error) {
        if (mine !== generation) return;
        Search.stopPulse();
        status.innerText = "The search index could not be loaded (" + error.message + ").";
      });
    };
    Search._bookSearch = true;
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

  // Descriptions are loaded for the results a reader can see, a chunk of pages at a time.
  var visible = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      visible.unobserve(entry.target);
      var doc = entry.target.dataset.doc, n = manifest.docnames.indexOf(doc);
      if (n < 0) return;
      script("searchindex/descriptions-" + Math.floor(n / manifest.chunk) + ".js").then(function () {
        describe(entry.target);
      }, function () {});
    });
  });

  function describe(li) {
    var text = descriptions[li.dataset.doc];
    if (!text || li.querySelector(".result-description")) return;
    var p = document.createElement("p");
    p.className = "result-description";
    p.textContent = text;
    li.appendChild(p);
  }

  // Under each result: the description of the page it leads to; links made relative to this page.
  function decorate(list) {
    list.querySelectorAll("li").forEach(function (li) {
      var a = li.querySelector("a");
      if (!a || li.dataset.decorated) return;
      li.dataset.decorated = "1";
      var href = a.getAttribute("href");
      if (root && href.indexOf(root) !== 0 && !/^[a-z]+:/.test(href)) a.setAttribute("href", root + href);
      li.dataset.doc = href.replace(/\.html.*$/, "");
      if (manifest) visible.observe(li);
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
        if (query.length < 2) { generation++; return; }
        load().then(function () { Search.performSearch(query); });
      }, 150);
    });
  }

  function init() {
    var page = document.querySelector(".bd-search-container #search-results");
    if (page) {  // the search page: Sphinx runs the query from ?q= once the index is set
      watch(page);
      override();
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

  if (typeof Search !== "undefined") override(); // the search page: before Sphinx runs its query
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
