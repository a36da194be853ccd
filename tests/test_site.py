"""Page metadata: descriptions, sitemap, last-updated dates from git, the edit link."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from conftest import ROOT, MiniBook, load_hook, pages

dates = load_hook("dates")


def test_every_page_describes_itself_from_its_front_matter(site: Path):
    seen = set()
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        match = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert match, page
        seen.add(html_lib.unescape(match[1]))
    lesson = (ROOT / "docs" / "course" / "part-1" / "lesson-01-definition.md").read_text(encoding="utf-8")
    description = re.search(r"^description: (.+)$", lesson, re.M)[1].strip()
    assert description in seen
    assert len(seen) == len(pages(site)), "each page has its own description"


def test_sitemap_lists_every_page(site: Path):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(locations) == len(pages(site))


def test_pages_show_their_last_git_change(site: Path):
    html = (site / "course" / "part-1" / "lesson-01-definition" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'md-source-file__fact">.*?\d{4}-\d{2}-\d{2}', html, re.S)


def test_last_changed_takes_the_newest_commit_per_file():
    log = "\0" + "2026-11-20\n\na.md\nb/c.md\n" + "\0" + "2026-11-01\n\na.md\nd.md\n"
    assert dates.last_changed(log) == {"a.md": "2026-11-20", "b/c.md": "2026-11-20", "d.md": "2026-11-01"}


def test_no_history_means_no_date_and_no_warning(tmp_path: Path):
    assert dates.git_dates(str(tmp_path)) == {}


def test_edit_link_appears_with_a_repo_url_and_dates_degrade_without_git(minibook: MiniBook):
    minibook.page("index.md", "---\ntitle: 页\n---\n\n# 页\n\n正文。\n")
    config = (minibook.root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  font: false\n", "  font: false\n  features: [content.action.edit]\n")
    minibook.config("repo_url: https://git.example.org/team/book\n" + config)
    build = minibook.build()
    assert build.returncode == 0 and build.warnings == [], build.output
    html = (minibook.root / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://git.example.org/team/book/edit/main/docs/index.md"' in html
    assert "md-source-file__fact" not in html  # not a git checkout: no date, no error


def test_search_index_is_utf8_without_formula_text(site: Path):
    import json

    raw = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    docs = json.loads(raw)["docs"]
    assert "微调" in raw and not re.search(r"\\u[0-9a-f]{4}", raw.split('"docs"', 1)[1])
    assert "微调\u200b" in raw or "\u200b微调" in raw  # Material's search plugin segmented the Chinese with jieba
    article = " ".join(d["text"] for d in docs if d["location"].startswith("articles/01-theory-to-business/"))
    assert "softmax" in article and "\\frac" not in article and "annotation" not in article
