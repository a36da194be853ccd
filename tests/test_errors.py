"""Author mistakes stop the build with one clear message naming file and line — never a traceback."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import BUILD_ENV, MKDOCS, ROOT, MiniBook, Served, free_port, run_build, tree_digest

GOOD = "---\ntitle: 第一页\nchapter: 1\n---\n\n# 第一页\n\n正文 $x^2$ 引用[@vaswani2017attention]。\n\n## 小节\n\n结束。\n"


def page_with(body: str) -> str:
    """A page whose front matter and blank line take 5 lines: the body starts at file line 6."""
    return f"---\ntitle: 测试\nchapter: 1\n---\n\n{body}"


def assert_fails_with(build, pattern: str) -> None:
    assert build.returncode != 0, build.output
    assert "Traceback" not in build.output, build.output
    assert re.search(pattern, build.output), build.output


@pytest.mark.parametrize(
    "body, pattern",
    [
        ("# T\n\n公式 $W_c_{ij}$ 有误。\n",
         r"docs/index\.md:8: invalid TeX 'W_c_\{ij\}': KaTeX parse error: Double subscript"),
        ("# T\n\n$$\n\\frac{1}{2\n$$\n", r"docs/index\.md:8: invalid TeX '\\frac\{1\}\{2': KaTeX parse error: .*expected '\}'"),
        ("# T\n\n公式 $\\notacommand{x}$。\n", r"docs/index\.md:8: invalid TeX .*Undefined control sequence: \\notacommand"),
        ("# T\n\n收入 $5 与 $10。\n", r"docs/index\.md:8: unmatched or empty '\$'"),
        ("# T\n\n```python\nprint(1)\n\n后面的正文\n", r"docs/index\.md:8: code fence '```' is never closed"),
        ("# T\n\n| a |\n|---|\n| 1 |\n\n/// table-caption\n表\n\n正文被吞掉\n",
         r"docs/index\.md:12: block opened here is never closed with ///"),
        ("# T\n\n```mermaid\ngraph TD\n  accTitle: t\n  accDescr: d\n  A --> \n  B -->> C\n```\n",
         r"docs/index\.md:13: invalid Mermaid diagram: Parse error on line 5"),
        ("# T\n\n```mermaid\ngraph TD\n  accTitle: 图\n  A --> B\n```\n",
         r"docs/index\.md:9: diagram lacks accDescr \(its accessible name\)"),
        ("# T\n\n```mermaid\ntimeline\n  accTitle: t\n  accDescr: d\n  2017 : Transformer\n```\n",
         r"docs/index\.md:9: timeline diagrams drop accTitle/accDescr in Mermaid 11: draw a flowchart"),
        ("# T\n\n```mermaid\ngrph TD\n  accTitle: t\n  accDescr: d\n  A --> B\n```\n",
         r"docs/index\.md:9: invalid Mermaid diagram: No diagram type detected"),
        ("# T\n\n```mermaid\ngraph TD\n  accTitle: t\n  accDescr: d\n  A --> B\n  click A \"missing.md\"\n```\n",
         r"docs/index\.md:13: Mermaid click target 'missing\.md' is not a page of the book"),
        ("# T\n\n见文献[@nosuch2020paper]。\n",
         r"docs/index\.md:8: citation of unknown key 'nosuch2020paper' \(not in references\.bib\)"),
        ("# T\n\n见[不存在的页](nowhere.md)。\n", r"docs/index\.md:8: link target 'nowhere\.md' does not exist"),
        ("# T\n\n![示意图](figure.png)\n", r"docs/index\.md:8: image 'figure\.png' does not exist"),
        ("# T\n\n见[第二页](second.md#no-such-heading)。\n",
         r"docs/index\.md:8: anchor '#no-such-heading' does not exist in second\.md"),
        ("# T\n\n这是一个大型模型。\n", r"docs/index\.md:8: write '大模型', not '大型模型'"),
        ("# T\n\n```python\n--8<-- \"code/missing.py\"\n```\n",
         r"docs/index\.md:9: included file 'code/missing\.py' does not exist in docs/"),
        ("# T\n\n```python\nx = d[@vaswani2017attention]\n```\n",
         r"docs/index\.md:9: \[@vaswani2017attention\] inside code is still read as a citation"),
    ],
    ids=["double-subscript", "unbalanced-brace", "unknown-command", "lone-dollar", "unclosed-fence",
         "unclosed-caption", "mermaid-edge", "mermaid-undescribed", "mermaid-timeline", "mermaid-type", "mermaid-click", "unknown-citation",
         "broken-link", "missing-image", "missing-anchor", "terminology", "missing-snippet", "citation-in-code"],
)
def test_mistake_in_a_page(minibook: MiniBook, body: str, pattern: str):
    minibook.page("index.md", page_with(body))
    minibook.page("second.md", GOOD)
    assert_fails_with(minibook.build(), pattern)
    assert not (minibook.root / "site" / "index.html").exists(), "a page with an error was published"


def test_a_diagram_in_an_included_file_is_named_at_the_include(minibook: MiniBook):
    """The page would show no drawing: diagrams are drawn from the pages' own Markdown."""
    minibook.page("code/diagram.txt", "```mermaid\ngraph LR\n  accTitle: t\n  accDescr: d\n  A --> B\n```\n")
    minibook.page("index.md", page_with('# T\n\n--8<-- "code/diagram.txt"\n'))
    assert_fails_with(minibook.build(), r"docs/index\.md:8: included file 'code/diagram\.txt' holds a Mermaid diagram: "
                                         r"write the diagram in the page itself")


