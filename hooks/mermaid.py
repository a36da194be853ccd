"""Mermaid diagrams: resolve `click` links to pages through the Files API and mark the pages that hold one."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils import meta as mkdocs_meta

log = logging.getLogger("mkdocs.plugins.mermaid")

MARKER = '<pre class="mermaid">'
NAMELESS_TYPES = ("timeline", "mindmap")  # their SVG carries no <title>/<desc> whatever the source says
FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# click NODE "target.md" ["tooltip"]   or   click NODE href "target.md#anchor" ["tooltip"]
ERROR_LINE_RE = re.compile(r"(?:Parse error on line|Lexical error on line|line) (\d+)")
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


def missing_descriptions(sources: dict[str, tuple[int, list[tuple[int, list[str]]]]]) -> list[str]:
    """Diagrams without accTitle and accDescr: screen readers get nothing from an unlabeled SVG."""
    errors = []
    for name, (offset, found) in sources.items():
        for start, lines in found:
            kind = next((l.split()[0] for l in lines if l.strip()), "")
            if kind in NAMELESS_TYPES:
                errors.append(f"{name}:{offset + start}: {kind} diagrams drop accTitle/accDescr in Mermaid 11: draw a flowchart")
                continue
            absent = [key for key in ("accTitle", "accDescr") if not any(l.strip().startswith(key) for l in lines)]
            if absent:
                errors.append(f"{name}:{offset + start}: diagram lacks {' and '.join(absent)} (its accessible name)")
    return errors


def check_syntax(
    sources: dict[str, tuple[int, list[tuple[int, list[str]]]]], script: Path, cache: Path
) -> list[str]:
    """Parse every diagram not yet known to be valid with the pinned mermaid; 'file:line: …' errors."""
    pending: dict[str, tuple[str, int]] = {}
    for name, (offset, found) in sources.items():
        for start, lines in found:
            text = "\n".join(lines)
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if not (cache / digest).exists():
                pending.setdefault(text, (name, offset + start))
    if not pending:
        return []
    proc = subprocess.run(
        ["node", str(script)], input=json.dumps(list(pending)), capture_output=True, text=True, encoding="utf-8"
    )
    if proc.returncode != 0:
        raise PluginError(f"Mermaid syntax checker failed ({script}): {proc.stderr.strip()[-2000:]}")
    errors = []
    cache.mkdir(parents=True, exist_ok=True)
    for (text, (name, first)), result in zip(pending.items(), json.loads(proc.stdout)):
        if "error" in result:
            message = " ".join(result["error"].split())
            where = ERROR_LINE_RE.search(result["error"])
            line = first + int(where[1]) - 1 if where else first
            errors.append(f"{name}:{line}: invalid Mermaid diagram: {message[:300]}")
        else:
            (cache / hashlib.sha256(text.encode("utf-8")).hexdigest()).touch()
    return errors


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Check the syntax of every diagram of the book at build time, in one Node process."""
    root = Path(config.config_file_path).resolve().parent
    sources = {}
    for file in files.documentation_pages():
        source = file.content_string
        body, _ = mkdocs_meta.get_data(source)
        offset = source[: len(source) - len(body)].count("\n") if source.endswith(body) else 0
        name = os.path.relpath(file.abs_src_path, root) if file.abs_src_path else f"{file.src_uri} (generated)"
        sources[name] = (offset, diagrams(body))
    cache = Path(os.environ.get("BOOK_CACHE_DIR", root / ".cache")) / "mermaid"
    errors = missing_descriptions(sources) + check_syntax(sources, root / "scripts" / "mermaid-check.mjs", cache)
    if errors:
        raise PluginError("Mermaid errors:\n  " + "\n  ".join(errors))
    return files


@event_priority(110)  # on the author's lines, before math changes them
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    markdown, errors = resolve_clicks(markdown, page.file.src_uri, page.url, files)
    if errors:
        name, offset = page.meta["source"]
        raise PluginError("Mermaid errors:\n  " + "\n  ".join(f"{name}:{line + offset}: {msg}" for line, msg in errors))
    return markdown


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    page.meta["mermaid"] = has_diagram(html)
    return html
