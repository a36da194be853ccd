#!/usr/bin/env python3
"""Slide decks of the lessons (make slides): site/slides/<page>.html and site/slides/<page>.pdf.

A deck is made from the page the site build wrote (site/<page>/index.html), not from a second copy
of the text: its formulas are the site's KaTeX HTML, its diagrams the site's build-time SVG, its
citation marks and references the site's. The convention (docs/contributing.md, 幻灯片约定):

- a title slide (title, the part of the book, version and build date) and a 目录 slide (the `##`
  sections);
- each `##` section is a slide; a section with `###` sub-sections gets a slide that lists them, then
  a slide per sub-section. A slide shows the key points of its (sub-)section: the items of its first
  list, each cut to its first sentence (at most MAX_POINTS; a sentence still too long is cut at a
  comma outside brackets, with ……), or else the first sentence of its first paragraphs; and its
  first display formula;
- the (sub-)section's first figure (diagram) or table follows on a slide of its own, with its
  caption (图 N-k / 表 N-k); a long table continues on further slides;
- the prose of the (sub-)section, its 编者注 and its folded answers become the speaker notes (S);
- citation marks keep the site's numbers and point to the 参考文献 slides at the end;
- an author may steer it in the chapter: `{ .slide-skip }` after a heading leaves that section out
  of the deck; a block `<div class="slide-points" markdown>…</div>` gives the key points instead of
  the automatic choice (the site shows it as ordinary text); front matter `slides: false` makes no
  deck of the page.

Each deck is written with reveal.js (pinned in package.json), KaTeX's CSS and fonts (the pinned
npm katex) copied beside it: it opens from file:// with no outside request. The PDF, one slide a
page, is printed by Debian's Chromium through Playwright from reveal.js's print view.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import markupsafe
from _site import DIAGRAM_RE, ROOT, browser, formats, site_arguments, site_name, site_stamp
from lxml import html as lxml_html
from lxml.etree import _Element

NODE = ROOT / "node_modules"
REVEAL = NODE / "reveal.js" / "dist"
KATEX = NODE / "katex" / "dist"
SCRIPTS = Path(__file__).resolve().parent
STYLESHEET, SCRIPT = SCRIPTS / "slides.css", SCRIPTS / "slides.js"
OUT_DIR = "slides"  # site/slides/
MAX_POINTS = 6
MAX_POINT_CHARS = 70  # a point longer than this is cut to its first sentence
MAX_NOTES_CHARS = 4000
TABLE_ROWS = 7  # rows of a table on one slide
REFERENCES_PER_SLIDE = 5
WIDTH, HEIGHT = 1280, 720
SENTENCE_END = "。！？；"
CLAUSE_END = "，、："
MAX_SENTENCE_CHARS = 110  # a first sentence longer than this is cut at a comma
MIN_CLAUSE_CHARS = 50
OPENING, CLOSING = "（(“‘《「[", "）)”’》」]"  # no cut inside brackets or quotes


@dataclass
class Slide:
    title: str
    body: str = ""
    kicker: str = ""  # the section a sub-section's slide belongs to
    notes: str = ""
    classes: str = ""
    ident: str = ""
    section: str = ""  # the `##` section title (data-section, for the tests and the 目录)


@dataclass
class Deck:
    title: str
    part: str
    slides: list[Slide] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(SCRIPTS), autoescape=True)
BODIES = TEMPLATES.get_template("slide-bodies.html").module  # the macros that write slide bodies, loaded once


# Reading the built page ---------------------------------------------------------------------------


def outer(el: _Element) -> str:
    return lxml_html.tostring(el, encoding="unicode", with_tail=False)


def text_of(el: _Element) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def heading_text(el: _Element) -> str:
    el = copy.deepcopy(el)
    for a in el.xpath('.//a[contains(@class, "headerlink")]'):
        a.drop_tree()
    return text_of(el)


def has_class(el: _Element, name: str) -> bool:
    return name in (el.get("class") or "").split()


def first_sentence(el: _Element) -> _Element:
    """A copy of a list item or paragraph cut after its first sentence (when it is long), with its
    nested lists, folded answers and admonitions left out."""
    el = copy.deepcopy(el)
    for child in el.xpath("./ul | ./ol | ./details | ./div | ./pre"):
        child.drop_tree()
    if len(text_of(el)) <= MAX_POINT_CHARS:
        return el
    # Paragraphs inside a list item: keep the first.
    paragraphs = el.xpath("./p")
    if paragraphs:
        for p in paragraphs[1:]:
            p.drop_tree()
        return first_sentence_inline(el, paragraphs[0])
    return first_sentence_inline(el, el)


def shorten(root: _Element, container: _Element) -> _Element:
    """A first sentence still too long for a slide is cut at a comma after MIN_CLAUSE_CHARS, with ……"""
    if len(text_of(root)) <= MAX_SENTENCE_CHARS:
        return root
    seen = depth = 0
    segments: list[tuple[_Element | None, str]] = [(None, container.text or "")]
    segments += [(child, child.tail or "") for child in container]
    for n, (child, text) in enumerate(segments):
        for i, ch in enumerate(text):
            depth += (ch in OPENING) - (ch in CLOSING)
            if ch in CLAUSE_END and depth <= 0 and seen + i >= MIN_CLAUSE_CHARS:
                cut = text[:i] + "……"
                if child is None:
                    container.text = cut
                    for later in list(container):
                        container.remove(later)
                else:
                    child.tail = cut
                    for later, _ in segments[n + 1:]:
                        container.remove(later)
                return root
        seen += len(text) + (len(text_of(segments[n + 1][0])) if n + 1 < len(segments) else 0)
    return root


def first_sentence_inline(root: _Element, container: _Element) -> _Element:
    def cut(text: str | None) -> tuple[str | None, bool]:
        if not text:
            return text, False
        for i, ch in enumerate(text):
            if ch in SENTENCE_END:
                return text[: i + 1], True
        return text, False

    container.text, done = cut(container.text)
    if done:
        for child in list(container):
            container.remove(child)
        return shorten(root, container)
    for child in list(container):
        if done:
            container.remove(child)
            continue
        child.tail, done = cut(child.tail)
    return shorten(root, container)


def citations(el: _Element) -> list[str]:
    return [a.get("href", "")[len("#fn:"):] for a in el.xpath('.//a[contains(@class, "footnote-ref")]')]


def link_citations(fragment: str) -> str:
    """Citation marks point to the references slides instead of the page's footnotes."""
    return re.sub(r'href="#fn:[^"]*"', 'href="#/references"', fragment)