@pytest.mark.parametrize(
    "bib, pattern",
    [
        ("@article{vaswani2017attention,\n  title = {Unclosed,\n  year = 2017\n",
         r"references\.bib: malformed BibTeX"),
        ("@article{vaswani2017attention, title={A}, year=2017, eprint={1706.03762}}\n"
         "@article{vaswani2017attention, title={B}, year=2017, eprint={1}}\n",
         r"references\.bib:2: duplicate key 'vaswani2017attention' \(first defined at line 1\)"),
        ("@article{vaswani2017attention, title={A}, year=2017, eprint={1706.03762}}\n"
         "@article{vaswani2017again, title={B}, year=2017, eprint={1706.03762v5}}\n",
         r"references\.bib:2: vaswani2017again is the same work as vaswani2017attention \(line 1\): same arXiv id"),
        ("@article{vaswani2017attention, title={A}, year=2017}\n",
         r"references\.bib:1: vaswani2017attention has no doi, eprint, isbn or url"),
    ],
    ids=["malformed", "duplicate-key", "same-work", "no-identifier"],
)
def test_mistake_in_the_bibliography(minibook: MiniBook, bib: str, pattern: str):
    minibook.page("index.md", GOOD)
    minibook.page("second.md", GOOD)
    minibook.bib(bib)
    assert_fails_with(minibook.build(), pattern)


def test_page_left_out_of_the_nav(minibook: MiniBook):
    minibook.page("index.md", GOOD)
    minibook.page("second.md", GOOD)
    minibook.page("orphan.md", GOOD)
    config = (minibook.root / "mkdocs.yml").read_text(encoding="utf-8")
    minibook.config(config + "nav:\n  - index.md\n  - second.md\n")
    assert_fails_with(minibook.build(), r"orphan\.md")


def test_a_correct_minibook_builds(minibook: MiniBook):
    minibook.page("index.md", GOOD)
    minibook.page("second.md", page_with("# 第二页\n\n见[第一页的小节](index.md#小节)。\n"))
    build = minibook.build()
    assert build.returncode == 0 and build.warnings == [], build.output


# Nothing lost, nothing random --------------------------------------------------------------------


def test_build_is_reproducible_and_leaves_sources_alone(tmp_path: Path):
    sources = {**tree_digest(ROOT / "docs"), "references.bib": tree_digest(ROOT)["references.bib"]}
    first = run_build(ROOT / "mkdocs.yml", tmp_path / "one")
    second = run_build(ROOT / "mkdocs.yml", tmp_path / "two")
    assert first.returncode == second.returncode == 0
    assert {**tree_digest(ROOT / "docs"), "references.bib": tree_digest(ROOT)["references.bib"]} == sources
    one = tree_digest(tmp_path / "one", skip=("sitemap.xml", "sitemap.xml.gz"))
    two = tree_digest(tmp_path / "two", skip=("sitemap.xml", "sitemap.xml.gz"))
    assert one == two


