"""The glossary: glossary.yml becomes the 术语表 page, hover expansions of abbreviations, and a terminology check."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import yaml
from _config import project_root
from _source import Source, fail, prose, without_code_spans
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

GLOSSARY_FILE = "glossary.yml"
GLOSSARY_PAGE = "glossary.md"
REQUIRED = ("term", "zh", "en", "definition")
ABBR_RE = re.compile(r"^[A-Za-z][A-Za-z0-9\-./]*$")
QUOTED_RE = re.compile(r"「[^」]*」|“[^”]*”")  # quotations of the sources may keep their wording


@dataclass(frozen=True)
class Term:
    term: str
    zh: str
    en: str
    definition: str
    avoid: tuple[str, ...] = field(default=())
    line: int = 0

    @property
    def is_abbreviation(self) -> bool:
        """Latin-letter terms (GPT, BERT, FP16) get a hover expansion wherever they appear."""
        return bool(ABBR_RE.match(self.term))


def parse_yaml(text: str) -> tuple[yaml.Node | None, object]:
    """The document's node tree (for line numbers) and the data built from that same tree (one parse)."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return root, None if root is None else loader.construct_document(root)
    finally:
        loader.dispose()


@functools.lru_cache(maxsize=4)  # the preview rebuilds often; glossary.yml rarely changes
def load_terms(text: str, name: str) -> list[Term]:
    """Parse glossary.yml (a list of mappings), raising PluginError('name:line: …') on mistakes."""
    try:
        root, items = parse_yaml(text)
    except yaml.YAMLError as error:
        raise PluginError(f"{name}: invalid YAML: {error}") from None
    if root is None or not isinstance(root, yaml.SequenceNode):
        raise PluginError(f"{name}:1: the glossary must be a YAML list of terms")
    terms, seen = [], {}
    for node, data in zip(root.value, items):
        line = node.start_mark.line + 1
        if not isinstance(data, dict):
            raise PluginError(f"{name}:{line}: each term is a mapping with {', '.join(REQUIRED)}")
        missing = [key for key in REQUIRED if not str(data.get(key, "")).strip()]
        if missing:
            raise PluginError(f"{name}:{line}: term {data.get('term')!r} lacks {', '.join(missing)}")
        unknown = set(data) - {*REQUIRED, "avoid"}
        if unknown:
            raise PluginError(f"{name}:{line}: unknown field(s) {', '.join(sorted(unknown))}")
        term = str(data["term"]).strip()
        if term in seen:
            raise PluginError(f"{name}:{line}: term {term!r} is defined twice (first at line {seen[term]})")
        seen[term] = line
        avoid = tuple(str(a) for a in data.get("avoid") or ())
        terms.append(Term(term, str(data["zh"]).strip(), str(data["en"]).strip(), str(data["definition"]).strip(), avoid, line))
    return terms


def expansion(term: Term) -> str:
    """The hover text of an abbreviation: Chinese name and English expansion."""
    return term.zh if term.zh == term.en else f"{term.zh}（{term.en}）"


def abbreviations(terms: list[Term]) -> str:
    """Python-Markdown abbr definitions for every abbreviation term."""
    return "\n".join(f"*[{t.term}]: {expansion(t)}" for t in terms if t.is_abbreviation)


def glossary_markdown(terms: list[Term]) -> str:
    """The 术语表 page: terms sorted case-insensitively, as a definition list."""
    lines = [
        "---",
        "title: 术语表",
        "description: 全书使用的术语与缩写：中文名、英文全称与一句话定义。",
        "---",
        "",
        "# 术语表",
        "",
        "本表收录全书使用的术语与缩写。正文中出现表中的英文缩写时，把鼠标移到它上面（手机上轻点）即可看到它的中文名和英文全称。",
        "",
    ]
    for t in sorted(terms, key=lambda t: t.term.lower()):
        name = t.term if t.term == t.zh else f"{t.term}（{t.zh}）"
        lines += [f"**{name}**", f":   {t.en}。{t.definition}", ""]
    return "\n".join(lines)


def variant_uses(markdown: str, terms: list[Term]) -> list[tuple[int, str, str]]:
    """(body line, variant, preferred term) for every discouraged variant outside code and quotations."""
    found = []
    for lineno, line in prose(markdown):
        text = QUOTED_RE.sub("", without_code_spans(line))
        found += [(lineno, v, t.zh) for t in terms for v in t.avoid if v in text]
    return found


# Events -----------------------------------------------------------------------------------------

TERMS: list[Term] = []


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    path = project_root(config) / GLOSSARY_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PluginError(f"{GLOSSARY_FILE} is missing beside mkdocs.yml") from None
    TERMS[:] = load_terms(text, GLOSSARY_FILE)
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    if files.get_file_from_path(GLOSSARY_PAGE) is None:
        files.append(File.generated(config, GLOSSARY_PAGE, content=glossary_markdown(TERMS)))
    return files


@event_priority(110)  # on the author's lines, before math changes them
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.abs_src_path:
        source: Source = page.meta["source"]
        fail("Terminology", [f"{source.at(line)}: write {good!r}, not {bad!r}" for line, bad, good in variant_uses(markdown, TERMS)])
    return f"{markdown}\n\n{abbreviations(TERMS)}\n"
