"""Lighthouse scores of a built page, mobile and desktop, served as a static host serves it.

    .venv/bin/python bench/lighthouse.py [PAGE]     # default: essays/open-source-ai.html

Installs the npm package `lighthouse` (pinned below) into bench/.lighthouse on first use,
builds nothing (run `make html` first), serves _build/html on 127.0.0.1 twice, once plain
and once gzip-compressed as static hosts and CDNs serve it, and runs Lighthouse with
Debian's Chromium. Prints the four category scores for each combination; writes
bench/results/lighthouse.json. Scores vary from run to run on a shared machine.
"""

import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: import tools
from tools.devtools import CHROMIUM, CHROMIUM_ARGS, ROOT, QuietHandler

SITE = ROOT / "_build" / "html"
TOOLS = ROOT / "bench" / ".lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
VERSION = "12"
FLAGS = " ".join(CHROMIUM_ARGS)


class Handler(QuietHandler):
    compress = False

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (self.compress and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        data = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def serve(compress):
    handler = functools.partial(type("H", (Handler,), {"compress": compress}), directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def scores(url, preset, out):
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--chrome-flags=" + FLAGS,
        "--output=json",
        "--output-path=" + str(out),
    ]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    subprocess.run(cmd, check=True, env=dict(os.environ, CHROME_PATH=CHROMIUM), timeout=300)
    report = json.loads(out.read_text())
    return {name: round(category["score"] * 100) for name, category in report["categories"].items()}


def main():
    page = sys.argv[1] if len(sys.argv) > 1 else "essays/open-source-ai.html"
    if not (SITE / page).exists():
        sys.exit("no %s: run `make html` first" % (SITE / page))
    if not LIGHTHOUSE.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "lighthouse@" + VERSION],
            check=True,
        )
    results = {}
    for compress in (False, True):
        server = serve(compress)
        url = "http://127.0.0.1:%d/%s" % (server.server_address[1], page)
        for preset in ("mobile", "desktop"):
            key = "%s, %s" % (preset, "gzip" if compress else "uncompressed")
            results[key] = scores(url, preset, TOOLS / "report.json")
            print("%-22s %s" % (key, results[key]))
        server.shutdown()
    out = ROOT / "bench" / "results" / "lighthouse.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"page": page, "scores": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