def strip_ids(el: _Element) -> _Element:
    for node in el.xpath(".//*[@id]"):
        if not node.get("id", "").startswith("mermaid"):
            del node.attrib["id"]
    if el.get("id"):
        del el.attrib["id"]
    return el


@dataclass
class Unit:
    """A `##` section's own text, or one of its `###` sub-sections."""

    title: str
    blocks: list[_Element] = field(default_factory=list)
    skip: bool = False


def split_page(article: _Element) -> tuple[str, list[tuple[Unit, list[Unit]]], dict[str, str]]:
    """(title, [(section, [sub-sections])], references {key: HTML}) of a built page's article."""
    title = ""
    sections: list[tuple[Unit, list[Unit]]] = []
    references: dict[str, str] = {}
    current: Unit | None = None
    for el in article:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "h1":
            title = heading_text(el)
        elif tag == "h2":
            nxt = el.getnext()
            if nxt is not None and nxt.tag == "div" and has_class(nxt, "footnote"):
                current = None  # the chapter's reference list (hooks/bibliography.py)
                continue
            current = Unit(heading_text(el), skip=has_class(el, "slide-skip"))
            sections.append((current, []))
        elif tag == "h3" and sections:
            current = Unit(heading_text(el), skip=has_class(el, "slide-skip"))
            sections[-1][1].append(current)
        elif tag == "div" and has_class(el, "footnote"):
            for li in el.xpath("./ol/li"):
                li = copy.deepcopy(li)
                for a in li.xpath('.//a[contains(@class, "footnote-backref")]'):
                    a.drop_tree()
                key = li.get("id", "")[len("fn:"):]
                inner = "".join(outer(c) for c in li)
                references[key] = inner
        elif current is not None and tag:
            current.blocks.append(el)
    return title, sections, references


