#!/usr/bin/env python3
"""Benchmark the book against the usual recipe: build, preview, every page, and a 10x book.

Run with `make bench` (or `.venv/bin/python bench/run.py`). Everything happens in temporary
folders and on loopback addresses of this machine: no network, and nothing is written into the
project but bench/latest.md. It prints one Markdown table and writes it there.

What is compared:
  the book          mkdocs.yml as it is (build-time KaTeX, Mermaid checks, bibliography, hooks)
  the floor         the same docs/ with a plain Material config: no hooks, math, citations or diagrams
  the usual recipe  the book with only the method swapped: pymdownx.arithmatex (generic) + KaTeX
                    auto-render in the browser, and Material's own lazy Mermaid loader (its CDN
                    address pointed at the same file on loopback)
  a 10x book        every page copied 9 times, formulas and diagrams altered so that caches miss

Environment:
  BENCH_QUICK=1    one repeat instead of three; Lighthouse for the usual recipe only on diagram pages
  BENCH_GZIP=0     serve pages uncompressed (default: gzip, as static hosts do)
  BENCH_PROFILE=1  also profile one warm build with cProfile into bench/profile.txt
  BENCH_REPORTS=D  keep Lighthouse's JSON reports in folder D (book/, recipe/, floor/)
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import platform
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
NODE_MODULES = ROOT / "node_modules"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = BENCH / "latest.md"
PROFILE_OUTPUT = BENCH / "profile.txt"

QUICK = os.environ.get("BENCH_QUICK") == "1"
GZIP = os.environ.get("BENCH_GZIP", "1") != "0"
PROFILE = os.environ.get("BENCH_PROFILE") == "1"
REPORTS = os.environ.get("BENCH_REPORTS", "")
REPEATS = 1 if QUICK else 3
# Lighthouse runs per page of the book and of the floor (the targets are judged on them): the run
# with the median performance score is reported, as Lighthouse's own guidance on variability has it.
# The usual recipe, a point of comparison far from every target, is run once per page.
LIGHTHOUSE_RUNS = 1 if QUICK else 3
SCALE = 10

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LIGHTHOUSE_CHROME_FLAGS = " ".join(["--headless=new", *BROWSER_ARGS])
PREVIEW_CHAPTER = "docs/course/part-1/lesson-01-definition.md"
PREVIEW_URL = "course/part-1/lesson-01-definition/"
# Pages of the plain Material floor measured too: what the theme alone scores on this machine.
FLOOR_PAGES = ("contributing/", "course/part-1/lesson-01-definition/")
# Project files that are not part of a build (copies of the project leave them out).
NOT_COPIED = {".git", ".venv", "node_modules", "site", ".cache", "bench", ".pytest_cache", ".ruff_cache", "__pycache__"}
MATH_JS_RE = re.compile(r"(katex|mathjax|auto-render|tex-(mml|chtml|svg))[^/]*\.js(\?|$)", re.IGNORECASE)
MERMAID_CDN = "https://unpkg.com/mermaid@11/dist/mermaid.min.js"
RECIPE_ASSETS = "assets/recipe"

# Targets -----------------------------------------------------------------------------------------

PERF_PLAIN = 0.98
PERF_DIAGRAM = 0.95
MAX_PLAIN_KB = 250
WARM_PER_FLOOR = 1.5
COLD_PER_WARM = 2.0
MAX_PREVIEW_S = 1.0


# Data --------------------------------------------------------------------------------------------


@dataclass
class Lighthouse:
    scores: dict[str, float | None]  # performance, accessibility, best-practices, seo
    lcp_ms: float
    tbt_ms: float
    cls: float
    failed: list[str] = field(default_factory=list)  # audits below 1 in accessibility, best practices, SEO
    benchmark: float = 0.0  # Lighthouse's CPU benchmarkIndex: lower means a slower (or busier) machine
    error: str = ""
    runs: list[float] = field(default_factory=list)  # the performance score of every run made


@dataclass
class PageMetrics:
    path: str
    diagram: bool
    math: bool
    transferred: int  # bytes on the wire, headers included
    decoded: int  # bytes after decompression
    requests: int
    math_js: list[str]
    external: list[str]
    largest: tuple[str, int]  # (file name, bytes on the wire)
    lighthouse: Lighthouse | None = None


@dataclass
class Builds:
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    recipe: float = 0.0
    pages: int = 0
    formulas: int = 0


@dataclass
class Scale:
    pages: int
    cold: float
    warm: float
    formulas: int


@dataclass
class Target:
    name: str
    measured: str
    met: bool


# Machine -----------------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return platform.processor() or "unknown CPU"
    for line in out.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def machine_line() -> str:
    now = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return f"{now} · CPU {cpu_model()} · {os.cpu_count()} 核 · 内存 {memory_gib():.0f} GiB · Python {platform.python_version()}"


# Projects in temporary folders -------------------------------------------------------------------


def copy_project(dest: Path) -> Path:
    """A copy of the project's sources (node_modules linked); returns its mkdocs.yml."""

    def ignore(_folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in NOT_COPIED or n.endswith(".egg-info")}

    shutil.copytree(ROOT, dest, ignore=ignore)
    (dest / "node_modules").symlink_to(NODE_MODULES)
    # The history too (small), so that hooks reading it (last-updated dates) do the same work.
    with contextlib.suppress(OSError, shutil.Error):
        shutil.copytree(ROOT / ".git", dest / ".git")
    return dest / "mkdocs.yml"


