"""The preview (`make serve` = `mkdocs serve --dirty --no-strict`): a saved page alone is rebuilt, and the book stays right."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from conftest import BUILD_ENV, MKDOCS, ROOT, MiniBook, Served, free_port, load_hook, tree_digest

preview = load_hook("preview")
search = load_hook("search")
bibliography = load_hook("bibliography")
serve = load_hook("serve")


def test_the_file_watcher_polls_every_tenth_of_a_second(tmp_path: Path):
    """MkDocs' server polls every 0.5 s; hooks/serve.py hands MkDocs an equal server that polls every 0.1 s
    and watches what the first one watched."""
    from types import SimpleNamespace

    from mkdocs.livereload import LiveReloadServer

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.watch(str(tmp_path / "docs"))
    server.watch(str(tmp_path / "mkdocs.yml"))
    faster = serve.polling_faster(server, SimpleNamespace(dev_addr=("127.0.0.1", 0)), serve.POLL_SECONDS)
    try:
        assert faster.observer.timeout == serve.POLL_SECONDS == 0.1
        assert sorted(e.watch.raw_path for e in faster.observer.emitters) == sorted(
            e.watch.raw_path for e in server.observer.emitters
        )
        assert (faster.root, faster.mount_path, faster.builder) == (server.root, server.mount_path, server.builder)
    finally:
        faster.server_close()


# fingerprint: pages by name, everything else by (mtime, size) ----------------------------------


def make_tree(root: Path) -> None:
    for name, text in {
        "mkdocs.yml": "site_name: x\n",
        "references.bib": "",
        "docs/index.md": "# 首页\n",
        "docs/stylesheets/book.css": "body {}\n",
        "docs/code/a.py": "print(1)\n",
        "hooks/a.py": "",
        "hooks/__pycache__/a.cpython-311.pyc": "",
        ".cache/katex/x.html": "",
        "node_modules/katex/package.json": "{}",
        "site/index.html": "",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def stamp(root: Path) -> dict:
    return preview.fingerprint(root, root / "docs", [root, root / "hooks"], skip=root / "site")


def touch_later(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    later = max(time.time_ns(), before + 10**9)  # newer than the last build's outputs, even on coarse clocks
    os.utime(path, ns=(later, later))


def test_fingerprint_names_pages_and_stamps_other_inputs(tmp_path: Path):
    make_tree(tmp_path)
    found = stamp(tmp_path)
    assert found["docs/index.md"] is None
    assert set(found) == {"mkdocs.yml", "references.bib", "docs/index.md", "docs/stylesheets/book.css",
                          "docs/code/a.py", "hooks/a.py"}
    assert all(isinstance(found[n], tuple) for n in found if n != "docs/index.md")


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda r: touch_later(r / "docs/index.md", "# 首页\n\n改了。\n"), []),  # MkDocs rebuilds that page itself
        (lambda r: touch_later(r / "references.bib", "@misc{a2020b, url={x}}\n"), ["references.bib"]),
        (lambda r: touch_later(r / "docs/stylesheets/book.css", "body { color: red }\n"), ["docs/stylesheets/book.css"]),
        (lambda r: touch_later(r / "docs/code/a.py", "print(2)\n"), ["docs/code/a.py"]),
        (lambda r: touch_later(r / "hooks/a.py", "x = 1\n"), ["hooks/a.py"]),
        (lambda r: touch_later(r / "docs/new.md", "# 新\n"), ["docs/new.md"]),
        (lambda r: (r / "docs/index.md").unlink(), ["docs/index.md"]),
    ],
    ids=["page-saved", "bib", "stylesheet", "snippet", "hook", "page-added", "page-removed"],
)
def test_only_a_saved_page_keeps_the_fingerprint(tmp_path: Path, change, expected):
    make_tree(tmp_path)
    before = stamp(tmp_path)
    change(tmp_path)
    assert preview.changed_inputs(before, stamp(tmp_path)) == expected


# Unread pages get the title and anchors of their last rendering ----------------------------------


def book_files(tmp_path: Path) -> Files:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    files = []
    for name in ("index.md", "a.md", "b.md"):
        (docs / name).write_text(f"# {name}\n", encoding="utf-8")
        file = File(name, src_dir=str(docs), dest_dir=str(tmp_path / "site"), use_directory_urls=True)
        Page(None, file, {})  # Page reads only site_url and the edit settings from the config
        files.append(file)
    return Files(files)


def render(file: File, title: str, anchors: set[str]) -> None:
    file.page.markdown = f"# {title}"
    file.page._title_from_render = title
    file.page.present_anchor_ids = anchors


def test_unread_pages_get_their_last_title_and_anchors(tmp_path: Path, caplog):
    files, book = book_files(tmp_path), preview.Book()
    for file, title in zip(files, ("首页", "第一章", "第二章")):
        render(file, title, {f"{title}-1"})
    preview.record_pages(files, book)
    assert book.titles == {"index.md": "首页", "a.md": "第一章", "b.md": "第二章"}

    files = book_files(tmp_path)  # the next (dirty) build: only a.md is read
    render(files.get_file_from_path("a.md"), "第一章（新）", {"新"})
    unread = files.get_file_from_path("b.md").page
    assert unread.title is None and unread.present_anchor_ids is None  # what MkDocs leaves
    assert preview.restore_pages(files, book) == []
    assert unread.title == "第二章" and unread.present_anchor_ids == {"第二章-1"}
    assert files.get_file_from_path("a.md").page.title == "第一章（新）"  # the page read keeps its own
    preview.record_pages(files, book)
    assert book.titles["a.md"] == "第一章（新）" and book.anchors["a.md"] == {"新"}


def test_removed_pages_are_forgotten_and_unknown_pages_reported(tmp_path: Path):
    files, book = book_files(tmp_path), preview.Book()
    book.titles, book.anchors = {"gone.md": "旧", "a.md": "甲"}, {"gone.md": set(), "a.md": {"x"}}
    preview.record_pages(files, book)
    assert "gone.md" not in book.titles and "gone.md" not in book.anchors
    assert preview.restore_pages(files, book) == ["index.md", "b.md"]


def test_every_build_reuses_compiled_templates_and_never_a_stale_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(preview.STATE, "dirty", False)
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    sources = {"page.html": "<p>{{ x }}</p>"}

    def env() -> jinja2.Environment:  # a build's environment, as the hook leaves it
        return preview.on_env(jinja2.Environment(loader=jinja2.DictLoader(sources)), config=config, files=None)

    assert env().get_template("page.html").render(x=1) == "<p>1</p>"
    assert len(list((tmp_path / "cache" / "jinja").iterdir())) == 1  # compiled once, kept for the next build
    assert env().get_template("page.html").render(x=2) == "<p>2</p>"
    sources["page.html"] = "<div>{{ x }}</div>"  # an edited template: its checksum no longer matches
    assert env().get_template("page.html").render(x=3) == "<div>3</div>"


# Search index: entries of pages not rebuilt come from the previous index -------------------------


def test_search_entries_of_pages_not_rebuilt_are_kept_in_page_order():
    previous = [
        {"location": "", "title": "首页"},
        {"location": "a/", "title": "甲（旧）"},
        {"location": "a/#x", "title": "甲 x（旧）"},
        {"location": "b/", "title": "乙"},
        {"location": "gone/", "title": "已删除"},
    ]
    current = [{"location": "a/", "title": "甲"}, {"location": "references/", "title": "参考文献"}]
    merged = search.merge_entries(previous, current, {"a/", "references/"}, ["", "a/", "b/", "references/"])
    assert [e["title"] for e in merged] == ["首页", "甲", "乙", "参考文献"]
    assert search.page_url("a/#x") == "a/" and search.page_url("#x") == ""


# Bibliography: backlinks of every page, rendered in this build or an earlier one -----------------


def test_backlinks_come_from_every_page_in_build_order_each_section_once():
    one = bibliography.Citing("a/", "甲", "s1", "一节")
    citations = {
        "b.md": [("k2020x", bibliography.Citing("b/", "乙", "t", "节"))],
        "a.md": [("k2020x", one), ("k2020x", one), ("j2019y", one)],
        "gone.md": [("k2020x", bibliography.Citing("gone/", "已删除", "", ""))],
    }
    cited = bibliography.cited_by(citations, ["a.md", "b.md"])
    assert [c.url for c in cited["k2020x"]] == ["a/", "b/"]
    assert [c.url for c in cited["j2019y"]] == ["a/"]


# A dirty build equals a full build of the same sources -------------------------------------------

PAGES = {
    "index.md": "---\nchapter: 1\n---\n\n# 第一页\n\nBERT 与 GPT，引用[@vaswani2017attention]。\n\n## 小节\n\n正文。\n",
    "second.md": "# 第二页\n\n见[第一页的小节](index.md#小节)与[第三页](third.md#第三节)。\n",
    "third.md": "# 第三页\n\n## 第三节\n\n再引用[@vaswani2017attention]。\n",
}


def mini(minibook: MiniBook) -> MiniBook:
    for name, text in PAGES.items():
        minibook.page(name, text)
    return minibook


def in_process(book: MiniBook, site: Path, dirty: bool):
    """A build as `mkdocs build` makes it, or a rebuild as `make serve` (--dirty --no-strict) makes it."""
    config = load_config(str(book.root / "mkdocs.yml"), site_dir=str(site), **({"strict": False} if dirty else {}))
    if not dirty:
        config.plugins.on_startup(command="build", dirty=False)
    build(config, dirty=dirty)


def consume_dirty_warnings(caplog: pytest.LogCaptureFixture) -> None:
    """The warnings of dirty builds are MkDocs' own warning that a dirty build is one, and nothing else."""
    warnings = {r.getMessage() for r in caplog.get_records("call") if r.levelno == logging.WARNING}
    assert all(w.startswith("A 'dirty' build is being performed") for w in warnings), warnings
    caplog.clear()


