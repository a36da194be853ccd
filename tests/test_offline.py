"""The offline copy: a zip that works from file:// — navigation, math, diagrams and search, nothing from the network."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, load_script, search_for

pytestmark = pytest.mark.browser

offline = load_script("offline")


@pytest.fixture(scope="session")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = offline.main(tmp_path_factory.mktemp("zip") / "book.zip")
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(target) as archive:
        archive.extractall(folder)
    return folder / offline.FOLDER


def test_zip_holds_the_whole_book_with_file_links(unpacked: Path):
    assert (unpacked / "index.html").is_file() and (unpacked / "search" / "search_index.js").is_file()
    home = (unpacked / "index.html").read_text(encoding="utf-8")
    assert 'href="course/part-1/lesson-01-definition.html"' in home
    assert "unpkg.com" not in home and "iframe-worker-shim.js" in home


def test_offline_copy_works_from_the_file_system(browser, unpacked: Path):
    context = browser.new_context()
    page = context.new_page()
    outside, errors = [], []
    page.on("request", lambda r: r.url.startswith(("file:", "data:", "blob:")) or outside.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((unpacked / "index.html").as_uri())
        page.wait_for_function("() => document.querySelector('div.mermaid')?.shadowRoot?.querySelector('svg')")
        page.get_by_role("link", name="大模型的定义、特点与应用场景").first.click()
        page.wait_for_url("**/lesson-01-definition.html")
        loaded = page.evaluate(
            "async () => { document.querySelector('.katex').scrollIntoView();"
            " await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));"
            " await document.fonts.ready;"
            " return [...document.fonts].filter(f => f.family.includes('KaTeX') && f.status === 'loaded').length; }"
        )
        assert loaded >= 1
        page.wait_for_function(
            "() => [...document.querySelectorAll('div.mermaid')].length > 5 &&"
            " [...document.querySelectorAll('div.mermaid')].every(d => d.shadowRoot?.querySelector('svg'))"
        )
        search_for(page, "微调")
        assert page.locator(".md-search-result__item").count() >= 1
        assert outside == [] and errors == []
    finally:
        context.close()


def test_home_page_links_to_the_files_make_dist_writes(site: Path):
    home = (site / "index.html").read_text(encoding="utf-8")
    for relative in (load_script("pdf").OUTPUT.as_posix(), offline.DEFAULT_ZIP.relative_to(ROOT / "site").as_posix()):
        assert f'href="{relative}"' in home, relative
