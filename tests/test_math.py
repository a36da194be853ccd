"""hooks/math.py: delimiter conversion, markdown-katex cache pre-rendering, KaTeX version agreement."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import markdown
import pytest
from markdown_katex import wrapper as katex_wrapper

from conftest import ROOT, load_hook, pages

math_hook = load_hook("math")
source_model = load_hook("_source")

SCRIPT = ROOT / "scripts" / "katex-render.cjs"
KATEX_CLI = ROOT / "node_modules" / "katex" / "cli.js"


# Conversion -------------------------------------------------------------------------------------


def test_inline_dollars_become_markdown_katex_syntax():
    result = math_hook.convert("质能方程 $E=mc^2$ 成立。")
    assert result.markdown == "质能方程 $`E=mc^2`$ 成立。"
    assert result.formulas == [math_hook.Formula("E=mc^2", False, 1)]
    assert result.errors == []


def test_display_block_becomes_math_fence_with_indent_kept():
    source = "!!! note\n\n    $$\n    a^2 + b^2 = c^2\n    $$\n"
    result = math_hook.convert(source)
    assert "    ```math\n    a^2 + b^2 = c^2\n    ```" in result.markdown
    assert [f.display for f in result.formulas] == [True]
    assert result.formulas[0].line == 3


def test_one_line_display_block():
    result = math_hook.convert("$$ x = 1 $$")
    assert result.markdown == "```math\nx = 1\n```"


def test_code_spans_fences_and_escaped_dollars_are_left_alone():
    source = "价格 \\$5，代码 `$x$` 不变。\n\n```python\nprice = '$5 and $6'\n```\n"
    result = math_hook.convert(source)
    assert result.formulas == []
    assert result.errors == []
    assert "价格 &#36;5，代码 `$x$` 不变。" in result.markdown
    assert "price = '$5 and $6'" in result.markdown


def test_markdown_katex_own_syntax_is_kept_and_listed():
    source = "内联 $`\\alpha`$ 与\n\n```math\n\\beta\n```\n"
    result = math_hook.convert(source)
    assert result.markdown == source
    assert [(f.tex, f.display) for f in result.formulas] == [("\\alpha", False), ("\n\\beta\n", True)]


@pytest.mark.parametrize(
    "source, line",
    [("收入 $5 与 $10。", 1), ("一行\n\n$x + y\n", 3), ("$$\nx\n", 1), ("```python\nprint(1)\n", 1)],
)
def test_unmatched_delimiters_and_fences_are_errors_with_lines(source, line):
    result = math_hook.convert(source)
    assert [e[0] for e in result.errors] == [line]


def test_block_input_is_what_markdown_katex_extracts():
    # The TeX markdown-katex hands to KaTeX for a fence keeps the fence's surrounding newlines.
    assert math_hook.block_input(["```math", "x^2", "```"]) == "\nx^2\n"


def test_body_offset_counts_front_matter_lines():
    body, offset = source_model.body_and_offset("---\ntitle: 测试\nchapter: 1\n---\n\n# 标题\n")
    assert body.startswith("# 标题")
    assert offset == 5


# Rendering --------------------------------------------------------------------------------------


@pytest.fixture
def katex_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CACHE_DIR", "get_bin_cmd", "_cleanup_cache_dir"):
        monkeypatch.setattr(katex_wrapper, name, getattr(katex_wrapper, name))
    math_hook._katex.configure(tmp_path, KATEX_CLI)
    return tmp_path


def test_prerender_fills_exactly_the_cache_markdown_katex_reads(katex_cache, monkeypatch):
    source = "设 $a_i$ 为权重，则\n\n$$\n\\sum_i a_i = 1\n$$\n"
    conversion = math_hook.convert(source)
    assert math_hook.prerender({"docs/t.md": (0, conversion.formulas)}, SCRIPT) == []
    assert len(list(katex_cache.glob("*.html"))) == 2

    def no_process(*args, **kwargs):
        raise AssertionError("markdown-katex started a KaTeX process: the cache missed")

    monkeypatch.setattr(katex_wrapper, "_write_tex2html", no_process)
    html = markdown.markdown(conversion.markdown, extensions=["markdown_katex"],
                             extension_configs={"markdown_katex": {"insert_fonts_css": False}})
    assert html.count('class="katex"') == 2
    assert "katex-display" in html


def test_katex_options_are_asked_once_per_katex_version(katex_cache, monkeypatch):
    monkeypatch.setattr(katex_wrapper, "_PARSED_OPTIONS", {})
    math_hook._katex.extension(katex_cache)  # asks the pinned KaTeX CLI
    known = json.loads((katex_cache / "options.json").read_text(encoding="utf-8"))
    assert {"trust", "macro", "strict"} <= set(known)  # KaTeX 0.19's options, which 0.15's binary lacks

    def no_process():
        raise AssertionError("markdown-katex ran katex --help although the options were known")

    monkeypatch.setattr(katex_wrapper, "_get_cmd_help_text", no_process)
    assert math_hook._katex.extension(katex_cache).config.keys() >= known.keys()
    (katex_cache / "options.json").unlink()  # a new KaTeX version: a new, empty folder
    with pytest.raises(AssertionError, match="katex --help"):
        math_hook._katex.extension(katex_cache)


def test_batch_output_equals_katex_cli_output(tmp_path):
    tex = "\\frac{1}{N}\\sum_{i=1}^{N} x_i"
    for args in ([], ["--display-mode"]):
        (tmp_path / "in.tex").write_text(tex, encoding="utf-8")
        subprocess.run(["node", str(KATEX_CLI), *args, "--input", str(tmp_path / "in.tex"),
                        "--output", str(tmp_path / "out.html")], check=True)
        [batch] = math_hook.render_batch([math_hook.Formula(tex, bool(args), 1)], SCRIPT)
        assert batch["html"] == (tmp_path / "out.html").read_text(encoding="utf-8")


def test_invalid_tex_is_reported_with_file_line_and_katex_message(katex_cache):
    errors = math_hook.prerender({"docs/x.md": (4, [math_hook.Formula("W_c_{ij}", False, 3)])}, SCRIPT)
    assert len(errors) == 1
    assert errors[0].startswith("docs/x.md:7: invalid TeX 'W_c_{ij}': KaTeX parse error: Double subscript")
    assert "\n" not in errors[0]


# Versions and the built site --------------------------------------------------------------------


def test_served_katex_css_is_the_renderer_version(site):
    cli = subprocess.run(["node", str(KATEX_CLI), "--version"], capture_output=True, text=True, check=True)
    renderer = subprocess.run(["node", "-e", "process.stdout.write(require('katex').version)"],
                              capture_output=True, text=True, check=True, cwd=ROOT / "scripts")
    css = (site / "assets" / "katex" / "katex.min.css").read_text(encoding="utf-8")
    served = re.search(r'katex-version:after\{content:"([^"]+)"\}', css)[1]
    package = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    locked = package["packages"]["node_modules/katex"]["version"]
    assert served == cli.stdout.strip() == renderer.stdout == locked


def test_every_font_the_css_names_in_woff2_is_served(site):
    css = (site / "assets" / "katex" / "katex.min.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\(fonts/([^)]+\.woff2)\)", css))
    assert fonts and all((site / "assets" / "katex" / "fonts" / f).is_file() for f in fonts)


def strip_rendered(html: str) -> str:
    """Page prose without code, rendered math and scripts."""
    html = re.sub(r"<(script|code|pre|annotation|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r'<span class="katex">.*?</math>', "", html, flags=re.S)


def test_no_raw_tex_left_in_prose_and_css_only_where_math(site):
    with_math = 0
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        article = html[html.index("<article"): html.index("</article>")]
        assert not re.search(r"\$[^$<]+\$", strip_rendered(article)), page
        assert "tmp_inline_md_katex" not in html and "tmp_block_md_katex" not in html, page
        has_math = 'class="katex"' in article
        assert ("assets/katex/katex.min.css" in html) == has_math, page
        with_math += has_math
    assert with_math >= 1