def build_env(cache: Path, tmp: Path) -> dict[str, str]:
    """Environment of a build: the book's caches under `cache`, jieba's cache file in `tmp`.

    jieba keeps its dictionary cache in tempfile.gettempdir() (/tmp/jieba.cache): pointing TMPDIR
    at a fresh folder makes it rebuild the cache without deleting the machine's shared one.
    """
    tmp.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "BOOK_CACHE_DIR": str(cache), "TMPDIR": str(tmp), "NO_MKDOCS_2_WARNING": "1"}


def mkdocs_build(config: Path, site: Path, env: dict[str, str], strict: bool = True) -> float:
    """Wall-clock seconds of one `mkdocs build` (the command a reader types), failing loudly."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    command.append("--strict" if strict else "--no-strict")
    start = time.perf_counter()
    proc = subprocess.run(command, check=False, capture_output=True, text=True, encoding="utf-8", env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
    return elapsed


def count_files(folder: Path, pattern: str = "*.html") -> int:
    return sum(1 for _ in folder.glob(pattern)) if folder.is_dir() else 0


def site_pages(site: Path) -> list[str]:
    """URL paths of every page of a built site (not the 404 page, not assets)."""
    found = [p.relative_to(site).parent for p in site.rglob("index.html") if "assets" not in p.parts]
    return sorted("" if folder == Path(".") else f"{folder.as_posix()}/" for folder in found)


# The plain Material floor ------------------------------------------------------------------------

FLOOR_CONFIG = """\
site_name: 大模型算法工程：入门与进阶
site_url: http://127.0.0.1:8000/
theme:
  name: material
  language: zh
  font: false
  features: [navigation.sections, navigation.indexes, navigation.top, navigation.footer,
             navigation.tracking, toc.follow, search.highlight, search.suggest,
             content.code.copy, content.footnote.tooltips, content.tooltips]
extra_css:
  - stylesheets/book.css
plugins:
  - search:
      lang: zh
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
  - pymdownx.details
  - pymdownx.highlight:
      anchor_linenums: true
  - pymdownx.inlinehilite
  - pymdownx.snippets:
      base_path: [{docs}]
  - pymdownx.superfences
  - pymdownx.blocks.caption:
      types:
        - name: figure-caption
          prefix: "图 {{}}"
        - name: table-caption
          prefix: "表 {{}}"
"""


def make_floor(dest: Path) -> Path:
    """The same docs with a plain Material config: no hooks, math, citations or diagram handling."""
    shutil.copytree(ROOT / "docs", dest / "docs")
    config = dest / "mkdocs.yml"
    config.write_text(FLOOR_CONFIG.format(docs=json.dumps(str(dest / "docs"))), encoding="utf-8")
    return config


# The usual recipe: arithmatex + KaTeX auto-render + Mermaid in the browser -----------------------

RECIPE_KATEX_INIT = """\
// Material for MkDocs' documented KaTeX recipe
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$",  right: "$$",  display: true },
      { left: "$",   right: "$",   display: false },
      { left: "\\\\(", right: "\\\\)", display: false },
      { left: "\\\\[", right: "\\\\]", display: true }
    ],
  })
})
"""


def replace_once(text: str, pattern: str, replacement: str, flags: int = re.MULTILINE) -> str:
    new, count = re.subn(pattern, replacement, text, count=1, flags=flags)
    if count != 1:
        raise SystemExit(f"bench: cannot derive the usual recipe from mkdocs.yml (no match for {pattern!r})")
    return new


def recipe_config(text: str) -> str:
    """The book's mkdocs.yml with only the math and diagram method swapped for the usual recipe."""
    text = re.sub(r"^[ \t]*-[ \t]*hooks/(math|mermaid|assets)\.py[ \t]*(#.*)?\n", "", text, flags=re.MULTILINE)
    text = replace_once(
        text,
        r"^(?P<i>[ \t]*)# markdown_katex is added by hooks/math\.py[^\n]*\n",
        r"\g<i>- pymdownx.arithmatex:\n\g<i>    generic: true\n",
    )
    text = replace_once(text, r"^strict:.*$", "strict: false")
    css = f"  - {RECIPE_ASSETS}/katex/katex.min.css\n"
    scripts = "".join(f"  - {RECIPE_ASSETS}/{name}\n" for name in ("katex-init.js", "katex.min.js", "auto-render.min.js"))
    text = replace_once(text, r"^extra_css:[ \t]*\n", "extra_css:\n" + css) if re.search(r"^extra_css:", text, re.MULTILINE) else text + "\nextra_css:\n" + css
    if re.search(r"^extra_javascript:", text, re.MULTILINE):
        return replace_once(text, r"^extra_javascript:[ \t]*\n", "extra_javascript:\n" + scripts)
    return text + "\nextra_javascript:\n" + scripts


