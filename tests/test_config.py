"""hooks/_config.py and the adapters: one place for settings, and a clear stop on a dependency version they were not written for."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT, load_hook

config = load_hook("_config")
katex = load_hook("_katex")
bibtex = load_hook("_bibtex")


def test_the_adapters_match_the_pinned_versions():
    katex.check_version()
    bibtex.check_version()
    pins = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"{katex.PACKAGE}=={katex.VERSION}"' in pins and f'"{bibtex.PACKAGE}=={bibtex.VERSION}"' in pins


@pytest.mark.parametrize("adapter", [katex, bibtex], ids=["markdown-katex", "mkdocs-bibtex"])
def test_another_version_stops_the_build_naming_the_adapter(adapter, monkeypatch):
    monkeypatch.setattr(importlib.metadata, "version", lambda package: "99.0")
    with pytest.raises(PluginError, match=rf"hooks/_(katex|bibtex)\.py .*{adapter.PACKAGE} {adapter.VERSION}, but 99\.0"):
        adapter.check_version()


def test_cache_folder_and_chromium_come_from_the_environment(tmp_path: Path, monkeypatch):
    book = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    monkeypatch.delenv(config.CACHE_ENV, raising=False)
    assert config.cache_dir(book, "katex") == tmp_path / ".cache" / "katex"
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path / "elsewhere"))
    assert config.cache_dir(book, "katex") == tmp_path / "elsewhere" / "katex"
    monkeypatch.setenv(config.CHROMIUM_ENV, "/opt/my-chromium")
    assert config.chromium() == "/opt/my-chromium"
