"""The one source model of a page: where its lines come from, and which of them are code.

Every hook that checks or rewrites an author's Markdown reads the page through this module, so all
of them agree with the page as Python-Markdown + pymdownx.superfences render it:

- ``Source(name, offset)``: the page's file (``docs/…``) and the front-matter lines before its
  body; ``source.at(n)`` is ``"docs/x.md:<n + offset>"`` for body line n. ``Source.of(file,
  config)`` builds it; ``line_at(text, pos)`` is the 1-based line of a character position.
- ``fences(text)``: each fenced code block (first and last line, indent, fence, info string, body);
  ``unclosed_fence(text)``: the line of one never closed.
- ``code_lines(text)``: the 1-based lines shown as code (fences and indented code); ``prose(text)``
  yields ``(line, text)`` for the others; ``code_spans(line)`` / ``without_code_spans(line)``.
- ``snippets(text)``: ``(line, path)`` of every pymdownx.snippets include line (``SNIPPET_RE``).
- ``fail(title, messages)``: stops the build with ``"Title errors:\n  file:line: message…"``.

The rules are superfences' (tests/test_source.py checks them against the rendered page), which
differ from CommonMark: a fence may be indented any amount; it closes only on the same fence (same
character and length) at the same indent, so a ```` ```python ```` line inside ```` ``` ```` is code;
a fence never closed is no fence (it and every later fence are read as Markdown). Indented code
follows Python-Markdown's block parser: an indented block after a list item, an admonition
(``!!!``/``???``), a footnote or a definition continues it.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from mkdocs.exceptions import PluginError
from mkdocs.utils import meta as mkdocs_meta

TAB = 4  # Python-Markdown's tab_length
# superfences' opening line (RE_NESTED_FENCE_START in pymdownx/superfences.py 13.1, copied: a pattern, not an API)
FENCE_OPEN_RE = re.compile(
    r"""(?x)
    (?P<fence>~{3,}|`{3,})
    (?:[ \t]*\.?(?P<lang>[\w#.+-]+)(?=[\t ]|$))?
    (?:
        [ \t]*(\{(?P<attrs>[^\n]*)\}) |
        (?P<options>(?:(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<quot>"|').*?(?P=quot))?)(?=[\t ]|$))+) |
        (?P<unrecognized>(?:([ \t]*[^\s]+)(?=[\t ]|$))+)
    )?[ \t]*$
    """
)
OPTION_RE = re.compile(r"""(?P<key>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?P<quot>"|')(?P<value>.*?)(?P=quot))?""")
# the options pymdownx.highlight accepts on a fence; any other one makes the line no fence
OPTION_VALUES = {
    "hl_lines": re.compile(r"^\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*$"),
    "linenums": re.compile(r"[\d]+(?:[ \t]+[\d]+)?(?:[ \t]+[\d]+)?"),
    "title": re.compile(""),
    "title_mode": re.compile(""),
}
CUSTOM_FENCES = {"mermaid"}  # mkdocs.yml's custom fences: they accept no options
# Python-Markdown's admonition and pymdownx.details openers (they start anywhere in a block)
ADMONITION_RE = re.compile(
    r'(?:!!! ?[\w\-]+(?: +[\w\-]+)*(?: +"(?:.*?)")?'
    r'|\?{3}\+? ?(?:(?:[\w\-]+(?: +[\w\-]+)*?)?(?: +"(?:.*?)")|[\w\-]+(?: +[\w\-]+)*?)) *$'
)
CONTAINER_RE = re.compile(
    r"^(?:(?P<admonition>(?=[!?]{3}))|(?P<list>[ ]{0,3}(?:[*+-]|\d+\.)[ \t]+)"
    r"|(?P<footnote>[ ]{0,3}\[\^[^\]]+\]:)|(?P<deflist>[ ]{0,3}:[ ]{1,3}\S))"
)
CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
# pymdownx.snippets' include line, a line of its own: --8<-- "path" (inside fences too: where code files go)
SNIPPET_RE = re.compile(r"""^(?P<indent>[ \t]*)-+8<-+[ \t]+(?P<quote>["']?)(?P<path>[^"'\s]+)(?P=quote)[ \t]*$""", re.M)


# Where lines come from -------------------------------------------------------------------------


class Source(NamedTuple):
    """A page's file as authors name it, and the number of front-matter lines before its body."""

    name: str
    offset: int

    def at(self, line: int) -> str:
        """'docs/x.md:N' for body line `line` (1-based)."""
        return f"{self.name}:{line + self.offset}"

    @classmethod
    def of(cls, file, config) -> Source:
        """The Source of a MkDocs File (generated pages are named by their URI)."""
        if file.abs_src_path is None:
            name = f"{file.src_uri} (generated)"
        else:
            name = os.path.relpath(file.abs_src_path, os.path.dirname(os.path.abspath(config.config_file_path)))
        return cls(name, body_and_offset(file.content_string)[1])


def body_and_offset(source: str) -> tuple[str, int]:
    """The Markdown body MkDocs renders, and how many file lines (front matter) precede it."""
    body, _ = mkdocs_meta.get_data(source)
    return body, (source[: len(source) - len(body)].count("\n") if source.endswith(body) else 0)


def line_at(text: str, pos: int) -> int:
    """The 1-based line of character position `pos` in `text`."""
    return text.count("\n", 0, pos) + 1


def snippets(text: str) -> list[tuple[int, str]]:
    """(1-based line, path) of every `--8<-- "path"` include line of a Markdown body."""
    return [(line_at(text, m.start()), m["path"]) for m in SNIPPET_RE.finditer(text)]


def fail(title: str, messages: list[str]) -> None:
    """Stop the build when there are author errors: 'Title errors:' and one 'file:line: …' a line."""
    if messages:
        raise PluginError(f"{title} errors:\n  " + "\n  ".join(messages))


# Fences, as pymdownx.superfences finds them ------------------------------------------------------


@dataclass(frozen=True)
class Fence:
    """One fenced code block: 1-based first (opening) and last (closing) line of the body text."""

    start: int
    end: int
    indent: str  # the opening line's leading whitespace and quote marks
    fence: str  # "```", "~~~~", …
    info: str  # what follows the fence on the opening line, stripped ("python", "mermaid", "")
    body: tuple[str, ...]  # the lines between, as written


def _prefix(line: str, limit: int | None = None) -> tuple[str, int]:
    """(leading spaces, tabs and '>' with tabs expanded, number of characters) — up to `limit` columns."""
    out, used = [], 0
    for char in line:
        column = len("".join(out))
        if (limit is not None and column >= limit) or char not in " \t>":
            break
        out.append(" " * (TAB - column % TAB) if char == "\t" else char)
        used += 1
    return "".join(out), used


def _opens(line: str, used: int) -> re.Match | None:
    """The match of a line that superfences accepts as an opening fence (after `used` prefix characters)."""
    match = FENCE_OPEN_RE.match(line, used)
    if match is None or match["unrecognized"]:
        return None
    if match["attrs"] is not None or not match["options"]:
        return match
    for option in OPTION_RE.finditer(match["options"]):
        value = option["value"] if option["value"] is not None else option["key"]
        rule = OPTION_VALUES.get(option["key"])
        if match["lang"] in CUSTOM_FENCES or rule is None or not rule.match(value):
            return None
    return match


def _scan(lines: list[str]) -> tuple[list[Fence], int | None]:
    """superfences' state machine over the lines: the closed fences, and the line of one left open."""
    found: list[Fence] = []
    start = None
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if start is None:
            indent, chars = _prefix(line)
            match = _opens(line, chars)
            if match:
                start, fence, quotes, blanks = number, match["fence"], indent.count(">"), 0
                info = line[chars + len(fence) :].strip()
                close = re.compile(re.escape(fence) + r"[ \t]*$")
            continue
        ws, used = _prefix(line, len(indent))
        content, level = line[used:], ws.count(">")
        if quotes:  # superfences' eval_quoted
            if level > quotes:
                start = None
            elif content == "":
                blanks += 1
            elif used < chars or (blanks and level < quotes):
                start = None
            elif close.match(content):
                found.append(Fence(start, number, indent, fence, info, tuple(lines[start : number - 1])))
                start = None
            else:
                blanks = 0
        elif level:
            start = None
        elif (ws + content).strip() == "":
            continue
        elif len(ws) != len(indent) and content:
            start = None  # not indented enough: superfences drops the fence
        elif close.match(content) and not content.startswith((" ", "\t")):
            found.append(Fence(start, number, indent, fence, info, tuple(lines[start : number - 1])))
            start = None
    return found, start


@functools.lru_cache(maxsize=32)  # every check of a page asks about the same text
def _fences(text: str) -> tuple[tuple[Fence, ...], int | None]:
    found, unclosed = _scan(text.split("\n"))
    return tuple(found), unclosed


def fences(text: str) -> list[Fence]:
    """Every fenced code block of a Markdown body, in order."""
    return list(_fences(text)[0])


def unclosed_fence(text: str) -> int | None:
    """The line of a fence that is opened and never closed (the page then shows it as text), or None."""
    return _fences(text)[1]


# Indented code, as Python-Markdown's block parser finds it ---------------------------------------


def _indent(line: str) -> int:
    return len(line.expandtabs(TAB)) - len(line.expandtabs(TAB).lstrip(" "))


def _detab(line: str) -> str:
    expanded = line.expandtabs(TAB)
    return expanded[TAB:] if expanded.startswith(" " * TAB) else expanded


def _is_item(line: str) -> bool:
    match = CONTAINER_RE.match(line)
    return bool(match and match.lastgroup == "list")


def _blocks(lines: list[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """Python-Markdown's blocks: runs of lines between blank lines."""
    block: list[tuple[int, str]] = []
    for item in lines:
        if item[1].strip():
            block.append(item)
        elif block:
            yield block
            block = []
    if block:
        yield block


PLACEHOLDER = "\x02fence\x03"  # what superfences leaves of a fence for the block parser


class _Blocks:
    """Python-Markdown's block parser, as far as it decides what is indented code."""

    def __init__(self, lines: list[str], found: list[Fence]) -> None:
        self.lines = lines
        self.fences = {fence.start: fence for fence in found}
        self.code = {n for fence in found for n in range(fence.start, fence.end + 1)}

    def parse(self, lines: list[tuple[int, str]]) -> None:
        """Add to self.code the lines read as indented code at this level (a document or a container)."""
        if not lines:
            return
        previous = None  # kind of the last block at this level: a container's, "code" or "text"
        inner: list[tuple[int, str]] = []  # the open container's body, detabbed
        pending = list(_blocks(lines))
        while pending:
            block = pending.pop(0)
            split = next((i for i, (_, line) in enumerate(block) if i and ADMONITION_RE.match(line)), None)
            if split:  # admonitions and details are looked for first, anywhere in a block
                pending.insert(0, block[split:])
                block = block[:split]
            first = block[0][1]
            if _indent(first) >= TAB and previous not in (None, "text", "code"):
                if previous in ("admonition", "footnote"):  # their detab gives back what follows an unindented line
                    rest = next((i for i, (_, line) in enumerate(block) if _indent(line) < TAB), len(block))
                    if rest < len(block):
                        pending.insert(0, block[rest:])
                    block = block[:rest]
                inner.append((0, ""))
                inner.extend((n, _detab(line) if _indent(line) >= TAB else line) for n, line in block)
                continue
            self.parse(inner)
            inner = []
            if _indent(first) >= TAB:
                rest = next((i for i, (_, line) in enumerate(block) if _indent(line) < TAB), len(block))
                self.code.update(n for n, _ in block[:rest])
                if rest < len(block):
                    pending.insert(0, self.revert(block[rest:]))  # one block, blank lines and all
                previous = "code"
                continue
            match = CONTAINER_RE.match(first.expandtabs(TAB))
            previous = match.lastgroup if match and (match.lastgroup != "admonition" or ADMONITION_RE.match(first)) else "text"
            if previous == "list" and any(_is_item(_detab(line)) for _, line in block[1:] if _indent(line) >= TAB):
                inner.append((0, "- item"))  # the item's first block holds a nested list: continuations go into it
            if previous == "admonition":
                body = block[1:]
                rest = next((i for i, (_, line) in enumerate(body) if _indent(line) < TAB), len(body))
                inner.extend((n, _detab(line)) for n, line in body[:rest])
                if rest < len(body):
                    pending.insert(0, body[rest:])
        self.parse(inner)

    def revert(self, block: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Lines after indented code in its block: superfences turns a fence there back into text."""
        out = []
        for n, line in block:
            if line.strip() != PLACEHOLDER:
                out.append((n, line))
                continue
            fence = self.fences[n]
            cut = _indent(self.lines[n - 1]) - _indent(line)
            self.code.difference_update(range(fence.start, fence.end + 1))
            out += [(m, _dedent(self.lines[m - 1], cut)) for m in range(fence.start, fence.end + 1)]
        return out


def _dedent(line: str, columns: int) -> str:
    expanded = line.expandtabs(TAB)
    return expanded[min(columns, _indent(expanded)) :]


@functools.lru_cache(maxsize=32)
def code_lines(text: str) -> frozenset[int]:
    """The 1-based lines of a Markdown body that the page shows as code: fences and indented code."""
    lines = text.split("\n")
    found = fences(text)
    parser = _Blocks(lines, found)
    body = {n for fence in found for n in range(fence.start + 1, fence.end + 1)}
    starts = {fence.start: fence.indent.replace(">", " ") + PLACEHOLDER for fence in found}
    parser.parse([(n, starts.get(n, line)) for n, line in enumerate(lines, 1) if n not in body])
    return frozenset(parser.code)


def prose(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line, line) of every line of a Markdown body that is not code."""
    code = code_lines(text)
    for number, line in enumerate(text.split("\n"), 1):
        if number not in code:
            yield number, line


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span (`…`, ``…``) of a line."""
    return [match.span() for match in CODE_SPAN_RE.finditer(line)]


def without_code_spans(line: str) -> str:
    """The line with each inline code span (`…`, ``…``) removed."""
    return CODE_SPAN_RE.sub("", line)
