"""The search index: formulas kept out of it, Chinese segmentation remembered, merged in previews, written as UTF-8."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.search-index")

KATEX_OPEN = '<span class="katex">'  # how every formula KaTeX renders begins
SPAN_TAG_RE = re.compile(r"<span\b|</span>")
# Where a formula stands while the search plugin reads the page: MathML, TeX and glyphs run together
# are no search text, and the indexer's HTML parser would spend most of the build on KaTeX's spans.
FORMULA_START, FORMULA_END = '<span data-search-exclude data-formula="', '"></span>'
FORMULA_RE = re.compile(re.escape(FORMULA_START) + r"(?P<index>\d+)" + re.escape(FORMULA_END))
INDEX = Path("search") / "search_index.json"
# Where a text stands in the index while the jieba process cuts it (private-use characters: never in a page)
CUT_START, CUT_END = "\ue000", "\ue001"
CUT_RE = re.compile(CUT_START + r"(?P<index>\d+)" + CUT_END)


@dataclass
class State:
    """A dirty build (preview) indexes only the pages it rebuilds; the others' entries come from the last index."""

    dirty: bool = False
    previous: list[dict] = field(default_factory=list)  # entries of the index the last build wrote
    rebuilt: set[str] = field(default_factory=set)  # URLs of the pages this build indexed
    pages: list[str] = field(default_factory=list)  # URLs of every page, in build order


