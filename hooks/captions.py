"""Number figure and table captions per chapter: 图 N-k and 表 N-k, N from the page's `chapter:` front matter."""

from __future__ import annotations

import re

from _source import Source, fail, prose
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# pymdownx.blocks.caption numbers captions per page with the prefixes set in mkdocs.yml ("图 {}", "表 {}").
BLOCK_OPEN_RE = re.compile(r"^[ \t]*/{3,}[ \t]*[\w-]+")
BLOCK_CLOSE_RE = re.compile(r"^[ \t]*/{3,}[ \t]*$")
PREFIX_RE = re.compile(r'<span class="caption-prefix">(?P<kind>[图表]) (?P<number>\d+)</span>')


def chapter_number(page: Page) -> str | None:
    """The chapter number from front matter, as text, or None for unnumbered pages."""
    value = page.meta.get("chapter")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PluginError(f"{page.file.src_uri}: front matter 'chapter' must be a whole number, not {value!r}")
    return str(value)


def number_captions(html: str, chapter: str | None) -> str:
    """Rewrite "图 3" into "图 2-3" (or leave "图 3" on pages outside the numbered chapters)."""
    if chapter is None:
        return html
    return PREFIX_RE.sub(
        lambda m: f'<span class="caption-prefix">{m["kind"]} {chapter}-{m["number"]}</span>', html
    )


def unclosed_blocks(markdown: str) -> list[int]:
    """Body lines of `/// caption` blocks that are never closed (they would swallow the rest of the page)."""
    stack: list[int] = []
    for lineno, line in prose(markdown):
        if BLOCK_OPEN_RE.match(line):
            stack.append(lineno)
        elif BLOCK_CLOSE_RE.match(line) and stack:
            stack.pop()
    return stack


@event_priority(110)  # on the author's lines, before math changes them
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    source: Source = page.meta["source"]
    fail("Block", [f"{source.at(line)}: block opened here is never closed with ///" for line in unclosed_blocks(markdown)])
    return markdown


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return number_captions(html, chapter_number(page))
