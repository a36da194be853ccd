"""The whole book as one PDF (scripts/pdf.py, `make pdf`): printed once by Debian's Chromium, read back with pypdf."""

from __future__ import annotations

import concurrent.futures
import re
from pathlib import Path

import pytest
from conftest import CHROMIUM, ROOT, load_script
from pypdf import PdfReader

pytestmark = pytest.mark.browser


pdf = load_script("pdf")


def chapter_titles() -> list[str]:
    """The H1 of every numbered chapter (front matter `chapter:`), in chapter order."""
    chapters = []
    for md in (ROOT / "docs").rglob("*.md"):
        text = md.read_text(encoding="utf-8")
        front = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
        number = front and re.search(r"^chapter:\s*(\d+)\s*$", front[1], re.MULTILINE)
        if number:
            chapters.append((int(number[1]), re.search(r"^# (.+)$", text, re.MULTILINE)[1].strip()))
    return [title for _, title in sorted(chapters)]


CHAPTERS = chapter_titles()
BACK_MATTER = ["术语表", "参考文献"]
TITLE = pdf.site_name()


@pytest.fixture(scope="session")
def printed(site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The PDF of the session's built site, made once through the script's own functions into a temporary folder."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the PDF needs Debian's chromium (make pdf / make test installs it)")
    # Its own thread: Playwright's sync API refuses a thread where the session browser's loop runs.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(pdf.make_pdf, site, tmp_path_factory.mktemp("pdf") / "llm-book.pdf").result()


@pytest.fixture(scope="session")
def reader(printed) -> PdfReader:
    return PdfReader(printed.path, strict=True)  # the text layer's incremental update is well-formed


@pytest.fixture(scope="session")
def outline(reader: PdfReader) -> list[tuple[str, int]]:
    """(title, page number) of every outline entry, in order."""

    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title, reader.get_destination_page_number(item) + 1

    return list(walk(reader.outline))


def first_page(outline: list[tuple[str, int]], title: str) -> int:
    return next(page for entry, page in outline if entry == title)


def text(reader: PdfReader, number: int) -> str:
    return reader.pages[number - 1].extract_text()


# The print page -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def print_page(site: Path) -> str:
    return pdf.print_page_html(site, pdf.book_nav())


def test_the_print_page_holds_every_page_of_the_nav_once_in_order(print_page: str):
    keys = [pdf.page_key(page.url) for page in pdf.book_pages(pdf.book_nav())]
    assert keys[0] == "index" and "contributing" not in keys  # the authors' guide is not part of the book
    assert re.findall(r'<section class="print-page" id="([^"]+)"', print_page) == keys
    assert re.findall(r'<section class="print-page md-section" id="[^"]+"><h1>([^<]+)</h1>', print_page) == ["课程", "专题文章"]
    toc = print_page[print_page.index('<div id="print-toc">'):print_page.index("</nav></div></section>")]
    assert [href[1:] for href in re.findall(r'href="(#[^"]+)"', toc)] == [
        "index", "section-2", *keys[1:4], "section-3", *keys[4:7], *keys[7:]]
    assert "/assets/katex/katex.min.css" in print_page and '<pre class="mermaid">' not in print_page
    ids = re.findall(r'<(?:h[1-6]|sup|li)\s[^>]*?\bid="([^"]*)"', print_page)
    assert len(ids) == len(set(ids)) > 1000, "every heading and footnote id is the page's own"


