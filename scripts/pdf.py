#!/usr/bin/env python3
"""The whole book as one PDF (make pdf): site/pdf/llm-book.pdf.

1. MkDocs builds mkdocs.pdf.yml (the site's configuration plus mkdocs-print-site-plugin) into a
   temporary folder: one print page holds the cover, the table of contents and every chapter.
2. A loopback HTTP server serves that folder; Debian's Chromium, driven by Playwright, opens the
   print page with every request to another host aborted, waits for the Mermaid diagrams and the
   fonts, adds scripts/pdf.css and prints it: A4, page numbers in the footer, PDF outline.
3. The table of contents gets the page numbers the first print gives its links (the PDF's named
   destinations), and the page is printed again; once more if a number moved.

Paths come from this file's location, never from the current directory. Nothing is fetched from
the network: the KaTeX and Mermaid assets are the site's own (hooks/assets.py).
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
SITE_CONFIG = ROOT / "mkdocs.yml"
PDF_CONFIG = ROOT / "mkdocs.pdf.yml"
OUTPUT = ROOT / "site" / "pdf" / "llm-book.pdf"
STYLESHEET = Path(__file__).resolve().with_name("pdf.css")
PRINT_PAGE = "print_page/"  # print-site's print_page_basename, with directory URLs

PDF_PLUGIN = "print-site"  # added last by mkdocs.pdf.yml
PDF_HOOK = "scripts/pdf_hook.py"  # added last by mkdocs.pdf.yml
LEFT_OUT_PLUGINS = {"search"}  # plugins of mkdocs.yml the PDF build does without

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 60_000
TOC_PASSES = 3  # prints until the table of contents' page numbers are right
DIAGRAM_MAX_HEIGHT = "190mm"  # a figure (diagram and caption) fits on one page
# A4 with room for the footer; scripts/pdf.css sets the same @page margins.
MARGINS = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
PRINT_WIDTH_PX = round((210 - 16 - 16) / 25.4 * 96)  # the printed column, for the layout checks
FOOTER = """
<div style="width: 100%; margin: 0 16mm; display: flex; justify-content: space-between;
            font-family: 'Noto Sans CJK SC', sans-serif; font-size: 8pt; color: #666;">
  <span>{title}</span>
  <span><span class="pageNumber"></span> / <span class="totalPages"></span></span>
</div>
"""

# Material renders each diagram into a closed shadow root; open them so the script can check them.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attachShadow.call(this, { ...init, mode: "open" }); };
"""
DIAGRAMS_DRAWN = """n => {
  const hosts = [...document.querySelectorAll('div.mermaid')];
  return hosts.length >= n && hosts.every(d => d.shadowRoot && d.shadowRoot.querySelector('svg'));
}"""
# The site shows diagrams at their natural size (scrolling); on paper they shrink to the column
# and to a page. Collapsible answers are opened: a closed <details> would print its summary only.
# A link that still points to a page of the served site (not into the print page) would become a
# link to 127.0.0.1 in the PDF: it is unlinked, and reported.
PREPARE_PAGE = """([title, maxHeight]) => {
  const book = document.getElementById('print-site-page');
  const roots = [book, ...[...book.querySelectorAll('div.mermaid')].map(d => d.shadowRoot)];
  for (const root of roots.slice(1)) {
    const svg = root.querySelector('svg');
    Object.assign(svg.style, { maxWidth: '100%', maxHeight: maxHeight, width: 'auto', height: 'auto' });
  }
  for (const details of document.querySelectorAll('details')) details.open = true;
  const here = new URL(location.href);
  const unlinked = [];
  for (const root of roots) {
    for (const a of root.querySelectorAll('a[href], a[*|href]')) {
      const href = a.getAttribute('href') ?? a.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
      const url = new URL(href, here);
      if (url.origin === here.origin && url.pathname !== here.pathname) {
        unlinked.push(href);
        a.removeAttribute('href');
        a.removeAttributeNS('http://www.w3.org/1999/xlink', 'href');
      }
    }
  }
  document.title = title;
  return unlinked;
}"""
TOC_TARGETS = """() => [...document.querySelectorAll('#print-page-toc a[href^="#"]')]
  .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))"""