class Cutter:
    """jieba in a process of its own (scripts/jieba-cut.py): loading its dictionary (half a second) and
    cutting take another core, not the build's thread, which the build needs all the time. Texts are
    sent as the build meets them, and cut as they come; their words are read once, at the end."""

    def __init__(self, script: Path, settings: dict[str, str | None]) -> None:
        self.script = script
        self.process = subprocess.Popen(
            # niced: it has until the end of the build, while the build's thread and KaTeX hold it up now
            ["nice", "-n", "10", sys.executable, str(script), json.dumps(settings)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self.count = 0
        self.outbox: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        threading.Thread(target=self.send, daemon=True).start()  # the build never waits on the pipe

    def ask(self, text: str) -> int:
        """Have a text cut; its number among the answers of words()."""
        self.outbox.put(text)
        self.count += 1
        return self.count - 1

    def send(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # the process has ended: words() reports why
            while (text := self.outbox.get()) is not None:
                self.process.stdin.write(json.dumps(text, ensure_ascii=False) + "\n")
                if self.outbox.empty():
                    self.process.stdin.flush()
            self.process.stdin.close()

    def words(self) -> list[list[str]]:
        """The words of every text asked for, in order; waits for the last cuts."""
        self.outbox.put(None)
        answers, stderr = self.process.stdout.read(), self.process.stderr.read()  # jieba says four lines on stderr
        lines = answers.splitlines()
        if self.process.wait() != 0 or len(lines) != self.count:
            said = stderr.strip().splitlines()[-1:] or [f"exit status {self.process.returncode}"]  # the error, not its traceback
            raise PluginError(f"jieba process failed ({self.script}): {said[0]}")
        return [json.loads(line) for line in lines]

    def close(self) -> None:
        """The build failed: no more texts. The process is left to finish (it may be writing jieba's
        dictionary cache): the sender closes its stdin, and its answers are read and dropped."""
        self.outbox.put(None)
        with contextlib.suppress(OSError, ValueError):
            self.process.stdout.read()
            self.process.stderr.read()
        self.process.wait()


class CutMemo:
    """jieba, with the answers of jieba.cut remembered: the same text is always cut the same way.

    Material's search plugin cuts every run of Chinese characters of every page at every build;
    with the answers kept in the cache folder, a warm build neither loads jieba's dictionary
    (half a second) nor cuts. A build that starts with nothing remembered (a first build) has every
    text cut by a Cutter started at once: the index holds a placeholder for each text until its words
    come back (words_for). Other builds cut the few new texts here (a preview keeps jieba loaded
    between rebuilds). Everything but cut() goes to jieba itself.
    """

    def __init__(self, jieba, known: dict[str, list[str]], cutter: Callable[[], Cutter] | None = None) -> None:
        self.jieba, self.known, self.added = jieba, known, 0
        self.used: set[str] = set()  # what this build asked for
        self.cutter = cutter() if cutter is not None else None
        self.asked: dict[str, int] = {}  # texts sent to the cutter -> their number

    def cut(self, sentence, *args, **kwargs):
        if args or kwargs:
            return self.jieba.cut(sentence, *args, **kwargs)
        key = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence
        self.used.add(key)
        words = self.known.get(key)
        if words is not None:
            return words
        if self.cutter is None:
            words = self.known[key] = list(self.jieba.cut(sentence))
            self.added += 1
            return words
        if key not in self.asked:
            self.asked[key] = self.cutter.ask(key)
        return [f"{CUT_START}{self.asked[key]}{CUT_END}"]

    def words_for(self) -> Callable[[str], str]:
        """Collect the cutter's words (remembered from now on); a function putting them in place of the
        placeholders of a text, joined as Material's search plugin joins words (zero-width spaces)."""
        if self.cutter is None:
            return lambda text: text
        words, self.cutter = self.cutter.words(), None
        for key, number in self.asked.items():
            self.known[key] = words[number]
        self.added += len(self.asked)
        joined = ["\u200b".join(w) for w in words]
        return lambda text: CUT_RE.sub(lambda match: joined[int(match["index"])], text)

    def __getattr__(self, name: str):
        return getattr(self.jieba, name)

    def kept(self, whole_book: bool) -> dict[str, list[str]] | None:
        """What to write back, or None when the file is up to date. After a build of the whole book,
        only what it used: text that was edited away does not stay in the cache for ever."""
        if whole_book and len(self.used) < len(self.known):
            return {key: words for key, words in self.known.items() if key in self.used}
        return self.known if self.added else None


def memo_file(cache: Path, jieba_version: str, search_config: dict) -> Path:
    """Where the cuts are kept: one file per jieba version and dictionary setting."""
    dictionaries = [str(search_config.get(key) or "") for key in ("jieba_dict", "jieba_dict_user")]
    stamps = [f"{os.path.getmtime(d)}" if d and os.path.isfile(d) else "" for d in dictionaries]
    name = "-".join(["jieba", jieba_version, *(f"{d}@{s}" for d, s in zip(dictionaries, stamps) if d)])
    return cache / "search" / (re.sub(r"[^\w.@-]+", "_", name) + ".json")


STATE = State()
MEMO: tuple[CutMemo, Path] | None = None
FORMULAS: dict[str, list[str]] = {}  # page src_uri -> its formulas, between on_page_content and on_post_page


def stash_formulas(html: str) -> tuple[str, list[str]]:
    """Every rendered formula swapped for a numbered placeholder; the formulas, in order."""
    parts, formulas, position = [], [], 0
    while (start := html.find(KATEX_OPEN, position)) != -1:
        depth, end = 0, -1
        for tag in SPAN_TAG_RE.finditer(html, start):
            depth += 1 if tag.group() == "<span" else -1
            if depth == 0:
                end = tag.end()
                break
        if end == -1:  # not closed: leave the rest as it is
            break
        parts += [html[position:start], f"{FORMULA_START}{len(formulas)}{FORMULA_END}"]
        formulas.append(html[start:end])
        position = end
    parts.append(html[position:])
    return "".join(parts), formulas


def restore_formulas(html: str, formulas: list[str]) -> str:
    return FORMULA_RE.sub(lambda match: formulas[int(match["index"])], html)


def index_text(index: dict) -> str:
    """The index as written: UTF-8 without \\uXXXX escapes (Chinese takes 3 bytes a character instead of 6)."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def as_utf8(index_json: str) -> str:
    """The same index without \\uXXXX escapes."""
    return index_text(json.loads(index_json))


def page_url(location: str) -> str:
    """The page an index entry belongs to ("a/#b" -> "a/")."""
    return location.partition("#")[0]


def merge_entries(previous: list[dict], current: list[dict], rebuilt: set[str], pages: list[str]) -> list[dict]:
    """This build's entries plus the previous ones of pages it did not rebuild, in page order (as a full build)."""
    order = {url: i for i, url in enumerate(pages)}
    kept = [e for e in previous if page_url(e["location"]) in order and page_url(e["location"]) not in rebuilt]
    return sorted(kept + current, key=lambda e: order.get(page_url(e["location"]), len(order)))


def on_startup(*, command: str, dirty: bool) -> None:
    STATE.dirty = dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Put the memo in front of jieba where Material's search plugin calls it."""
    global MEMO
    MEMO = None
    plugin = config.plugins.get("material/search")
    module = sys.modules.get("material.plugins.search.plugin")
    if plugin is None or module is None or getattr(module, "jieba", None) is None:
        return config
    jieba = module.jieba.jieba if isinstance(module.jieba, CutMemo) else module.jieba
    root = Path(config.config_file_path).resolve().parent
    path = memo_file(Path(os.environ.get("BOOK_CACHE_DIR", root / ".cache")), jieba.__version__, plugin.config)
    known = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    settings = {"dictionary": plugin.config.jieba_dict, "user_dictionary": plugin.config.jieba_dict_user}
    settings = {key: os.path.normpath(value) if value else None for key, value in settings.items()}  # as Material does
    cutter = None if known else lambda: Cutter(root / "scripts" / "jieba-cut.py", settings)
    module.jieba = CutMemo(jieba, known, cutter)
    MEMO = (module.jieba, path)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    STATE.previous, STATE.rebuilt = [], set()
    if not STATE.dirty:
        return
    path = Path(config.site_dir) / INDEX
    if path.is_file():
        STATE.previous = json.loads(path.read_text(encoding="utf-8"))["docs"]
    # Material merges with its own previous index under --dirty, assuming one page per rebuild;
    # this hook merges instead (generated pages are rebuilt every time, so there are several).
    plugin = config.plugins.get("material/search")
    if plugin is not None and hasattr(plugin, "search_index_prev"):
        plugin.search_index_prev = None


def on_env(env, *, config: MkDocsConfig, files: Files):
    STATE.pages = [file.page.url for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve) if file.page]
    return env


@event_priority(-90)  # after every hook that reads the page's formulas
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if config.plugins.get("material/search") is None or KATEX_OPEN not in html:
        return html
    html, FORMULAS[page.file.src_uri] = stash_formulas(html)
    return html


@event_priority(100)  # the finished page gets its formulas back before anything else reads it
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    formulas = FORMULAS.pop(page.file.src_uri, None)
    return output if formulas is None else restore_formulas(output, formulas)


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    STATE.rebuilt.add(page.url)
    return context


def fill_words(index: dict, words_for: Callable[[str], str]) -> dict:
    """The index with the words of every text the cutter cut in place of its placeholder."""
    for entry in index["docs"]:
        entry["title"], entry["text"] = words_for(entry["title"]), words_for(entry["text"])
    return index


@event_priority(-50)  # after Material's search plugin wrote the index, before its offline copy (-100)
def on_post_build(config: MkDocsConfig) -> None:
    words_for = MEMO[0].words_for() if MEMO is not None else None
    if MEMO is not None and (kept := MEMO[0].kept(whole_book=not STATE.dirty)) is not None:
        MEMO[1].parent.mkdir(parents=True, exist_ok=True)
        MEMO[1].write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    path = Path(config.site_dir) / INDEX
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    if words_for is not None:
        index = fill_words(index, words_for)
    if STATE.dirty:
        index["docs"] = merge_entries(STATE.previous, index["docs"], STATE.rebuilt, STATE.pages)
    path.write_text(index_text(index), encoding="utf-8")


def on_build_error(error: Exception) -> None:
    if MEMO is not None and MEMO[0].cutter is not None:
        MEMO[0].cutter.close()