@pytest.fixture
def cache_env(minibook: MiniBook, monkeypatch):
    monkeypatch.setenv("BOOK_CACHE_DIR", str(minibook.cache))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def start_dirty(book: MiniBook, site: Path) -> None:
    config = load_config(str(book.root / "mkdocs.yml"), site_dir=str(site), strict=False)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)


@pytest.mark.parametrize(
    "edit",
    [
        lambda b: touch_later(b.root / "docs/second.md", PAGES["second.md"] + "\n新的一段。\n"),
        lambda b: touch_later(b.root / "docs/third.md", PAGES["third.md"].replace("再引用[@vaswani2017attention]", "不再引用")),
        lambda b: touch_later(b.root / "references.bib", (b.root / "references.bib").read_text(encoding="utf-8")
                              .replace("Attention Is All You Need", "Attention Is Still All You Need")),
        lambda b: touch_later(b.root / "glossary.yml", (b.root / "glossary.yml").read_text(encoding="utf-8")
                              .replace("zh: 基于 Transformer 的双向编码器表示", "zh: 测试用的新名")),
        lambda b: touch_later(b.root / "docs/extra.css", "body {}\n"),
    ],
    ids=["page", "page-drops-citation", "bib", "glossary", "stylesheet"],
)
def test_a_dirty_build_equals_a_full_build(minibook: MiniBook, cache_env, tmp_path: Path, edit, caplog):
    book = mini(minibook)
    start_dirty(book, tmp_path / "dirty")
    edit(book)
    in_process(book, tmp_path / "dirty", dirty=True)
    consume_dirty_warnings(caplog)
    in_process(book, tmp_path / "full", dirty=False)
    skip = ("sitemap.xml", "sitemap.xml.gz")
    assert tree_digest(tmp_path / "dirty", skip) == tree_digest(tmp_path / "full", skip)


