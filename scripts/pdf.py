#!/usr/bin/env python3
"""The whole book as one PDF (make pdf): site/pdf/llm-book.pdf, printed from the built site.

1. One print page (scripts/pdf.html) holds the cover, the table of contents and every page of
   the nav, each as the site built it (site/<page>/index.html's article): its ids take the page's
   key as a prefix, and its links to pages of the book point into the print page.
2. Debian's Chromium, driven by Playwright, opens the print page: Playwright answers its requests
   from the site folder (no server), aborts every request to another host, waits for the Mermaid
   diagrams and the fonts, adds scripts/pdf.css and prints it: A4, page numbers in the footer,
   PDF outline.
3. A quick first print tells the page of every entry of the table of contents (the PDF's named
   destinations); the numbers are written into it and the page is printed for good (tagged, with
   an outline), again if a number moved.
4. The text layer is mended: Chromium maps some CJK glyphs of Noto CJK to the Kangxi radicals
   that share them (⼤ for 大), which breaks searching and copying; pypdf appends corrected
   ToUnicode maps as an incremental update.

Paths come from this file's location or --site, never from the current directory. Nothing is
fetched from the network: KaTeX's stylesheet and fonts are the site's own (hooks/assets.py), and the
diagrams come drawn.
"""

from __future__ import annotations

import functools
import html
import re
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse, urlsplit

import jinja2
import markupsafe
from _site import CHROMIUM, DIAGRAM_RE, Entry, book_config, book_nav, book_pages, browser, site_arguments, site_name, site_stamp
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, IndirectObject

OUTPUT = Path("pdf") / "llm-book.pdf"  # inside the site
SCRIPTS = Path(__file__).resolve().parent
STYLESHEET = SCRIPTS / "pdf.css"
ORIGIN = "http://book.invalid"  # the site's address for Chromium, answered by Playwright alone (.invalid never resolves)
PRINT_PAGE = "/print/"  # the print page's path under ORIGIN (answered from memory)
TIMEOUT_MS = 60_000
TOC_PASSES = 3  # final prints until the table of contents' page numbers hold
DIAGRAM_MAX_HEIGHT = "190mm"  # a figure (diagram and caption) fits on one page
# A4 with room for the footer; scripts/pdf.css sets the same @page margins.
MARGINS = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
PRINT_WIDTH_PX = round((210 - 16 - 16) / 25.4 * 96)  # the printed column, for the layout checks
PAGE_OPTIONS: dict[str, Any] = {"format": "A4", "margin": MARGINS, "print_background": True}
BLANK_PAGE_BYTES = 4000  # a page whose content stream is smaller may be blank: its text is checked
FOOTER = """
<div style="width: 100%; margin: 0 16mm; display: flex; justify-content: space-between;
            font-family: 'Noto Sans CJK SC', sans-serif; font-size: 8pt; color: #666;">
  <span>{title}</span>
  <span><span class="pageNumber"></span> / <span class="totalPages"></span></span>
</div>
"""

