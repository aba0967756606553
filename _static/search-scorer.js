// Search ranking (html_search_scorer), on top of Sphinx's defaults:
// - a page whose one-line description names a searched word ranks higher, since
//   Sphinx's own scores tie for every page that merely mentions it;
// - the bibliography, which names almost every person and work, ranks below the
//   pages that discuss them.
var Scorer = {
  score: (result) => {
    const [docname, , , , score] = result;
    const description = ((window.BOOK_DESCRIPTIONS || {})[docname] || "").toLowerCase();
    const boost = (window.BOOK_QUERY_TERMS || []).filter((t) => description.includes(t)).length * 8;
    return score + boost - (docname === "bibliography" ? 10 : 0);
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
