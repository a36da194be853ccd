"""Build the copy of the book that works from the file system (file://) and zip it.

Usage: python scripts/offline.py [ZIP]   (default: site/download/llm-book-offline.zip)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = "llm-book"  # the folder readers get when they unzip
DEFAULT_ZIP = ROOT / "site" / "download" / "llm-book-offline.zip"


def build(site_dir: Path) -> None:
    """mkdocs build --strict with Material's offline plugin on (no directory URLs, inlined search index)."""
    env = {**os.environ, "OFFLINE": "true", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site_dir)]
    subprocess.run(command, check=True, env=env)


def pack(site_dir: Path, target: Path) -> Path:
    """Zip the built site under one top folder, files in a stable order."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
            archive.write(path, f"{FOLDER}/{path.relative_to(site_dir).as_posix()}")
    return target


def main(target: Path = DEFAULT_ZIP) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / FOLDER)
        return pack(Path(tmp) / FOLDER, target)


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ZIP))
