// Search ranking (html_search_scorer), on top of Sphinx's defaults:
// - a page whose one-line description has a searched word (or a word it begins) ranks
//   higher, since Sphinx's own scores tie for every page that merely mentions it; search.js
//   counts those words per page from the index shards (window.BookSearch.boost);
// - the bibliography's pages (bibliography.html and bibliography/*), which name almost
//   every person and work, rank below the pages that discuss them.
var Scorer = {
  score: (result) => {
    const [docname, , , , score] = result;
    const boost = ((window.BookSearch && window.BookSearch.boost[docname]) || 0) * 8;
    const bibliography = docname === "bibliography" || docname.startsWith("bibliography/");
    return score + boost - (bibliography ? 10 : 0);
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
