"""The search index, smaller: formulas left out (their text is MathML, TeX and glyphs run together), UTF-8 output."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.search-index")

KATEX_OPEN = '<span class="katex">'  # how every formula KaTeX renders begins
INDEX = Path("search") / "search_index.json"


def exclude_formulas(html: str) -> str:
    """Mark every rendered formula with Material's data-search-exclude."""
    return html.replace(KATEX_OPEN, KATEX_OPEN[:-1] + " data-search-exclude>")


def as_utf8(index_json: str) -> str:
    """The same index without \\uXXXX escapes: Chinese takes 3 bytes a character instead of 6."""
    return json.dumps(json.loads(index_json), ensure_ascii=False, separators=(",", ":"))


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return exclude_formulas(html)


@event_priority(-50)  # after Material's search plugin wrote the index, before its offline copy (-100)
def on_post_build(config: MkDocsConfig) -> None:
    path = Path(config.site_dir) / INDEX
    if path.is_file():
        path.write_text(as_utf8(path.read_text(encoding="utf-8")), encoding="utf-8")
