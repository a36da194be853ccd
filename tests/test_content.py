"""The book's content: every source section has its place, chapters have their parts, examples run, prose is linted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import autocorrect_py
import pytest
import yaml

from conftest import ROOT, load_hook

SOURCE = load_hook("_source")

# The five sources' section headings, kept in the repository (the seeds themselves live beside it, in shared/).
OUTLINE = yaml.safe_load((ROOT / "tests" / "data" / "seed-outline.yml").read_text(encoding="utf-8"))
DOCS = ROOT / "docs"
CHAPTERS = {
    "000_8153a4030ba045d2.txt": ("course/part-1/lesson-01-definition.md", 1),
    "001_541271d6be36ece6.txt": ("course/part-1/lesson-02-challenges.md", 2),
    "002_4fc23115127d3cd8.txt": ("articles/01-theory-to-business.md", 3),
    "003_12086389a50d3f8a.txt": ("articles/02-introduction.md", 4),
    "004_d58689493192c020.txt": ("articles/03-standardization.md", 5),
}
LESSONS = ["course/part-1/lesson-01-definition.md", "course/part-1/lesson-02-challenges.md"]
# Slides that are not sections: the title page and table of contents become the chapter's opening.
NOT_SECTIONS = {"标题页", "目录页"}
# Where the book puts what a lesson's outline repeats or names differently (issue: repetition goes).
LESSON_ALIASES = {
    "大模型算法工程入门与进阶课程": ("course/index.md", "大模型算法工程入门与进阶课程"),
    "第一部分: 大模型概述与理论基础 (10课时)": ("course/index.md", "第一部分：大模型概述与理论基础（10 课时）"),
    "总结与讨论": (None, "总结"),
    "讨论与答疑": (None, "讨论与思考"),
    "参考文献": (None, None),  # the build appends 本章参考文献 from the [@key] citations
}
EXAMPLES = sorted(DOCS.rglob("code/*.py"))


def front_matter(text: str) -> dict:
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(match[1]) if match else {}


def headings(text: str) -> list[str]:
    """Markdown headings on the lines the page shows as prose (the source model's classification)."""
    return [m[1] for _, line in SOURCE.prose(text) if (m := re.match(r"^#{1,6}\s+(.+?)\s*#*\s*$", line))]


def normalise(heading: str) -> str:
    text = re.sub(r"^(?:[0-9]+(?:\.[0-9]+)*\.?|[一二三四五六七八九十]+、)\s*", "", heading.strip())
    return re.sub(r"[\s&＆:：,，、()（）?？!！.。\-—]+", "", text).lower()


# Every section of every source has its counterpart ----------------------------------------------


def source_anchors(text: str) -> list[str]:
    """Source headings kept as anchors where the book merged their sections: <span id=… data-source-heading="…">."""
    return re.findall(r'data-source-heading="([^"]+)"', text)


def test_outline_matches_the_chapters():
    assert [entry["source"] for entry in OUTLINE] == sorted(CHAPTERS)
    assert all(CHAPTERS[entry["source"]][0] == entry["chapter"] for entry in OUTLINE)


@pytest.mark.parametrize("entry", OUTLINE, ids=lambda e: e["source"])
def test_every_source_section_is_in_the_book(entry: dict):
    chapter = (DOCS / entry["chapter"]).read_text(encoding="utf-8")
    missing = []
    for name in entry["headings"]:
        name = name.strip()
        if name in NOT_SECTIONS:
            continue
        lesson = entry["chapter"] in LESSONS
        page, wanted = LESSON_ALIASES.get(name, (None, name)) if lesson else (None, name)
        if wanted is None:
            assert "[@" in chapter  # its references are cited inline and listed by the build
            continue
        text = (DOCS / page).read_text(encoding="utf-8") if page else chapter
        if not any(normalise(wanted) in normalise(h) for h in headings(text) + source_anchors(text)):
            missing.append(name)
    assert missing == [], f"{entry['chapter']} lacks sections of {entry['source']}: {missing}"


# Chapters have their parts ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", sorted(CHAPTERS))
def test_chapter_front_matter_concept_graph_and_corrections(seed: str):
    path, number = CHAPTERS[seed]
    text = (DOCS / path).read_text(encoding="utf-8")
    meta = front_matter(text)
    assert meta.get("chapter") == number and meta.get("title") and meta.get("description"), meta
    assert text.count("```mermaid") >= 1
    # corrections of the source are visible: listed on the errata page, at most five inline 编者注
    assert re.search(r"\(\.\./(?:\.\./)?errata\.md#(?:lesson|article)-[0-9]\)", text), "link to the errata page"
    assert text.count('!!! note "编者注"') <= 5


@pytest.mark.parametrize("path", LESSONS)
def test_lessons_open_with_goals_and_end_with_folded_answers(path: str):
    text = (DOCS / path).read_text(encoding="utf-8")
    names = headings(text)
    assert "学习目标" in names and "讨论与思考" in names
    assert names.index("学习目标") < 3, "学习目标 opens the lesson"
    discussion = text[text.index("## 讨论与思考"):]
    assert discussion.count('??? success "参考答案"') >= 3


def caption_numbers(html: str, kind: str) -> list[str]:
    return re.findall(rf'<span class="caption-prefix">{kind} ([0-9]+-[0-9]+)</span>', html)


@pytest.mark.parametrize(
    "path, figures, tables",
    [("course/part-1/lesson-01-definition", 13, 13), ("course/part-1/lesson-02-challenges", 8, 8)],
)
def test_promised_figures_and_tables_exist_and_are_numbered(site: Path, path: str, figures: int, tables: int):
    html = (site / path / "index.html").read_text(encoding="utf-8")
    chapter = {"course/part-1/lesson-01-definition": 1, "course/part-1/lesson-02-challenges": 2}[path]
    for kind, promised in (("图", figures), ("表", tables)):
        numbers = caption_numbers(html, kind)
        assert len(numbers) >= promised
        assert numbers == [f"{chapter}-{k}" for k in range(1, len(numbers) + 1)]


def test_corrected_formulas_render(site: Path):
    article = (site / "articles" / "03-standardization" / "index.html").read_text(encoding="utf-8")
    assert article.count('class="katex"') > 50
    # the source's invalid double subscript is only ever quoted as code, never typeset
    annotations = re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>', article, re.S)
    assert not any("W_c_{ij}" in a for a in annotations)


# Runnable examples -------------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_and_checks_itself(example: Path):
    assert "assert" in example.read_text(encoding="utf-8"), "an example checks what it shows"
    proc = subprocess.run([sys.executable, str(example)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip(), "an example prints its results"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_is_shown_in_a_chapter(example: Path):
    rel = example.relative_to(DOCS).as_posix()
    assert any(f'--8<-- "{rel}"' in md.read_text(encoding="utf-8") for md in DOCS.rglob("*.md")), rel


def test_examples_exist():
    names = {p.name for p in EXAMPLES}
    assert {"ch3_softmax_ce.py", "ch5_two_layer_forward.py", "ch5_rnn_step.py"} <= names


# Chinese copywriting ----------------------------------------------------------------------------

PROSE = sorted(DOCS.rglob("*.md")) + [ROOT / "README.md", ROOT / "STYLE_GUIDE.md"]


@pytest.mark.parametrize("path", PROSE, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_copywriting_lint(path: Path):
    result = autocorrect_py.lint_for(path.read_text(encoding="utf-8"), str(path))
    problems = [f"{path.name}:{line.line}: {line.old.strip()!r} -> {line.new.strip()!r}" for line in result.lines]
    assert problems == []


def test_glossary_terms_and_hover_expansions(site: Path):
    glossary = load_hook("glossary")
    terms = glossary.load_terms((ROOT / "glossary.yml").read_text(encoding="utf-8"), "glossary.yml")
    page = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    for term in terms:
        assert f"{term.term}（{term.zh}）" in text or term.term == term.zh and term.term in text, term.term
    lesson = (site / "course" / "part-1" / "lesson-01-definition" / "index.html").read_text(encoding="utf-8")
    for abbr in ("GPT", "BERT", "NLP", "TPU", "GPU"):
        assert re.search(rf'<abbr title="[^"]+">{abbr}</abbr>', lesson), abbr


def test_no_term_variant_in_any_page():
    glossary = load_hook("glossary")
    terms = glossary.load_terms((ROOT / "glossary.yml").read_text(encoding="utf-8"), "glossary.yml")
    for md in DOCS.rglob("*.md"):
        assert glossary.variant_uses(md.read_text(encoding="utf-8"), terms) == [], md


# Every chapter: runnable listings whose printed output is the text's, exercises with answers ----------
# Conventions (docs/contributing.md, 「代码清单与练习」): a listing docs/…/code/NAME.py is shown with
# `--8<-- "…/code/NAME.py"` inside a ```python fence, and its output in a fence ```text title="NAME.py 的输出"
# of the same chapter; a chapter's `练习` section has at least six exercises, each followed by a folded
# `??? success "参考答案"`, and at least two answers compute their numbers with such a listing.

ALL_CHAPTERS = [path for path, _ in CHAPTERS.values()]
INCLUDE = re.compile(r'--8<-- "([^"]+/code/[^"/]+\.py)"')
ANSWER = '??? success "参考答案"'


def output_blocks(text: str) -> dict[str, str]:
    """{NAME.py: body} of every ```text title="NAME.py 的输出" fence, indented ones (in answers) dedented."""
    blocks = {}
    for fence in SOURCE.fences(text):
        if m := re.fullmatch(r'text title="([^"]+\.py) 的输出"', fence.info):
            width = len(fence.indent)
            blocks[m[1]] = "\n".join(row[width:] for row in fence.body)
    return blocks


def section(text: str, title: str) -> str:
    """The body of the first heading named `title`, up to the next heading of the same or a higher level."""
    m = re.search(rf"^(#+)\s+{re.escape(title)}\s*(?:\{{[^}}]*\}})?\s*$", text, re.M)
    if not m:
        return ""
    rest = text[m.end():]
    end = re.search(rf"^#{{1,{len(m[1])}}}\s", rest, re.M)
    return rest[: end.start()] if end else rest


def run_listing(rel: str) -> str:
    proc = subprocess.run([sys.executable, str(DOCS / rel)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{rel} failed:\n{proc.stdout}{proc.stderr}"
    return proc.stdout


LISTINGS = sorted({(path, rel) for path in ALL_CHAPTERS for rel in INCLUDE.findall((DOCS / path).read_text(encoding="utf-8"))})


@pytest.mark.parametrize("path", ALL_CHAPTERS)
def test_chapter_has_two_listings_with_their_output(path: str):
    text = (DOCS / path).read_text(encoding="utf-8")
    listings = set(INCLUDE.findall(text))
    assert len(listings) >= 2, f"{path}: at least two runnable listings"
    blocks = output_blocks(text)
    missing = [rel for rel in listings if Path(rel).name not in blocks]
    assert missing == [], f"{path}: no ```text title=\"NAME.py 的输出\" block for {missing}"


@pytest.mark.parametrize("path, rel", LISTINGS, ids=lambda v: Path(v).name)
def test_listing_prints_what_the_text_shows(path: str, rel: str):
    shown = output_blocks((DOCS / path).read_text(encoding="utf-8"))[Path(rel).name]
    assert run_listing(rel).strip() == shown.strip(), f"{path}: the output block of {rel} differs from its run"


@pytest.mark.parametrize("path", ALL_CHAPTERS)
def test_exercises_have_answers_and_two_compute(path: str):
    exercises = section((DOCS / path).read_text(encoding="utf-8"), "练习")
    items = re.split(r"^[0-9]+\.\s", exercises, flags=re.M)[1:]
    assert len(items) >= 6, f"{path}: the 练习 section has {len(items)} numbered exercises, six are needed"
    unanswered = [k + 1 for k, item in enumerate(items) if item.count(ANSWER) != 1]
    assert unanswered == [], f"{path}: exercises {unanswered} lack a folded 参考答案"
    computed = [item for item in items if INCLUDE.search(item.split(ANSWER, 1)[1])]
    assert len(computed) >= 2, f"{path}: at least two answers compute their numbers with a listing"


def bib_years() -> dict[str, int]:
    entries = re.findall(r"^@\w+\{([^,]+),(.*?)^\}", (ROOT / "references.bib").read_text(encoding="utf-8"), re.M | re.S)
    return {key.strip(): int(m[1]) for key, body in entries if (m := re.search(r"^\s*year\s*=\s*\{?(\d{4})", body, re.M))}


def cited(text: str) -> set[str]:
    return {key for group in re.findall(r"\[([^\[\]]*@[^\[\]]*)\]", text) for key in re.findall(r"@([\w:.-]+\w)", group)}


@pytest.mark.parametrize("path", ALL_CHAPTERS)
def test_chapter_cites_five_recent_works(path: str):
    years = bib_years()
    recent = sorted(key for key in cited((DOCS / path).read_text(encoding="utf-8")) if years.get(key, 0) >= 2024)
    assert len(recent) >= 5, f"{path} cites {len(recent)} works of 2024–2026: {recent}"


def test_bibliography_has_25_recent_works():
    assert sum(year >= 2024 for year in bib_years().values()) >= 25


# Present-tense judgements carry their date (截至 2026 年……): a paragraph that says 今天、目前、尚无、仍需、
# 至今 or 迄今 also names a year.
NOW_WORDS = re.compile(r"今天|目前|尚无|仍需|至今|迄今")


def undated_paragraphs(text: str) -> list[str]:
    code = SOURCE.code_lines(text)
    prose = "\n".join("" if number in code else line for number, line in enumerate(text.split("\n"), 1))
    return [p.strip()[:40] for p in re.split(r"\n\s*\n", prose) if NOW_WORDS.search(p) and not re.search(r"(?:19|20)[0-9]{2}", p)]


@pytest.mark.parametrize("path", ALL_CHAPTERS)
def test_present_tense_is_dated(path: str):
    assert undated_paragraphs((DOCS / path).read_text(encoding="utf-8")) == []


# The errata page: one entry per correction of a source, each linking to where the book has it right ----------

ERRATA = DOCS / "errata.md"
PARTS = {"lesson-1": LESSONS[0], "lesson-2": LESSONS[1], "article-1": ALL_CHAPTERS[2], "article-2": ALL_CHAPTERS[3], "article-3": ALL_CHAPTERS[4]}


def errata_entries() -> dict[str, list[tuple[str, str]]]:
    """{part id: [(entry id, entry body)]} of the errata page's `### E…{ #e1-01 }` entries."""
    text, parts = ERRATA.read_text(encoding="utf-8"), {}
    for part, body in re.findall(r"^## .*?\{ #([a-z]+-[0-9]) \}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S):
        parts[part] = re.findall(r"^### .*?\{ #(e[0-9]-[0-9]{2}) \}\s*$(.*?)(?=^### |\Z)", body, re.M | re.S)
    return parts


def test_errata_page_in_nav():
    nav = yaml.safe_load(re.sub(r"!!python\S+|!ENV", "", (ROOT / "mkdocs.yml").read_text(encoding="utf-8")))["nav"]
    assert {"原稿勘误": "errata.md"} in nav


@pytest.mark.parametrize("part", sorted(PARTS))
def test_errata_entries_link_to_the_chapter(part: str):
    entries = errata_entries().get(part, [])
    assert entries, f"errata.md has no entries under {{ #{part} }}"
    chapter = PARTS[part]
    for entry, body in entries:
        for label in ("**原稿**", "**更正**", "**依据**"):
            assert label in body, f"errata {entry} lacks {label}"
        assert re.search(rf"\]\({re.escape(chapter)}#[^)]+\)", body), f"errata {entry} links to no anchor of {chapter}"


@pytest.mark.parametrize("part", sorted(PARTS))
def test_chapter_links_to_its_errata(part: str):
    text = (DOCS / PARTS[part]).read_text(encoding="utf-8")
    assert re.search(rf"errata\.md#{part}\)", text), f"{PARTS[part]} does not link to errata.md#{part}"
    for entry in re.findall(r"errata\.md#(e[0-9]-[0-9]{2})\)", text):
        assert entry in {e for e, _ in errata_entries()[part]}, f"{PARTS[part]} links to a missing errata entry {entry}"
