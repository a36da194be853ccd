"""Pure-function tests of the small hooks: assets, captions, mermaid."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from conftest import CHROMIUM, ROOT, load_hook

assets = load_hook("assets")
captions = load_hook("captions")
mermaid = load_hook("mermaid")


# assets -----------------------------------------------------------------------------------------


def test_asset_sources_cover_css_shim_and_fonts():
    sources = assets.asset_sources(ROOT / "node_modules")
    assert sources["assets/katex/katex.min.css"].name == "katex.min.css"
    assert sources["assets/javascripts/iframe-worker-shim.js"].name == "index.js"
    assert not [uri for uri in sources if "mermaid" in uri]  # diagrams are drawn at build time
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


def test_mermaid_blocks_are_swapped_for_drawings_by_their_text():
    html = '<p>a</p><pre class="mermaid"><code>graph LR\n  A --&gt; B</code></pre><p>b</p>'
    out = mermaid.replace_blocks(html, lambda text: f"[{text}]")
    assert out == "<p>a</p>[graph LR\n  A --> B]<p>b</p>"


def test_mermaid_error_line_is_the_file_line():
    diagram = mermaid.Diagram("docs/a.md", 10, "graph TD\n  A -->\n  B -->> C")
    message = mermaid.error_message(diagram, "Parse error on line 3:\n...A -->  B -->> C\n---^\nExpecting 'AMP'")
    assert message.startswith("docs/a.md:12: invalid Mermaid diagram: Parse error on line 3: ")
    assert mermaid.error_message(diagram, "No diagram type detected").startswith("docs/a.md:10: ")


def test_material_mermaid_stylesheet_is_found_in_its_bundle():
    bundle = next((mermaid.MATERIAL_ASSETS / "javascripts").glob("bundle.*.min.js"))
    css = mermaid.theme_css(bundle.read_text(encoding="utf-8"), bundle.name)
    assert "var(--md-mermaid-node-bg-color)" in css and "var(--md-mermaid-edge-color)" in css
    with pytest.raises(PluginError, match="no Mermaid stylesheet"):
        mermaid.theme_css("var x=1", "bundle.js")


def test_diagram_ids_and_cache_names_are_stable_and_distinct():
    assert mermaid.diagram_id("graph TD") == mermaid.diagram_id("graph TD") != mermaid.diagram_id("graph LR")
    assert mermaid.cache_name("graph TD", "a") != mermaid.cache_name("graph TD", "b")


def test_unused_style_rules_markers_and_script_data_are_slimmed_away():
    svg = (
        '<svg id="m"><style>#m{font-size:16px;}@keyframes dash{to{stroke-dashoffset:0;}}'
        '#m .node rect,#m .cluster rect{fill:red;}#m .edgeLabel[data-look="neo"]{fill:blue;}#m p{margin:0;}</style>'
        '<marker id="m_end"><path d="M0 0"></path></marker><marker id="m_start"><path d="M0 0"></path></marker>'
        '<path d="M1,2" class="flowchart-link" style=";" data-points="W3siIl0=" data-id="L_A_B_0" '
        'marker-end="url(#m_end)"></path><g class="node default"><rect></rect></g></svg>'
    )
    assert mermaid.slim_svg(svg) == (
        '<svg id="m"><style>#m{font-size:16px;}@keyframes dash{to{stroke-dashoffset:0;}}'
        '#m .node rect{fill:red;}#m p{margin:0;}</style>'
        '<marker id="m_end"><path d="M0 0"></path></marker>'
        '<path d="M1,2" class="flowchart-link" marker-end="url(#m_end)"></path><g class="node default"><rect></rect></g></svg>'
    )


def test_selector_lists_split_at_top_level_commas_only():
    assert mermaid.selectors('a,b:is(.x,.y),[t="a,b"]') == ["a", "b:is(.x,.y)", '[t="a,b"]']
    assert mermaid.css_rules("a{x:1}@k n{from{y:2}}") == [("a", "{x:1}"), ("@k n", "{from{y:2}}")]


def test_cached_drawings_start_no_renderer(tmp_path: Path):
    diagram = mermaid.Diagram("docs/a.md", 3, "graph TD\n  A --> B")
    (tmp_path / mermaid.cache_name(diagram.text, "salt")).write_text("<svg>cached</svg>", encoding="utf-8")
    drawings = mermaid.Drawings(tmp_path, "salt", template=None)
    drawings.start([diagram, diagram], {"chromium": None}, tmp_path / "no-script.mjs")
    assert drawings.future is None and drawings.svg(diagram.text) == "<svg>cached</svg>"


def test_a_new_diagram_without_chromium_names_its_line(tmp_path: Path):
    drawings = mermaid.Drawings(tmp_path, "salt", template=None)
    with pytest.raises(PluginError, match=r"^docs/a.md:3: Mermaid diagrams are drawn at build time by Chromium"):
        drawings.start([mermaid.Diagram("docs/a.md", 3, "graph TD")], {"chromium": None}, tmp_path / "x.mjs")


def book_job() -> dict:
    """What the renderer gets for this book (its stylesheet measures the labels)."""
    return mermaid.render_job(ROOT, [ROOT / "docs" / "stylesheets" / "book.css"])[0]


def test_renderer_draws_in_chromium_and_reports_errors(tmp_path: Path):
    job = book_job()
    good = mermaid.Diagram("docs/a.md", 3, "graph LR\n  accTitle: 标题\n  accDescr: 说明\n  A[大模型] --> B")
    bad = mermaid.Diagram("docs/a.md", 20, "graph TD\n  A -->\n  B -->> C")
    good_svg, bad_result = mermaid.draw([good, bad], job, ROOT / "scripts" / "mermaid-render.mjs")
    assert good_svg["svg"].startswith(f'<svg id="{mermaid.diagram_id(good.text)}"')
    assert "<title" in good_svg["svg"] and "大模型" in good_svg["svg"] and "var(--md-mermaid-node-bg-color)" in good_svg["svg"]
    assert mermaid.error_message(bad, bad_result["error"]).startswith("docs/a.md:22: invalid Mermaid diagram: Parse error")


def test_the_headless_shell_draws_unless_chromium_is_chosen():
    installed = {"chromium": "/usr/bin/chromium", "chromium-headless-shell": "/usr/bin/chromium-headless-shell"}
    assert mermaid.browser(None, installed.get) == "/usr/bin/chromium-headless-shell"
    assert mermaid.browser(None, {"chromium": "/usr/bin/chromium"}.get) == "/usr/bin/chromium"
    assert mermaid.browser("/opt/late-chromium", installed.get) == "/opt/late-chromium"
    assert mermaid.browser(None, {}.get) is None


def test_the_headless_shell_draws_the_same_svg_as_chromium():
    """The cache salt leaves out which Chromium drew: that is only sound while both draw alike."""
    shell = shutil.which("chromium-headless-shell")
    assert shell, "chromium-headless-shell is missing: make test installs it (Debian package chromium-headless-shell)"
    job = book_job()
    diagrams = [
        mermaid.Diagram("docs/a.md", 3, "graph LR\n  A[大模型 LLM] --> B{预训练？}\n  B -->|是| C[(语料 1.4T tokens)]"),
        mermaid.Diagram("docs/a.md", 9, "sequenceDiagram\n  用户->>模型: 提示词\n  模型-->>用户: 回答"),
    ]
    script = ROOT / "scripts" / "mermaid-render.mjs"
    by_shell = mermaid.draw(diagrams, {**job, "chromium": shell}, script)
    by_chromium = mermaid.draw(diagrams, {**job, "chromium": str(CHROMIUM)}, script)
    assert all("svg" in result for result in by_shell) and by_shell == by_chromium


def test_a_renderer_can_start_before_its_diagrams_are_known_and_end_unused(tmp_path: Path):
    """A cold build starts Chromium in on_config; the diagrams come in on_files, or nothing comes."""
    job = book_job()
    script = ROOT / "scripts" / "mermaid-render.mjs"
    unused = mermaid.Renderer(job, script)
    early = mermaid.Renderer(job, script)
    unused.close()
    assert unused.process.wait(timeout=120) == 0  # it closed Chromium and ended by itself
    time.sleep(1)  # Chromium is up by now
    diagram = mermaid.Diagram("docs/a.md", 3, "graph LR\n  accTitle: 标题\n  accDescr: 说明\n  A[大模型] --> B")
    [result] = early.draw([diagram])
    assert result["svg"].startswith(f'<svg id="{mermaid.diagram_id(diagram.text)}"') and "大模型" in result["svg"]
    assert early.process.wait(timeout=120) == 0


# search -----------------------------------------------------------------------------------------

search = load_hook("search")


def test_formulas_are_kept_from_the_indexer_and_put_back():
    formula = '<span class="katex"><span class="katex-mathml"><math>x</math></span><span class="katex-html">x</span></span>'
    html = f'<p>设 {formula}，<span class="katex-display">{formula}</span> 与 <span>y</span></p>'
    stashed, formulas = search.stash_formulas(html)
    assert formulas == [formula, formula]
    assert stashed == (
        '<p>设 <span data-search-exclude data-formula="0"></span>，<span class="katex-display">'
        '<span data-search-exclude data-formula="1"></span></span> 与 <span>y</span></p>'
    )
    assert search.restore_formulas(stashed, formulas) == html
    unclosed = '<p><span class="katex"><span>x</span></p>'
    assert search.stash_formulas(unclosed) == (unclosed, [])


def test_jieba_cuts_are_remembered_and_match_jieba(tmp_path: Path):
    import jieba

    class Counting:
        __version__ = jieba.__version__
        calls = 0

        def cut(self, sentence):
            Counting.calls += 1
            return jieba.cut(sentence)

    memo = search.CutMemo(Counting(), {})
    text = "大模型在海量数据上预训练".encode("utf-8")
    first, second = memo.cut(text), memo.cut(text)
    assert first == second == list(jieba.cut(text)) and Counting.calls == 1 and memo.added == 1
    assert memo.known == {"大模型在海量数据上预训练": first}
    assert memo.__version__ == jieba.__version__  # everything else is jieba's
    assert memo.kept(whole_book=True) == memo.known  # a new cut: written back
    stale = search.CutMemo(Counting(), {"旧的句子": ["旧", "的", "句子"], **memo.known})
    stale.cut(text)
    assert stale.kept(whole_book=True) == memo.known  # edited-away text is dropped after a whole build
    assert stale.kept(whole_book=False) is None  # a preview build saw only some pages: nothing to write
    path = search.memo_file(tmp_path, "0.42.1", {"jieba_dict": None, "jieba_dict_user": None})
    assert path == tmp_path / "search" / "jieba-0.42.1.json"
    user = tmp_path / "user.txt"
    user.write_text("大模型 10\n", encoding="utf-8")
    assert search.memo_file(tmp_path, "0.42.1", {"jieba_dict_user": str(user)}) != path


def test_index_is_utf8():
    escaped = '{"docs":[{"text":"\\u5fae\\u8c03"}]}'
    assert search.as_utf8(escaped) == '{"docs":[{"text":"微调"}]}'
