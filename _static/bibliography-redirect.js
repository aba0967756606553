/* The bibliography's landing page: an old link to a work (bibliography.html#<key>, from
   when every work was on this page) goes on to the page that lists the work now. The map
   from anchors to pages, _static/bibliography-anchors.js, is written by the build
   (_ext/bibliography_landing.py) and loaded only for an anchor this page does not have. */
(function () {
  "use strict";
  var anchor;
  try {
    anchor = decodeURIComponent(window.location.hash.slice(1));
  } catch (error) {
    return;  // a malformed address: stay on this page
  }
  if (!anchor || document.getElementById(anchor)) return;
  var root = document.documentElement.getAttribute("data-content_root") || "./";
  var script = document.createElement("script");
  script.src = root + "_static/bibliography-anchors.js";
  script.onload = function () {
    var map = window.BOOK_BIBLIOGRAPHY_ANCHORS || {};
    // replace(): the Back button then skips the landing page instead of forwarding again.
    if (Object.prototype.hasOwnProperty.call(map, anchor)) window.location.replace(root + map[anchor]);
  };
  document.head.appendChild(script);
})();