def unit_slides(unit: Unit, section: str, kicker: str, ident: str, placeholders: dict[str, str]) -> list[Slide]:
    """The slides of one (sub-)section: key points (and formula), then its first figure or table."""
    blocks = unit.blocks
    chosen = [b for b in blocks if b.tag == "div" and has_class(b, "slide-points")]
    lists = [b for b in blocks if b.tag in ("ul", "ol")]
    if chosen:
        points: list[str] = []
    elif lists:
        points = [inner_html(strip_ids(first_sentence(li))) for li in lists[0].xpath("./li")[:MAX_POINTS]]
    else:
        paragraphs = [b for b in blocks if b.tag == "p" and not b.xpath('.//span[contains(@class, "katex-display")]')
                      and text_of(b)]
        points = [inner_html(strip_ids(first_sentence(p))) for p in paragraphs[:3]]
    tag = "ol" if lists and lists[0].tag == "ol" else "ul"
    formula = next((b for b in blocks if b.tag == "p" and b.xpath('./span[contains(@class, "katex-display")]')), None)
    body = str(BODIES.points(
        [markupsafe.Markup(p) for p in points if p.strip()], tag,
        markupsafe.Markup("".join(outer(c) for c in chosen[0])) if chosen else None,
        None if formula is None else markupsafe.Markup(outer(strip_ids(copy.deepcopy(formula)))),
    ))

    notes_parts = []
    for b in blocks:
        if b.tag == "p" or (b.tag == "div" and has_class(b, "admonition")):
            notes_parts.append(text_of(b))
        elif b.tag in ("ul", "ol"):
            for li in b.xpath("./li"):
                notes_parts.append("· " + text_of(li))
    notes = "\n".join(notes_parts)
    if len(notes) > MAX_NOTES_CHARS:
        notes = notes[:MAX_NOTES_CHARS].rstrip() + "……"

    slides = [Slide(unit.title, body, kicker, notes, "", ident, section)]
    figure = next((b for b in blocks if b.tag == "figure"), None)
    if figure is None:
        figure = next((b for b in blocks if b.tag == "table"), None)
    if figure is not None:
        slides += figure_slides(figure, unit.title, kicker or unit.title, section, placeholders)
    return slides


def inner_html(el: _Element) -> str:
    return (html.escape(el.text) if el.text else "") + "".join(outer(c) + (html.escape(c.tail) if c.tail else "") for c in el)


def figure_slides(figure: _Element, title: str, kicker: str, section: str, placeholders: dict[str, str]) -> list[Slide]:
    figure = strip_ids(copy.deepcopy(figure))
    caption = figure.xpath("./figcaption")
    caption_html = inner_html(caption[0]) if caption else ""
    table = figure if figure.tag == "table" else (figure.xpath(".//table") or [None])[0]
    if table is None:  # a diagram
        return [Slide(title, str(BODIES.diagram(markupsafe.Markup(inner_html_figure(figure)))), kicker, "", "figure", "", section)]
    head = table.xpath("./thead")
    rows = table.xpath("./tbody/tr") or table.xpath("./tr")
    head_html = outer(head[0]) if head else ""
    chunks = [rows[i: i + TABLE_ROWS] for i in range(0, len(rows), TABLE_ROWS)] or [[]]
    slides = []
    for n, chunk in enumerate(chunks):
        more = "（续）" if n else ""
        body = str(BODIES.table(markupsafe.Markup(head_html), [markupsafe.Markup(outer(r)) for r in chunk],
                                  markupsafe.Markup(caption_html), more))
        slides.append(Slide(title, body, kicker, "", "figure", "", section))
    return slides


def inner_html_figure(figure: _Element) -> str:
    return "".join(outer(c) for c in figure)


# The deck -------------------------------------------------------------------------------------------


def build_deck(page_html: str, part: str) -> tuple[Deck, dict[str, str]]:
    placeholders: dict[str, str] = {}

    def hold(m: re.Match[str]) -> str:
        key = f"diagram-{len(placeholders)}"
        placeholders[key] = m.group()
        return f'<div class="mermaid" data-placeholder="{key}"></div>'

    start = page_html.index("<article")
    end = page_html.index("</article>", start) + len("</article>")
    article_html = DIAGRAM_RE.sub(hold, page_html[start:end])
    article = lxml_html.fragment_fromstring(article_html)
    title, sections, references = split_page(article)
    deck = Deck(title, part)
    cited: list[str] = []
    for n, (section, subsections) in enumerate(sections, 1):
        if section.skip:
            continue
        deck.sections.append(section.title)
        ident = f"s{n}"
        subs = [s for s in subsections if not s.skip]
        own_text = [b for b in section.blocks if text_of(b) or b.tag == "figure"]
        if subs and not own_text:
            body = str(BODIES.points([s.title for s in subs]))
            deck.slides.append(Slide(section.title, body, "", "", "divider", ident, section.title))
        else:
            deck.slides += unit_slides(section, section.title, "", ident, placeholders)
        for m, sub in enumerate(subs, 1):
            deck.slides += unit_slides(sub, section.title, section.title, f"{ident}-{m}", placeholders)
    for slide in deck.slides:
        for key in re.findall(r'href="#fn:([^"]*)"', slide.body):
            if key not in cited:
                cited.append(key)
    numbered = {key: i for i, key in enumerate(references, 1)}
    cited.sort(key=lambda k: numbered.get(k, 10**6))
    chunks = [cited[i: i + REFERENCES_PER_SLIDE] for i in range(0, len(cited), REFERENCES_PER_SLIDE)]
    for i, chunk in enumerate(chunks):
        items = [(numbered.get(k, 0), markupsafe.Markup(references[k]) if k in references else k) for k in chunk]
        deck.slides.append(Slide("参考文献" + ("（续）" if i else ""), str(BODIES.references(items)),
                                 "", "", "references", "references" if i == 0 else "", "参考文献"))
    return deck, placeholders