def test_a_broken_anchor_in_the_saved_page_still_fails(minibook: MiniBook, cache_env, tmp_path: Path, caplog):
    book = mini(minibook)
    start_dirty(book, tmp_path / "site")
    touch_later(book.root / "docs/second.md", "# 第二页\n\n见[第三页](third.md#没有这节)。\n")
    with pytest.raises(SystemExit):
        in_process(book, tmp_path / "site", dirty=True)
    assert "docs/second.md:3: anchor '#没有这节' does not exist in third.md" in caplog.text
    consume_dirty_warnings(caplog)


REBUILD = """
import json, os, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

project, tmp = Path(sys.argv[1]), Path(sys.argv[2])
chapter = project / "docs/course/part-1/lesson-01-definition.md"
site = tmp / "site"

def outputs():
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*.html")}

config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=False)
config.plugins.on_startup(command="serve", dirty=True)
build(config, dirty=True)  # the first build of a preview is a full one
before = outputs()
later = time.time_ns() + 10**9
chapter.write_text(chapter.read_text(encoding="utf-8") + "\\n\\n记号。\\n", encoding="utf-8")
os.utime(chapter, ns=(later, later))
build(load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=False), dirty=True)
after = outputs()
page = site / "course/part-1/lesson-01-definition/index.html"
print(json.dumps({"rewritten": sorted(n for n in after if after[n] != before.get(n)),
                  "shown": "记号。" in page.read_text(encoding="utf-8")}))
"""


