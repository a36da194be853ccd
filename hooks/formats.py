"""The book's other forms, part of every site build: its version stamp, llms.txt and each page's Markdown.

- `book_stamp()` is the one function that says which edition a file is: the version of
  pyproject.toml and the build date (UTC; SOURCE_DATE_EPOCH when set, for reproducible builds).
  The site's footer (overrides/partials/copyright.html), the PDF's cover (scripts/pdf-cover.html),
  the EPUB (scripts/epub.py) and the slide decks (scripts/slides.py) all print what it returns.
- `llms.txt` at the site root (the llmstxt.org format: title, summary, then a list of links per
  part of the book) and `llms-full.txt` (every page's Markdown, one after another).
- Each page's Markdown beside its HTML (site/<page>/index.md): the text as the book's hooks and
  mkdocs-bibtex leave it just before it becomes HTML, so formulas are TeX (`$…$`, `$$…$$`), citation
  marks are footnotes whose text is the full reference (GB/T 7714), embedded code files are
  included, captions are numbered (图 N-k) and abbreviations carry their glossary definitions.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tomllib
from pathlib import Path

from _source import SNIPPET_RE, fences
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.formats")

ROOT = Path(__file__).resolve().parent.parent
UNKNOWN_VERSION = "0.0.0"
LLMS_TXT = "llms.txt"
LLMS_FULL = "llms-full.txt"
PAGE_MARKDOWN = "index.md"  # written beside each page's index.html

# markdown-katex's syntax (hooks/math.py writes it) back to the author's: $`x`$ -> $x$, ```math -> $$
INLINE_KATEX_RE = re.compile(r"\$`(?P<tex>[^`]*?)`\$")

MARKDOWN: dict[str, str] = {}  # src_uri -> the page's final Markdown
NAV: list[Section | Page] = []


def book_stamp(root: Path = ROOT, environ: dict[str, str] | None = None) -> dict[str, str]:
    """{'version': pyproject.toml's version, 'date': build date YYYY-MM-DD (UTC)}.

    SOURCE_DATE_EPOCH (seconds since 1970, reproducible-builds.org) fixes the date; without it the
    date is today's, in UTC, so that every output of one `make dist` carries the same stamp."""
    environ = os.environ if environ is None else environ
    try:
        version = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        version = UNKNOWN_VERSION
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else dt.datetime.now(dt.UTC)
    return {"version": str(version), "date": when.date().isoformat()}


def author_markdown(markdown: str, docs_dir: Path) -> str:
    """A page's Markdown as it goes to Python-Markdown, with the author's math syntax back and the
    embedded files (pymdownx.snippets `--8<-- "path"`, relative to docs/) included."""

    def snippet(m: re.Match[str]) -> str:
        path = docs_dir / m["path"]
        try:
            text = path.read_text(encoding="utf-8").rstrip("\n")
        except OSError:
            return m.group()
        return "\n".join(m["indent"] + line if line else line for line in text.split("\n"))

    lines = markdown.split("\n")
    for fence in reversed(fences(markdown)):  # the source model's fences: ```math ones become $$ … $$
        if fence.info == "math":
            lines[fence.start - 1 : fence.end] = [f"{fence.indent}$$", *fence.body, f"{fence.indent}$$"]
    markdown = "\n".join(lines)
    markdown = INLINE_KATEX_RE.sub(lambda m: f"${m['tex']}$", markdown)
    return SNIPPET_RE.sub(snippet, markdown)


DECK_SOURCES = ("course/part-", "articles/")  # pages that get a slide deck (scripts/slides.py)
PARTS = {"course/part-1/": "第一部分：大模型概述与理论基础", "articles/": "专题文章"}
DECKS_DIR = "slides"
CHANGELOG = "changelog.md"  # the home page's 引用本书 links it (a book without one gets no such section)


def deck_name(src_uri: str, meta: dict) -> str | None:
    """The name of a page's slide deck (site/slides/<name>.html), or None: lessons and articles get
    one unless their front matter says `slides: false`."""
    if meta.get("slides") is False or not src_uri.startswith(DECK_SOURCES) or not src_uri.endswith(".md"):
        return None
    if src_uri.rsplit("/", 1)[-1] == "index.md":
        return None
    return src_uri.rsplit("/", 1)[-1][: -len(".md")]


def part_name(src_uri: str) -> str:
    """The part of the book a page belongs to, for its deck's title slide (front matter `part:` overrides)."""
    return next((name for prefix, name in PARTS.items() if src_uri.startswith(prefix)), "")


def page_markdown_path(page: Page) -> str:
    """Where a page's Markdown goes in the site: beside its HTML (site/x/index.html -> site/x/index.md)."""
    dest = page.file.dest_uri
    folder = dest.rsplit("/", 1)[0] + "/" if "/" in dest else ""
    return folder + PAGE_MARKDOWN


def llms_txt(config: MkDocsConfig, nav: list[Section | Page], stamp: dict[str, str]) -> str:
    """llms.txt: an H1 with the book's name, a blockquote summary, notes, then an H2 list per nav section."""
    lines = [f"# {config.site_name}", "", f"> {config.site_description or ''}".rstrip(), ""]
    lines += [
        f"版本 {stamp['version']}，构建于 {stamp['date']}。每个页面的 Markdown 与其 HTML 并列"
        "（公式为 TeX，引用标记为脚注，脚注中是完整的参考文献）；全书的 Markdown 合在一起见 "
        f"[{LLMS_FULL}]({LLMS_FULL})。",
        "",
    ]

    def entry(page: Page) -> str:
        description = (page.meta.get("description") or "").strip()
        link = f"- [{page.title}]({page_markdown_path(page)})"
        return f"{link}: {description}" if description else link

    loose: list[str] = []
    for item in nav:
        if isinstance(item, Page):
            loose.append(entry(item))
        elif isinstance(item, Section):
            pages = _pages(item.children)
            if pages:
                lines += [f"## {item.title}", "", *map(entry, pages), ""]
    if loose:
        lines += ["## 全书", "", *loose, ""]
    return "\n".join(lines).rstrip() + "\n"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config_dir = Path(config.config_file_path).resolve().parent if config.config_file_path else ROOT
    stamp = book_stamp(config_dir)
    config.extra["book_version"] = stamp["version"]
    config.extra["book_date"] = stamp["date"]
    return config


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    MARKDOWN.clear()
    NAV[:] = nav.items
    return nav


def is_public(url: str) -> bool:
    """A site address worth citing: not the local preview's default of mkdocs.yml (SITE_URL unset)."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return url.startswith(("http:", "https:")) and host not in ("127.0.0.1", "localhost", "::1")


def cite_this_book(config: MkDocsConfig) -> str:
    """The home page's 引用本书 section: BibTeX and GB/T 7714-2015, with this build's version and date."""
    version, date = config.extra["book_version"], config.extra["book_date"]
    year = date[:4]
    url = config.site_url if is_public(config.site_url or "") else ""
    author = config.site_author or config.site_name
    url_field = f"\n  url      = {{{url}}},\n  urldate  = {{{date}}}," if url else ""
    url_text = f" {url}." if url else ""
    return f"""

## 引用本书

引用时请注明版本号：本书各版本的改动见[更新记录](changelog.md)，网站页脚、PDF 封面、EPUB 与幻灯片上印有同一个版本号和构建日期。

BibTeX：

```bibtex
@book{{llmbook{year},
  title    = {{{config.site_name}}},
  author   = {{{{{author}}}}},
  year     = {{{year}}},
  edition  = {{{version}}},{url_field}
  language = {{zh-CN}},
  note     = {{版本 {version}，构建于 {date}}},
}}
```

GB/T 7714—2015：

```text
{author}. {config.site_name}[M/OL]. {version} 版. {year}({date})[引用日期].{url_text}
```
"""


@event_priority(-100)  # last: after mkdocs-bibtex has turned citation marks into footnotes
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.is_homepage and files.get_file_from_path(CHANGELOG):
        markdown = markdown.rstrip("\n") + cite_this_book(config)
    MARKDOWN[page.file.src_uri] = author_markdown(markdown, Path(config.docs_dir))
    deck = deck_name(page.file.src_uri, page.meta)
    if deck:
        page.meta["deck"] = f"{DECKS_DIR}/{deck}"  # overrides/main.html links the deck and its PDF
    return markdown


BIBLIOGRAPHY_ITEM_RE = re.compile(r'<span class="book-bibliography__text">(?P<text>.*?)</span>', re.DOTALL)
LINK_RE = re.compile(r'<a href="(?P<href>[^"]*)"[^>]*>(?P<text>.*?)</a>', re.DOTALL)


def html_to_markdown_line(fragment: str) -> str:
    """A line of rendered reference text as Markdown: links kept, other tags dropped."""
    import html as html_lib

    def link(m: re.Match[str]) -> str:
        text = re.sub(r"<[^>]+>", "", m["text"])
        return f"\0{m['href']}\1" if text == m["href"] else f"[{text}]({m['href']})"

    fragment = LINK_RE.sub(link, fragment)
    text = html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))).strip()
    return text.replace("\0", "<").replace("\1", ">")


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """A list the page's template draws (the 参考文献 page's, from hooks/bibliography.py) is not in
    its Markdown: it is added to the Markdown from the HTML."""
    items = BIBLIOGRAPHY_ITEM_RE.findall(output)
    if items and page.file.src_uri in MARKDOWN:
        listing = "\n".join(f"{n}. {html_to_markdown_line(item)}" for n, item in enumerate(items, 1))
        MARKDOWN[page.file.src_uri] = MARKDOWN[page.file.src_uri].rstrip("\n") + "\n\n" + listing + "\n"
    return output


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    stamp = {"version": config.extra["book_version"], "date": config.extra["book_date"]}
    full = [f"# {config.site_name}", "", f"版本 {stamp['version']}，构建于 {stamp['date']}。", ""]
    for page in _pages(NAV):
        target = site / page_markdown_path(page)
        if page.file.src_uri in MARKDOWN:
            text = MARKDOWN[page.file.src_uri].strip() + "\n"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        elif target.is_file():  # a dirty build (make serve) leaves unsaved pages as they were built
            text = target.read_text(encoding="utf-8")
        else:
            continue
        full += [f"<!-- {page_markdown_path(page)} -->", "", text]
    (site / LLMS_TXT).write_text(llms_txt(config, NAV, stamp), encoding="utf-8")
    (site / LLMS_FULL).write_text("\n".join(full), encoding="utf-8")


def _pages(items: list[Section | Page]) -> list[Page]:
    found: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            found.append(item)
        elif isinstance(item, Section):
            found += _pages(item.children)
    return found
