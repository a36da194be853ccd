"""Shared fixtures: the book built once, small temporary books, a loopback server and Chromium."""

from __future__ import annotations

import functools
import hashlib
import http.server
import importlib.util
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def load_module(folder: str, name: str):
    """Import <folder>/<name>.py by file path, as MkDocs loads a hook and `python scripts/x.py` runs a
    script: with its folder on sys.path while it loads, so that it imports the modules beside it."""
    module_name = f"book_{folder}_{name}" if folder != "hooks" else f"book_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, ROOT / folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    old_path = sys.path.copy()
    sys.path.insert(0, str(ROOT / folder))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = old_path
    return module


def load_hook(name: str):
    """Import hooks/<name>.py the way MkDocs does (as module book_<name>)."""
    return load_module("hooks", name)


def load_script(name: str):
    """Import scripts/<name>.py (as module book_scripts_<name>)."""
    return load_module("scripts", name)


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps its files in a temporary folder, not in .hypothesis/ of the current directory."""
    config.hypothesis_home = tempfile.mkdtemp(prefix="hypothesis-")
    set_hypothesis_home_dir(config.hypothesis_home)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(getattr(config, "hypothesis_home", ""), ignore_errors=True)


SETTINGS = load_hook("_config")
CHROMIUM, BROWSER_ARGS = SETTINGS.FULL_CHROMIUM, SETTINGS.BROWSER_ARGS  # as the build runs it


@dataclass
class Build:
    returncode: int
    output: str
    site: Path

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith(("WARNING", "ERROR"))]


def run_build(config: Path, site: Path, env: dict[str, str] | None = None) -> Build:
    proc = subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**BUILD_ENV, **(env or {})},
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, site)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The whole book, built once with --strict into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    build = run_build(ROOT / "mkdocs.yml", site)
    assert build.returncode == 0, build.output
    assert build.warnings == [], build.output
    return build


@pytest.fixture(scope="session")
def site(built: Build) -> Path:
    return built.site


def pages(site_dir: Path) -> list[Path]:
    """Every HTML page of the book (not the 404 page)."""
    return sorted(p for p in site_dir.rglob("index.html") if "assets" not in p.parts)


# Small temporary books for error cases ----------------------------------------------------------

# The book's own configuration (hooks, extensions, plugins, strict validation), for a book of a few
# pages: no nav (MkDocs makes one), none of the book's stylesheets and scripts.
MINI_CONFIG = f"""\
INHERIT: {ROOT / "mkdocs.yml"}
site_name: 测试书
nav: null
extra_css: []
extra_javascript: []
"""

MINI_BIB = """\
@inproceedings{vaswani2017attention,
  author = {Vaswani, Ashish and Shazeer, Noam},
  title  = {Attention Is All You Need},
  booktitle = {Advances in Neural Information Processing Systems 30},
  year   = {2017},
  eprint = {1706.03762},
  archiveprefix = {arXiv},
}
"""


class MiniBook:
    """A throw-away book using the project's real hooks, templates and node_modules."""

    def __init__(self, root: Path, cache: Path) -> None:
        self.root = root
        self.cache = cache
        for name in ("hooks", "overrides", "scripts"):
            shutil.copytree(ROOT / name, root / name)
        shutil.copy(ROOT / "glossary.yml", root / "glossary.yml")
        (root / "node_modules").symlink_to(ROOT / "node_modules")
        (root / "docs").mkdir()
        self.bib(MINI_BIB)
        self.config(MINI_CONFIG)

    def config(self, text: str) -> None:
        (self.root / "mkdocs.yml").write_text(text, encoding="utf-8")

    def bib(self, text: str) -> None:
        (self.root / "references.bib").write_text(text, encoding="utf-8")

    def page(self, path: str, text: str) -> Path:
        target = self.root / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def build(self) -> Build:
        return run_build(self.root / "mkdocs.yml", self.root / "site", {"BOOK_CACHE_DIR": str(self.cache)})


