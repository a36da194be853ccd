"""Mermaid diagrams: resolve `click` links to pages through the Files API and mark the pages that hold one."""

from __future__ import annotations

import logging
import os
import posixpath
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.plugins.mermaid")

MARKER = '<pre class="mermaid">'
FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# click NODE "target.md" ["tooltip"]   or   click NODE href "target.md#anchor" ["tooltip"]
CLICK_RE = re.compile(r'^(?P<head>\s*click\s+\S+\s+(?:href\s+)?)"(?P<target>[^"#]+\.md)(?P<anchor>#[^"]*)?"(?P<tail>.*)$')


def has_diagram(html: str) -> bool:
    """Whether rendered page HTML holds a Mermaid block (superfences' custom fence output)."""
    return MARKER in html


def diagrams(markdown: str) -> list[tuple[int, list[str]]]:
    """(first body line of the diagram, its lines) for every ```mermaid fence."""
    found, lines, i = [], markdown.split("\n"), 0
    while i < len(lines):
        fence = FENCE_RE.match(lines[i])
        if not fence:
            i += 1
            continue
        close = f"{fence['indent']}{fence['fence']}"
        end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == close), len(lines))
        if fence["info"].strip() == "mermaid":
            found.append((i + 2, lines[i + 1 : end]))
        i = end + 1
    return found


def resolve_clicks(markdown: str, page_src: str, page_url: str, files: Files) -> tuple[str, list[tuple[int, str]]]:
    """Rewrite `click` targets written as .md paths into URLs relative to the page; list unknown targets."""
    errors: list[tuple[int, str]] = []
    lines = markdown.split("\n")
    for start, body in diagrams(markdown):
        for offset, line in enumerate(body):
            match = CLICK_RE.match(line)
            if not match:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page_src), match["target"]))
            file = files.get_file_from_path(target)
            if file is None or not file.is_documentation_page():
                errors.append((start + offset, f"Mermaid click target {match['target']!r} is not a page of the book"))
                continue
            url = get_relative_url(file.url, page_url) + (match["anchor"] or "")
            lines[start - 1 + offset] = f'{match["head"]}"{url}"{match["tail"]}'
    return "\n".join(lines), errors


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    source = page.file.content_string
    offset = source[: len(source) - len(markdown)].count("\n") if source.endswith(markdown) else 0
    markdown, errors = resolve_clicks(markdown, page.file.src_uri, page.url, files)
    if errors:
        name = os.path.relpath(page.file.abs_src_path, os.path.dirname(config.config_file_path))
        raise PluginError("Mermaid errors:\n  " + "\n  ".join(f"{name}:{line + offset}: {msg}" for line, msg in errors))
    return markdown


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    page.meta["mermaid"] = has_diagram(html)
    return html
