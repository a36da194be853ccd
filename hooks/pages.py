"""Where sources are: each page's Source (file and front-matter offset, for errors), the snippets folder, the edit link."""

from __future__ import annotations

import sys

# MkDocs loads hooks in mkdocs.yml's order and this one first: a preview that reloads the config
# after a change under hooks/ then gets fresh shared modules too, not the ones imported before.
for _shared in ("_source", "_config", "_katex", "_bibtex", "_material"):
    sys.modules.pop(_shared, None)

from _source import Source  # noqa: E402 - after the reload above
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

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
    """Record the page's Source: body line N is line N + offset of the file named."""
    page.meta["source"] = Source.of(page.file, config)
    return markdown