def render(deck: Deck, placeholders: dict[str, str], stamp: dict[str, str], site_name: str, page_url: str) -> str:
    """The deck as one HTML page (scripts/slides.html)."""

    def body(slide: Slide) -> markupsafe.Markup:
        fragment = link_citations(slide.body)
        fragment = re.sub(r'<div class="mermaid" data-placeholder="([^"]+)"></div>', lambda m: placeholders[m[1]], fragment)
        return markupsafe.Markup(fragment)

    toc = [s for s in deck.slides if s.ident and "-" not in s.ident and s.ident != "references"]
    return TEMPLATES.get_template("slides.html").render(
        deck=deck, toc=toc, body=body, stamp=stamp, site_name=site_name, page_url=page_url)


def copy_assets(out: Path) -> None:
    assets = out / "assets"
    if assets.exists():
        shutil.rmtree(assets)
    (assets / "reveal" / "theme").mkdir(parents=True)
    (assets / "reveal" / "plugin").mkdir()
    for name in ("reveal.css", "reveal.js"):
        shutil.copy(REVEAL / name, assets / "reveal" / name)
    shutil.copy(REVEAL / "theme" / "white.css", assets / "reveal" / "theme" / "white.css")
    shutil.copy(REVEAL / "plugin" / "notes.js", assets / "reveal" / "plugin" / "notes.js")
    (assets / "katex").mkdir()
    shutil.copy(KATEX / "katex.min.css", assets / "katex" / "katex.min.css")
    shutil.copytree(KATEX / "fonts", assets / "katex" / "fonts")
    shutil.copy(STYLESHEET, assets / "slides.css")
    shutil.copy(SCRIPT, assets / "slides.js")


def deck_pages(site: Path, docs: Path) -> list[tuple[str, Path, str]]:
    """(deck name, built page, part) of every page that gets a deck."""
    found = []
    for src in sorted(docs.rglob("*.md")):
        src_uri = src.relative_to(docs).as_posix()
        meta = front_matter(src)
        name = formats.deck_name(src_uri, meta)
        if not name:
            continue
        built = site / (src_uri[: -len(".md")] + "/index.html")
        if built.exists():
            found.append((name, built, meta.get("part") or formats.part_name(src_uri)))
    return found


def front_matter(path: Path) -> dict:
    from mkdocs.utils.meta import get_data

    return get_data(path.read_text(encoding="utf-8"))[1]


def write_decks(site: Path, docs: Path = ROOT / "docs") -> list[Path]:
    out = site / OUT_DIR
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    stamp, book = site_stamp(site), site_name()
    written = []
    for name, built, part in deck_pages(site, docs):
        deck, placeholders = build_deck(built.read_text(encoding="utf-8"), part)
        page_url = "../" + built.parent.relative_to(site).as_posix() + "/"
        target = out / f"{name}.html"
        target.write_text(render(deck, placeholders, stamp, book, page_url), encoding="utf-8")
        written.append(target)
        print(f"{target.relative_to(site)}: {len(deck.slides) + 2} slides, {len(deck.sections)} sections")
    return written


def print_pdfs(decks: list[Path]) -> list[Path]:
    """Each deck as a PDF, one slide a page, from reveal.js's print view (?print-pdf)."""
    pdfs = []
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
        for deck in decks:
            page.goto(deck.as_uri() + "?print-pdf")
            page.wait_for_function("() => document.documentElement.classList.contains('deck-ready')")
            page.evaluate("() => document.fonts.ready")
            target = deck.with_suffix(".pdf")
            page.pdf(path=str(target), width=f"{WIDTH}px", height=f"{HEIGHT}px", print_background=True,
                     margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
            pdfs.append(target)
            print(f"{target}: printed")
    return pdfs


def main(argv: list[str] | None = None) -> int:
    args = site_arguments(__doc__, argv, ("--no-pdf", "write the HTML decks only"))
    decks = write_decks(args.site)
    if not args.no_pdf:
        print_pdfs(decks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
