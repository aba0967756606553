"""In `make live`, show the build's warnings on the served page itself.

sphinx-autobuild prints warnings in the terminal and serves the page anyway, so a
broken reference is easy to miss. When ``BOOK_LIVE`` is set (the Makefile sets it
for ``make live`` only), this extension collects the warnings of each build and
writes them to ``_static/live-warnings.js``, which every page loads; the script
pins a red banner listing them to the top of the page. Other builds are untouched.
"""

import copy
import json
import logging
import os
from pathlib import Path

from sphinx.util.logging import WarningLogRecordTranslator

SCRIPT = """\
/* Written by _ext/live_warnings.py for `make live` only. */
(function () {
  "use strict";
  var warnings = %s;
  if (!warnings.length) return;
  function show() {
    var box = document.createElement("div");
    box.className = "live-warnings";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:sticky;top:0;z-index:2000;background:#b00020;color:#fff;" +
      "padding:.6em 1em;font:14px/1.4 system-ui,sans-serif;max-height:40vh;overflow:auto";
    var title = document.createElement("strong");
    title.textContent = warnings.length + (warnings.length === 1 ? " warning" : " warnings") +
      " in the last build: `make html` would fail.";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.margin = ".3em 0 0";
    warnings.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.insertBefore(box, document.body.firstChild);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();
})();
"""


class _Collector(logging.Handler):
    def __init__(self, app):
        super().__init__(level=logging.WARNING)
        self.translator = WarningLogRecordTranslator(app)
        self.messages = []

    def emit(self, record):
        record = copy.copy(record)  # Sphinx's own handlers format the original
        self.translator.filter(record)  # a node or (docname, line) becomes "file:line"
        location = getattr(record, "location", None)
        message = record.getMessage()
        if location and not message.startswith(str(location)):  # Sphinx's handler may have prefixed it
            message = "%s: %s" % (location, message)
        if message not in self.messages:
            self.messages.append(message)


def write_script(app, exception):
    if app.builder.format != "html":
        return
    collector = app._live_warnings
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "live-warnings.js").write_text(
        SCRIPT % json.dumps(collector.messages, indent=1), encoding="utf-8"
    )
    collector.messages = []


def setup(app):
    if os.environ.get("BOOK_LIVE"):
        collector = _Collector(app)
        logging.getLogger("sphinx").addHandler(collector)
        app._live_warnings = collector
        app.add_js_file("live-warnings.js")
        app.connect("build-finished", write_script)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