# Diagrams come drawn, each in an open declarative shadow root (hooks/mermaid.py).
DIAGRAMS_DRAWN = """n => {
  const hosts = [...document.querySelectorAll('div.mermaid')];
  return hosts.length >= n && hosts.every(d => d.shadowRoot && d.shadowRoot.querySelector('svg'));
}"""
# The site shows diagrams at their natural size (scrolling); on paper they shrink to the column
# and to a page. Collapsible answers are opened: a closed <details> would print its summary only.
# A link that still points to a page of the served site (not into the print page) would become a
# link to ORIGIN in the PDF: it is unlinked, and reported.
PREPARE_PAGE = """([title, maxHeight]) => {
  const book = document.getElementById('print-book');
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
TOC_TARGETS = """() => [...document.querySelectorAll('#print-toc a[href^="#"]')]
  .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))"""
# Each entry of the table of contents: title, dotted leader, page number.
NUMBER_TOC = """numbers => {
  for (const a of document.querySelectorAll('#print-toc a[href^="#"]')) {
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
    '#print-book .katex-display, #print-book table, #print-book pre, #print-book div.mermaid')]
  .filter(el => el.scrollWidth > el.clientWidth + 1)
  .map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ': '
             + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60))"""


# The unified ideograph of each CJK radical (Unicode's EquivalentUnifiedIdeograph.txt): the Kangxi
# radicals (U+2F00-U+2FD5) by NFKC; the CJK Radicals Supplement (U+2E80-U+2EF3) from this table.
RADICALS_SUPPLEMENT = """
2E81:5382 2E82:4E5B 2E83:4E5A 2E84:4E59 2E85:4EBB 2E86:5182 2E87:20628 2E88:5200 2E89:5202 2E8A:535C
2E8B:353E 2E8C-2E8D:5C0F 2E8E:5140 2E8F:5C23 2E90:5C22 2E91:21BC2 2E92:5DF3 2E93:5E7A 2E94:5F51
2E95:5F50 2E96:5FC4 2E97:5FC3 2E98:624C 2E99:6535 2E9B:65E1 2E9C:65E5 2E9D:6708 2E9E:6B7A 2E9F:6BCD
2EA0:6C11 2EA1:6C35 2EA2:6C3A 2EA3:706C 2EA4-2EA5:722B 2EA6:4E2C 2EA7:725B 2EA8:72AD 2EA9:738B
2EAA:24D14 2EAB:76EE 2EAC:793A 2EAD:793B 2EAE:25AD7 2EAF:7CF9 2EB0:7E9F 2EB1:7F53 2EB2:7F52 2EB3:34C1
2EB4:5197 2EB5:2626B 2EB6:7F8A 2EB7:2634C 2EB8:2634B 2EB9:8002 2EBA:8080 2EBB:807F 2EBC:8089
2EBD:26951 2EBE-2EC0:8279 2EC1:864E 2EC2:8864 2EC3:8980 2EC4:897F 2EC5:89C1 2EC6:89D2 2EC7:278B2
2EC8:8BA0 2EC9:8D1D 2ECA:27FB7 2ECB:8F66 2ECC-2ECE:8FB6 2ECF:9091 2ED0:9485 2ED1:9577 2ED2:9578
2ED3:957F 2ED4:95E8 2ED5:28E0F 2ED6:961D 2ED7:96E8 2ED8:9752 2ED9:97E6 2EDA:9875 2EDB:98CE 2EDC:98DE
2EDD:98DF 2EDE:2967F 2EDF:98E0 2EE0:9963 2EE1:29810 2EE2:9A6C 2EE3:9AA8 2EE4:9B3C 2EE5:9C7C 2EE6:9E1F
2EE7:5364 2EE8:9EA6 2EE9:9EC4 2EEA:9EFE 2EEB:6589 2EEC:9F50 2EED:6B6F 2EEE:9F7F 2EEF:7ADC 2EF0:9F99
2EF1:9F9C 2EF2:4E80 2EF3:9F9F
"""
CMAP_BLOCK_RE = re.compile(r"begin(bfchar|bfrange)(.*?)end\1", re.DOTALL)
CMAP_FIRST_BLOCK_RE = re.compile(r"\d+\s+begin(?:bfchar|bfrange)")
HEX_RE = re.compile(r"<([0-9A-Fa-f]*)>")


class PdfError(RuntimeError):
    """The PDF could not be made; the message says why."""


@dataclass
class Printed:
    path: Path
    diagrams: int
    passes: int = 0  # prints made
    mended_fonts: int = 0  # fonts whose text map was mended
    overflowing: list[str] = field(default_factory=list)  # boxes wider than the column
    unlinked: list[str] = field(default_factory=list)  # links to the served site, removed
    console_errors: list[str] = field(default_factory=list)


# The print page ---------------------------------------------------------------------------------

ARTICLE_RE = re.compile(r'<article class="md-content__inner md-typeset">(?P<content>.*?)</article>', re.DOTALL)
TITLE_RE = re.compile(r"<title>(?P<title>.*?)</title>", re.DOTALL)
BODY_RE = re.compile(r"<body(?P<attrs>[^>]*)>")  # the palette's attributes
STYLESHEET_RE = re.compile(r'<link rel="stylesheet" href="(?P<href>[^"]+)">')
# What overrides/main.html adds for the site alone: the links to a chapter's deck, the home page's downloads
SITE_ONLY_RE = re.compile(r'<p class="book-deck">.*?</p>|<aside class="book-downloads">.*?</aside>', re.DOTALL)
ANCHOR_ID_RE = re.compile(r'<(?P<tag>h[1-6]|sup|li)(?P<attrs>\s[^>]*?\bid=")(?P<id>[^"]*)"')  # headings, footnotes
# A drawn diagram (its own #references left alone), or a link or source elsewhere
URL_RE = re.compile(DIAGRAM_RE.pattern + r'|(?P<head>\s(?:href|src)=")(?P<url>[^"]*)"', re.DOTALL)
CLICK_RE = re.compile(r'(?P<head><a xlink:href=)"(?P<url>[^"]*)"')  # a diagram's `click` link (hooks/mermaid.py)
PAGES = jinja2.Environment(loader=jinja2.FileSystemLoader(SCRIPTS), autoescape=True)


def page_key(url: str) -> str:
    """A page's id in the print page: its site URL with / as - ('course/x/' -> 'course-x', '' -> 'index')."""
    return url.strip("/").replace("/", "-") or "index"