@pytest.fixture
def minibook(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> MiniBook:
    return MiniBook(tmp_path / "book", tmp_path_factory.getbasetemp() / "mini-cache")


# Waiting for conditions, digests, ports ----------------------------------------------------------


class Served:
    """A `mkdocs serve` on loopback whose log is read line by line as MkDocs writes it: a test waits
    for MkDocs' own messages (a condition the reader thread signals), never by polling the pages."""

    REBUILT = "Reloading browsers"  # MkDocs logs it once a rebuild's pages are written (a failed one too: hooks/serve.py)

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.closed = False
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def output(self) -> str:
        with self.changed:
            return "".join(self.lines)

    def count(self, text: str) -> int:
        with self.changed:
            return sum(text in line for line in self.lines)

    def wait_for(self, text: str, count: int = 1, timeout: float = 120.0) -> bool:
        """Whether `text` has been logged `count` times, waiting until it has, the server ends or `timeout` passes."""
        with self.changed:
            self.changed.wait_for(lambda: self.closed or sum(text in line for line in self.lines) >= count, timeout)
            return sum(text in line for line in self.lines) >= count

    def rebuilt(self, since: int) -> bool:
        """Whether a rebuild finished after the `since`-th one (0: the first since start)."""
        return self.wait_for(self.REBUILT, since + 1)

    def stop(self) -> None:
        # SIGTERM, not SIGINT: a shell running the suite in the background (`make test &`) ignores
        # SIGINT, the server inherits that, and would never stop; nothing here tests Ctrl-C.
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=20)
        self.reader.join(timeout=20)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_digest(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part in skip for part in p.relative_to(folder).parts)
    }


def search_for(page, words: str) -> None:
    """Type into Material's search as a reader does: it reads the query on key events, once its
    worker has indexed the book (the placeholder then invites typing)."""
    search = page.locator("input.md-search__input")
    search.click()
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent.trim() === '键入以开始搜索'",
        timeout=30000,
    )
    search.fill(words)
    search.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)


# Unasserted warnings fail the test --------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_unasserted_warnings(caplog: pytest.LogCaptureFixture):
    """Any WARNING logged under mkdocs.* during a test must be consumed (caplog.clear()) by the test."""
    caplog.set_level(logging.INFO, logger="mkdocs")
    yield
    stray = [r for r in caplog.get_records("call") if r.levelno >= logging.WARNING and r.name.startswith("mkdocs")]
    assert not stray, f"unasserted warnings: {[r.getMessage() for r in stray]}"


# Loopback server and Chromium -------------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


class LoopbackServer(http.server.ThreadingHTTPServer):
    """A browser that leaves a page while it still loads resets the connection: no error worth a traceback."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def server(site: Path):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = LoopbackServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield chromium
        chromium.close()


# The book's other forms (tests/test_formats.py) ------------------------------------------------


@dataclass
class Formats:
    site: Path  # a copy of the built site, with the decks and the EPUB written into it
    slides_output: str
    epub_output: str

    @property
    def epub(self) -> Path:
        return self.site / "epub" / "llm-book.epub"

    def decks(self) -> list[Path]:
        return sorted((self.site / "slides").glob("*.html"))


@pytest.fixture(scope="session")
def formats(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Formats:
    """`scripts/slides.py` and `scripts/epub.py --check` run on a copy of the session's built site,
    as `make slides` and `make epub` run them on site/ (the copy leaves the session's site as built)."""
    copy = tmp_path_factory.mktemp("formats") / "site"
    shutil.copytree(site, copy)
    runs = {}
    for name, args in {"slides": ["scripts/slides.py"], "epub": ["scripts/epub.py", "--check"]}.items():
        proc = subprocess.run(
            [sys.executable, *args, "--site", str(copy)],
            cwd=ROOT, capture_output=True, text=True, encoding="utf-8", env=BUILD_ENV,
        )
        assert proc.returncode == 0, f"{name}: {proc.stdout}\n{proc.stderr}"
        runs[name] = proc.stdout + proc.stderr
    return Formats(copy, runs["slides"], runs["epub"])
