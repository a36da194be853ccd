"""Mermaid diagrams: checked and drawn to SVG at build time, `click` links resolved through the Files API.

The drawings go into the page as pymdownx.superfences renders a ```mermaid fence: on_config makes
the book's formatter (`fence`) the format of mkdocs.yml's `mermaid` custom fence."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import _material
from _config import BROWSER_ARGS, cache_dir, chromium, project_root
from _source import Source, body_and_offset, fail, fences, snippets
from jinja2 import Template
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from pymdownx.superfences import SuperFencesException

NAMELESS_TYPES = ("timeline", "mindmap")  # their SVG carries no <title>/<desc> whatever the source says
ERROR_LINE_RE = re.compile(r"(?:Parse error on line|Lexical error on line|line) (\d+)")
# click NODE "target.md" ["tooltip"]   or   click NODE href "target.md#anchor" ["tooltip"]
CLICK_RE = re.compile(r'^(?P<head>\s*click\s+\S+\s+(?:href\s+)?)"(?P<target>[^"#]+\.md)(?P<anchor>#[^"]*)?"(?P<tail>.*)$')
FENCES = "pymdownx.superfences"  # mkdocs.yml's custom fence `mermaid` is drawn by `fence`
TEMPLATE = "partials/diagram.html"
# Slimming a drawing: what Mermaid writes for its own scripts and animations, marker shapes no
# line uses, and style rules for classes and attributes the drawing does not have.
SLIM_VERSION = "1"  # part of the cache key: a change to the slimming redraws every diagram
STYLE_RE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
DROPPED_ATTR_RE = re.compile(r' (?:data-points|data-et|data-id|data-edge|data-node)="[^"]*"| style=";?"')
MARKER_RE = re.compile(r'<marker id="(?P<id>[^"]+)".*?</marker>', re.DOTALL)
CLASS_ATTR_RE = re.compile(r'\bclass="([^"]*)"')
CLASS_SELECTOR_RE = re.compile(r"\.(-?[_a-zA-Z][-\w]*)")
ATTR_SELECTOR_RE = re.compile(r'\[([-\w]+)="([^"]*)"\]')


class MissingDrawing(SuperFencesException, PluginError):
    """A fence with no drawing: superfences lets this one through (it reads any other as "no fence")."""


@dataclass(frozen=True)
class Diagram:
    name: str  # the page file as authors name it
    line: int  # file line of the diagram's first line
    text: str  # as the rendered page holds it: `click` targets already resolved


def diagrams(markdown: str) -> list[tuple[int, list[str]]]:
    """(first body line of the diagram, its lines) for every ```mermaid fence (the source model's fences)."""
    return [(fence.start + 1, list(fence.body)) for fence in fences(markdown) if fence.info == "mermaid"]


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



def included_diagrams(markdown: str, docs_dir: Path) -> list[tuple[int, str]]:
    """(body line, message) for each include (--8<--) of a file that holds a Mermaid diagram: diagrams are
    found and drawn in the pages' own Markdown, so the page would show none."""
    errors = []
    for line, path in snippets(markdown):
        included = docs_dir / path
        if included.is_file() and diagrams(included.read_text(encoding="utf-8")):
            errors.append((line, f"included file {path!r} holds a Mermaid diagram: write the diagram in the page itself"))
    return errors


def diagram_id(text: str) -> str:
    """The SVG's id: the same diagram always gets the same one, so builds are reproducible."""
    return "mermaid-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def cache_name(text: str, salt: str) -> str:
    return hashlib.sha256((salt + "\0" + text).encode("utf-8")).hexdigest() + ".svg"


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


# The book's Chromium flags, and two of the drawing's own: mermaid's ES module build loads its chunks
# from file://; glyphs are measured without hinting, as the drawings in the cache were
CHROMIUM_ARGS = [*BROWSER_ARGS, "--allow-file-access-from-files", "--font-render-hinting=none"]
TIMEOUT_MS = 60_000  # for Chromium to start, load mermaid and draw (a second a diagram is ten times what it takes)


def draw(pending: list[Diagram], job: dict) -> list[dict[str, str]]:
    """Parse and draw diagrams in one headless Chromium driven by Playwright (scripts/mermaid-render.html);
    one result each, {"svg": …} or {"error": …}. Each page is a browser context of its own (a renderer
    process): the pages draw their shares of the diagrams side by side, a page per spare core.
    Playwright's sync API runs in a thread of its own, waited for: it refuses a thread where an asyncio
    loop runs (a build started from a notebook, or from a test beside a Playwright session)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(draw_here, pending, job).result()


def draw_here(pending: list[Diagram], job: dict) -> list[dict[str, str]]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    diagrams = [{"id": diagram_id(d.text), "text": d.text} for d in pending]
    count = max(1, min(len(os.sched_getaffinity(0)) - 1, 4, len(diagrams)))
    setup = {"stylesheets": [Path(p).as_uri() for p in job["stylesheets"]], "mermaid": Path(job["mermaid"]).as_uri()}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=job["chromium"], args=CHROMIUM_ARGS, timeout=TIMEOUT_MS)
            try:
                pages = [browser.new_context().new_page() for _ in range(count)]
                for page in pages:
                    page.set_default_timeout(TIMEOUT_MS)
                    page.goto(Path(job["page"]).as_uri())
                    page.evaluate("setup => { window.bookSetup = bookRenderer.setup(setup); }", setup)
                for share, page in enumerate(pages):  # diagram i is drawn by page i % count; all start at once
                    page.evaluate("async job => { await window.bookSetup; window.bookDrawn = bookRenderer.draw(job); }",
                                  {"themeCSS": job["themeCSS"], "diagrams": diagrams[share::count]})
                drawn = [page.evaluate("() => window.bookDrawn") for page in pages]
            finally:
                browser.close()
    except PlaywrightError as error:
        raise PluginError(f"Mermaid renderer failed ({job['chromium']}): {error.message}") from None
    return [drawn[i % count][i // count] for i in range(len(diagrams))]


class Drawings:
    """The SVG of every diagram of the book: from the cache, or drawn (and then cached) by draw()."""

    def __init__(self, cache: Path, salt: str, template: Template | None) -> None:
        self.cache, self.salt, self.template = cache, salt, template  # template: partials/diagram.html
        self.svgs: dict[str, str] = {}

    def update(self, diagrams: list[Diagram], job: dict) -> None:
        """Take what the cache has; draw the rest; 'file:line' errors for every diagram Mermaid refused."""
        first: dict[str, Diagram] = {}
        for diagram in diagrams:
            first.setdefault(diagram.text, diagram)  # a diagram drawn twice is drawn once
        pending = []
        for text, diagram in first.items():
            path = self.cache / cache_name(text, self.salt)
            if path.is_file():
                self.svgs[text] = path.read_text(encoding="utf-8")
            else:
                pending.append(diagram)
        if not pending:
            return
        if not job["chromium"]:
            raise PluginError(
                f"{pending[0].name}:{pending[0].line}: Mermaid diagrams are drawn at build time by Chromium, "
                "which is not installed: run `make browser` (Debian package chromium-headless-shell) or set CHROMIUM"
            )
        errors = []
        self.cache.mkdir(parents=True, exist_ok=True)
        for diagram, result in zip(pending, draw(pending, job)):
            if "error" in result:
                errors.append(error_message(diagram, result["error"]))
                continue
            self.svgs[diagram.text] = slim_svg(result["svg"])
            (self.cache / cache_name(diagram.text, self.salt)).write_text(self.svgs[diagram.text], encoding="utf-8")
        fail("Mermaid", errors)

    def html(self, text: str) -> str:
        """A diagram as the page shows it (overrides/partials/diagram.html)."""
        if text not in self.svgs:
            raise MissingDrawing(f"hooks/mermaid.py: no drawing for the diagram beginning {text[:60]!r}")
        return self.template.render(svg=self.svgs[text])


DRAWINGS: Drawings | None = None


def render_job(root: Path, extra_css: list[Path]) -> tuple[dict, str]:
    """What the renderer needs, and a cache salt: a new Mermaid, Material, script or stylesheet redraws all."""
    theme, material_css = _material.mermaid_theme()
    stylesheets = material_css + extra_css
    page, script = root / "scripts/mermaid-render.html", root / "scripts/mermaid-render.js"
    job = {
        "chromium": chromium(),  # $CHROMIUM, else the headless shell: the same Blink as chromium, started faster
        "mermaid": str(root / "node_modules/mermaid/dist/mermaid.esm.min.mjs"),  # chunks load per diagram type
        "page": str(page),
        "stylesheets": [str(path) for path in stylesheets],
        "themeCSS": theme,
    }
    salt = hashlib.sha256((SLIM_VERSION + job["themeCSS"]).encode("utf-8"))
    for path in (root / "node_modules/mermaid/package.json", page, script, *stylesheets):
        salt.update(path.read_bytes())
    return job, salt.hexdigest()


def book_job(config: MkDocsConfig) -> tuple[dict, str]:
    """render_job() for this book: its own stylesheets (its fonts) measure the labels too."""
    extra_css = [Path(config.docs_dir) / str(css) for css in config.extra_css]
    return render_job(project_root(config), [path for path in extra_css if path.is_file()])


def fence(source: str, language: str, class_name: str, options: dict, md, **kwargs) -> str:
    """superfences' custom-fence formatter for ```mermaid: the diagram's drawing (drawn in on_files)."""
    if DRAWINGS is None:
        raise MissingDrawing("hooks/mermaid.py: a Mermaid fence was rendered before the diagrams were drawn")
    return DRAWINGS.html(source)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    custom = config.mdx_configs.get(FENCES, {}).get("custom_fences", [])
    mermaid = next((fence for fence in custom if fence.get("name") == "mermaid"), None)
    if mermaid is None:
        raise PluginError(f"mkdocs.yml: {FENCES} needs the custom fence `mermaid` (hooks/mermaid.py draws it)")
    mermaid["format"] = fence
    return config


