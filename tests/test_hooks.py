"""Pure-function tests of the small hooks: assets, captions, glossary, mermaid, search."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import jinja2
import markdown
import pytest
from conftest import CHROMIUM, ROOT, load_hook
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from pymdownx.superfences import fence_code_format

assets = load_hook("assets")
captions = load_hook("captions")
glossary = load_hook("glossary")
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
        load_hook("_config").npm_version(tmp_path, "katex")


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


def test_mermaid_fences_are_drawn_by_the_books_formatter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fences = {"custom_fences": [{"name": "mermaid", "class": "mermaid", "format": fence_code_format}]}
    config = SimpleNamespace(mdx_configs={"pymdownx.superfences": fences})
    mermaid.on_config(config)
    assert fences["custom_fences"][0]["format"] is mermaid.fence
    drawings = mermaid.Drawings(tmp_path, "salt", jinja2.Template("<div>{{ svg }}</div>"))
    drawings.svgs["graph LR\n  A --> B"] = "<svg></svg>"
    monkeypatch.setattr(mermaid, "DRAWINGS", drawings)
    md = markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs=config.mdx_configs)
    assert md.convert("```mermaid\ngraph LR\n  A --> B\n```") == "<div><svg></svg></div>"
    # superfences makes a fence whose formatter fails plain text, unless the error is a SuperFencesException
    with pytest.raises(PluginError, match="no drawing for the diagram beginning 'graph TD'"):
        md.reset().convert("```mermaid\ngraph TD\n```")
    with pytest.raises(PluginError, match="needs the custom fence `mermaid`"):
        mermaid.on_config(SimpleNamespace(mdx_configs={}))


def test_an_included_file_with_a_diagram_is_named_at_its_include_line(tmp_path: Path):
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "a.md").write_text("```mermaid\ngraph LR\n  A --> B\n```\n", encoding="utf-8")
    (tmp_path / "code" / "b.py").write_text("print('```mermaid')\n", encoding="utf-8")
    page = 'text\n\n--8<-- "code/a.md"\n\n```python\n--8<-- "code/b.py"\n```\n--8<-- "code/missing.md"\n'
    assert mermaid.included_diagrams(page, tmp_path) == [
        (3, "included file 'code/a.md' holds a Mermaid diagram: write the diagram in the page itself")
    ]


def test_mermaid_error_line_is_the_file_line():
    diagram = mermaid.Diagram("docs/a.md", 10, "graph TD\n  A -->\n  B -->> C")
    message = mermaid.error_message(diagram, "Parse error on line 3:\n...A -->  B -->> C\n---^\nExpecting 'AMP'")
    assert message.startswith("docs/a.md:12: invalid Mermaid diagram: Parse error on line 3: ")
    assert mermaid.error_message(diagram, "No diagram type detected").startswith("docs/a.md:10: ")


def test_material_mermaid_stylesheet_is_found_in_its_bundle():
    material = load_hook("_material")
    css, stylesheets = material.mermaid_theme()
    assert "var(--md-mermaid-node-bg-color)" in css and "var(--md-mermaid-edge-color)" in css
    assert stylesheets and all(path.suffix == ".css" for path in stylesheets)
    with pytest.raises(PluginError, match="no Mermaid stylesheet"):
        material.mermaid_css("var x=1", "bundle.js")


def test_material_adapter_stops_on_another_version(monkeypatch: pytest.MonkeyPatch):
    material = load_hook("_material")
    monkeypatch.setattr(material, "VERSION", "0.0.1")
    with pytest.raises(PluginError, match=r"hooks/_material.py reaches into mkdocs-material 0.0.1, but 9\.8\.1 is installed"):
        material.mermaid_theme()
    with pytest.raises(PluginError, match="hooks/_material.py reaches into"):
        material.forget_last_index(object())


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


def test_cached_drawings_need_no_chromium(tmp_path: Path):
    diagram = mermaid.Diagram("docs/a.md", 3, "graph TD\n  A --> B")
    (tmp_path / mermaid.cache_name(diagram.text, "salt")).write_text("<svg>cached</svg>", encoding="utf-8")
    drawings = mermaid.Drawings(tmp_path, "salt", template=None)
    drawings.update([diagram, diagram], {"chromium": None})
    assert drawings.svgs == {diagram.text: "<svg>cached</svg>"}


def test_a_new_diagram_without_chromium_names_its_line(tmp_path: Path):
    drawings = mermaid.Drawings(tmp_path, "salt", template=None)
    with pytest.raises(PluginError, match=r"^docs/a.md:3: Mermaid diagrams are drawn at build time by Chromium"):
        drawings.update([mermaid.Diagram("docs/a.md", 3, "graph TD")], {"chromium": None})


def book_job() -> dict:
    """What the renderer gets for this book (its stylesheet measures the labels)."""
    return mermaid.render_job(ROOT, [ROOT / "docs" / "stylesheets" / "book.css"])[0]


def test_renderer_draws_in_chromium_and_reports_errors(tmp_path: Path):
    job = book_job()
    good = mermaid.Diagram("docs/a.md", 3, "graph LR\n  accTitle: 标题\n  accDescr: 说明\n  A[大模型] --> B")
    bad = mermaid.Diagram("docs/a.md", 20, "graph TD\n  A -->\n  B -->> C")
    good_svg, bad_result = mermaid.draw([good, bad], job)
    assert good_svg["svg"].startswith(f'<svg id="{mermaid.diagram_id(good.text)}"')
    assert "<title" in good_svg["svg"] and "大模型" in good_svg["svg"] and "var(--md-mermaid-node-bg-color)" in good_svg["svg"]
    assert mermaid.error_message(bad, bad_result["error"]).startswith("docs/a.md:22: invalid Mermaid diagram: Parse error")


def test_the_headless_shell_draws_the_same_svg_as_chromium():
    """The cache salt leaves out which Chromium drew: that is only sound while both draw alike."""
    shell = shutil.which("chromium-headless-shell")
    assert shell, "chromium-headless-shell is missing: make test installs it (Debian package chromium-headless-shell)"
    job = book_job()
    diagrams = [
        mermaid.Diagram("docs/a.md", 3, "graph LR\n  A[大模型 LLM] --> B{预训练？}\n  B -->|是| C[(语料 1.4T tokens)]"),
        mermaid.Diagram("docs/a.md", 9, "sequenceDiagram\n  用户->>模型: 提示词\n  模型-->>用户: 回答"),
    ]
    by_shell = mermaid.draw(diagrams, {**job, "chromium": shell})
    by_chromium = mermaid.draw(diagrams, {**job, "chromium": str(CHROMIUM)})
    assert all("svg" in result for result in by_shell) and by_shell == by_chromium


# One diagram of each kind an author is likely to draw, with a `click`, a subgraph, styles and CJK labels
# (not classDiagram: mermaid 11 draws its boxes with random strokes, two drawings never the same).
KINDS = [
    ("flowchart TD\n  accTitle: 流程\n  accDescr: 说明\n  subgraph S[预训练]\n    A[语料] -->|清洗| B((模型))\n  end\n"
    "  B -.-> C{评测？}\n  C -- 是 --> D[(部署)]\n  classDef hot fill:#f96\n  class D hot\n  click A \"../a/\" \"去 A\""),
    "graph LR\n  A --> B & C --> D\n  linkStyle 0 stroke:red",
    "sequenceDiagram\n  autonumber\n  用户->>模型: 提示词\n  Note over 模型: 推理\n  loop 每个词元\n    模型-->>模型: 采样\n  end\n  模型-->>用户: 回答",
    "stateDiagram-v2\n  [*] --> 预训练\n  预训练 --> 微调\n  微调 --> [*]",
    "erDiagram\n  MODEL ||--o{ CHECKPOINT : saves",
    "pie title 数据构成\n  \"网页\" : 60\n  \"书籍\" : 40",
    "xychart-beta\n  title \"损失\"\n  x-axis [1, 2, 3]\n  y-axis \"loss\" 0 --> 4\n  line [3.2, 2.1, 1.7]",
    "gantt\n  dateFormat YYYY-MM-DD\n  section 训练\n  预训练 :a1, 2024-01-01, 30d\n  微调 :after a1, 10d",
    "mindmap\n  root((大模型))\n    预训练\n    对齐",
]


def test_every_kind_of_diagram_draws_the_same_twice():
    """The cache keeps a drawing by its source: two drawings of one source must be the same, whichever
    page of the browser drew it."""
    diagrams = [mermaid.Diagram("docs/a.md", 1, text) for text in KINDS]
    first, second = mermaid.draw(diagrams, book_job()), mermaid.draw(diagrams[::-1], book_job())
    assert [r.get("error") for r in first] == [None] * len(KINDS)
    assert first == second[::-1]


def test_a_chromium_that_cannot_start_or_a_page_that_throws_fails_the_drawing_with_its_words(tmp_path: Path):
    job = book_job()
    diagram = mermaid.Diagram("docs/a.md", 3, "graph LR\n  A --> B")
    missing = tmp_path / "no-chromium"
    with pytest.raises(PluginError, match=rf"Mermaid renderer failed \({missing}\): .*{missing}"):
        mermaid.draw([diagram], {**job, "chromium": str(missing)})
    with pytest.raises(PluginError, match=r"Mermaid renderer failed .*: TypeError: Failed to fetch dynamically imported module"):
        mermaid.draw([diagram], {**job, "mermaid": str(tmp_path / "mermaid.esm.min.mjs")})


# glossary ---------------------------------------------------------------------------------------

TERM = "- term: GPT\n  zh: 生成式预训练 Transformer\n  en: Generative Pre-trained Transformer\n  definition: 一类模型。\n"


def test_glossary_terms_keep_their_file_lines():
    terms = glossary.load_terms(TERM + TERM.replace("GPT", "BERT"), "glossary.yml")
    assert [(t.term, t.line) for t in terms] == [("GPT", 1), ("BERT", 5)]
    assert terms[0].is_abbreviation and terms[0].avoid == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # PyYAML's own wording, with the line quoted (libyaml, when used for speed, words it otherwise)
        (TERM + " en: bad\n", "glossary.yml: invalid YAML: while parsing a block collection\n"
         '  in "<unicode string>", line 1, column 1:\n    - term: GPT\n    ^\nexpected <block end>'),
        ("term: GPT\n", "glossary.yml:1: the glossary must be a YAML list of terms"),
        (TERM + "- GPT\n", "glossary.yml:5: each term is a mapping with term, zh, en, definition"),
        (TERM + "- term: BERT\n  zh: 甲\n", "glossary.yml:5: term 'BERT' lacks en, definition"),
        (TERM.replace("definition", "note: x\n  definition"), "glossary.yml:1: unknown field(s) note"),
        (TERM + TERM, "glossary.yml:5: term 'GPT' is defined twice (first at line 1)"),
    ],
)
def test_glossary_mistakes_name_file_and_line(text: str, message: str):
    with pytest.raises(PluginError) as error:
        glossary.load_terms(text, "glossary.yml")
    assert str(error.value).startswith(message)


# search -----------------------------------------------------------------------------------------

search = load_hook("search")


def test_formulas_and_diagrams_are_kept_from_the_indexer_and_put_back():
    formula = '<span class="katex"><span class="katex-mathml"><math>x</math></span><span class="katex-html">x</span></span>'
    diagram = '<div class="mermaid" data-search-exclude><template shadowrootmode="open"><svg><g><text>A</text></g></svg></template></div>'
    html = f'<p>设 {formula}，<span class="katex-display">{formula}</span> 与 <span>y</span></p>{diagram}<p>z</p>'
    stashed, taken = search.stash(html)
    assert taken == [diagram, formula, formula]
    assert stashed == (
        '<p>设 <span data-search-exclude data-stashed="1"></span>，<span class="katex-display">'
        '<span data-search-exclude data-stashed="2"></span></span> 与 <span>y</span></p>'
        '<div data-search-exclude data-stashed="0"></div><p>z</p>'
    )
    assert search.restore(stashed, taken) == html
    unclosed = '<p><span class="katex"><span>x</span></p>'
    assert search.stash(unclosed) == (unclosed, [])


def test_index_is_utf8():
    escaped = '{"docs":[{"text":"\\u5fae\\u8c03"}]}'
    assert search.index_text(json.loads(escaped)) == '{"docs":[{"text":"微调"}]}'