def test_links_point_into_the_print_page_and_assets_to_the_site():
    keys = {"": "index", "course/part-1/lesson-01-definition/": "course-part-1-lesson-01-definition"}
    page = "course/part-1/lesson-01-definition/"
    assert pdf.print_url("#学习目标", page, keys) == "#course-part-1-lesson-01-definition-学习目标"
    assert pdf.print_url("../../../#%E5%85%A8%E4%B9%A6", page, keys) == "#index-全书"
    assert pdf.print_url("../../../", page, keys) == "#index"
    assert pdf.print_url("../../../contributing/", page, keys) == "/contributing/"  # unlinked when printed
    assert pdf.print_url("../../../assets/katex/katex.min.css", page, keys) == "/assets/katex/katex.min.css"
    assert pdf.print_url("https://arxiv.org/abs/1706.03762", page, keys) == "https://arxiv.org/abs/1706.03762"
    drawn = (
        '<div class="mermaid" data-search-exclude><template shadowrootmode="open"><svg><marker id="m"></marker>'
        '<a xlink:href="course/part-1/lesson-01-definition/#学习目标" data-look="classic"><path marker-end="url(#m)"/></a>'
        '<use href="#m"/></svg></template></div>'
    )
    out = pdf.chapter_html('<h2 id="a">A</h2><a href="#a">a</a>' + drawn, "", keys)
    assert out.startswith('<h2 id="index-a">A</h2><a href="#index-a">a</a>')
    assert '<a xlink:href="#course-part-1-lesson-01-definition-学习目标"' in out
    assert '<marker id="m">' in out and '<use href="#m"/>' in out, "a drawing's own references stay"


def test_a_site_without_every_page_of_the_nav_is_refused(tmp_path: Path):
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(pdf.PdfError, match=r"the site has not built .*course/index\.html.*: build it first \(make build\)"):
        pdf.print_page_html(tmp_path, pdf.book_nav())


def test_a_missing_chromium_fails_the_pdf(tmp_path: Path):
    with pytest.raises(pdf.PdfError, match="chromium"):
        pdf.print_page(tmp_path, "", tmp_path / "x.pdf", 0, TITLE, chromium=tmp_path / "no-chromium")


# The text layer ---------------------------------------------------------------------------------

