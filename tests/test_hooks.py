"""Pure-function tests of the small hooks: assets, captions, mermaid."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from conftest import ROOT, load_hook

assets = load_hook("assets")
captions = load_hook("captions")
mermaid = load_hook("mermaid")


# assets -----------------------------------------------------------------------------------------


def test_asset_sources_cover_css_script_and_fonts():
    sources = assets.asset_sources(ROOT / "node_modules")
    assert sources["assets/katex/katex.min.css"].name == "katex.min.css"
    assert sources["assets/javascripts/mermaid.min.js"].name == "mermaid.min.js"
    assert sum(uri.startswith("assets/katex/fonts/") for uri in sources) >= 10


def test_missing_node_modules_is_a_clear_error(tmp_path):
    with pytest.raises(PluginError, match="npm ci"):
        assets.asset_sources(tmp_path)
    with pytest.raises(PluginError, match="package.json is missing"):
        assets.package_version(tmp_path, "katex")


# captions ---------------------------------------------------------------------------------------


def test_captions_are_numbered_per_chapter():
    html = '<span class="caption-prefix">图 1</span> 甲 <span class="caption-prefix">表 12</span> 乙'
    assert captions.number_captions(html, "3") == (
        '<span class="caption-prefix">图 3-1</span> 甲 <span class="caption-prefix">表 3-12</span> 乙'
    )
    assert captions.number_captions(html, None) == html


# mermaid ----------------------------------------------------------------------------------------


def make_files(*paths: str) -> Files:
    return Files([File(path, src_dir=None, dest_dir="/site", use_directory_urls=True) for path in paths])


def test_click_targets_become_relative_page_urls():
    files = make_files("index.md", "course/part-1/lesson-01-definition.md")
    source = '```mermaid\ngraph LR\n  A --> B\n  click A "course/part-1/lesson-01-definition.md#学习目标" "第 1 讲"\n```'
    out, errors = mermaid.resolve_clicks(source, "index.md", "", files)
    assert errors == []
    assert 'click A "course/part-1/lesson-01-definition/#学习目标" "第 1 讲"' in out


def test_unknown_click_target_is_reported_with_its_line():
    files = make_files("index.md")
    source = 'text\n\n```mermaid\ngraph LR\n  click A href "missing.md"\n```'
    _, errors = mermaid.resolve_clicks(source, "index.md", "", files)
    assert errors == [(5, "Mermaid click target 'missing.md' is not a page of the book")]


def test_click_lines_outside_mermaid_are_untouched():
    files = make_files("index.md")
    source = '```text\nclick A "missing.md"\n```'
    assert mermaid.resolve_clicks(source, "index.md", "", files) == (source, [])


# search -----------------------------------------------------------------------------------------

search = load_hook("search")


def test_formulas_are_excluded_from_search_and_index_is_utf8():
    html = '<p>设 <span class="katex"><span class="katex-mathml">x</span></span></p>'
    assert search.exclude_formulas(html) == (
        '<p>设 <span class="katex" data-search-exclude><span class="katex-mathml">x</span></span></p>'
    )
    escaped = '{"docs":[{"text":"\\u5fae\\u8c03"}]}'
    assert search.as_utf8(escaped) == '{"docs":[{"text":"微调"}]}'