@event_priority(100)  # first of the book's on_files: the other hooks may count on the drawings
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Check every diagram of the book, and draw the ones not in the cache, all in one Chromium."""
    global DRAWINGS
    sources, found, click_errors = {}, [], []
    for file in files.documentation_pages():
        source, (body, _) = Source.of(file, config), body_and_offset(file.content_string)
        resolved, errors = resolve_clicks(body, file.src_uri, file.url, files)
        errors += included_diagrams(body, Path(config.docs_dir))
        click_errors += [f"{source.at(line)}: {message}" for line, message in errors]
        sources[source.name] = (source.offset, diagrams(resolved))  # same lines as the author's, click targets resolved
        found += [Diagram(source.name, source.offset + start, "\n".join(lines)) for start, lines in sources[source.name][1]]
    fail("Mermaid", missing_descriptions(sources) + click_errors)
    job, salt = book_job(config)
    template = config.theme.get_env().get_template(TEMPLATE)  # once per build, not once per page
    DRAWINGS = Drawings(cache_dir(config, "mermaid"), salt, template)
    DRAWINGS.update(found, job)
    return files


@event_priority(110)  # on the author's lines, before math changes them
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return resolve_clicks(markdown, page.file.src_uri, page.url, files)[0]  # on_files reported the errors
