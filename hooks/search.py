"""The search index, smaller: formulas left out (their text is MathML, TeX and glyphs run together), UTF-8 output."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.search-index")

KATEX_OPEN = '<span class="katex">'  # how every formula KaTeX renders begins
INDEX = Path("search") / "search_index.json"


@dataclass
class State:
    """A dirty build (preview) indexes only the pages it rebuilds; the others' entries come from the last index."""

    dirty: bool = False
    previous: list[dict] = field(default_factory=list)  # entries of the index the last build wrote
    rebuilt: set[str] = field(default_factory=set)  # URLs of the pages this build indexed
    pages: list[str] = field(default_factory=list)  # URLs of every page, in build order


STATE = State()


def exclude_formulas(html: str) -> str:
    """Mark every rendered formula with Material's data-search-exclude."""
    return html.replace(KATEX_OPEN, KATEX_OPEN[:-1] + " data-search-exclude>")


def as_utf8(index_json: str) -> str:
    """The same index without \\uXXXX escapes: Chinese takes 3 bytes a character instead of 6."""
    return json.dumps(json.loads(index_json), ensure_ascii=False, separators=(",", ":"))


def page_url(location: str) -> str:
    """The page an index entry belongs to ("a/#b" -> "a/")."""
    return location.partition("#")[0]


def merge_entries(previous: list[dict], current: list[dict], rebuilt: set[str], pages: list[str]) -> list[dict]:
    """This build's entries plus the previous ones of pages it did not rebuild, in page order (as a full build)."""
    order = {url: i for i, url in enumerate(pages)}
    kept = [e for e in previous if page_url(e["location"]) in order and page_url(e["location"]) not in rebuilt]
    return sorted(kept + current, key=lambda e: order.get(page_url(e["location"]), len(order)))


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
    plugin = config.plugins.get("material/search")
    if plugin is not None and hasattr(plugin, "search_index_prev"):
        plugin.search_index_prev = None


def on_env(env, *, config: MkDocsConfig, files: Files):
    STATE.pages = [file.page.url for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve) if file.page]
    return env


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return exclude_formulas(html)


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    STATE.rebuilt.add(page.url)
    return context


@event_priority(-50)  # after Material's search plugin wrote the index, before its offline copy (-100)
def on_post_build(config: MkDocsConfig) -> None:
    path = Path(config.site_dir) / INDEX
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    if STATE.dirty:
        index = json.loads(text)
        index["docs"] = merge_entries(STATE.previous, index["docs"], STATE.rebuilt, STATE.pages)
        text = json.dumps(index)
    path.write_text(as_utf8(text), encoding="utf-8")
