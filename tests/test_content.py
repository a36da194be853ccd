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

SEEDS = ROOT.parent / "shared" / "seeds"
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
    """Markdown headings outside code fences."""
    found, fence = [], None
    for line in text.split("\n"):
        mark = re.match(r"^\s*(`{3,}|~{3,})", line)
        if mark and (fence is None or mark[1].startswith(fence)):
            fence = None if fence else mark[1]
        elif fence is None and (m := re.match(r"^#{1,6}\s+(.+?)\s*#*\s*$", line)):
            found.append(m[1])
    return found


def normalise(heading: str) -> str:
    text = re.sub(r"^(?:[0-9]+(?:\.[0-9]+)*\.?|[一二三四五六七八九十]+、)\s*", "", heading.strip())
    return re.sub(r"[\s&＆:：,，、()（）?？!！.。\-—]+", "", text).lower()


# Every section of every source has its counterpart ----------------------------------------------


@pytest.mark.parametrize("seed", sorted(CHAPTERS))
def test_every_source_section_is_in_the_book(seed: str):
    if not SEEDS.is_dir():
        pytest.fail(f"{SEEDS} is missing: the sources live in shared/seeds beside the project")
    source = (SEEDS / seed).read_text(encoding="utf-8")
    chapter = (DOCS / CHAPTERS[seed][0]).read_text(encoding="utf-8")
    missing = []
    for heading in headings(source):
        name = heading.strip()
        if name in NOT_SECTIONS:
            continue
        page, wanted = LESSON_ALIASES.get(name, (None, name)) if CHAPTERS[seed][0] in LESSONS else (None, name)
        if wanted is None:
            assert "[@" in chapter  # its references are cited inline and listed by the build
            continue
        text = (DOCS / page).read_text(encoding="utf-8") if page else chapter
        if not any(normalise(wanted) in normalise(h) for h in headings(text)):
            missing.append(name)
    assert missing == [], f"{CHAPTERS[seed][0]} lacks sections of {seed}: {missing}"


# Chapters have their parts ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", sorted(CHAPTERS))
def test_chapter_front_matter_concept_graph_and_corrections(seed: str):
    path, number = CHAPTERS[seed]
    text = (DOCS / path).read_text(encoding="utf-8")
    meta = front_matter(text)
    assert meta.get("chapter") == number and meta.get("title") and meta.get("description"), meta
    assert text.count("```mermaid") >= 1
    assert '!!! note "编者注"' in text, "a chapter made from a source corrects it visibly"


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
