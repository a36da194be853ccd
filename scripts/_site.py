"""What the scripts that read the built site share (slides.py, epub.py): the project folder, the
book's formats hook (the one place for the version stamp and the decks' names) and the --site option."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_formats():
    """hooks/formats.py, loaded by file path as MkDocs loads it: with hooks/ on sys.path meanwhile,
    so that it imports the shared modules beside it (_source, …). At the end of the path, not the
    front: a script has not imported the standard `math` yet, and hooks/math.py would shadow it."""
    spec = importlib.util.spec_from_file_location("book_formats", ROOT / "hooks" / "formats.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("book_formats", module)
    old_path = sys.path.copy()
    sys.path.append(str(ROOT / "hooks"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = old_path
    return module


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