CMAP = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfchar
<2E> <2F00>
<32> <4E03>
endbfchar
1 beginbfrange
<40> <42> <2F24>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def test_mended_text_maps_are_an_incremental_update_of_the_printed_bytes():
    from io import BytesIO

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    cmap = DecodedStreamObject()
    cmap.set_data(CMAP.encode("latin-1"))
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/ToUnicode"): writer._add_object(cmap)})
    writer.pages[0][NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    printed = BytesIO()
    writer.write(printed)
    mended, count = pdf.mend_text(printed.getvalue())
    assert count == 1 and mended.startswith(printed.getvalue())
    reader = PdfReader(BytesIO(mended), strict=True)
    data = reader.pages[0]["/Resources"]["/Font"]["/F1"]["/ToUnicode"].get_data().decode("latin-1")
    assert dict(pdf.cmap_entries(data))["40"] == "大"
    assert pdf.mend_text(mended) == (mended, 0)


def test_radicals_in_text_maps_become_ideographs():
    mended = pdf.mend_cmap(CMAP)
    assert dict(pdf.cmap_entries(mended)) == {"2E": "一", "32": "七", "40": "大", "41": "女", "42": "子"}
    assert mended.startswith(CMAP[: CMAP.index("2 beginbfchar")]) and mended.endswith(CMAP[CMAP.index("endcmap") :])
    assert pdf.mend_cmap(CMAP.replace("2F00", "4E00").replace("2F24", "5927")) is None
    assert pdf.radicals()[0x2ED4] == "门"


# The printed book -------------------------------------------------------------------------------


def test_the_book_is_printed_whole_and_offline(printed, reader: PdfReader):
    assert 40 < len(reader.pages) < 400
    assert printed.diagrams >= 20, "the print page holds every chapter's diagrams"
    assert printed.console_errors == []
    assert printed.unlinked == [], "links to site pages that are not in the book"
    assert printed.overflowing == [], "boxes wider than the page are cut off on paper"
    assert reader.metadata.title == TITLE


def test_table_of_contents_lists_every_chapter_with_its_page(reader: PdfReader, outline):
    assert len(CHAPTERS) == 5, CHAPTERS
    toc = text(reader, 2)
    assert toc.startswith("目录")
    numbers = set(re.findall(r"^\d+$", toc, re.MULTILINE))
    for title in CHAPTERS + BACK_MATTER:
        assert title in toc
        assert str(first_page(outline, title)) in numbers, title


def test_outline_has_every_chapter_and_its_sections(outline):
    titles = [title for title, _ in outline]
    assert all(title in titles for title in CHAPTERS + BACK_MATTER)
    assert titles.count("学习目标") >= 2, "sections (h2) are in the outline too"
    pages = [first_page(outline, title) for title in CHAPTERS + BACK_MATTER]
    assert pages == sorted(pages), "chapters in the book's order"


def test_each_chapter_starts_a_page(reader: PdfReader, outline):
    for title in CHAPTERS + BACK_MATTER:
        assert text(reader, first_page(outline, title)).lstrip().startswith(title), title


def test_every_page_has_its_number_in_the_footer(reader: PdfReader):
    total = len(reader.pages)
    for number in (1, 2, total // 2, total):
        assert f"{TITLE} {number} / {total}" in text(reader, number)
    assert pdf.blank_pages(reader, TITLE) == []


def test_chinese_text_is_searchable(reader: PdfReader):
    """No Kangxi radicals standing in for ideographs (⼤ for 大): the text layer is mended."""
    sample = "".join(text(reader, n) for n in (1, 2, 3))
    assert TITLE in sample
    assert not re.search(r"[\u2e80-\u2fdf]", sample)


def test_math_is_typeset(reader: PdfReader, outline):
    """The chapter on softmax: its formula is set in KaTeX's fonts, and no TeX source is left."""
    start, end = first_page(outline, CHAPTERS[2]), first_page(outline, CHAPTERS[3])
    for number in range(start, end):
        page = text(reader, number)
        assert "\\frac" not in page and "$$" not in page, number
        if re.search(r"softmax\s*\(\s*z\s*\)", page):
            break
    else:
        pytest.fail("the softmax formula is missing")
    fonts = {str(font.get_object().get("/BaseFont")) for font in pdf.fonts(reader.pages[number - 1]["/Resources"])}
    assert any("KaTeX_Main" in font for font in fonts) and any("KaTeX_Math" in font for font in fonts)


def test_diagrams_are_drawn(reader: PdfReader, outline):
    """The book's concept map: its boxes are text in the PDF, and link to their chapters."""
    heading = first_page(outline, "全书概念图")
    # the diagram follows its heading, on the same page or, when the heading ends a page, the next
    page = next((n for n in (heading, heading + 1) if "挑战与未来趋势" in text(reader, n)), heading)
    assert "定义、特点与应用场景" in text(reader, page) and "标准化进程" in text(reader, page)
    destinations = {annot.get_object().get("/Dest") for annot in reader.pages[page - 1].get("/Annots", [])}
    assert "/course-part-1-lesson-01-definition" in destinations


def test_citations_and_references_are_included(reader: PdfReader, outline):
    chapter = first_page(outline, CHAPTERS[0])
    assert re.search(r"\[\s*1\s*\]", text(reader, chapter)), "citation marks keep their brackets"
    assert "本章参考文献" in text(reader, first_page(outline, "本章参考文献"))
    references = text(reader, first_page(outline, "参考文献"))
    assert "全书共引用" in references and "被引用于" in references


def test_fonts_are_embedded(reader: PdfReader):
    """Every font is in the file: TrueType programs (/FontFile2: KaTeX, Latin) or glyph procedures
    (Type 3: Skia writes the CFF-based Noto CJK that way), none referenced by name only."""
    seen, programs, type3 = set(), set(), 0
    for page in reader.pages:
        for ref in pdf.fonts(page.get("/Resources")):
            key = getattr(ref, "idnum", id(ref))
            if key in seen:
                continue
            seen.add(key)
            font = ref.get_object()
            if font["/Subtype"] == "/Type3":
                assert font["/CharProcs"], font
                type3 += 1
                continue
            descriptor = (font["/DescendantFonts"][0].get_object() if font["/Subtype"] == "/Type0" else font)["/FontDescriptor"]
            embedded = [key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
            assert embedded, f"{font['/BaseFont']} is not embedded"
            programs.add(str(font["/BaseFont"]).split("+")[-1])
    assert type3 > 0, "the CJK text"
    assert {"KaTeX_Main-Regular", "KaTeX_Math-Italic"} <= programs


def test_no_link_points_to_the_served_print_page(reader: PdfReader):
    for number, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots", []):
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                assert not re.match(r"https?://(book\.invalid|127\.0\.0\.1|localhost)", action["/URI"]), (number, action["/URI"])
