"""What the scripts that read the built site share (pdf.py, slides.py, epub.py): the project folder,
the book's hooks they reuse (the version stamp, Chromium's settings), Chromium itself, the drawn
diagrams' markup, mkdocs.yml (the book's name, its nav as pages and parts) and the --site option."""

from __future__ import annotations

import argparse
import functools
import importlib.util
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_hook(name: str):
    """hooks/<name>.py, loaded by file path as MkDocs loads it: with hooks/ on sys.path meanwhile,
    so that it imports the shared modules beside it (_source, …). At the end of the path, not the
    front: a script has not imported the standard `math` yet, and hooks/math.py would shadow it."""
    if f"book_{name}" in sys.modules:
        return sys.modules[f"book_{name}"]
    spec = importlib.util.spec_from_file_location(f"book_{name}", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"book_{name}"] = module
    old_path = sys.path.copy()
    sys.path.append(str(ROOT / "hooks"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = old_path
    return module


formats = load_hook("formats")  # the version stamp, the decks' names
settings = load_hook("_config")  # Chromium and its flags, as the build and the tests run it
CHROMIUM = settings.FULL_CHROMIUM
DIAGRAM_RE = settings.DIAGRAM_RE  # a diagram drawn into a page


@contextmanager
def browser(path: Path = CHROMIUM) -> Iterator:
    """Debian's Chromium, started by Playwright with the book's flags, for as long as the block runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chrome = playwright.chromium.launch(executable_path=str(path), args=settings.BROWSER_ARGS)
        try:
            yield chrome
        finally:
            chrome.close()


@functools.cache
def book_config() -> dict:
    """mkdocs.yml as written (MkDocs' YAML loader: !ENV and the like resolved), not validated."""
    from mkdocs.utils.yaml import yaml_load

    return yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def site_name() -> str:
    """The book's name: mkdocs.yml's site_name."""
    return str(book_config()["site_name"])


LEFT_OUT = {"contributing.md"}  # the authors' guide is not part of the PDF or the EPUB


@dataclass
class Entry:
    """A page of the book's nav (src, its source path) or a part of it (children)."""

    title: str  # the nav's title; "" where the nav names none (the page's own title then)
    src: str = ""
    children: list[Entry] = field(default_factory=list)

    @property
    def url(self) -> str:
        """A page's site URL, as MkDocs' Files API makes it (directory URLs): course/x.md -> course/x/."""
        from mkdocs.structure.files import File

        url = File(self.src, src_dir=None, dest_dir="", use_directory_urls=True).url
        return "" if url == "./" else url  # the home page's, as the site's links name it

    def built(self, site: Path) -> Path:
        """The page's file in the site built in `site`."""
        return site / self.url / "index.html"


def book_nav(items: list | None = None) -> list[Entry]:
    """mkdocs.yml's nav as the book's pages and parts, in order; the authors' guide and links left out."""
    entries = []
    for item in book_config()["nav"] if items is None else items:
        title, value = next(iter(item.items())) if isinstance(item, dict) else ("", item)
        if isinstance(value, list):
            entries.append(Entry(title, children=book_nav(value)))
        elif value not in LEFT_OUT and not value.startswith(("http:", "https:")):
            entries.append(Entry(title, value))
    return entries


def book_pages(entries: list[Entry]) -> list[Entry]:
    """The pages of a nav, parts flattened."""
    return [page for entry in entries for page in (book_pages(entry.children) if entry.children else [entry])]


def site_stamp(site: Path) -> dict[str, str]:
    """The stamp the site was built with (its footer), so that every output of one build agrees."""
    home = (site / "index.html").read_text(encoding="utf-8")
    m = re.search(r'data-book-version="([^"]*)" data-book-date="([^"]*)"', home)
    return {"version": m[1], "date": m[2]} if m else formats.book_stamp(ROOT)


def site_arguments(description: str, argv: list[str] | None, *options: tuple[str, str]) -> argparse.Namespace:
    """--site (default site/) and the script's own flags (name, help); stops when no site was built there."""
    parser = argparse.ArgumentParser(description=description.split("\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    for flag, text in options:
        parser.add_argument(flag, action="store_true", help=text)
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        sys.exit(f"{args.site} has no built site: run `make build` first")
    return args