def test_a_dirty_rebuild_of_the_book_rewrites_only_the_saved_chapter(tmp_path: Path):
    """The real book, in a fresh process (plugins are cached per process): after one chapter is saved,
    mkdocs' build(config, dirty=True) writes that chapter's page and no other page of the book's sources.
    How long that takes is the benchmark's to measure (make bench), not a test's."""
    project = tmp_path / "book"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "site", ".cache",
                                                                   "bench", "tests", "*.egg-info", ".pytest_cache"))
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    proc = subprocess.run(
        [sys.executable, "-c", REBUILD, str(project), str(tmp_path)], capture_output=True, text=True, encoding="utf-8",
        env={**BUILD_ENV, "BOOK_CACHE_DIR": str(tmp_path / "cache")}, timeout=500,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    # besides the chapter: the pages generated by hooks (MkDocs rebuilds generated files every time) and 404.html
    rewritten = ["404.html", "course/part-1/lesson-01-definition/index.html", "glossary/index.html", "references/index.html"]
    assert result == {"rewritten": rewritten, "shown": True}, result


# mkdocs serve --dirty, as make serve runs it -------------------------------------------------------


def fetch(port: int, path: str = "") -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def unlive(html: str) -> str:
    """A served page without the live-reload script's build counter."""
    return re.sub(r"livereload\([^)]*\)", "livereload()", html)


def test_make_serve_rebuilds_the_saved_page_and_keeps_the_book_whole(minibook: MiniBook, tmp_path: Path):
    assert "mkdocs serve --dirty --no-strict" in (ROOT / "Makefile").read_text(encoding="utf-8")
    book = mini(minibook)
    config = (book.root / "mkdocs.yml").read_text(encoding="utf-8")
    book.config(config + "watch:\n  - references.bib\n  - glossary.yml\n")  # as mkdocs.yml
    port = free_port()
    served = Served(
        [*MKDOCS, "serve", "--dirty", "--no-strict", "-f", str(book.root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        env={**BUILD_ENV, "BOOK_CACHE_DIR": str(book.cache)},
    )
    output = served.output

    try:
        assert served.wait_for("Serving on"), output()
        assert "第二页" in fetch(port, "second/")
        index_page = fetch(port)
        # 1. Save one chapter: that page changes, and only the saved pages are rebuilt.
        builds = served.count(Served.REBUILT)
        touch_later(book.root / "docs/second.md", PAGES["second.md"] + "\n记号甲。\n")
        assert served.rebuilt(since=builds), output()
        assert "记号甲" in fetch(port, "second/"), output()
        assert "Rebuilding only the pages saved since the last build" in output()
        assert "Aborted" not in output() and "Traceback" not in output(), output()
        assert unlive(fetch(port)) == unlive(index_page)  # the unedited page was not rewritten
        # The search index still holds the pages not rebuilt, once each.
        locations = [d["location"] for d in json.loads(fetch(port, "search/search_index.json"))["docs"]]
        assert "" in locations and "third/" in locations and "second/" in locations
        assert len(locations) == len(set(locations)), locations
        # The references page still lists the backlinks of the pages not rebuilt.
        references = fetch(port, "references/")
        cited = " ".join(re.findall(r'book-bibliography__cited">(.*?)</div>', references, re.S))
        assert ">第一页</a>" in cited and ">第三页 › 第三节</a>" in cited, cited
        # 2. The bibliography changes: every page citing it follows.
        bib = book.root / "references.bib"
        builds = served.count(Served.REBUILT)
        touch_later(bib, bib.read_text(encoding="utf-8").replace("All You Need", "All You Need Zebrafish"))
        assert served.rebuilt(since=builds), output()
        assert "zebrafish" in fetch(port, "third/").lower(), output()  # GB/T: sentence case
        assert "zebrafish" in fetch(port).lower() and "zebrafish" in fetch(port, "references/").lower()
        # 3. The glossary changes: the hover expansion of an unedited page follows.
        glossary = book.root / "glossary.yml"
        text = glossary.read_text(encoding="utf-8")
        assert re.search(r"- term: BERT\n  zh: [^\n]+\n  en: [^\n]+\n", text)
        builds = served.count(Served.REBUILT)
        touch_later(glossary, re.sub(r"(- term: BERT\n  zh: )[^\n]+", r"\1测试用的新名", text))
        assert served.rebuilt(since=builds), output()
        assert "测试用的新名" in fetch(port), output()
        assert "Rebuilding every page: glossary.yml changed" in output()
    finally:
        served.stop()