def make_recipe(dest: Path) -> Path:
    config = copy_project(dest)
    config.write_text(recipe_config(config.read_text(encoding="utf-8")), encoding="utf-8")
    (dest / "overrides" / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    assets = dest / "docs" / RECIPE_ASSETS
    katex = NODE_MODULES / "katex" / "dist"
    shutil.copytree(katex / "fonts", assets / "katex" / "fonts")
    shutil.copy(katex / "katex.min.css", assets / "katex" / "katex.min.css")
    shutil.copy(katex / "katex.min.js", assets / "katex.min.js")
    shutil.copy(katex / "contrib" / "auto-render.min.js", assets / "auto-render.min.js")
    shutil.copy(NODE_MODULES / "mermaid" / "dist" / "mermaid.min.js", assets / "mermaid.min.js")
    (assets / "katex-init.js").write_text(RECIPE_KATEX_INIT, encoding="utf-8")
    return config


def point_mermaid_loader_at_loopback(site: Path) -> None:
    """Material loads Mermaid from a CDN on pages with a diagram: load the same file from the site."""
    bundles = list((site / "assets" / "javascripts").glob("bundle.*.min.js"))
    patched = 0
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        if MERMAID_CDN in text:
            bundle.write_text(text.replace(MERMAID_CDN, f"/{RECIPE_ASSETS}/mermaid.min.js"), encoding="utf-8")
            patched += 1
    if not patched:
        raise SystemExit(f"bench: Material's bundle no longer loads {MERMAID_CDN}: update MERMAID_CDN")


# A 10x book: copies of every page, their formulas and diagrams changed so that caches miss -------

FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def closing_math(line: str, start: int) -> int:
    """Index of the `$` closing an inline formula whose TeX starts at `start`, or -1."""
    i = start
    while i < len(line):
        if line[i] == "\\":
            i += 2
        elif line[i] == "$":
            return i
        else:
            i += 1
    return -1


def perturb_line(line: str, prefix: str, display: bool) -> tuple[str, bool]:
    """Prefix the TeX of every formula opening on this line; returns (line, inside $$ … $$)."""
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if char == "\\":
            out.append(line[i : i + 2])
            i += 2
        elif char == "`" and not display:
            run = re.match(r"`+", line[i:]).group()
            close = line.find(run, i + len(run))
            end = i + len(run) if close == -1 else close + len(run)
            out.append(line[i:end])
            i = end
        elif line.startswith("$$", i):
            out.append("$$" if display else "$$" + prefix)
            display = not display
            i += 2
        elif char == "$" and not display and i + 1 < n and line[i + 1] not in " `":
            close = closing_math(line, i + 1)
            if close == -1:
                out.append(char)
                i += 1
            else:
                out.append("$" + prefix + line[i + 1 : close + 1])
                i = close + 1
        else:
            out.append(char)
            i += 1
    return "".join(out), display


def perturb(markdown: str, copy: int) -> str:
    """A copy of a page whose formulas and Mermaid diagrams differ (empty TeX groups, a comment)."""
    prefix = "{}" * copy
    out: list[str] = []
    fence: re.Match[str] | None = None
    display = False
    for line in markdown.split("\n"):
        opening = FENCE_RE.match(line)
        if fence is None and not display and opening:
            fence = opening
            out.append(line)
        elif fence is not None:
            mark = fence["fence"]
            stripped = line.strip()
            if stripped.startswith(mark) and set(stripped) == {mark[0]}:
                if fence["info"].strip() == "mermaid":
                    out.append(f"{fence['indent']}%% copy {copy}")
                fence = None
            out.append(line)
        else:
            line, display = perturb_line(line, prefix, display)
            out.append(line)
    return "\n".join(out)


def add_to_nav(config_text: str, entries: list[str]) -> str:
    """Append nav entries (already formatted lines) at the end of the top-level nav block."""
    match = re.search(r"^nav:[ \t]*\n(?:(?:[ \t]+[^\n]*|[ \t]*)\n)*", config_text, re.MULTILINE)
    if match is None:
        return config_text
    block = match.group().rstrip("\n") + "\n"
    return config_text[: match.start()] + block + "".join(entries) + config_text[match.end() :]


def make_scaled(dest: Path, factor: int) -> tuple[Path, int]:
    """A copy of the book with factor-1 extra copies of each page; returns (mkdocs.yml, pages added)."""
    config = copy_project(dest)
    docs = dest / "docs"
    sources = sorted(docs.rglob("*.md"))
    entries: list[str] = []
    for copy in range(2, factor + 1):
        entries.append(f"  - 副本 {copy}:\n")
        for source in sources:
            target = source.with_name(f"{source.stem}-copy{copy}.md")
            target.write_text(perturb(source.read_text(encoding="utf-8"), copy), encoding="utf-8")
            entries.append(f"      - {target.relative_to(docs).as_posix()}\n")
    config.write_text(add_to_nav(config.read_text(encoding="utf-8"), entries), encoding="utf-8")
    return config, len(sources) * (factor - 1)


# Serving a built site on loopback ----------------------------------------------------------------

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files over HTTP/1.1 keep-alive, gzip-compressed like a static host (GZIP=True)."""

    protocol_version = "HTTP/1.1"
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".woff2": "font/woff2",
        ".js": "text/javascript",
    }
    compressed: ClassVar[dict[tuple[str, float], bytes]] = {}
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def target_file(self) -> str | None:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return None  # let the stdlib redirect
            path = os.path.join(path, "index.html")
        return path if os.path.isfile(path) else None

    def gzipped(self, path: str) -> bytes:
        key = (path, os.path.getmtime(path))
        with self.lock:
            if key not in self.compressed:
                self.compressed[key] = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
            return self.compressed[key]

    def send_head(self):  # type: ignore[override] - the stdlib's untyped signature
        path = self.target_file()
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (GZIP and wants and path and self.guess_type(path).startswith(COMPRESSIBLE)):
            return super().send_head()
        data = self.gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", self.date_time_string(int(os.path.getmtime(path))))
        self.end_headers()
        return io.BytesIO(data)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """A threaded loopback HTTP server for a built site; yields its base URL."""
    handler = functools.partial(SiteHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


# Page metrics: Playwright (bytes, requests) and Lighthouse (scores, LCP, TBT, CLS) ---------------


def page_kind(site: Path, path: str) -> tuple[bool, bool]:
    """(has a Mermaid diagram, has math) from a built page's HTML."""
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return 'class="mermaid"' in html, ('class="katex' in html or 'class="arithmatex' in html)


def browser_metrics(browser, base: str, path: str, site: Path) -> PageMetrics:
    """Load one page in a fresh context and add up every request it (and its workers) made."""
    context = browser.new_context()
    finished: list = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    page.goto(base + path, wait_until="load")
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=30_000)
    page.wait_for_timeout(500)
    transferred = decoded = 0
    largest = ("", 0)
    for request in finished:
        sizes = request.sizes()
        wire = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        transferred += wire
        response = request.response()
        body = 0
        with contextlib.suppress(Exception):
            body = len(response.body()) if response else 0
        decoded += body
        if wire > largest[1]:
            largest = (request.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "(page)", wire)
    urls = [r.url for r in finished]
    context.close()
    diagram, math = page_kind(site, path)
    return PageMetrics(
        path="/" + path,
        diagram=diagram,
        math=math,
        transferred=transferred,
        decoded=decoded,
        requests=len(urls),
        math_js=[u for u in urls if MATH_JS_RE.search(u)],
        external=[u for u in urls if not u.startswith(("http://127.0.0.1", "data:", "blob:"))],
        largest=largest,
    )