# Each entry of the table of contents: title, dotted leader, page number.
NUMBER_TOC = """numbers => {
  for (const a of document.querySelectorAll('#print-page-toc a[href^="#"]')) {
    const target = decodeURIComponent(a.getAttribute('href').slice(1));
    let number = a.querySelector('.book-toc__page');
    if (!number) {
      a.insertAdjacentHTML('beforeend', '<span class="book-toc__leader"></span><span class="book-toc__page"></span>');
      number = a.querySelector('.book-toc__page');
    }
    number.textContent = numbers[target] ?? '';
  }
}"""
# Boxes wider than the printed column would be cut off on paper.
OVERFLOWING = """() => [...document.querySelectorAll(
    '#print-site-page .katex-display, #print-site-page table, #print-site-page pre, #print-site-page div.mermaid')]
  .filter(el => el.scrollWidth > el.clientWidth + 1)
  .map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ': '
             + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60))"""


class PdfError(RuntimeError):
    """The PDF could not be made; the message says why."""


@dataclass
class Printed:
    path: Path
    diagrams: int
    passes: int = 0
    overflowing: list[str] = field(default_factory=list)  # boxes wider than the column
    unlinked: list[str] = field(default_factory=list)  # links to the served site, removed
    console_errors: list[str] = field(default_factory=list)


# Configuration ----------------------------------------------------------------------------------


def load_yaml(path: Path) -> dict[str, Any]:
    """A MkDocs configuration file as written (INHERIT is not followed)."""
    from mkdocs.utils.yaml import yaml_load

    return yaml_load(path.read_text(encoding="utf-8"))


def plugin_entries(plugins: list[Any]) -> list[tuple[str, Any]]:
    """(name, options) of each item of a `plugins:` list."""
    return [(p, None) if isinstance(p, str) else next(iter(p.items())) for p in plugins]


def config_drift(site: dict[str, Any], pdf: dict[str, Any]) -> list[str]:
    """How mkdocs.pdf.yml's repeated lists differ from mkdocs.yml's (INHERIT replaces lists)."""
    problems = []
    hooks = [*site.get("hooks", []), PDF_HOOK]
    if pdf.get("hooks") != hooks:
        problems.append(f"hooks: must be mkdocs.yml's followed by {PDF_HOOK}: {hooks}")
    plugins = [p for p in plugin_entries(site.get("plugins", [])) if p[0] not in LEFT_OUT_PLUGINS]
    pdf_plugins = plugin_entries(pdf.get("plugins", []))
    if pdf_plugins[:-1] != plugins or not pdf_plugins or pdf_plugins[-1][0] != PDF_PLUGIN:
        names = [name for name, _ in plugins]
        problems.append(
            f"plugins: must be mkdocs.yml's {names} with the same options (without {sorted(LEFT_OUT_PLUGINS)}),"
            f" followed by {PDF_PLUGIN}"
        )
    return problems


def check_config() -> None:
    problems = config_drift(load_yaml(SITE_CONFIG), load_yaml(PDF_CONFIG))
    if problems:
        raise PdfError(f"{PDF_CONFIG.name} no longer matches {SITE_CONFIG.name}:\n  " + "\n  ".join(problems))


def book_title() -> str:
    return str(load_yaml(SITE_CONFIG)["site_name"])


# Build and serve --------------------------------------------------------------------------------


