"""The built book in Debian's Chromium, served on 127.0.0.1 with every other host unreachable."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

# Material renders diagrams into closed shadow roots; open them so the test can look inside.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attachShadow.call(this, { ...init, mode: "open" }); };
"""


def page_urls() -> list[str]:
    """Every page's path on the site, from the docs folder (directory URLs) plus generated pages."""
    urls = []
    for md in sorted((ROOT / "docs").rglob("*.md")):
        rel = md.relative_to(ROOT / "docs").with_suffix("")
        parts = rel.parts[:-1] if rel.name == "index" else rel.parts
        urls.append("/".join(parts) + ("/" if parts else ""))
    return urls + ["references/"]


@pytest.fixture
def tab(browser, server):
    """A fresh page that records console errors and every request, and cuts off non-loopback hosts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(OPEN_SHADOW_ROOTS)
    outside: list[str] = []

    def route(request_route):
        host = urlparse(request_route.request.url).hostname
        if request_route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.outside = outside  # type: ignore[attr-defined]
    yield page
    context.close()


def wait_for_diagrams(page, expected: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('div.mermaid').length >= n"
        " && [...document.querySelectorAll('div.mermaid')].every(d => d.shadowRoot && d.shadowRoot.querySelector('svg'))",
        arg=expected,
        timeout=20000,
    )


@pytest.mark.parametrize("path", page_urls())
def test_page_works_offline(tab, server, site: Path, path: str):
    html = (site / path / "index.html").read_text(encoding="utf-8")
    diagrams = html.count('<pre class="mermaid">')
    tab.goto(server + path)
    tab.wait_for_load_state("networkidle")
    if diagrams:
        wait_for_diagrams(tab, diagrams)
        report = tab.evaluate(
            """() => [...document.querySelectorAll('div.mermaid')].map(d => ({
                 svg: !!d.shadowRoot.querySelector('svg'),
                 text: d.shadowRoot.textContent,
                 title: (d.shadowRoot.querySelector('svg title') || {}).textContent || '' }))"""
        )
        assert len(report) == diagrams
        for diagram in report:
            assert diagram["svg"] and "Syntax error" not in diagram["text"], diagram["text"][:200]
    if 'class="katex"' in html:
        fonts = tab.evaluate(
            """async () => { await document.fonts.ready;
                 const el = document.querySelector('.katex');
                 return { family: getComputedStyle(el).fontFamily,
                          loaded: [...document.fonts].filter(f => f.family.replace(/"/g, '').startsWith('KaTeX')
                                                                 && f.status === 'loaded').length }; }"""
        )
        assert "KaTeX_Main" in fonts["family"] and fonts["loaded"] >= 1, fonts
    assert tab.outside == []
    assert tab.errors == []


def test_mermaid_script_is_loaded_only_where_there_is_a_diagram(tab, server, site: Path):
    scripts = {}
    for path in page_urls():
        html = (site / path / "index.html").read_text(encoding="utf-8")
        scripts[path] = ("mermaid.min.js" in html, '<pre class="mermaid">' in html)
    assert all(loaded == has for loaded, has in scripts.values())
    assert any(has for _, has in scripts.values()) and not all(has for _, has in scripts.values())


def test_search_finds_chinese_words(tab, server):
    tab.goto(server)
    search = tab.locator("input.md-search__input")
    search.click()
    search.fill("微调")
    tab.wait_for_selector(".md-search-result__item", timeout=15000)
    titles = tab.locator(".md-search-result__item h1, .md-search-result__item h2").all_inner_texts()
    assert titles and any("微调" in t for t in tab.locator(".md-search-result__item").all_inner_texts())
    assert tab.outside == [] and tab.errors == []


def test_concept_map_nodes_link_to_chapters(tab, server):
    tab.goto(server)
    wait_for_diagrams(tab, 1)
    hrefs = tab.evaluate(
        "() => [...document.querySelector('div.mermaid').shadowRoot.querySelectorAll('a')]"
        ".map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))"
    )
    assert "course/part-1/lesson-01-definition/" in hrefs
    link = tab.locator("div.mermaid a").first
    with tab.expect_navigation():
        link.click()
    assert re.search(r"/(course|articles)/", tab.url)
    assert tab.errors == []


def test_citation_hover_shows_the_reference(tab, server, site: Path):
    tab.goto(server + "course/part-1/lesson-01-definition/")
    ref = tab.locator("sup[id^='fnref'] a.footnote-ref").first
    ref.hover()
    tooltip = tab.locator(".md-tooltip2--active, .md-tooltip2[role='tooltip']").first
    tooltip.wait_for(state="visible", timeout=5000)
    assert re.search(r"\[(J|C|M|R|EB|Z)(/OL)?\]", tooltip.inner_text())