def print_url(url: str, page: str, keys: dict[str, str]) -> str:
    """A URL written in the page at site URL `page`, as the print page needs it: into the print page
    for the book's pages (their ids prefixed with the page's key), from the site's root for the rest."""
    if urlsplit(url).scheme or url.startswith("//"):
        return url
    target = urlsplit(urljoin(f"{ORIGIN}/{page}", url))
    path = target.path.removeprefix("/").removesuffix("index.html")
    if path in keys:
        return f"#{keys[path]}" + (f"-{unquote(target.fragment)}" if target.fragment else "")
    return target.path + (f"#{target.fragment}" if target.fragment else "")


def chapter_html(article: str, page: str, keys: dict[str, str]) -> str:
    """A page's article for the print page: ids prefixed with its key, links pointed into the print page."""
    key = keys[page]
    article = ANCHOR_ID_RE.sub(lambda m: f'<{m["tag"]}{m["attrs"]}{key}-{m["id"]}"', SITE_ONLY_RE.sub("", article))

    def point(m: re.Match[str]) -> str:
        if m["head"] is None:
            return CLICK_RE.sub(lambda c: f'{c["head"]}"{print_url(c["url"], page, keys)}"', m.group())
        return f'{m["head"]}{print_url(m["url"], page, keys)}"'

    return URL_RE.sub(point, article)


def print_page_html(site: Path, nav: list[Entry]) -> str:
    """The print page of the site built in `site` (scripts/pdf.html)."""
    pages = book_pages(nav)
    if missing := [str(page.built(site)) for page in pages if not page.built(site).is_file()]:
        raise PdfError(f"the site has not built {', '.join(missing)}: build it first (make build)")
    texts = {page.url: page.built(site).read_text(encoding="utf-8") for page in pages}
    keys = {url: page_key(url) for url in texts}
    stylesheets = {print_url(m["href"], url, {}): 1 for url, text in texts.items() for m in STYLESHEET_RE.finditer(text)}
    title = site_name()

    def item(entry: Entry, number: str) -> dict:
        if entry.children:
            return {"key": f"section-{number}", "title": entry.title,
                    "children": [item(child, f"{number}-{n}") for n, child in enumerate(entry.children, 1)]}
        text = texts[entry.url]
        article = ARTICLE_RE.search(text)
        if article is None:
            raise PdfError(f"{entry.built(site)}: no <article class=\"md-content__inner md-typeset\">")
        own = html.unescape(TITLE_RE.search(text)["title"]).removesuffix(f" - {title}")
        return {"key": keys[entry.url], "title": entry.title or own,
                "html": markupsafe.Markup(chapter_html(article["content"], entry.url, keys))}

    body = markupsafe.Markup(BODY_RE.search(next(iter(texts.values())))["attrs"])
    return PAGES.get_template("pdf.html").render(
        title=title, author=book_config().get("site_author") or title, stamp=site_stamp(site), body=body,
        stylesheets=list(stylesheets), entries=[item(entry, str(n)) for n, entry in enumerate(nav, 1)],
    )


# Print ------------------------------------------------------------------------------------------


