"""Mermaid diagrams: mark the pages that hold one, so only they load the site's own mermaid.min.js."""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.mermaid")

MARKER = '<pre class="mermaid">'


def has_diagram(html: str) -> bool:
    """Whether rendered page HTML holds a Mermaid block (superfences' custom fence output)."""
    return MARKER in html


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    page.meta["mermaid"] = has_diagram(html)
    return html
