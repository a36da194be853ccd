"""Serve KaTeX's CSS and fonts and the offline search shim from the pinned npm packages."""

from __future__ import annotations

from pathlib import Path

from _config import npm_version, project_root
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

# Site path -> path inside node_modules. Fonts are added by glob (woff2 only: every
# browser the book supports picks it first in KaTeX's @font-face lists).
ASSETS: dict[str, str] = {
    "assets/katex/katex.min.css": "katex/dist/katex.min.css",
    "assets/javascripts/iframe-worker-shim.js": "iframe-worker/shim/index.js",
}
OFFLINE_SHIM = "assets/javascripts/iframe-worker-shim.js"
FONT_GLOB = ("katex/dist/fonts", "*.woff2", "assets/katex/fonts")


def node_modules(config: MkDocsConfig) -> Path:
    """The project's node_modules folder, beside mkdocs.yml."""
    return project_root(config) / "node_modules"


def asset_sources(modules: Path) -> dict[str, Path]:
    """Map every site path to serve onto its source file in node_modules."""
    sources = {uri: modules / rel for uri, rel in ASSETS.items()}
    font_dir, pattern, target = FONT_GLOB
    for font in sorted((modules / font_dir).glob(pattern)):
        sources[f"{target}/{font.name}"] = font
    missing = [str(path) for path in sources.values() if not path.is_file()]
    if missing or len(sources) == len(ASSETS):
        raise PluginError(
            "Front-end assets are missing from node_modules: "
            + (", ".join(missing) or "no KaTeX fonts")
            + ". Run `npm ci` (make does it for you)."
        )
    return sources


def offline_enabled(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


@event_priority(100)  # before Material's offline plugin, which would otherwise load the shim from a public CDN
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.extra["offline"] = offline_enabled(config)
    if config.extra["offline"]:
        # Search runs in a web worker, which file:// forbids; the shim runs it in an iframe.
        config.extra["polyfills"] = [OFFLINE_SHIM]
    modules = node_modules(config)
    for package in ("katex", "mermaid"):
        config.extra[f"{package}_version"] = npm_version(modules, package)
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for uri, source in asset_sources(node_modules(config)).items():
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    return files