# mkdocs serve keeps serving and shows the message ------------------------------------------------


def test_serve_reports_the_error_and_keeps_serving(minibook: MiniBook, tmp_path: Path):
    minibook.page("index.md", GOOD)
    minibook.page("second.md", GOOD)
    port = free_port()
    served = Served(
        [*MKDOCS, "serve", "-f", str(minibook.root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        env={**BUILD_ENV, "BOOK_CACHE_DIR": str(minibook.cache)},
    )

    def fetch(path: str = "") -> tuple[int | None, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")
        except OSError:
            return None, ""

    try:
        assert served.wait_for("Serving on"), served.output()
        assert fetch()[0] == 200
        builds = served.count(Served.REBUILT)
        minibook.page("second.md", page_with("# T\n\n公式 $W_c_{ij}$ 有误。\n"))
        assert served.rebuilt(since=builds), served.output()
        assert "docs/second.md:8: invalid TeX" in served.output()
        assert "Traceback" not in served.output(), served.output()
        # The server still answers, and the browser shows the same message.
        assert "docs/second.md:8: invalid TeX" in fetch("second/")[1], fetch("second/")
        builds = served.count(Served.REBUILT)
        minibook.page("second.md", GOOD)
        assert served.rebuilt(since=builds), served.output()
        assert fetch("second/")[0] == 200, served.output()
    finally:
        served.stop()


def test_a_drawn_diagram_and_a_cached_one_make_the_same_site(tmp_path: Path):
    """Cold, Chromium draws the diagram; warm, the drawing comes from the cache: the sites are the same."""
    book = MiniBook(tmp_path / "book", tmp_path / "cache")
    diagram = "```mermaid\ngraph LR\n  accTitle: 图\n  accDescr: 从 A 到 B\n  A[大模型] --> B[微调]\n```\n"
    book.page("index.md", page_with(f"# T\n\n{diagram}"))
    book.page("second.md", GOOD)
    cold = run_build(book.root / "mkdocs.yml", tmp_path / "cold", {"BOOK_CACHE_DIR": str(tmp_path / "cache")})
    assert list((tmp_path / "cache" / "mermaid").glob("*.svg"))
    warm = run_build(book.root / "mkdocs.yml", tmp_path / "warm", {"BOOK_CACHE_DIR": str(tmp_path / "cache"), "CHROMIUM": "/nonexistent"})
    assert cold.returncode == warm.returncode == 0, cold.output + warm.output
    page = (tmp_path / "cold" / "index.html").read_text(encoding="utf-8")
    assert '<template shadowrootmode="open"><svg' in page and "data-drawing" not in page
    assert tree_digest(tmp_path / "cold", skip=("sitemap.xml", "sitemap.xml.gz")) == tree_digest(
        tmp_path / "warm", skip=("sitemap.xml", "sitemap.xml.gz")
    )


def processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:  # ended while being read
            continue
        if text in args:
            found.append(args[:200])
    return found


@pytest.mark.parametrize(
    "mistake",
    ["```mermaid\ngraph TD\n  accTitle: t\n  accDescr: d\n  A --> B\n  click A \"missing.md\"\n```\n", "公式 $W_c_{ij}$ 有误。\n"],
    ids=["before-drawing", "after-drawing"],
)
def test_a_failed_first_build_leaves_no_browser_or_temporary_file(tmp_path: Path, mistake: str):
    """A build that fails before its diagrams are drawn, or after, leaves no Chromium running and nothing
    in the temporary folder: Playwright has closed the browser before the build goes on."""
    book = MiniBook(tmp_path / "book", tmp_path / "cache")
    diagram = "```mermaid\ngraph LR\n  accTitle: 图\n  accDescr: 从 A 到 B\n  A[大模型] --> B[微调]\n```\n"
    book.page("index.md", page_with(f"# T\n\n{diagram}\n{mistake}"))
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    build = run_build(
        book.root / "mkdocs.yml", tmp_path / "site", {"BOOK_CACHE_DIR": str(tmp_path / "cache"), "TMPDIR": str(temporary)}
    )
    assert_fails_with(build, r"docs/index\.md:\d+: ")
    assert processes_mentioning(str(tmp_path)) == []
    assert [p.name for p in temporary.iterdir() if p.name != "jieba.cache"] == []