def build_print_site(site_dir: Path) -> Path:
    """Build mkdocs.pdf.yml strictly into site_dir; return the print page's file."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(PDF_CONFIG), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if proc.returncode != 0:
        raise PdfError(f"mkdocs build -f {PDF_CONFIG.name} failed:\n{(proc.stdout + proc.stderr)[-4000:]}")
    page = site_dir / PRINT_PAGE / "index.html"
    if not page.is_file():
        raise PdfError(f"{PDF_CONFIG.name} built no print page ({page})")
    return page


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) for the duration; yield its base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


# Print ------------------------------------------------------------------------------------------


def loopback_only(context: Any, allowed_host: str, outside: list[str]) -> None:
    """Abort every request to a host other than allowed_host, and record it."""

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if urlparse(url).hostname == allowed_host:
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    context.route("**/*", route)


def footer(title: str) -> str:
    return FOOTER.format(title=html.escape(title))


def destination_pages(pdf: bytes, targets: list[str]) -> dict[str, int]:
    """The page number (1-based) each anchor of targets has in a PDF, from its named destinations."""
    reader = PdfReader(BytesIO(pdf))
    pages = {
        unquote(name.lstrip("/")): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }
    return {target: pages[target] for target in targets if target in pages}


def blank_pages(reader: PdfReader, title: str) -> list[int]:
    """Pages (1-based) with nothing but the footer: a box too tall for a page pushed out of it."""
    blank = []
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text().replace(title, "").replace(f"{number} / {len(reader.pages)}", "")
        if not text.strip():
            blank.append(number)
    return blank


def open_print_page(context: Any, url: str, diagrams: int, printed: Printed) -> Any:
    """The print page, loaded, with every Mermaid diagram drawn."""
    from playwright.sync_api import Error as PlaywrightError

    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda m: m.type == "error" and printed.console_errors.append(m.text))
    page.on("pageerror", lambda e: printed.console_errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    try:
        page.wait_for_function(DIAGRAMS_DRAWN, arg=diagrams)
    except PlaywrightError:
        raise PdfError(f"not every Mermaid diagram of the print page was drawn ({diagrams} expected)") from None
    return page


def prepare(page: Any, title: str, printed: Printed) -> None:
    """Lay the page out for paper: print media, pdf.css, sized diagrams, open answers, fonts loaded."""
    page.emulate_media(media="print")
    printed.unlinked = page.evaluate(PREPARE_PAGE, [title, DIAGRAM_MAX_HEIGHT])
    page.add_style_tag(content=STYLESHEET.read_text(encoding="utf-8"))
    page.evaluate("document.fonts.ready.then(() => true)")
    printed.overflowing = page.evaluate(OVERFLOWING)


def print_numbered(page: Any, title: str, printed: Printed) -> bytes:
    """Print, number the table of contents from the result, and print again until the numbers hold."""
    options = {
        "format": "A4",
        "margin": MARGINS,
        "print_background": True,
        "display_header_footer": True,
        "header_template": "<span></span>",
        "footer_template": footer(title),
        "outline": True,
        "tagged": True,
    }
    targets = page.evaluate(TOC_TARGETS)
    numbers: dict[str, int] = {}
    for attempt in range(1, TOC_PASSES + 1):
        printed.passes = attempt
        pdf = page.pdf(**options)
        found = destination_pages(pdf, targets)
        if found == numbers:
            return pdf
        numbers = found
        page.evaluate(NUMBER_TOC, numbers)
    raise PdfError(f"the table of contents' page numbers still moved after {TOC_PASSES} prints")


def print_page(url: str, output: Path, diagrams: int, title: str, chromium: Path = CHROMIUM) -> Printed:
    """Open the print page in Chromium and print it to output."""
    if not chromium.exists():
        raise PdfError(f"{chromium} is missing: install Debian's chromium and fonts-noto-cjk (make browser)")
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    printed = Printed(output, diagrams)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=BROWSER_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": PRINT_WIDTH_PX, "height": 1000}, color_scheme="light", reduced_motion="reduce"
            )
            context.add_init_script(OPEN_SHADOW_ROOTS)
            loopback_only(context, urlparse(url).hostname or "", outside)
            page = open_print_page(context, url, diagrams, printed)
            prepare(page, title, printed)
            if outside:
                raise PdfError("the print page asked for other hosts (blocked):\n  " + "\n  ".join(sorted(set(outside))))
            pdf = print_numbered(page, title, printed)
        finally:
            browser.close()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)
    return printed


def make_pdf(output: Path = OUTPUT, chromium: Path = CHROMIUM) -> Printed:
    """Build the print page in a temporary folder and print it to output."""
    check_config()
    with tempfile.TemporaryDirectory(prefix="book-pdf-") as tmp:
        page = build_print_site(Path(tmp) / "site")
        diagrams = page.read_text(encoding="utf-8").count('<pre class="mermaid">')
        with serve(page.parent.parent) as base:
            return print_page(base + PRINT_PAGE, output, diagrams, book_title(), chromium)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    start = time.monotonic()
    try:
        printed = make_pdf(args.output.resolve())
    except PdfError as error:
        print(f"pdf: {error}", file=sys.stderr)
        return 1
    for problem in printed.console_errors:
        print(f"pdf: warning: console error: {problem}", file=sys.stderr)
    for box in printed.overflowing:
        print(f"pdf: warning: wider than the page, cut off: {box}", file=sys.stderr)
    for href in printed.unlinked:
        print(f"pdf: warning: link to a page outside the book, unlinked: {href}", file=sys.stderr)
    reader = PdfReader(printed.path)
    for number in blank_pages(reader, book_title()):
        print(f"pdf: warning: page {number} is blank", file=sys.stderr)
    size = printed.path.stat().st_size / 1e6
    print(
        f"pdf: {printed.path} — {len(reader.pages)} pages, {size:.1f} MB, {printed.diagrams} diagrams,"
        f" {printed.passes} prints, {time.monotonic() - start:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