def serve(context: Any, folder: Path, page: str, outside: list[str]) -> None:
    """Answer the browser context's requests to ORIGIN: PRINT_PAGE with `page`, the rest with folder's
    files (Playwright's request routing); abort every request to another host, and record it."""

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if not url.startswith(ORIGIN + "/"):
            outside.append(url)
            request_route.abort()
            return
        path = unquote(urlparse(url).path)
        if path == PRINT_PAGE:
            request_route.fulfill(body=page, content_type="text/html; charset=utf-8")
            return
        file = folder / path.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        if file.is_file():
            request_route.fulfill(path=str(file))
        else:
            request_route.fulfill(status=404)

    context.route("**/*", route)


def footer(title: str) -> str:
    return FOOTER.format(title=html.escape(title))


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


def destination_pages(pdf: bytes, targets: list[str]) -> dict[str, int]:
    """The page number (1-based) each anchor of targets has in a PDF, from its named destinations."""
    reader = PdfReader(BytesIO(pdf))
    pages = {
        unquote(name.lstrip("/")): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }
    return {target: pages[target] for target in targets if target in pages}


def print_numbered(page: Any, title: str, printed: Printed) -> bytes:
    """Number the table of contents from a quick first print, then print for good until the numbers hold."""
    final = {
        "display_header_footer": True,
        "header_template": "<span></span>",
        "footer_template": footer(title),
        "outline": True,
        "tagged": True,  # Chromium builds the outline from the tags
    }
    targets = page.evaluate(TOC_TARGETS)
    numbers = destination_pages(page.pdf(**PAGE_OPTIONS), targets)  # same layout, no tags: faster
    printed.passes = 1
    for _ in range(TOC_PASSES):
        page.evaluate(NUMBER_TOC, numbers)
        pdf = page.pdf(**PAGE_OPTIONS, **final)
        printed.passes += 1
        found = destination_pages(pdf, targets)
        if found == numbers:
            return pdf
        numbers = found
    raise PdfError(f"the table of contents' page numbers still moved after {TOC_PASSES} prints")


def print_page(site: Path, page_html: str, output: Path, diagrams: int, title: str, chromium: Path = CHROMIUM) -> Printed:
    """Open the print page (page_html, its assets from the site built in `site`) in Chromium and print it to output."""
    if not chromium.exists():
        raise PdfError(f"{chromium} is missing: install Debian's chromium and fonts-noto-cjk (make browser)")
    outside: list[str] = []
    printed = Printed(output, diagrams)
    with browser(chromium) as chrome:
        context = chrome.new_context(
            viewport={"width": PRINT_WIDTH_PX, "height": 1000}, color_scheme="light", reduced_motion="reduce"
        )
        serve(context, site, page_html, outside)
        page = open_print_page(context, ORIGIN + PRINT_PAGE, diagrams, printed)
        prepare(page, title, printed)
        if outside:
            raise PdfError("the print page asked for other hosts (blocked):\n  " + "\n  ".join(sorted(set(outside))))
        pdf = print_numbered(page, title, printed)
    pdf, printed.mended_fonts = mend_text(pdf)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)
    return printed


# Text layer ------------------------------------------------------------------------------------


@functools.cache
def radicals() -> dict[int, str]:
    """Code point of each CJK radical -> its unified ideograph."""
    table = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}
    for item in RADICALS_SUPPLEMENT.split():
        span, ideograph = item.split(":")
        first, _, last = span.partition("-")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            table[cp] = chr(int(ideograph, 16))
    return table


def utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", "surrogatepass")


def cmap_entries(cmap: str) -> list[tuple[str, str]]:
    """(character code in hex, its text) of every bfchar and bfrange entry of a ToUnicode CMap."""
    entries = []
    for kind, body in CMAP_BLOCK_RE.findall(cmap):
        for line in body.strip().splitlines():
            codes = HEX_RE.findall(line)
            if kind == "bfchar":
                entries.append((codes[0], utf16(codes[1])))
                continue
            low, high, width = int(codes[0], 16), int(codes[1], 16), len(codes[0])
            if "[" in line:
                texts = [utf16(code) for code in codes[2:]]
            else:
                start = utf16(codes[2])
                texts = [start[:-1] + chr(ord(start[-1]) + i) for i in range(high - low + 1)]
            entries += [(f"{low + i:0{width}X}", text) for i, text in enumerate(texts)]
    return entries


