"""Rebuilds: under `mkdocs serve --dirty` only saved pages are rebuilt (any other change rebuilds the whole book); every build reuses the compiled templates."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from _config import cache_dir, project_root
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.utils import clean_directory, is_markdown_file

log = logging.getLogger("mkdocs.plugins.preview")

SKIPPED_DIRS = {"__pycache__", "node_modules"}

Stamp = tuple[int, int] | None  # (mtime in ns, size) of an input file; None for a page (only its name counts)


@dataclass
class Book:
    """What the last successful build knew, for the pages a dirty build neither reads nor renders."""

    inputs: dict[str, Stamp] | None = None
    titles: dict[str, str] = field(default_factory=dict)
    anchors: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class State:
    dirty: bool = False
    book: Book = field(default_factory=Book)
    inputs: dict[str, Stamp] = field(default_factory=dict)  # this build's, kept once it succeeds


STATE = State()


# Inputs: pages versus everything else ----------------------------------------------------------


def fingerprint(root: Path, docs_dir: Path, others: list[Path], skip: Path | None = None) -> dict[str, Stamp]:
    """Every input of a build, by path relative to root: pages by name only, other files by (mtime, size).

    A saved page is rebuilt by MkDocs itself; a change to anything else (a stylesheet, a snippet,
    references.bib, a template, mkdocs.yml) or a page added or removed changes this fingerprint.
    Hidden files and folders (.git, .cache, .venv), node_modules, __pycache__ and `skip` (the
    site folder) are left out.
    """
    stamps: dict[str, Stamp] = {}

    def add(path: Path) -> None:
        if path.is_file():
            stat = path.stat()
            stamps[os.path.relpath(path, root)] = (stat.st_mtime_ns, stat.st_size)
        elif path.is_dir() and path != skip:
            for entry in sorted(os.scandir(path), key=lambda e: e.name):
                if not entry.name.startswith(".") and entry.name not in SKIPPED_DIRS:
                    add(Path(entry.path))

    for path in others:
        add(path)
    for name in list(stamps):
        if (root / name).resolve().is_relative_to(docs_dir) and is_markdown_file(name):
            stamps[name] = None
    return stamps


def changed_inputs(before: dict[str, Stamp], after: dict[str, Stamp]) -> list[str]:
    """Inputs added, removed or modified between two fingerprints (pages only when added or removed)."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name, 0) != after.get(name, 0))


def build_inputs(config: MkDocsConfig) -> list[Path]:
    """Where the inputs are: the project folder (mkdocs.yml's), and the `watch:` list and theme overrides."""
    paths = [project_root(config), *(Path(p).resolve() for p in config.watch)]
    if config.theme.custom_dir:
        paths.append(Path(config.theme.custom_dir).resolve())
    return paths


# Pages a dirty build does not read ---------------------------------------------------------------


def restore_pages(files: Files, book: Book) -> list[str]:
    """Give unread pages the title and anchors of their last rendering; the src_uris left unknown."""
    unknown = []
    for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
        page = file.page
        if page is None or page.markdown is not None:
            continue
        if file.src_uri not in book.titles:
            unknown.append(file.src_uri)
            continue
        page.title = book.titles[file.src_uri]  # the nav, prev/next links and backlinks show it
        page.present_anchor_ids = set(book.anchors[file.src_uri])  # links to them are checked
    return unknown


def record_pages(files: Files, book: Book) -> None:
    """Remember the title and anchors of every page rendered in this build; forget removed pages."""
    present = set()
    for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
        present.add(file.src_uri)
        page = file.page
        if page is not None and page.markdown is not None:
            book.titles[file.src_uri] = page.title or ""
            book.anchors[file.src_uri] = set(page.present_anchor_ids or ())
    for src_uri in set(book.titles) - present:
        del book.titles[src_uri], book.anchors[src_uri]


# Events -----------------------------------------------------------------------------------------


def on_startup(*, command: str, dirty: bool) -> None:
    STATE.dirty = dirty
    STATE.book = Book()


def on_pre_build(config: MkDocsConfig) -> None:
    """A dirty build of anything but pages becomes a full one: without outputs, every page is rebuilt."""
    if not STATE.dirty:
        return
    root = project_root(config)
    STATE.inputs = fingerprint(root, Path(config.docs_dir).resolve(), build_inputs(config), Path(config.site_dir).resolve())
    if STATE.book.inputs == STATE.inputs:
        log.info("Rebuilding only the pages saved since the last build")
        return
    if STATE.book.inputs is not None:
        changed = changed_inputs(STATE.book.inputs, STATE.inputs)
        log.info("Rebuilding every page: %s changed", ", ".join(changed[:5]) + (" …" if len(changed) > 5 else ""))
    clean_directory(config.site_dir)


@event_priority(100)  # before hooks/links.py checks anchors of other pages
def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    templates = cache_dir(config, "jinja")  # compiled once, not at every build (0.2 s): Jinja's own cache
    templates.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(templates))
    if not STATE.dirty:
        return env
    unknown = restore_pages(files, STATE.book)
    if unknown:  # only after a failed first build, which a full rebuild follows
        log.info("No earlier rendering of %s: its title and anchors are unknown", ", ".join(unknown))
    record_pages(files, STATE.book)  # every page is rendered now; outputs are written from here on
    return env


def on_post_build(config: MkDocsConfig) -> None:
    if STATE.dirty:
        STATE.book.inputs = STATE.inputs  # the next dirty build may skip what this one built
