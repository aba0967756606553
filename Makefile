# Annotated AI Policy Reader: `make help` lists the targets.
# The first target that needs them creates .venv and installs the pinned dependencies.

PYTHON    ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
BUILDDIR  := _build
SPHINXOPTS ?= -n -W --keep-going -j auto
# Dates in the output come from the last commit, never from the clock (reproducible builds).
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.DEFAULT_GOAL := help
.PHONY: help html live test check linkcheck bench clean lock new-page epub stale

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.docs-installed: requirements/docs.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/docs.lock
	touch $@

$(BIN)/.test-installed: $(BIN)/.docs-installed requirements/test.lock
	$(BIN)/python -m pip install --quiet -r requirements/test.lock
	touch $@

html: $(BIN)/.docs-installed ## Build the book into _build/html (strict: any warning fails)
	@# Start from an empty output folder, so a deleted page's HTML is never published;
	@# the doctree cache lives in _build/doctrees and keeps rebuilds incremental.
	@if [ -d $(BUILDDIR)/html ]; then find $(BUILDDIR)/html -mindepth 1 -maxdepth 1 -exec rm -rf {} +; fi
	$(BIN)/sphinx-build -b html -d $(BUILDDIR)/doctrees $(SPHINXOPTS) . $(BUILDDIR)/html
	@echo "Open $(BUILDDIR)/html/index.html"

epub: $(BIN)/.docs-installed ## Build the book as an EPUB 3 into _build/epub (strict)
	rm -rf $(BUILDDIR)/epub
	$(BIN)/sphinx-build -b epub -n -W --keep-going -d $(BUILDDIR)/doctrees-epub . $(BUILDDIR)/epub
	@echo "EPUB: $(BUILDDIR)/epub/annotated-ai-policy-reader.epub"

live: $(BIN)/.docs-installed ## Serve the book on 127.0.0.1:8000, rebuilding on every save
	BOOK_LIVE=1 $(BIN)/sphinx-autobuild --host 127.0.0.1 --port 8000 -n --keep-going -d $(BUILDDIR)/live-doctrees . $(BUILDDIR)/live

node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	  else echo "npm is missing: the accessibility tests (axe-core) will be skipped."; fi

test: $(BIN)/.test-installed node_modules/.installed ## Run the tests (builds the book once; drives Chromium)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; } || \
	  echo "Chromium is missing and cannot be installed here: browser tests will be skipped."
	@command -v java >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }; } || \
	  echo "Java is missing and cannot be installed here: the EPUBCheck test will be skipped."
	$(BIN)/python -m pytest

# Hooks to skip (comma-separated pre-commit ids), e.g. CHECK_SKIP=originality.
CHECK_SKIP ?=

check: $(BIN)/.test-installed ## The quick checks: the pre-commit hooks on every file (workflows, configuration, front matter, drafts), then the tests without a browser
	SKIP=$(CHECK_SKIP) $(BIN)/pre-commit run --all-files --show-diff-on-failure
	$(BIN)/python -m pytest -m "not browser and not slow"

new-page: ## Scaffold a draft page: make new-page PAGE=newsletter/import-ai-376/some-item TITLE="Some item"
	@test -n "$$PAGE" -a -n "$$TITLE" || { echo 'usage: make new-page PAGE=folder/slug TITLE="The title"'; exit 2; }
	@$(PYTHON) tools/new_page.py "$$PAGE" "$$TITLE"  # from the environment: a title may hold quotes

linkcheck: $(BIN)/.docs-installed ## Check every external link (needs a network)
	$(BIN)/sphinx-build -b linkcheck -n . $(BUILDDIR)/linkcheck

# Synthetic book sizes for make bench, e.g. SIZES=100,500,2000 (the issue's targets); default 20,100.
SIZES ?= 20,100
bench: $(BIN)/.test-installed ## Measure build, edit loop, memory, page weight and search (SIZES=100,500,2000; see bench/README.md)
	$(BIN)/python bench/run.py --sizes $(SIZES)

STALE_DAYS ?= 365
stale: $(BIN)/.docs-installed ## List forecasts past their review date and claims judged over STALE_DAYS (365) days ago
	$(BIN)/python -m _ext.claims stale --max-age-days $(STALE_DAYS)

clean: ## Remove the build output and generated figures (keeps .venv)
	rm -rf $(BUILDDIR) _generated

.PHONY: audit
audit: ## List negative claims and statements about the present, to re-check (a report; never fails)
	$(PYTHON) tools/audit.py

lock: ## Re-pin every dependency from pyproject.toml into requirements/*.lock
	rm -rf $(BUILDDIR)/lock-venv && $(PYTHON) -m venv $(BUILDDIR)/lock-venv
	$(PYTHON) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb')); \
	  print('\n'.join(p['project']['dependencies'])); open('$(BUILDDIR)/test.in', 'w').write('\n'.join(p['dependency-groups']['test']))" \
	  > $(BUILDDIR)/docs.in
	$(BUILDDIR)/lock-venv/bin/pip install --quiet -r $(BUILDDIR)/docs.in
	( echo "# Exact versions of everything the book's build needs. Regenerate with: make lock"; \
	  $(BUILDDIR)/lock-venv/bin/pip freeze ) > requirements/docs.lock
	$(BUILDDIR)/lock-venv/bin/pip install --quiet -r $(BUILDDIR)/test.in
	( echo "# Exact versions the tests add on top of docs.lock. Regenerate with: make lock"; echo "-r docs.lock"; \
	  $(BUILDDIR)/lock-venv/bin/pip freeze | grep -vxFf requirements/docs.lock ) > requirements/test.lock
