"""The one adapter to markdown-katex's internals (it has no public API for its cache or its TeX cleaning).

markdown-katex renders each formula by running a KaTeX command and keeps the HTML in a cache
folder named by a digest of the TeX and the command's options. hooks/math.py renders every missing
formula of the book in one batch beforehand and writes the files markdown-katex then finds; for
that it needs markdown-katex's cache folder, digest and block cleaning. It also answers what
markdown-katex would ask the KaTeX command (which one, at every formula; its options, once a
build) from what the book knows. Only this module touches these; it was written for one version:
on another the build stops and says so.
"""

from __future__ import annotations

import json
from pathlib import Path

from _config import require_version
from markdown_katex import extension as katex_extension
from markdown_katex import wrapper as katex_wrapper
from mkdocs.exceptions import PluginError

PACKAGE, VERSION = "markdown-katex", "202406.1035"
NAME = "markdown_katex"  # its name in markdown_extensions
OPTIONS = {"insert_fonts_css": False}  # KaTeX's CSS and fonts are served by the site (hooks/assets.py)


def check_version() -> None:
    """Stop the build on a markdown-katex this adapter was not written for."""
    require_version(PACKAGE, VERSION, "hooks/_katex.py (its cache and helpers)")


def configure(cache_dir: Path, katex_bin: Path) -> None:
    """Point markdown-katex at the pinned KaTeX CLI and a persistent cache of the project's."""
    if not katex_bin.is_file():
        raise PluginError(f"{katex_bin} is missing: run `npm ci` (make does it for you).")
    cache_dir.mkdir(parents=True, exist_ok=True)
    katex_wrapper.CACHE_DIR = cache_dir
    # markdown-katex looks for a KaTeX command at every formula (it reads a file and checks a path,
    # 2,000 times a build); here it is always the pinned CLI.
    katex_wrapper.get_bin_cmd = lambda: [str(katex_bin)]
    # markdown-katex expires entries after 24 h by scanning the folder at every formula;
    # the project's cache is content-addressed, so it is kept (make clean empties it).
    katex_wrapper._cleanup_cache_dir = lambda: None


def cache_path(tex: str, display: bool) -> Path:
    """Where markdown-katex looks for this formula's HTML (its own digest, reused)."""
    options = {"display-mode": True} if display else {}
    digest = katex_wrapper._cmd_digest(tex, list(katex_wrapper._iter_cmd_parts(options)))
    return katex_wrapper.CACHE_DIR / f"{digest}.html"


def clean_block(block_text: str) -> str:
    """The TeX markdown-katex takes from a whole ```math fence (its own cleaning)."""
    return katex_extension._clean_block_text(block_text)


def extension(cache_dir: Path) -> katex_extension.KatexExtension:
    """A new markdown-katex extension with the book's options.

    markdown-katex runs `katex --help` (Node, 0.15 s) to learn the KaTeX options it accepts as
    settings; what it learns is kept in the cache folder, which is one per KaTeX version."""
    known = cache_dir / "options.json"
    katex_wrapper._PARSED_OPTIONS.clear()  # what another KaTeX said, in this process, does not count
    if known.is_file():
        katex_wrapper._PARSED_OPTIONS.update(json.loads(known.read_text(encoding="utf-8")))
    found = katex_extension.KatexExtension(**OPTIONS)  # asks `katex --help` when nothing is known
    if not known.is_file():
        known.write_text(json.dumps(katex_wrapper.parse_options()), encoding="utf-8")
    return found


def is_extension(extension: object) -> bool:
    return isinstance(extension, katex_extension.KatexExtension)
