"""hooks/_source.py: the source model agrees with Python-Markdown on which lines are code."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from conftest import ROOT, load_hook

source = load_hook("_source")

MARK = "{W}"  # replaced by w<line>x: the line's own word, found again in the rendered page
WORD_RE = re.compile(r"\bw(\d+)x\b")
PRE_RE = re.compile(r"<pre\b.*?</pre>", re.S)
TAG_RE = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def book_markdown() -> markdown.Markdown:
    """Python-Markdown with the book's extensions (mkdocs.yml; markdown-katex only sees ```math and $`…`$)."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def number(lines: list[str]) -> str:
    """Join lines, giving each {W} the word of its line."""
    return "\n".join(line.replace(MARK, f"w{n}x") for n, line in enumerate(lines, 1))


def rendered_code(md: markdown.Markdown, text: str) -> set[int]:
    """Lines whose word the page shows inside <pre>."""
    md.reset()
    html = md.convert(text)
    return {int(n) for block in PRE_RE.findall(html) for n in WORD_RE.findall(TAG_RE.sub(" ", block))}


# Generated documents -----------------------------------------------------------------------------

texts = st.sampled_from([
    f"{MARK} 文字",
    f"{MARK} inline `a $x$ b` code",
    f"{MARK} cite `[@vaswani2017attention]` in code",
    f"{MARK} two ``a ` b`` ticks",
    f"{MARK} math $a +",  # math across a line break: continued by the next line
    f"{MARK} b$ ends",
    f"{MARK} @key2020x and \\$5",
    f"{MARK} ```not a fence```",
])
infos = st.sampled_from(["", "python", " python", "mermaid", "text", "{.python}", 'python title="t"',
                         "python hl_lines=\"1\"", "python foo", "mermaid foo", "py``` x", "c++"])


@st.composite
def fence(draw, indent: str = "") -> list[str]:
    char = draw(st.sampled_from("`~"))
    fence = char * draw(st.integers(3, 5))
    lines = [f"{indent}{draw(st.sampled_from(['', ' ', '  ', '   ']))}{fence}{draw(infos)}"]
    lead = lines[0][len(indent):len(lines[0]) - len(lines[0].lstrip())]
    for _ in range(draw(st.integers(0, 4))):
        lines.append(draw(st.sampled_from([
            f"{indent}{lead}{MARK} code",
            f"{indent}{lead}    {MARK} indented code",
            f"{indent}{lead}{fence}python",  # fence-like lines that do not close
            f"{indent}{lead}{fence}{char}",
            f"{indent}{lead}{char * 3}" if len(fence) > 3 else f"{indent}{lead}{fence} x",
            f"{indent}{lead}{'~' if char == '`' else '`'}{fence[1:]}",
            f"{indent}{lead} {fence}",
            "",
            f"{MARK} unindented" if indent else f"{lead}{MARK} $x$ `@k`",
        ])))
    ending = draw(st.sampled_from(["close", "close", "close", "longer", "spaces", "none"]))
    if ending != "none":
        lines.append(f"{indent}{lead}{fence}{char if ending == 'longer' else ''}{'  ' if ending == 'spaces' else ''}")
    return lines


@st.composite
def block(draw, indent: str = "", depth: int = 0) -> list[str]:
    kinds = ["text", "fence", "code"] + (["admonition", "list"] if depth < 1 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "text":
        return [f"{indent}{draw(texts)}" for _ in range(draw(st.integers(1, 3)))]
    if kind == "fence":
        return draw(fence(indent))
    if kind == "code":
        return [f"{indent}    {draw(texts)}" for _ in range(draw(st.integers(1, 3)))]
    if kind == "admonition":
        opener = indent + draw(st.sampled_from(["!!! note", '??? tip "标题"', "???+ warning"]))
    else:
        opener = f"{indent}{draw(st.sampled_from(['-', '*', '1.']))} {draw(texts)}"
    lines = [opener]
    for i in range(draw(st.integers(0, 3))):
        if i or kind == "list" or draw(st.booleans()):
            lines.append("")
        lines += draw(block(indent + "    ", depth + 1))
    return lines


@st.composite
def document(draw) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        lines += draw(block())
        lines += [""] * draw(st.sampled_from([1, 1, 2, 0]))
    return number(lines)


@settings(max_examples=1000, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=document())
def test_source_model_agrees_with_python_markdown(book_markdown: markdown.Markdown, text: str) -> None:
    words = {n for n, line in enumerate(text.split("\n"), 1) if WORD_RE.search(line)}
    assert source.code_lines(text) & words == rendered_code(book_markdown, text)


# The API on examples ---------------------------------------------------------------------------


def test_a_fence_closes_only_on_its_own_fence() -> None:
    text = "a\n````python\n```\n````python\n~~~~\n````\nb"
    [fence] = source.fences(text)
    assert (fence.start, fence.end, fence.fence, fence.info) == (2, 6, "````", "python")
    assert fence.body == ("```", "````python", "~~~~")
    assert [n for n, _ in source.prose(text)] == [1, 7]


def test_fences_in_admonitions_and_indented_code() -> None:
    text = "!!! note\n    ```mermaid\n    graph\n    ```\n\n        indented\n\n    prose\n\n    code\nprose"
    [fence] = source.fences(text)
    assert (fence.start, fence.end, fence.indent, fence.info, fence.body) == (2, 4, "    ", "mermaid", ("    graph",))
    assert source.code_lines(text) == {2, 3, 4, 6}  # "    code" continues the admonition


def test_an_unclosed_fence_is_text_and_reported() -> None:
    text = "x\n```python\ncode\n"
    assert source.fences(text) == [] and source.unclosed_fence(text) == 2
    assert source.code_lines(text) == frozenset()


def test_positions_lines_and_errors() -> None:
    src = source.Source("docs/a.md", 3)
    assert src.at(2) == "docs/a.md:5" and source.line_at("a\nb\nc", 4) == 3
    assert source.without_code_spans("a `b` c ``d`e`` f") == "a  c  f"
    assert source.body_and_offset("---\ntitle: x\n---\n\n# T\n") == ("# T\n", 4)
    source.fail("Math", [])
    with pytest.raises(Exception, match=r"^Math errors:\n  docs/a.md:5: bad\n  docs/a.md:6: worse$"):
        source.fail("Math", ["docs/a.md:5: bad", "docs/a.md:6: worse"])


def test_include_lines_are_found_with_their_line_wherever_they_stand() -> None:
    text = (
        '--8<-- "a.py"\n'
        "```python\n"
        "    --8<-- 'code/b.py'\n"
        "```\n"
        ';--8<-- "escaped.py"\n'
        'see --8<-- "inline.py" in a sentence\n'
        "-8<- c.md\n"
    )
    assert source.snippets(text) == [(1, "a.py"), (3, "code/b.py"), (7, "c.md")]
