"""The one adapter to Material for MkDocs' internals: its search plugin's last index and the Mermaid stylesheet in its bundle.

Material offers no public way to either. A dirty preview rebuilds the saved page *and* the generated
ones, while Material's search plugin merges its last index assuming one page: hooks/search.py merges
instead and has Material forget its own (`search_index_prev`). The diagrams are drawn in Material's
colours with the stylesheet Material's own (browser-side) Mermaid integration uses: a string
constant inside its JavaScript bundle. Both were read in one version; on another the build stops.
"""

from __future__ import annotations

import re
from pathlib import Path

import material
from mkdocs.exceptions import PluginError

from _config import require_version

VERSION = "9.8.1"
ASSETS = Path(material.__file__).parent / "templates" / "assets"
# Material's stylesheet for Mermaid: a string constant in its bundle (its CSS variables follow the palette).
THEME_CSS_RE = re.compile(r'="(\.node circle,[^"]*)"')


def check() -> None:
    require_version("mkdocs-material", VERSION, "hooks/_material.py")


def forget_last_index(search_plugin) -> None:
    """Have Material's search plugin write this build's index without merging its previous one."""
    check()
    search_plugin.search_index_prev = None


def mermaid_css(bundle_text: str, bundle_name: str) -> str:
    """Material's own Mermaid stylesheet, taken from the text of its JavaScript bundle."""
    match = THEME_CSS_RE.search(bundle_text)
    if match is None:
        raise PluginError(f"hooks/_material.py: no Mermaid stylesheet found in Material's {bundle_name}")
    return match[1]


def mermaid_theme() -> tuple[str, list[Path]]:
    """(Material's Mermaid stylesheet, Material's stylesheets that measure the labels), for this version."""
    check()
    bundle = next((ASSETS / "javascripts").glob("bundle.*.min.js"))
    return mermaid_css(bundle.read_text(encoding="utf-8"), bundle.name), sorted((ASSETS / "stylesheets").glob("*.min.css"))
