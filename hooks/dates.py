"""Last-updated dates from git history, shown by Material under each page; none where there is no history."""

from __future__ import annotations

import logging
import subprocess

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.dates")

DATES: dict[str, str] = {}


def last_changed(log_output: str) -> dict[str, str]:
    """Map each path to the date of the newest commit that touched it, from
    `git log --format=%x00%cs --name-only` (newest first)."""
    dates: dict[str, str] = {}
    for chunk in log_output.split("\0")[1:]:
        date, _, names = chunk.partition("\n")
        for name in names.split("\n"):
            if name.strip():
                dates.setdefault(name.strip(), date.strip())
    return dates


def git_dates(root: str) -> dict[str, str]:
    """Dates for every file under root, or {} when git or the history is missing."""
    try:
        proc = subprocess.run(
            ["git", "-C", root, "log", "--format=%x00%cs", "--name-only", "--relative", "--no-renames", "--", "."],
            capture_output=True, text=True, encoding="utf-8", timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    return last_changed(proc.stdout) if proc.returncode == 0 else {}


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    DATES.clear()
    DATES.update(git_dates(config.docs_dir))
    if not DATES:
        log.info("No git history for %s: pages carry no last-updated date.", config.docs_dir)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.abs_src_path and (date := DATES.get(page.file.src_uri)):
        page.meta["revision_date"] = date
    return markdown
