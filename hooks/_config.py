"""The one place for the engine's settings: the project folder, the cache folder and Chromium.

- ``project_root(config)``: the folder of mkdocs.yml; every path the hooks read is under it.
- ``cache_dir(config, name)``: ``$BOOK_CACHE_DIR/name``, or ``.cache/name`` beside mkdocs.yml
  (``make clean`` empties it; the tests point BOOK_CACHE_DIR at a temporary folder).
- ``node_modules(config)``: the npm packages' folder beside mkdocs.yml;
  ``npm_version(modules, package)``: the version of an npm package installed in node_modules;
  ``require_version(package, version, adapter)``: stop the build unless that Python package is at
  the version an adapter (hooks/_katex.py, hooks/_bibtex.py) was written for.
- ``BROWSER_ARGS``: the flags Chromium runs with (no sandbox in containers, nothing fetched).
- ``chromium()``: the browser that draws diagrams: ``$CHROMIUM``, else Debian's
  chromium-headless-shell, else chromium (None when neither is installed);
  ``FULL_CHROMIUM``: Debian's full browser, which prints the PDF and the decks and runs the browser tests.
- ``DIAGRAM_RE``: a diagram as hooks/mermaid.py draws it into a page (overrides/partials/diagram.html),
  which hooks/search.py keeps from the indexer and the scripts take from the built site.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

CACHE_ENV = "BOOK_CACHE_DIR"
CHROMIUM_ENV = "CHROMIUM"
CHROMIUM_COMMANDS = ("chromium-headless-shell", "chromium")
FULL_CHROMIUM = Path("/usr/bin/chromium")
# its SVG in an open declarative shadow root
DIAGRAM_RE = re.compile(r'<div class="mermaid"[^>]*><template shadowrootmode="open">(?P<svg>.*?)</template></div>', re.DOTALL)
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def project_root(config: MkDocsConfig) -> Path:
    """The folder holding mkdocs.yml."""
    return Path(config.config_file_path).resolve().parent


def node_modules(config: MkDocsConfig) -> Path:
    """The project's node_modules folder, beside mkdocs.yml."""
    return project_root(config) / "node_modules"


def cache_dir(config: MkDocsConfig, name: str) -> Path:
    """The cache folder `name` (not created)."""
    return Path(os.environ.get(CACHE_ENV, project_root(config) / ".cache")) / name


def chromium() -> str | None:
    """The Chromium to run: $CHROMIUM, else the headless shell, else the full browser."""
    return os.environ.get(CHROMIUM_ENV) or next(filter(None, map(shutil.which, CHROMIUM_COMMANDS)), None)


def npm_version(modules: Path, package: str) -> str:
    """The installed version of an npm package, from its package.json."""
    manifest = modules / package / "package.json"
    try:
        return json.loads(manifest.read_text(encoding="utf-8"))["version"]
    except FileNotFoundError:
        raise PluginError(
            f"{manifest} is missing: the front-end assets come from npm. Run `make build` "
            "(or `npm ci`) to install them."
        ) from None


def require_version(package: str, version: str, adapter: str) -> None:
    """Stop the build when `package` is not at the version `adapter` reaches into."""
    installed = importlib.metadata.version(package)
    if installed != version:
        raise PluginError(
            f"{adapter} reaches into {package} {version}, but {installed} is installed: check the adapter "
            f"against the new version, then update its VERSION (pyproject.toml pins it)."
        )
