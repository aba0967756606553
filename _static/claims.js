// Claim cards and the claims ledger (_ext/claims.py). Everything works without this file:
// the citation and BibTeX are in each card's details block, and the ledger table is complete.
// With it, each card gets copy buttons, and the ledger can be sorted and filtered.
(function () {
  "use strict";

  function copyButton(label, getText) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "claim-copy";
    button.textContent = label;
    button.addEventListener("click", function () {
      var text = getText();
      var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = label; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
      } else { fallbackCopy(text); done(); }
    });
    return button;
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  document.querySelectorAll("details.claim-cite").forEach(function (details) {
    var text = details.querySelector(".claim-cite-text");
    var bibtex = details.querySelector(".claim-cite-bibtex");
    var bar = document.createElement("p");
    bar.appendChild(copyButton("Copy citation", function () { return text.textContent; }));
    bar.appendChild(copyButton("Copy BibTeX", function () { return bibtex.textContent; }));
    details.appendChild(bar);
  });

  var FILTERS = [["Source", 2], ["Kind", 4], ["Status", 5]];

  document.querySelectorAll("table.claims-ledger").forEach(function (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var cellText = function (row, col) { return row.cells[col].textContent.trim().replace(/^Status: /, ""); };
    var selects = [];
    var panel = document.createElement("div");
    panel.className = "claims-filters";
    var count = document.createElement("p");
    count.setAttribute("role", "status");

    FILTERS.forEach(function (filter) {
      var label = document.createElement("label");
      label.textContent = filter[0] + " ";
      var select = document.createElement("select");
      select.dataset.column = filter[1];
      var values = Array.from(new Set(rows.map(function (r) { return cellText(r, filter[1]); }))).sort();
      ["All"].concat(values).forEach(function (value) {
        var option = document.createElement("option");
        option.value = value === "All" ? "" : value;
        option.textContent = value;
        select.appendChild(option);
      });
      select.addEventListener("change", apply);
      label.appendChild(select);
      panel.appendChild(label);
      selects.push(select);
    });

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = selects.every(function (s) { return !s.value || cellText(row, +s.dataset.column) === s.value; });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " claims shown.";
    }

    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent.trim();
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var order = cellText(a, col).localeCompare(cellText(b, col));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });

    table.parentNode.insertBefore(panel, table);
    panel.appendChild(count);
    apply();
  });
})();
