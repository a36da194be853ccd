"""Internal links and images: every broken target or anchor stops the build with the file and line."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

import jinja2
from _source import Source, fail, prose, snippets, without_code_spans
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

INLINE_LINK_RE = re.compile(r"(?P<image>!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_DEF_RE = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s+\"[^\"]*\")?\s*$")
HTML_SRC_RE = re.compile(r"<(?:img|a)\b[^>]*?\s(?:src|href)=\"(?P<target>[^\"]+)\"")
EXTERNAL_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


@dataclass(frozen=True)
class Link:
    line: int
    target: str
    image: bool


@dataclass(frozen=True)
class Anchor:
    at: str  # file:line of the link, as authors name the file
    target: str  # src_uri of the linked page
    anchor: str


def links(markdown: str) -> list[Link]:
    """Every internal link and image target in a page body, with its line, outside code."""
    found = []
    for lineno, line in prose(markdown):
        text = without_code_spans(line)
        for match in INLINE_LINK_RE.finditer(text):
            found.append(Link(lineno, match["target"], bool(match["image"])))
        for regex in (REFERENCE_DEF_RE, HTML_SRC_RE):
            for match in regex.finditer(text):
                found.append(Link(lineno, match["target"], "<img" in match.group(0)))
    return [link for link in found if not EXTERNAL_RE.match(link.target)]


def resolve(link: Link, page_src: str, files: Files) -> tuple[str | None, str]:
    """(src_uri of the target file or None when missing, anchor) for a link written in page_src."""
    path, _, anchor = link.target.partition("#")
    if not path:
        return page_src, unquote(anchor)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_src), unquote(path)))
    return (target if files.get_file_from_path(target) is not None else None), unquote(anchor)


ANCHORS: list[Anchor] = []


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    ANCHORS.clear()
    return files


@event_priority(110)  # on the author's lines, before math changes them
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    source: Source = page.meta["source"]
    errors = []
    for link in links(markdown):
        target, anchor = resolve(link, page.file.src_uri, files)
        if target is None:
            kind = "image" if link.image else "link target"
            errors.append(f"{source.at(link.line)}: {kind} {link.target!r} does not exist")
        elif anchor and target.endswith(".md"):
            ANCHORS.append(Anchor(source.at(link.line), target, anchor))
    for line, path in snippets(markdown):
        if not os.path.isfile(os.path.join(config.docs_dir, path)):
            errors.append(f"{source.at(line)}: included file {path!r} does not exist in docs/")
    fail("Link", errors)
    return markdown


def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Every page is rendered now: check the anchors links point to."""
    errors = []
    for link in ANCHORS:
        page = files.get_file_from_path(link.target).page
        if page is None or page.present_anchor_ids is None:  # not rendered (as MkDocs' own check skips it)
            continue
        if link.anchor not in page.present_anchor_ids:
            errors.append(f"{link.at}: anchor '#{link.anchor}' does not exist in {link.target}")
    fail("Link", errors)
    return env