def lighthouse(url: str, report: Path) -> Lighthouse:
    """Lighthouse's default (mobile) run of one URL."""
    command = [
        str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
        f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
    ]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    try:
        subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=240)
        data = json.loads(report.read_text(encoding="utf-8"))
    except (subprocess.TimeoutExpired, OSError, json.JSONDecodeError) as error:
        return Lighthouse({}, 0.0, 0.0, 0.0, error=f"lighthouse: {error}")
    audits, categories = data["audits"], data["categories"]
    names = ("performance", "accessibility", "best-practices", "seo")
    failed = sorted(
        {
            ref["id"]
            for name in names[1:]
            for ref in categories.get(name, {}).get("auditRefs", [])
            if ref.get("weight") and audits.get(ref["id"], {}).get("score") is not None
            and audits[ref["id"]]["score"] < 1
        }
    )
    return Lighthouse(
        scores={name: categories.get(name, {}).get("score") for name in names},
        lcp_ms=audits["largest-contentful-paint"].get("numericValue") or 0.0,
        tbt_ms=audits["total-blocking-time"].get("numericValue") or 0.0,
        cls=audits["cumulative-layout-shift"].get("numericValue") or 0.0,
        failed=failed,
        benchmark=data.get("environment", {}).get("benchmarkIndex") or 0.0,
        error=(data.get("runtimeError") or {}).get("message", ""),
    )


