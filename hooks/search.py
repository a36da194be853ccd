"""The search index: formulas and diagrams kept out of it, merged in previews, written as UTF-8 (Material segments the Chinese with jieba)."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import _material
from _config import DIAGRAM_RE
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.search-index")

KATEX_OPEN = '<span class="katex">'  # how every formula KaTeX renders begins
SPAN_TAG_RE = re.compile(r"<span\b|</span>")
# Where a formula or a drawn diagram stands while the search plugin reads the page: MathML, TeX and
# glyphs run together, or SVG, are no search text, and the indexer's HTML parser would spend most of
# the build on KaTeX's spans and the drawings' tags.
STASHED = '<{tag} data-search-exclude data-stashed="{index}"></{tag}>'
STASHED_RE = re.compile(r'<(?P<tag>span|div) data-search-exclude data-stashed="(?P<index>\d+)"></(?P=tag)>')
INDEX = Path("search") / "search_index.json"


@dataclass
class State:
    """A dirty build (preview) indexes only the pages it rebuilds; the others' entries come from the last index."""

    dirty: bool = False
    previous: list[dict] = field(default_factory=list)  # entries of the index the last build wrote
    rebuilt: set[str] = field(default_factory=set)  # URLs of the pages this build indexed
    pages: list[str] = field(default_factory=list)  # URLs of every page, in build order


STATE = State()
STASHES: dict[str, list[str]] = {}  # page src_uri -> its formulas and diagrams, from on_page_content to on_post_page


def stash(html: str) -> tuple[str, list[str]]:
    """Every drawn diagram (a <div>), then every rendered formula (a <span>), swapped for a numbered
    placeholder of the same tag; what was taken, by number."""
    taken: list[str] = []

    def hold(tag: str, markup: str) -> str:
        taken.append(markup)
        return STASHED.format(tag=tag, index=len(taken) - 1)

    html = DIAGRAM_RE.sub(lambda m: hold("div", m.group()), html)
    parts, position = [], 0
    while (start := html.find(KATEX_OPEN, position)) != -1:
        depth, end = 0, -1
        for tag in SPAN_TAG_RE.finditer(html, start):
            depth += 1 if tag.group() == "<span" else -1
            if depth == 0:
                end = tag.end()
                break
        if end == -1:  # not closed: leave the rest as it is
            break
        parts += [html[position:start], hold("span", html[start:end])]
        position = end
    parts.append(html[position:])
    return "".join(parts), taken


def restore(html: str, stashed: list[str]) -> str:
    return STASHED_RE.sub(lambda match: stashed[int(match["index"])], html)


def index_text(index: dict) -> str:
    """The index as written: UTF-8 without \\uXXXX escapes (Chinese takes 3 bytes a character instead of 6)."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def page_url(location: str) -> str:
    """The page an index entry belongs to ("a/#b" -> "a/")."""
    return location.partition("#")[0]


def merge_entries(previous: list[dict], current: list[dict], rebuilt: set[str], pages: list[str]) -> list[dict]:
    """This build's entries plus the previous ones of pages it did not rebuild, in page order (as a full build)."""
    order = {url: i for i, url in enumerate(pages)}
    kept = [e for e in previous if page_url(e["location"]) in order and page_url(e["location"]) not in rebuilt]
    return sorted(kept + current, key=lambda e: order.get(page_url(e["location"]), len(order)))


def search_plugin(config: MkDocsConfig):
    """Material's search plugin, if it makes an index in this build."""
    plugin = config.plugins.get("material/search")
    return plugin if plugin is not None and plugin.config.enabled else None


def on_startup(*, command: str, dirty: bool) -> None:
    STATE.dirty = dirty


def on_pre_build(config: MkDocsConfig) -> None:
    STATE.previous, STATE.rebuilt = [], set()
    if not STATE.dirty:
        return
    path = Path(config.site_dir) / INDEX
    if path.is_file():
        STATE.previous = json.loads(path.read_text(encoding="utf-8"))["docs"]
    # Material merges with its own previous index under --dirty, assuming one page per rebuild;
    # this hook merges instead (generated pages are rebuilt every time, so there are several).
    plugin = search_plugin(config)
    if plugin is not None:
        _material.forget_last_index(plugin)


def on_env(env, *, config: MkDocsConfig, files: Files):
    STATE.pages = [file.page.url for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve) if file.page]
    return env


@event_priority(-90)  # after every hook that reads the page's formulas or diagrams
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if search_plugin(config) is None:
        return html
    html, STASHES[page.file.src_uri] = stash(html)
    return html


@event_priority(100)  # the finished page gets its formulas and diagrams back before anything else reads it
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    stashed = STASHES.pop(page.file.src_uri, None)
    return output if not stashed else restore(output, stashed)


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    STATE.rebuilt.add(page.url)
    return context


@event_priority(-50)  # after Material's search plugin wrote the index, before its offline copy (-100)
def on_post_build(config: MkDocsConfig) -> None:
    path = Path(config.site_dir) / INDEX
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    if STATE.dirty:
        index["docs"] = merge_entries(STATE.previous, index["docs"], STATE.rebuilt, STATE.pages)
    path.write_text(index_text(index), encoding="utf-8")
