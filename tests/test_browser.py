"""The built book in Debian's Chromium, served on 127.0.0.1 with every other host unreachable."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, search_for

pytestmark = pytest.mark.browser

# How hooks/mermaid.py puts a diagram drawn at build time into a page (overrides/partials/diagram.html).
DIAGRAM = '<div class="mermaid" data-search-exclude><template shadowrootmode="open"><svg'


def page_urls() -> list[str]:
    """Every page's path on the site, from the docs folder (directory URLs) plus generated pages."""
    urls = []
    for md in sorted((ROOT / "docs").rglob("*.md")):
        rel = md.relative_to(ROOT / "docs").with_suffix("")
        parts = rel.parts[:-1] if rel.name == "index" else rel.parts
        urls.append("/".join(parts) + ("/" if parts else ""))
    return urls + ["glossary/", "references/"]  # the pages hooks generate


@pytest.fixture
def tab(browser, server):
    """A fresh page that records console errors and every request, and cuts off non-loopback hosts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
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
    diagrams = html.count(DIAGRAM)
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
            """async () => { const el = document.querySelector('.katex');
                 // Blocks far down the page are drawn (and their fonts fetched) when they come near the screen.
                 el.scrollIntoView();
                 await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
                 await document.fonts.ready;
                 return { family: getComputedStyle(el).fontFamily,
                          loaded: [...document.fonts].filter(f => f.family.replace(/"/g, '').startsWith('KaTeX')
                                                                 && f.status === 'loaded').length }; }"""
        )
        assert "KaTeX_Main" in fonts["family"] and fonts["loaded"] >= 1, fonts
    assert tab.outside == []
    assert tab.errors == []


def test_diagrams_are_drawn_at_build_time_and_need_no_script(browser, server, site: Path):
    """Every diagram arrives as SVG: no page loads Mermaid, and the drawing is there with JavaScript off."""
    counts = {}
    for path in page_urls():
        html = (site / path / "index.html").read_text(encoding="utf-8")
        assert "mermaid.min.js" not in html and '<pre class="mermaid">' not in html, path
        counts[path] = html.count(DIAGRAM)
    assert sum(counts.values()) >= 30 and 0 in counts.values()
    assert not list(site.rglob("mermaid*.js"))
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        path = "course/part-1/lesson-01-definition/"
        page.goto(server + path)
        page.wait_for_load_state("networkidle")  # closing mid-request would make the server print a traceback
        drawn = page.evaluate(
            "() => [...document.querySelectorAll('div.mermaid')].filter(d => d.shadowRoot?.querySelector('svg g')).length"
        )
        assert drawn == counts[path] > 10
        assert not [url for url in requests if "mermaid" in url]
    finally:
        context.close()


def test_diagrams_follow_the_colour_scheme(tab, server):
    """The SVG's styles use Material's CSS variables, which reach into the shadow root."""
    tab.goto(server)
    colours = {}
    for scheme in ("default", "slate"):
        colours[scheme] = tab.evaluate(
            """s => { document.body.setAttribute('data-md-color-scheme', s);
                 const host = document.querySelector('div.mermaid');
                 const label = host.shadowRoot.querySelector('.nodeLabel');
                 return { label: getComputedStyle(label).color,
                          variable: getComputedStyle(host).getPropertyValue('--md-mermaid-label-fg-color').trim() }; }""",
            scheme,
        )
    assert colours["default"]["label"] != colours["slate"]["label"], colours
    assert colours["default"]["variable"] != colours["slate"]["variable"], colours


def test_search_finds_chinese_words(tab, server):
    tab.goto(server)
    search_for(tab, "微调")
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
    tooltip = tab.locator("#book-tooltip[role='tooltip']")
    tooltip.wait_for(state="visible", timeout=5000)
    assert re.search(r"\[(J|C|M|R|EB|Z)(/OL)?\]", tooltip.inner_text())
    assert ref.get_attribute("aria-describedby") == "book-tooltip"
    tab.keyboard.press("Escape")
    tooltip.wait_for(state="hidden", timeout=5000)
    assert ref.get_attribute("aria-describedby") is None


def test_abbreviations_show_their_full_name_on_hover_and_on_tap(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(server + "course/part-1/lesson-01-definition/")
        abbr = page.locator("abbr[title]", has_text="GPT").first
        full = abbr.get_attribute("title")
        abbr.tap()
        tooltip = page.locator("#book-tooltip")
        tooltip.wait_for(state="visible", timeout=5000)
        assert tooltip.inner_text() == full and full
        box, view = tooltip.bounding_box(), page.viewport_size
        assert box["x"] >= 0 and box["x"] + box["width"] <= view["width"], box
        page.locator("h1").first.tap()
        tooltip.wait_for(state="hidden", timeout=5000)
    finally:
        context.close()


def test_no_component_is_mounted_per_citation_mark(tab, server):
    """Material's per-element tooltips stay off: they made long chapters block a phone for seconds."""
    tab.goto(server + "course/part-1/lesson-01-definition/")
    tab.wait_for_load_state("networkidle")
    assert tab.locator(".md-tooltip2").count() == 0
    assert tab.locator("a.footnote-ref").count() > 100


# Phones, accessibility, both colour schemes -------------------------------------------------------


def open_page(browser, server, path: str, **context_args):
    context = browser.new_context(**context_args)
    page = context.new_page()
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.mark.parametrize("path", page_urls())
def test_phone_width_never_scrolls_the_page_sideways(browser, server, site: Path, path: str):
    html = (site / path / "index.html").read_text(encoding="utf-8")
    context, page = open_page(browser, server, path, viewport={"width": 375, "height": 800}, is_mobile=True)
    try:
        if DIAGRAM in html:
            wait_for_diagrams(page, html.count(DIAGRAM))
        widths = page.evaluate(
            "() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
            " view: window.innerWidth })"
        )
        assert widths["doc"] <= widths["view"] and widths["body"] <= widths["view"], widths
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", page_urls())
def test_axe_finds_no_violation(browser, server, site: Path, path: str, scheme: str):
    from axe_playwright_python.sync_playwright import Axe

    html = (site / path / "index.html").read_text(encoding="utf-8")
    context, page = open_page(browser, server, path, color_scheme=scheme)
    try:
        if DIAGRAM in html:
            wait_for_diagrams(page, html.count(DIAGRAM))
        # book.js marks scrollable regions in a ResizeObserver callback, run before the next frame is painted
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        scheme_attr = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        assert scheme_attr == {"light": "default", "dark": "slate"}[scheme]
        violations = Axe().run(page).response["violations"]
        report = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        assert report == []
    finally:
        context.close()


def test_diagrams_have_accessible_names_and_math_keeps_mathml(browser, server):
    context, page = open_page(browser, server, "course/part-1/lesson-01-definition/")
    try:
        wait_for_diagrams(page, 1)
        names = page.evaluate(
            """() => [...document.querySelectorAll('div.mermaid')].map(d => {
                 const svg = d.shadowRoot.querySelector('svg');
                 return { title: (svg.querySelector('title') || {}).textContent || '',
                          desc: (svg.querySelector('desc') || {}).textContent || '',
                          labelled: svg.getAttribute('aria-labelledby') || '' }; })"""
        )
        assert names and all(n["title"].strip() and n["desc"].strip() and n["labelled"] for n in names), names
        mathml = page.evaluate("() => document.querySelectorAll('.katex .katex-mathml math').length")
        assert mathml == page.evaluate("() => document.querySelectorAll('.katex').length") > 10
    finally:
        context.close()


PALETTE_STATE = """() => ({
    scheme: document.body.getAttribute('data-md-color-scheme'),
    shown: [...document.querySelectorAll('form[data-book-palette] label')].map(label => !label.hidden),
    metaScheme: (document.querySelector('meta[name=color-scheme]') || {}).content,
    html: document.documentElement.className })"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_palette_is_set_before_any_script_file_runs(browser, server, scheme: str):
    """The system's scheme, the toggle to leave it and the browser's color-scheme come from the
    inline script in the header; Material's bundle and book.js are blocked here."""
    context = browser.new_context(color_scheme=scheme)
    context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(server + "glossary/")
        state = page.evaluate(PALETTE_STATE)
        dark = scheme == "dark"
        assert state == {
            "scheme": "slate" if dark else "default", "shown": [not dark, dark],
            "metaScheme": "dark" if dark else "light", "html": "js js-focus-visible",
        }
    finally:
        context.close()


def test_the_palette_switch_toggles_stores_and_keeps_the_choice(tab, server):
    tab.goto(server + "glossary/")
    tab.wait_for_load_state("networkidle")
    assert tab.locator("[data-md-component=palette]").count() == 0  # Material's component is not mounted
    assert tab.evaluate(PALETTE_STATE)["scheme"] == "default"
    tab.click("form[data-book-palette] label:not([hidden])")
    after = tab.evaluate(PALETTE_STATE)
    assert after["scheme"] == "slate" and after["shown"] == [False, True] and after["metaScheme"] == "dark"
    stored = tab.evaluate("() => __md_get('__palette')")
    assert stored == {"index": 1, "color": {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
                                            "primary": "indigo", "accent": "indigo"}}
    tab.goto(server + "course/")  # the choice holds on the next page, set before it is parsed
    assert tab.evaluate(PALETTE_STATE)["scheme"] == "slate"
    tab.focus("form[data-book-palette] input:checked")
    tab.keyboard.press("Enter")  # the keyboard cycles through the options, as with Material's
    assert tab.evaluate(PALETTE_STATE)["scheme"] == "default"
    assert tab.evaluate("() => document.activeElement.id") == "__palette_0"
    # the no-transition mark goes on the task after the switch (book.js's setTimeout): wait for that task
    tab.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')", timeout=5000)
    assert tab.errors == [] and tab.outside == []


def test_code_blocks_far_down_get_their_copy_button_as_they_come_into_view(tab, server):
    """content.lazy: Material sets up a code block when it becomes visible; until then it can take
    the keyboard's focus (book.js), so tabbing down the page reaches it."""
    tab.goto(server + "contributing/")
    tab.wait_for_load_state("networkidle")
    last = tab.locator(".highlight pre > code").last
    tab.wait_for_function("() => [...document.querySelectorAll('.highlight pre > code')].pop().tabIndex === 0")
    assert tab.locator(".highlight").last.locator("button.md-code__button[data-md-type=copy]").count() == 0
    last.scroll_into_view_if_needed()
    tab.locator(".highlight").last.locator("button.md-code__button[data-md-type=copy]").wait_for(state="attached", timeout=15000)
    # book.js marks the new <nav> on the animation frame after Material inserts it: wait for that frame
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.highlight')].pop().querySelector('nav.md-code__nav')?.role === 'none'",
        timeout=5000,
    )
    assert tab.locator(".highlight").last.locator("nav.md-code__nav").get_attribute("role") == "none"
    assert tab.errors == [] and tab.outside == []