def median_lighthouse(url: str, reports: Path, name: str, runs: int) -> Lighthouse:
    """`runs` Lighthouse runs of one URL; the one with the median performance score, knowing all scores."""
    results = [lighthouse(url, reports / (f"{name}.json" if runs == 1 else f"{name}-{run + 1}.json")) for run in range(runs)]
    good = [r for r in results if not r.error and r.scores.get("performance") is not None]
    if not good:
        return results[0]
    good.sort(key=lambda r: r.scores["performance"])
    chosen = good[(len(good) - 1) // 2]
    chosen.runs = [r.scores["performance"] for r in results if not r.error and r.scores.get("performance") is not None]
    return chosen


def measure_site(
    site: Path, reports: Path, with_lighthouse: Callable[[PageMetrics], bool], only: tuple[str, ...] = (), runs: int = 1
) -> list[PageMetrics]:
    """Browser metrics of every page (or only those listed), and Lighthouse where asked."""
    from playwright.sync_api import sync_playwright

    reports.mkdir(parents=True, exist_ok=True)
    paths = [path for path in site_pages(site) if not only or path in only]
    with serve(site) as base:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
            metrics = [browser_metrics(browser, base, path, site) for path in paths]
            browser.close()
        for page in metrics:
            if with_lighthouse(page):
                log(f"  lighthouse {page.path}")
                name = page.path.strip("/").replace("/", "--") or "index"
                page.lighthouse = median_lighthouse(base + page.path.lstrip("/"), reports, name, runs)
    return metrics


# Preview: time from saving a chapter to the rebuilt page under `mkdocs serve --dirty` (make serve) ----


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return ""


def wait_for(url: str, token: str, timeout: float, interval: float = 0.02) -> float | None:
    """Seconds until the page at url contains token (None after timeout)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if token in fetch(url):
            return time.perf_counter() - start
        time.sleep(interval)
    return None


def measure_preview(project: Path, env: dict[str, str], log_file: Path) -> list[float]:
    """Seconds from saving the chapter to the served page showing the change (first save discarded)."""
    config = copy_project(project)
    chapter = project / PREVIEW_CHAPTER
    original = chapter.read_text(encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{PREVIEW_URL}"
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(config), "-a", f"127.0.0.1:{port}"]  # as make serve
    with log_file.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=project)
    try:
        if wait_for(url, "</html>", timeout=180, interval=0.2) is None:
            raise SystemExit(f"mkdocs serve did not come up:\n{log_file.read_text()[-3000:]}")
        times: list[float] = []
        for attempt in range(REPEATS + 1):
            token = f"BENCHMARK{attempt}x{time.time_ns()}"
            start = time.perf_counter()
            chapter.write_text(f"{original.rstrip()}\n\n{token}\n", encoding="utf-8")
            waited = wait_for(url, token, timeout=120)
            if waited is None:
                raise SystemExit(f"the preview never showed the change:\n{log_file.read_text()[-3000:]}")
            times.append(time.perf_counter() - start)
            time.sleep(1.0)  # let the livereload server settle before the next save
        return times[1:]
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# Profile ---------------------------------------------------------------------------------------


def profile_build(config: Path, site: Path, env: dict[str, str], output: Path) -> list[str]:
    """cProfile one warm build; write the top functions by own time and cumulative time."""
    stats_file = output.with_suffix(".prof")
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "mkdocs", "build", "-q",
               "-f", str(config), "-d", str(site)]
    subprocess.run(command, env=env, capture_output=True, check=True)
    buffer = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=buffer)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    output.write_text(buffer.getvalue(), encoding="utf-8")
    stats_file.unlink()
    top = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:5]  # type: ignore[attr-defined]
    return [f"{Path(f).name}:{line} {name} {data[2]:.2f}s" for (f, line, name), data in top]


# Report -------------------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def kb(count: int) -> str:
    return f"{count / 1024:,.0f} KB"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def page_cell(page: PageMetrics | None) -> str:
    if page is None:
        return "—"
    parts = [f"{kb(page.transferred)}（解压 {kb(page.decoded)}）· {page.requests} 个请求", f"最大 {page.largest[0]} {kb(page.largest[1])}"]
    if page.math_js:
        parts.append("数学 JS " + ", ".join(u.rsplit("/", 1)[-1] for u in page.math_js))
    if page.external:
        parts.append(f"外部请求 {len(page.external)}")
    lh = page.lighthouse
    if lh and not lh.error:
        s = lh.scores
        parts.append(
            f"性能 {score(s.get('performance'))} 无障碍 {score(s.get('accessibility'))} "
            f"最佳实践 {score(s.get('best-practices'))} SEO {score(s.get('seo'))}"
        )
        if len(lh.runs) > 1:
            parts.append(f"{len(lh.runs)} 次的性能分：{'、'.join(score(v) for v in sorted(lh.runs))}")
        parts.append(f"LCP {lh.lcp_ms / 1000:.2f} s · TBT {lh.tbt_ms:.0f} ms · CLS {lh.cls:.3f}")
        if lh.failed:
            parts.append("未通过：" + ", ".join(lh.failed))
    elif lh:
        parts.append(f"Lighthouse 失败：{lh.error[:80]}")
    return "<br>".join(parts)


def page_failures(page: PageMetrics) -> list[str]:
    """The per-page targets this page misses."""
    misses: list[str] = []
    lh = page.lighthouse
    if lh and not lh.error:
        need = PERF_DIAGRAM if page.diagram else PERF_PLAIN
        perf = lh.scores.get("performance")
        if perf is None or perf < need:
            misses.append(f"性能 {score(perf)} < {need}")
        for name, label in (("accessibility", "无障碍"), ("best-practices", "最佳实践"), ("seo", "SEO")):
            value = lh.scores.get(name)
            if value is None or value < 1:
                misses.append(f"{label} {score(value)}")
    elif lh:
        misses.append("Lighthouse 失败")
    if not page.diagram and page.transferred > MAX_PLAIN_KB * 1024:
        misses.append(f"{kb(page.transferred)} > {MAX_PLAIN_KB} KB")
    if page.math_js:
        misses.append("下载数学 JS")
    return misses


def lh_value(page: PageMetrics, getter: Callable[[Lighthouse], float | None]) -> float | None:
    lh = page.lighthouse
    return getter(lh) if lh and not lh.error else None


def seconds_or_ms(metric: str, value: float) -> str:
    return f"{value / 1000:.2f} s" if metric == "lcp_ms" else f"{value:.0f} ms"


def diagram_target(diagram: list[PageMetrics], recipe: dict[str, PageMetrics], metric: str, label: str) -> Target:
    """Book against recipe on the diagram pages: the medians decide (one Lighthouse run per page is noisy)."""
    name = f"有图页 {label} 优于常规做法（各有图页中位数）"
    pairs = []
    for page in diagram:
        other = recipe.get(page.path)
        ours = lh_value(page, lambda lh: getattr(lh, metric))
        theirs = lh_value(other, lambda lh: getattr(lh, metric)) if other else None
        if ours is not None and theirs is not None:
            pairs.append((ours, theirs))
    if not diagram:
        return Target(name, "无有图页", True)
    if len(pairs) < len(diagram):
        return Target(name, f"{len(diagram) - len(pairs)} 页无数据", False)
    ours, theirs = median([p[0] for p in pairs]), median([p[1] for p in pairs])
    wins = sum(1 for a, b in pairs if a < b)
    measured = f"{seconds_or_ms(metric, ours)} 对 {seconds_or_ms(metric, theirs)}；逐页 {wins}/{len(pairs)} 页更好"
    return Target(name, measured, ours < theirs)


def targets(builds: Builds, preview: list[float], book: list[PageMetrics], recipe: dict[str, PageMetrics]) -> list[Target]:
    warm, floor = median(builds.warm), median(builds.floor)
    plain = [p for p in book if not p.diagram]
    diagram = [p for p in book if p.diagram]
    result: list[Target] = []

    def perf_target(pages: list[PageMetrics], need: float, label: str) -> None:
        if not pages:
            result.append(Target(label, "无此类页面", True))
            return
        values = [(lh_value(p, lambda lh: lh.scores.get("performance")), p.path) for p in pages]
        known = [(v, path) for v, path in values if v is not None]
        if not known:
            result.append(Target(label, "无数据", False))
            return
        low, where = min(known)
        result.append(Target(label, f"最低 {low:.2f}（{where}）", low >= need and len(known) == len(pages)))

    perf_target(plain, PERF_PLAIN, f"Lighthouse 性能 ≥ {PERF_PLAIN}（无图页，{len(plain)} 页）")
    perf_target(diagram, PERF_DIAGRAM, f"Lighthouse 性能 ≥ {PERF_DIAGRAM}（有图页，{len(diagram)} 页）")
    for name, label in (("accessibility", "无障碍"), ("best-practices", "最佳实践"), ("seo", "SEO")):
        values = [(lh_value(p, lambda lh, n=name: lh.scores.get(n)), p.path) for p in book]
        bad = [f"{path} {score(v)}" for v, path in values if v is None or v < 1]
        result.append(Target(f"{label} = 1.00（每页）", "全部 1.00" if not bad else "；".join(bad), not bad))
    heaviest = max(plain, key=lambda p: p.transferred, default=None)
    result.append(
        Target(
            f"无图页传输 ≤ {MAX_PLAIN_KB} KB",
            f"最大 {kb(heaviest.transferred)}（{heaviest.path}）" if heaviest else "无数据",
            heaviest is not None and heaviest.transferred <= MAX_PLAIN_KB * 1024,
        )
    )
    math_pages = [p.path for p in book if p.math_js]
    result.append(Target("没有页面下载数学 JS", "无" if not math_pages else "、".join(math_pages), not math_pages))
    for metric, label in (("lcp_ms", "LCP"), ("tbt_ms", "TBT")):
        result.append(diagram_target(diagram, recipe, metric, label))
    result.append(Target(f"热构建 ≤ {WARM_PER_FLOOR} × 下限", f"{warm:.2f} s = {warm / floor:.2f} × {floor:.2f} s", warm <= WARM_PER_FLOOR * floor))
    cold = median(builds.cold)
    result.append(Target(f"冷构建 ≤ {COLD_PER_WARM} × 热构建", f"{cold:.2f} s = {cold / warm:.2f} × 热", cold <= COLD_PER_WARM * warm))
    result.append(Target(f"预览 ≤ {MAX_PREVIEW_S} s（热）", f"中位数 {median(preview):.2f} s", median(preview) <= MAX_PREVIEW_S))
    return result


def runs(values: list[float]) -> str:
    return "、".join(f"{v:.2f}" for v in values)


def per(seconds: float, pages: int) -> str:
    return f"{seconds / pages * 1000:.0f} ms/页"


def row(*cells: str) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"


def verdict(met: bool) -> str:
    return "**达标**" if met else "**未达标**"


def build_rows(builds: Builds, preview: list[float], scale: Scale) -> list[str]:
    warm, floor, cold, pages = median(builds.warm), median(builds.floor), median(builds.cold), builds.pages
    return [
        row(
            f"构建·冷（空 KaTeX/Mermaid/jieba 缓存，{len(builds.cold)} 次中位数）",
            f"{cold:.2f} s（{runs(builds.cold)}）",
            f"下限 {floor:.2f} s",
            f"{cold / floor:.2f} × 下限；{cold / warm:.2f} × 热",
            f"{verdict(cold <= COLD_PER_WARM * warm)}（≤ {COLD_PER_WARM} × 热）",
        ),
        row(
            f"构建·热（{len(builds.warm)} 次中位数）",
            f"{warm:.2f} s（{runs(builds.warm)}）",
            f"下限 {floor:.2f} s（{runs(builds.floor)}）",
            f"{warm / floor:.2f} × 下限",
            f"{verdict(warm <= WARM_PER_FLOOR * floor)}（≤ {WARM_PER_FLOOR} × 下限）",
        ),
        row("构建·常规做法（arithmatex，1 次）", "—", f"{builds.recipe:.2f} s", f"{builds.recipe / floor:.2f} × 下限", "—"),
        row(
            f"预览：保存一章到页面更新（mkdocs serve --dirty，热，{len(preview)} 次中位数）",
            f"{median(preview):.2f} s（{runs(preview)}）",
            "—",
            "—",
            f"{verdict(median(preview) <= MAX_PREVIEW_S)}（≤ {MAX_PREVIEW_S} s）",
        ),
        row(
            f"规模 1×：{pages} 页，{builds.formulas} 条公式",
            f"冷 {per(cold, pages)}；热 {per(warm, pages)}",
            "—",
            "—",
            "—",
        ),
        row(
            f"规模 {SCALE}×：{scale.pages} 页，{scale.formulas} 条公式",
            f"冷 {per(scale.cold, scale.pages)}（{scale.cold:.1f} s）；热 {per(scale.warm, scale.pages)}（{scale.warm:.1f} s）",
            "—",
            f"每页耗时是 1× 的：冷 {scale.cold / scale.pages / (cold / pages):.2f} ×，热 {scale.warm / scale.pages / (warm / pages):.2f} ×",
            "—",
        ),
    ]


def page_rows(book: list[PageMetrics], recipe: dict[str, PageMetrics]) -> list[str]:
    rows = []
    for page in book:
        other = recipe.get(page.path)
        kind = ("有图" if page.diagram else "无图") + ("、有公式" if page.math else "")
        ratio = f"传输 {page.transferred / other.transferred:.2f} × 常规" if other and other.transferred else "—"
        misses = page_failures(page)
        rows.append(row(f"页面 {page.path}（{kind}）", page_cell(page), page_cell(other), ratio, verdict(not misses) + "".join(f"；{m}" for m in misses)))
    return rows


def render_table(
    builds: Builds,
    preview: list[float],
    scale: Scale,
    book: list[PageMetrics],
    recipe: dict[str, PageMetrics],
    floor: list[PageMetrics],
) -> str:
    lines = [row("测量", "本书", "常规做法 / 下限", "比值", "结论"), row("---", "---", "---", "---", "---")]
    lines += build_rows(builds, preview, scale)
    lines += page_rows(book, recipe)
    lines += [row(f"下限页面 {page.path}（纯 Material，公式与图为原文）", "—", page_cell(page), "—", "参照") for page in floor]
    lines += [row(f"目标：{t.name}", t.measured, "", "", verdict(t.met)) for t in targets(builds, preview, book, recipe)]
    return "\n".join(lines)


def load_average() -> str:
    return "、".join(f"{value:.1f}" for value in os.getloadavg())


def benchmark_range(pages: list[PageMetrics]) -> str:
    values = sorted(p.lighthouse.benchmark for p in pages if p.lighthouse and p.lighthouse.benchmark)
    return f"{median(values):.0f}（{values[0]:.0f}–{values[-1]:.0f}）" if values else "—"


def render_report(machine: str, loads: tuple[str, str], table: str, seconds: float, pages: list[PageMetrics]) -> str:
    serving = "gzip 压缩，同常见静态托管" if GZIP else "不压缩"
    mode = "快速模式（BENCH_QUICK=1）" if QUICK else f"构建与预览重复 {REPEATS} 次取中位数"
    return (
        f"{machine}\n\n"
        f"页面由本机回环地址上的 http.server 提供（多线程，{serving}）；Lighthouse 13.5.0 默认移动端设置，"
        f"本书与下限的每页跑 {LIGHTHOUSE_RUNS} 次、取性能分居中的一次（常规做法每页 1 次），"
        f"CPU 基准 benchmarkIndex 中位数 {benchmark_range(pages)}；"
        f"{mode}；全程 {seconds / 60:.1f} 分钟；系统负载（1/5/15 分钟）开始时 {loads[0]}，结束时 {loads[1]}。\n\n{table}\n"
    )


# Main ---------------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def check_tools() -> None:
    missing = [str(p) for p in (CHROMIUM, LIGHTHOUSE, NODE_MODULES / "katex", NODE_MODULES / "mermaid") if not p.exists()]
    if missing:
        raise SystemExit("bench needs " + ", ".join(missing) + ": run `make deps browser` first")


def measure_builds(tmp: Path) -> tuple[Builds, Path, dict[str, str], Path]:
    """Cold, warm and floor builds, in rounds (each cold build with new, empty caches, then a warm
    build on what it left, then the floor), so that a slow spell of the machine touches all three;
    returns the last round's cache environment and the built site."""
    builds = Builds()
    site = tmp / "site"
    floor_config = make_floor(tmp / "floor")
    for attempt in range(REPEATS):
        cache = tmp / f"cache-{attempt}"
        env = build_env(cache, tmp / f"tmpdir-{attempt}")
        log(f"round {attempt + 1}/{REPEATS}: cold build, warm build, floor")
        builds.cold.append(mkdocs_build(ROOT / "mkdocs.yml", site, env))
        if attempt == 0:
            builds.formulas = count_files(cache / "katex")
            builds.pages = len(site_pages(site))
            mkdocs_build(floor_config, tmp / "floor-site", env, strict=False)  # warm-up (jieba, imports)
        builds.warm.append(mkdocs_build(ROOT / "mkdocs.yml", site, env))
        builds.floor.append(mkdocs_build(floor_config, tmp / "floor-site", env, strict=False))
    return builds, site, env, cache


def measure_scale(tmp: Path) -> Scale:
    config, _added = make_scaled(tmp / "scaled", SCALE)
    cache = tmp / "scaled-cache"
    env = build_env(cache, tmp / "scaled-tmpdir")
    site = tmp / "scaled-site"
    log(f"cold build of the {SCALE}x book")
    cold = mkdocs_build(config, site, env)
    log(f"warm build of the {SCALE}x book")
    warm = mkdocs_build(config, site, env)
    return Scale(pages=len(site_pages(site)), cold=cold, warm=warm, formulas=count_files(cache / "katex"))


def main() -> int:
    check_tools()
    started = time.perf_counter()
    load_at_start = load_average()
    machine = machine_line()
    log(machine)
    with tempfile.TemporaryDirectory(prefix="book-bench-") as folder:
        tmp = Path(folder)
        builds, site, env, _cache = measure_builds(tmp)
        if PROFILE:
            log("profiling a warm build")
            for line in profile_build(ROOT / "mkdocs.yml", tmp / "profile-site", env, PROFILE_OUTPUT):
                log(f"  {line}")
        log("recipe build")
        recipe_config_path = make_recipe(tmp / "recipe")
        builds.recipe = mkdocs_build(recipe_config_path, tmp / "recipe-site", env, strict=False)
        point_mermaid_loader_at_loopback(tmp / "recipe-site")
        log("preview under mkdocs serve --dirty")
        preview = measure_preview(tmp / "serve", env, tmp / "serve.log")
        log("pages of the book")
        book = measure_site(site, tmp / "lighthouse-book", lambda page: True, runs=LIGHTHOUSE_RUNS)
        log("pages of the plain Material floor")
        floor_pages = measure_site(
            tmp / "floor-site", tmp / "lighthouse-floor", lambda page: True, FLOOR_PAGES, runs=LIGHTHOUSE_RUNS
        )
        log("pages of the usual recipe")
        recipe_pages = measure_site(tmp / "recipe-site", tmp / "lighthouse-recipe", lambda page: page.diagram or not QUICK)
        scale = measure_scale(tmp)
        if REPORTS:
            for name in ("book", "recipe", "floor"):
                shutil.copytree(tmp / f"lighthouse-{name}", Path(REPORTS) / name, dirs_exist_ok=True)
    recipe = {page.path: page for page in recipe_pages}
    table = render_table(builds, preview, scale, book, recipe, floor_pages)
    report = render_report(
        machine, (load_at_start, load_average()), table, time.perf_counter() - started, book + recipe_pages + floor_pages
    )
    OUTPUT.write_text(report, encoding="utf-8")
    print(report)
    log(f"written to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