def mend_cmap(cmap: str) -> str | None:
    """The CMap with radicals replaced by their ideographs (as bfchar entries), or None if it has none."""
    table = radicals()
    entries = cmap_entries(cmap)
    if not any(ord(char) in table for _, text in entries for char in text):
        return None
    mended = [(code, "".join(table.get(ord(char), char) for char in text)) for code, text in entries]
    blocks = []
    for i in range(0, len(mended), 100):  # at most 100 entries a block
        chunk = mended[i : i + 100]
        lines = "".join(f"<{code}> <{text.encode('utf-16-be', 'surrogatepass').hex().upper()}>\n" for code, text in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}endbfchar\n")
    first = CMAP_FIRST_BLOCK_RE.search(cmap)
    return cmap[: first.start()] + "".join(blocks) + cmap[cmap.index("endcmap") :]


def fonts(resources: Any) -> Iterator[Any]:
    """Every font reference of a resource dictionary, and of the forms and Type 3 fonts it uses."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or DictionaryObject()).values():
        yield font
        yield from fonts(font.get_object().get("/Resources"))
    for xobject in (resources.get("/XObject") or DictionaryObject()).values():
        if xobject.get_object().get("/Subtype") == "/Form":
            yield from fonts(xobject.get_object().get("/Resources"))


def mended_cmaps(reader: PdfReader) -> dict[int, bytes]:
    """Object number -> mended data of every ToUnicode stream that maps a glyph to a radical."""
    mended: dict[int, bytes] = {}
    seen: set[int] = set()
    for page in reader.pages:
        for font in fonts(page.get("/Resources")):
            cmap = font.get_object().get("/ToUnicode")
            if not isinstance(cmap, IndirectObject) or cmap.idnum in seen:
                continue
            seen.add(cmap.idnum)
            text = mend_cmap(cmap.get_object().get_data().decode("latin-1"))
            if text is not None:
                mended[cmap.idnum] = text.encode("latin-1")
    return mended


def mend_text(pdf: bytes) -> tuple[bytes, int]:
    """The PDF with searchable, copyable CJK text, and how many fonts' maps were mended: the mended maps
    are appended by pypdf as an incremental update (ISO 32000-1 7.5.6), the printed bytes left as they are."""
    reader = PdfReader(BytesIO(pdf))
    streams = mended_cmaps(reader)
    if not streams:
        return pdf, 0
    writer = PdfWriter(reader, incremental=True)
    for number, data in streams.items():
        writer.get_object(number).set_data(data)
    out = BytesIO()
    writer.write(out)
    return out.getvalue(), len(streams)


# Checks ----------------------------------------------------------------------------------------


def blank_pages(reader: PdfReader, title: str) -> list[int]:
    """Pages (1-based) with nothing but the footer: a box too tall for a page pushed out of it."""
    blank = []
    for number, page in enumerate(reader.pages, 1):
        contents = page.get_contents()
        if contents is not None and len(contents.get_data()) > BLANK_PAGE_BYTES:
            continue
        text = page.extract_text().translate(radicals())
        text = text.replace(title, "").replace(f"{number} / {len(reader.pages)}", "")
        if not text.strip():
            blank.append(number)
    return blank


# Main ------------------------------------------------------------------------------------------


def make_pdf(site: Path, output: Path, chromium: Path = CHROMIUM) -> Printed:
    """Print the book from the site built in `site` to output."""
    page_html = print_page_html(site, book_nav())
    return print_page(site, page_html, output, len(DIAGRAM_RE.findall(page_html)), site_name(), chromium)


def main(argv: list[str] | None = None) -> int:
    args = site_arguments(__doc__, argv)
    start = time.monotonic()
    try:
        printed = make_pdf(args.site, args.site / OUTPUT)
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
    for number in blank_pages(reader, site_name()):
        print(f"pdf: warning: page {number} is blank", file=sys.stderr)
    size = printed.path.stat().st_size / 1e6
    print(
        f"pdf: {printed.path} — {len(reader.pages)} pages, {size:.1f} MB, {printed.diagrams} diagrams,"
        f" {printed.passes} prints, {time.monotonic() - start:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
