"""The one place for the engine's settings: the project folder, the cache folder and Chromium.

- ``project_root(config)``: the folder of mkdocs.yml; every path the hooks read is under it.
- ``cache_dir(config, name)``: ``$BOOK_CACHE_DIR/name``, or ``.cache/name`` beside mkdocs.yml
  (``make clean`` empties it; the tests point BOOK_CACHE_DIR at a temporary folder).
- ``chromium()``: the browser that draws diagrams: ``$CHROMIUM``, else Debian's
  chromium-headless-shell, else chromium (None when neither is installed).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

CACHE_ENV = "BOOK_CACHE_DIR"
CHROMIUM_ENV = "CHROMIUM"
CHROMIUM_COMMANDS = ("chromium-headless-shell", "chromium")


def project_root(config: MkDocsConfig) -> Path:
    """The folder holding mkdocs.yml."""
    return Path(config.config_file_path).resolve().parent


def cache_dir(config: MkDocsConfig, name: str) -> Path:
    """The cache folder `name` (not created)."""
    return Path(os.environ.get(CACHE_ENV, project_root(config) / ".cache")) / name


def chromium() -> str | None:
    """The Chromium to run: $CHROMIUM, else the headless shell, else the full browser."""
    return os.environ.get(CHROMIUM_ENV) or next(filter(None, map(shutil.which, CHROMIUM_COMMANDS)), None)
