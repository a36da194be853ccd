"""Where sources are: each page's file and first line (for errors), the snippets folder, the edit link."""

from __future__ import annotations

import logging
import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import meta as mkdocs_meta

log = logging.getLogger("mkdocs.plugins.pages")


def body_and_offset(source: str) -> tuple[str, int]:
    """The Markdown body MkDocs renders, and how many file lines (front matter) precede it."""
    body, _ = mkdocs_meta.get_data(source)
    return body, (source[: len(source) - len(body)].count("\n") if source.endswith(body) else 0)


def source_name(file: File, config: MkDocsConfig) -> str:
    """A page's path relative to the project root (docs/…), or its URI for generated pages."""
    if file.abs_src_path is None:
        return f"{file.src_uri} (generated)"
    return os.path.relpath(file.abs_src_path, os.path.dirname(os.path.abspath(config.config_file_path)))


EDIT_URI = "edit/main/docs/"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Snippets (--8<--) resolve against the docs folder itself, not the current directory;
    with a repo_url, pages link to their source on the main branch."""
    snippets = config.mdx_configs.get("pymdownx.snippets")
    if snippets is not None:
        snippets["base_path"] = [config.docs_dir]
    if config.repo_url and not config.edit_uri:
        config.edit_uri = EDIT_URI
    return config


@event_priority(200)  # before every hook that reports errors on the page
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Record (name, offset): body line N is line N + offset of the file named."""
    _, offset = body_and_offset(page.file.content_string)
    page.meta["source"] = (source_name(page.file, config), offset)
    return markdown
