"""Mermaid diagrams: checked and drawn to SVG at build time, `click` links resolved through the Files API."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import html as html_lib
import json
import logging
import os
import posixpath
import re
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import material
from jinja2 import Template
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils import meta as mkdocs_meta

log = logging.getLogger("mkdocs.plugins.mermaid")

NAMELESS_TYPES = ("timeline", "mindmap")  # their SVG carries no <title>/<desc> whatever the source says
FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
ERROR_LINE_RE = re.compile(r"(?:Parse error on line|Lexical error on line|line) (\d+)")
# click NODE "target.md" ["tooltip"]   or   click NODE href "target.md#anchor" ["tooltip"]
CLICK_RE = re.compile(r'^(?P<head>\s*click\s+\S+\s+(?:href\s+)?)"(?P<target>[^"#]+\.md)(?P<anchor>#[^"]*)?"(?P<tail>.*)$')
# What pymdownx.superfences' fence_code_format makes of a ```mermaid fence (mkdocs.yml).
BLOCK_RE = re.compile(r'<pre class="mermaid"><code>(?P<text>.*?)</code></pre>', re.DOTALL)
# Material's stylesheet for Mermaid: a string constant in its bundle (its CSS variables follow the palette).
THEME_CSS_RE = re.compile(r'="(\.node circle,[^"]*)"')
MATERIAL_ASSETS = Path(material.__file__).parent / "templates" / "assets"
TEMPLATE = "partials/diagram.html"
PRINT_PLUGIN = "print-site"  # mkdocs.pdf.yml
# Slimming a drawing: what Mermaid writes for its own scripts and animations, marker shapes no
# line uses, and style rules for classes and attributes the drawing does not have.
SLIM_VERSION = "1"  # part of the cache key: a change to the slimming redraws every diagram
STYLE_RE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
DROPPED_ATTR_RE = re.compile(r' (?:data-points|data-et|data-id|data-edge|data-node)="[^"]*"| style=";?"')
MARKER_RE = re.compile(r'<marker id="(?P<id>[^"]+)".*?</marker>', re.DOTALL)
CLASS_ATTR_RE = re.compile(r'\bclass="([^"]*)"')
CLASS_SELECTOR_RE = re.compile(r"\.(-?[_a-zA-Z][-\w]*)")
ATTR_SELECTOR_RE = re.compile(r'\[([-\w]+)="([^"]*)"\]')
# Where a diagram stands until the page is finished (on_post_page): excluded from search, like the drawing.
PLACEHOLDER_START, PLACEHOLDER_END = '<div class="mermaid" data-search-exclude data-drawing="', '"></div>'
PLACEHOLDER_RE = re.compile(re.escape(PLACEHOLDER_START) + r"(?P<key>[\w-]+)" + re.escape(PLACEHOLDER_END))


@dataclass(frozen=True)
class Diagram:
    name: str  # the page file as authors name it
    line: int  # file line of the diagram's first line
    text: str  # as the rendered page holds it: `click` targets already resolved


def diagrams(markdown: str) -> list[tuple[int, list[str]]]:
    """(first body line of the diagram, its lines) for every ```mermaid fence."""
    found, lines, i = [], markdown.split("\n"), 0
    while i < len(lines):
        fence = FENCE_RE.match(lines[i])
        if not fence:
            i += 1
            continue
        close = f"{fence['indent']}{fence['fence']}"
        end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == close), len(lines))
        if fence["info"].strip() == "mermaid":
            found.append((i + 2, lines[i + 1 : end]))
        i = end + 1
    return found


def resolve_clicks(markdown: str, page_src: str, page_url: str, files: Files) -> tuple[str, list[tuple[int, str]]]:
    """Rewrite `click` targets written as .md paths into URLs relative to the page; list unknown targets."""
    errors: list[tuple[int, str]] = []
    lines = markdown.split("\n")
    for start, body in diagrams(markdown):
        for offset, line in enumerate(body):
            match = CLICK_RE.match(line)
            if not match:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page_src), match["target"]))
            file = files.get_file_from_path(target)
            if file is None or not file.is_documentation_page():
                errors.append((start + offset, f"Mermaid click target {match['target']!r} is not a page of the book"))
                continue
            url = get_relative_url(file.url, page_url) + (match["anchor"] or "")
            lines[start - 1 + offset] = f'{match["head"]}"{url}"{match["tail"]}'
    return "\n".join(lines), errors


def missing_descriptions(sources: dict[str, tuple[int, list[tuple[int, list[str]]]]]) -> list[str]:
    """Diagrams without accTitle and accDescr: screen readers get nothing from an unlabeled SVG."""
    errors = []
    for name, (offset, found) in sources.items():
        for start, lines in found:
            kind = next((l.split()[0] for l in lines if l.strip()), "")
            if kind in NAMELESS_TYPES:
                errors.append(f"{name}:{offset + start}: {kind} diagrams drop accTitle/accDescr in Mermaid 11: draw a flowchart")
                continue
            absent = [key for key in ("accTitle", "accDescr") if not any(l.strip().startswith(key) for l in lines)]
            if absent:
                errors.append(f"{name}:{offset + start}: diagram lacks {' and '.join(absent)} (its accessible name)")
    return errors



def diagram_id(text: str) -> str:
    """The SVG's id: the same diagram always gets the same one, so builds are reproducible."""
    return "mermaid-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def cache_name(text: str, salt: str) -> str:
    return hashlib.sha256((salt + "\0" + text).encode("utf-8")).hexdigest() + ".svg"


def theme_css(bundle_text: str, bundle_name: str) -> str:
    """Material's own Mermaid stylesheet, taken from its (pinned) JavaScript bundle."""
    match = THEME_CSS_RE.search(bundle_text)
    if match is None:
        raise PluginError(f"hooks/mermaid.py: no Mermaid stylesheet found in Material's {bundle_name}")
    return match[1]


def css_rules(css: str) -> list[tuple[str, str]]:
    """(prelude, block) of every top-level rule of a stylesheet (Mermaid's has no comments or strings with braces)."""
    rules, depth, start, prelude = [], 0, 0, ""
    for i, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude, start = css[start:i], i
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                rules.append((prelude, css[start : i + 1]))
                start = i + 1
    return rules


def selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        depth += (char in "([") - (char in ")]")
        if char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    return [*parts, prelude[start:]]


def used_css(css: str, markup: str) -> str:
    """The rules of css whose selectors can match markup: every class and [attr="value"] they name is there."""
    classes = {name for value in CLASS_ATTR_RE.findall(markup) for name in value.split()}

    def alive(selector: str) -> bool:
        return all(name in classes for name in CLASS_SELECTOR_RE.findall(selector)) and all(
            f'{name}="{value}"' in markup for name, value in ATTR_SELECTOR_RE.findall(selector)
        )

    kept = []
    for prelude, block in css_rules(css):
        if prelude.lstrip().startswith("@"):  # keyframes
            kept.append(prelude + block)
        elif matching := [selector for selector in selectors(prelude) if alive(selector)]:
            kept.append(",".join(matching) + block)
    return "".join(kept)


def slim_svg(svg: str) -> str:
    """The same drawing in about half the bytes (see DROPPED_ATTR_RE, MARKER_RE, used_css)."""
    body = DROPPED_ATTR_RE.sub("", svg)
    body = MARKER_RE.sub(lambda m: m.group() if f"url(#{m['id']})" in body else "", body)
    if style := STYLE_RE.search(body):
        css = used_css(style[1], STYLE_RE.sub("", body))
        body = STYLE_RE.sub(lambda _: f"<style>{css}</style>", body, count=1)
    return body


def error_message(diagram: Diagram, error: str) -> str:
    """'file:line: …' for a diagram Mermaid refused, the line taken from Mermaid's message."""
    where = ERROR_LINE_RE.search(error)
    line = diagram.line + int(where[1]) - 1 if where else diagram.line
    return f"{diagram.name}:{line}: invalid Mermaid diagram: {' '.join(error.split())[:300]}"


CHROMIUM_ARGS = (
    "--remote-debugging-pipe",  # the DevTools protocol on file descriptors 3 (commands) and 4 (answers)
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--mute-audio", "--font-render-hinting=none",
    "--allow-file-access-from-files",  # mermaid's ES module build loads its chunks from file://
    # as Puppeteer starts it: a page in the background is never slowed down, nor a busy one stopped
    "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows", "--disable-renderer-backgrounding",
    "--disable-hang-monitor", "--disable-ipc-flooding-protection", "--disable-breakpad", "--disable-dev-shm-usage",
)
# mermaid's getConfig (`X=name(()=>assignWithDepth({},config),"getConfig")` once minified) and the
# relative imports of the module defining it: see bookCopyConfig in scripts/mermaid-render.js.
GETCONFIG_RE = re.compile(r'(?P<head>[\w$]+=[\w$]+\(\(\)=>)[\w$]+\(\{\},(?P<config>[\w$]+)\)(?P<tail>,"getConfig"\))')
RELATIVE_IMPORT_RE = re.compile(r'(?P<head>\b(?:from|import)\s*\(?\s*)"(?P<path>\.{1,2}/[^"]+)"')
# How long Chromium may take: to start and load mermaid; to draw (a second a diagram is ten times what it takes)
SETUP_TIMEOUT, DRAW_TIMEOUT, DRAW_TIMEOUT_EACH = 60, 60, 1
PAGE_GONE = {"Target.targetCrashed", "Target.detachedFromTarget", "Inspector.targetCrashed", "Inspector.detached"}


def faster_config_module(chunks: Path) -> dict[str, str] | None:
    """{url, text} of mermaid's module defining getConfig, rewritten so that getConfig calls the page's
    bookCopyConfig and the module imports its neighbours by absolute URL; None if no module matches
    (another mermaid: it then draws as it is, only slower)."""
    for path in sorted(chunks.glob("*.mjs")):
        data = path.read_bytes()
        if b',"getConfig")' not in data:
            continue
        text, count = GETCONFIG_RE.subn(r"\g<head>globalThis.bookCopyConfig(\g<config>)\g<tail>", data.decode("utf-8"))
        if count == 1:
            url = path.as_uri()
            text = RELATIVE_IMPORT_RE.sub(lambda m, base=url: f'{m["head"]}"{urljoin(base, m["path"])}"', text)
            return {"url": url, "text": text}
    return None


class RendererError(Exception):
    """Chromium ended, hung, or its page threw: the build reports it with Chromium's log."""


def in_background(function: Callable, *args) -> Future:
    """function(*args) in a daemon thread: a Chromium that hangs never holds up the interpreter's exit."""
    future: Future = Future()

    def run() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(function(*args))
            except Exception as error:  # handed to whoever asks for the result
                future.set_exception(error)

    threading.Thread(target=run, daemon=True).start()
    return future


class DevTools:
    """Chromium's DevTools protocol on the pipe --remote-debugging-pipe opens: JSON messages, each ended by NUL."""

    def __init__(self, commands: int, answers: int) -> None:
        # buffered: a raw write to a pipe can stop part way (a signal comes in), and a command cut short
        # leaves Chromium waiting for its end for ever; BufferedWriter writes on until all is written
        self.writer, self.reader = os.fdopen(commands, "wb"), os.fdopen(answers, "rb", buffering=0)
        self.lock = threading.Lock()  # one writer at a time, and none once closed
        self.last_id, self.rest = 0, b""
        self.results: dict[int, dict] = {}
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        with self.lock:
            if self.writer.closed:
                raise RendererError("Chromium was closed")
            self.last_id += 1
            message = {"id": self.last_id, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            try:
                self.writer.write(json.dumps(message).encode("utf-8") + b"\0")
                self.writer.flush()
            except OSError as error:
                raise RendererError(f"Chromium ended ({error.strerror})") from None
            return self.last_id

    def receive(self, deadline: float) -> dict:
        """The next message; RendererError if Chromium ends, or says nothing until the deadline (time.monotonic())."""
        parts = [self.rest]
        while b"\0" not in parts[-1]:
            if not select.select([self.reader], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise RendererError("Chromium did not answer in time")
            chunk = self.reader.read(1 << 20)
            if not chunk:
                raise RendererError("Chromium ended")
            parts.append(chunk)
        head, _, self.rest = parts.pop().partition(b"\0")
        message = json.loads(b"".join([*parts, head]))
        if "id" in message:
            self.results[message["id"]] = message
        elif message["method"] in PAGE_GONE:  # its commands would never be answered
            raise RendererError(f"a page of Chromium's went away ({message['method']})")
        else:
            self.events.append(message)
        return message

    def wait(self, ids: list[int], timeout: float) -> list[dict]:
        """The results of these commands, in order; events that come meanwhile are kept for event()."""
        deadline = time.monotonic() + timeout
        while any(i not in self.results for i in ids):
            self.receive(deadline)
        answers = [self.results.pop(i) for i in ids]
        if errors := [answer["error"].get("message", "") for answer in answers if "error" in answer]:
            raise RendererError("; ".join(errors))
        return [answer["result"] for answer in answers]

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        return self.wait([self.send(method, params, session)], SETUP_TIMEOUT)[0]

    def event(self, wanted: Callable[[dict], bool], timeout: float) -> dict:
        """The first event (kept or still to come) that `wanted` accepts."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if wanted(event):
                    self.events.remove(event)
                    return event
            self.receive(deadline)

    def close_commands(self) -> None:
        """Chromium quits when the pipe it reads its commands from is closed. If Chromium has gone,
        the writer's last flush fails (broken pipe): it still closes its end."""
        with self.lock, contextlib.suppress(OSError):
            self.writer.close()


class Renderer:
    """Debian's headless Chromium, driven by this hook through its DevTools pipe (scripts/mermaid-render.html):
    it starts, opens its pages and loads mermaid (a few tenths of a second) from the moment it is made,
    and the diagrams follow, so it can be started before they are known. Each page is a renderer
    process of its own; drawing is layout work on one main thread, so a page per spare core."""

    def __init__(self, job: dict, workers: int | None = None) -> None:
        self.job, self.lock, self.closed, self.drawing = job, threading.Lock(), False, False
        self.folder = Path(tempfile.mkdtemp(prefix="book-mermaid-"))  # Chromium's profile and log
        commands, answers = os.pipe(), os.pipe()
        with open(self.folder / "chromium.log", "wb") as log_file:
            self.process = subprocess.Popen(  # bash puts the pipe's ends on fds 3 and 4 (dash takes one digit)
                ["bash", "-c", f'exec "$@" 3<&{commands[0]} 4>&{answers[1]}', "bash", job["chromium"], *CHROMIUM_ARGS,
                 f"--user-data-dir={self.folder / 'profile'}", "about:blank"],
                pass_fds=(commands[0], answers[1]), stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
                start_new_session=True,  # Chromium's processes (and a wrapper's) end together if it must be killed
            )
        os.close(commands[0])
        os.close(answers[1])
        self.devtools = DevTools(commands[1], answers[0])
        atexit.register(self.close)  # a build that failed or was interrupted still leaves nothing behind
        count = max(1, min(len(os.sched_getaffinity(0)) - 1, 4, workers or 4))
        self.pages = in_background(self.open_pages, count)

    def open_pages(self, count: int) -> list[str]:
        """Open `count` pages, each in a browser context of its own, and load mermaid in them; their sessions."""
        sessions, loads = [], []
        self.devtools.call("Target.setDiscoverTargets", {"discover": True})  # so that a crash is told (PAGE_GONE)
        for _ in range(count):
            context = self.devtools.call("Target.createBrowserContext")["browserContextId"]
            target = self.devtools.call("Target.createTarget", {"url": "about:blank", "browserContextId": context})
            session = self.devtools.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
            sessions.append(session["sessionId"])
            self.devtools.call("Page.enable", session=sessions[-1])
            self.devtools.call("Page.setLifecycleEventsEnabled", {"enabled": True}, sessions[-1])
            navigation = self.devtools.call("Page.navigate", {"url": Path(self.job["page"]).as_uri()}, sessions[-1])
            if navigation.get("errorText"):
                raise RendererError(f"{self.job['page']}: {navigation['errorText']}")
            loads.append((sessions[-1], navigation["loaderId"]))
        for session, loader in loads:
            self.devtools.event(lambda e, s=session, l=loader: e.get("sessionId") == s and e["method"] == "Page.lifecycleEvent"
                                and e["params"]["name"] == "load" and e["params"]["loaderId"] == l, SETUP_TIMEOUT)
        setup = {
            "stylesheets": [Path(p).as_uri() for p in self.job["stylesheets"]],
            "mermaid": Path(self.job["mermaid"]).as_uri(),
            "configModule": faster_config_module(Path(self.job["mermaid"]).parent / "chunks" / "mermaid.esm.min")
            if self.job.get("fast_config", True) else None,
        }
        self.evaluate([(session, f"bookRenderer.setup({json.dumps(setup)})") for session in sessions], SETUP_TIMEOUT)
        return sessions

    def evaluate(self, calls: list[tuple[str, str]], timeout: float) -> list:
        """Run expressions in their pages all at once, awaiting their promises; their values."""
        ids = [self.devtools.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                       "returnByValue": True}, session) for session, expression in calls]
        values = []
        for result in self.devtools.wait(ids, timeout):
            if "exceptionDetails" in result:
                details = result["exceptionDetails"]
                raise RendererError(details.get("exception", {}).get("description") or details.get("text", "error"))
            values.append(result["result"].get("value"))
        return values

    def draw(self, pending: list[Diagram]) -> list[dict[str, str]]:
        """Parse and draw the diagrams; one result each, in order. Chromium closes in the background."""
        self.drawing = True
        try:
            sessions = self.pages.result()
            diagrams = [{"id": diagram_id(d.text), "text": d.text} for d in pending]
            n = len(sessions)  # diagram i is drawn by page i % n
            drawn = self.evaluate([
                (session, f"bookRenderer.draw({json.dumps({'themeCSS': self.job['themeCSS'], 'diagrams': diagrams[w::n]})})")
                for w, session in enumerate(sessions)
            ], DRAW_TIMEOUT + DRAW_TIMEOUT_EACH * len(diagrams))
            return [drawn[i % n][i // n] for i in range(len(diagrams))]
        except (RendererError, OSError) as error:
            raise PluginError(f"Mermaid renderer failed ({self.job['chromium']}): {error}{self.log()}") from None
        finally:
            self.drawing = False
            threading.Thread(target=self.close, daemon=True).start()  # the build need not wait; its exit does

    def log(self) -> str:
        """The end of what Chromium printed, for an error message."""
        with contextlib.suppress(OSError):
            text = (self.folder / "chromium.log").read_text(encoding="utf-8", errors="replace").strip()
            return f"\n  Chromium said: {text[-2000:]}" if text else ""
        return ""

    def close(self) -> None:
        """End Chromium and remove its folder; a second call waits for the first. Anything still waiting
        on Chromium is told it ended."""
        with self.lock:
            if self.closed:
                return
            self.devtools.close_commands()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            with contextlib.suppress(ProcessLookupError):  # renderer processes outliving their browser
                os.killpg(self.process.pid, signal.SIGKILL)
            shutil.rmtree(self.folder, ignore_errors=True)
            with contextlib.suppress(Exception):
                self.pages.exception(timeout=10)  # the pages' set-up ends with Chromium, if it had not ended
            if not self.drawing:  # else the drawing thread still reads it: it has its answer (EOF) and goes
                self.devtools.reader.close()
            self.closed = True


def draw(pending: list[Diagram], job: dict) -> list[dict[str, str]]:
    """Parse and draw diagrams in one headless Chromium; one result each."""
    return Renderer(job, workers=len(pending)).draw(pending)


def replace_blocks(html: str, drawing: Callable[[str], str]) -> str:
    """Swap every Mermaid block of a page for its drawing (drawing: diagram text -> HTML)."""
    return BLOCK_RE.sub(lambda m: drawing(html_lib.unescape(m["text"])), html)


def fill_placeholders(html: str, drawing: Callable[[str], str], waiting: dict[str, str]) -> str:
    """Swap every placeholder of a finished page for the drawing of its diagram."""
    return PLACEHOLDER_RE.sub(lambda m: drawing(waiting[m["key"]]), html)


class Drawings:
    """The SVG of every diagram of the book: from the cache, or drawn in the background while pages render."""

    def __init__(self, cache: Path, salt: str, template: Template | None) -> None:
        self.cache, self.salt, self.template = cache, salt, template  # template: partials/diagram.html
        self.future: Future | None = None
        self.pending: list[Diagram] = []
        self.svgs: dict[str, str] = {}
        self.waiting: dict[str, str] = {}  # placeholder key -> diagram text
        self.unfilled: list[Path] = []  # pages written before the drawings were ready

    def ready(self) -> bool:
        """Whether every drawing can be had without waiting for Chromium."""
        return self.future is None or self.future.done()

    def placeholder(self, text: str) -> str:
        key = diagram_id(text)
        self.waiting[key] = text
        return PLACEHOLDER_START + key + PLACEHOLDER_END

    def start(self, diagrams: list[Diagram], job: dict, renderer: Renderer | None = None) -> None:
        """Take what the cache has; draw the rest in the background (with `renderer` if one was started)."""
        first: dict[str, Diagram] = {}
        for diagram in diagrams:
            first.setdefault(diagram.text, diagram)  # a diagram drawn twice is drawn once
        for text, diagram in first.items():
            path = self.cache / cache_name(text, self.salt)
            if path.is_file():
                self.svgs[text] = path.read_text(encoding="utf-8")
            else:
                self.pending.append(diagram)
        if not self.pending:
            if renderer is not None:
                renderer.close()
            return
        if not job["chromium"]:
            first = self.pending[0]
            raise PluginError(
                f"{first.name}:{first.line}: Mermaid diagrams are drawn at build time by Chromium, "
                "which is not installed: run `make browser` (Debian package chromium-headless-shell) or set CHROMIUM"
            )
        renderer = renderer or Renderer(job, workers=len(self.pending))
        self.future = in_background(renderer.draw, self.pending)

    def finish(self) -> None:
        """Wait for the drawings; 'file:line' errors for every diagram Mermaid refused."""
        if self.future is None:
            return
        results, self.future = self.future.result(), None
        errors = []
        self.cache.mkdir(parents=True, exist_ok=True)
        for diagram, result in zip(self.pending, results):
            if "error" in result:
                errors.append(error_message(diagram, result["error"]))
                continue
            self.svgs[diagram.text] = slim_svg(result["svg"])
            (self.cache / cache_name(diagram.text, self.salt)).write_text(self.svgs[diagram.text], encoding="utf-8")
        self.pending = []
        if errors:
            raise PluginError("Mermaid errors:\n  " + "\n  ".join(errors))

    def svg(self, text: str) -> str:
        self.finish()
        if text not in self.svgs:
            raise PluginError(f"hooks/mermaid.py: no drawing for the diagram beginning {text[:60]!r}")
        return self.svgs[text]

    def html(self, text: str) -> str:
        """A diagram as the page shows it (overrides/partials/diagram.html)."""
        return self.template.render(svg=self.svg(text))

    def fill(self, html: str) -> str:
        return fill_placeholders(html, self.html, self.waiting)


DRAWINGS: Drawings | None = None
EARLY: tuple[Renderer | None, dict, str] | None = None  # from on_config: a renderer already started, the job, the salt


def browser(chosen: str | None, which: Callable[[str], str | None]) -> str | None:
    """The Chromium that draws: CHROMIUM if set, else Debian's headless shell (the same Blink, so the
    same SVG byte for byte, without the full browser's start-up: about a CPU-second less), else chromium."""
    return chosen or which("chromium-headless-shell") or which("chromium")


def render_job(root: Path, extra_css: list[Path]) -> tuple[dict, str]:
    """What the renderer needs, and a cache salt: a new Mermaid, Material, script or stylesheet redraws all."""
    bundle = next((MATERIAL_ASSETS / "javascripts").glob("bundle.*.min.js"))
    stylesheets = sorted((MATERIAL_ASSETS / "stylesheets").glob("*.min.css")) + extra_css
    page, script = root / "scripts/mermaid-render.html", root / "scripts/mermaid-render.js"
    job = {
        "chromium": browser(os.environ.get("CHROMIUM"), shutil.which),
        "mermaid": str(root / "node_modules/mermaid/dist/mermaid.esm.min.mjs"),  # chunks load per diagram type
        "page": str(page),
        "stylesheets": [str(path) for path in stylesheets],
        "themeCSS": theme_css(bundle.read_text(encoding="utf-8"), bundle.name),
    }
    salt = hashlib.sha256((SLIM_VERSION + job["themeCSS"]).encode("utf-8"))
    for path in (root / "node_modules/mermaid/package.json", page, script, *stylesheets):
        salt.update(path.read_bytes())
    return job, salt.hexdigest()


@event_priority(100)  # before the other plugins and hooks set up: they take a few tenths of a second
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """With no drawing in the cache (a first build), start Chromium now: it loads while the rest sets up."""
    global EARLY
    root = Path(config.config_file_path).resolve().parent
    job, salt = book_job(config)
    cold = job["chromium"] and not any(cache_folder(root).glob("*.svg"))
    EARLY = (Renderer(job) if cold else None, job, salt)
    return config


def book_job(config: MkDocsConfig) -> tuple[dict, str]:
    """render_job() for this book: its own stylesheets (its fonts) measure the labels too."""
    extra_css = [Path(config.docs_dir) / str(css) for css in config.extra_css]
    return render_job(Path(config.config_file_path).resolve().parent, [path for path in extra_css if path.is_file()])


def cache_folder(root: Path) -> Path:
    return Path(os.environ.get("BOOK_CACHE_DIR", root / ".cache")) / "mermaid"


@event_priority(100)  # first of the book's on_files: Chromium starts while KaTeX renders the formulas
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Check every diagram of the book, and start drawing the ones not in the cache, all in one Chromium."""
    global DRAWINGS
    root = Path(config.config_file_path).resolve().parent
    sources, found, click_errors = {}, [], []
    for file in files.documentation_pages():
        source = file.content_string
        body, _ = mkdocs_meta.get_data(source)
        offset = source[: len(source) - len(body)].count("\n") if source.endswith(body) else 0
        name = os.path.relpath(file.abs_src_path, root) if file.abs_src_path else f"{file.src_uri} (generated)"
        resolved, errors = resolve_clicks(body, file.src_uri, file.url, files)
        click_errors += [f"{name}:{line + offset}: {message}" for line, message in errors]
        sources[name] = (offset, diagrams(resolved))  # same lines as the author's, click targets resolved
        found += [Diagram(name, offset + start, "\n".join(lines)) for start, lines in sources[name][1]]
    errors = missing_descriptions(sources) + click_errors
    if errors:
        raise PluginError("Mermaid errors:\n  " + "\n  ".join(errors))
    renderer, job, salt = EARLY if EARLY is not None else (None, *book_job(config))
    template = config.theme.get_env().get_template(TEMPLATE)  # once per build, not once per page
    DRAWINGS = Drawings(cache_folder(root), salt, template)
    DRAWINGS.start(found, job, renderer)
    return files


@event_priority(110)  # on the author's lines, before math changes them
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return resolve_clicks(markdown, page.file.src_uri, page.url, files)[0]  # on_files reported the errors


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """A placeholder for each diagram, filled in on_post_page: Chromium may still be drawing, and the
    search plugin, which parses every tag of the content, need not wade through SVG."""
    if DRAWINGS is None or '<pre class="mermaid">' not in html:
        return html
    if config.plugins.get(PRINT_PLUGIN) is not None:  # the print page is put together from the contents
        return replace_blocks(html, DRAWINGS.html)
    return replace_blocks(html, DRAWINGS.placeholder)


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """Fill the placeholders of a finished page, or, while Chromium is still drawing, leave them for on_post_build."""
    if DRAWINGS is None or PLACEHOLDER_START not in output:
        return output
    if not DRAWINGS.ready():
        DRAWINGS.unfilled.append(Path(page.file.abs_dest_path))
        return output
    return DRAWINGS.fill(output)


@event_priority(100)  # before the search index or the offline copy is touched
def on_post_build(config: MkDocsConfig) -> None:
    """Wait for Chromium (only now: the whole build went on meanwhile) and fill the pages written with placeholders."""
    if DRAWINGS is None:
        return
    try:
        DRAWINGS.finish()  # a diagram that no rendered page holds still has its errors reported
    except PluginError:
        for path in DRAWINGS.unfilled:  # never leave a page with a hole where its diagram should be
            path.unlink(missing_ok=True)
        raise
    if DRAWINGS.unfilled:
        log.info("Filled in diagrams drawn while the build went on: %d page(s)", len(DRAWINGS.unfilled))
    for path in DRAWINGS.unfilled:
        path.write_text(DRAWINGS.fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    DRAWINGS.unfilled.clear()


def on_build_error(error: Exception) -> None:
    if DRAWINGS is not None and DRAWINGS.future is not None:
        DRAWINGS.future.cancel()
    if EARLY is not None and EARLY[0] is not None:
        EARLY[0].close()  # ends Chromium even while it draws; does nothing if it has closed
