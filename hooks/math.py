"""Math at build time: `$…$`/`$$…$$` become markdown-katex syntax, checked and pre-rendered in one KaTeX batch."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import _katex
from _config import cache_dir, node_modules, npm_version, project_root
from _source import Source, body_and_offset, code_lines, fail, fences, unclosed_fence
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.math")

FENCE_MARK_RE = re.compile(r"[ \t>]*(`{3,}|~{3,})")
BACKTICKS_RE = re.compile(r"`+")


# Data -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """One formula as markdown-katex will see it: its exact TeX input and CLI arguments."""

    tex: str
    display: bool
    line: int  # 1-based, in the Markdown body (add the front-matter offset for the file's line)


@dataclass
class Conversion:
    markdown: str
    formulas: list[Formula] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (body line, message)


# Conversion: the usual TeX delimiters -> markdown-katex's syntax -------------------------------


def block_input(lines: list[str]) -> str:
    """The TeX markdown-katex extracts from a ```math fence (its own cleaning, reused)."""
    indent = len(lines[0]) - len(lines[0].lstrip())
    block_text = "\n".join(line[indent:] for line in lines).rstrip()
    text = _katex.clean_block(block_text)
    header, rest = text.split("\n", 1)
    return rest if "{" in header and "}" in header else text


def fence_for(tex_lines: list[str], indent: str) -> list[str]:
    """A ```math fence holding display TeX, indented like the source."""
    return [f"{indent}```math", *(f"{indent}{line}" for line in tex_lines), f"{indent}```"]


def convert_inline(line: str, lineno: int, result: Conversion) -> str:
    """Convert `$…$` (and `$$…$$` inside a line) outside code spans; `\\$` becomes a literal dollar."""
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if char == "\\" and i + 1 < n and line[i + 1] == "$":
            out.append("&#36;")
            i += 2
        elif char == "`":
            run = BACKTICKS_RE.match(line, i).group()
            close = line.find(run, i + len(run))
            while close != -1 and close + len(run) < n and line[close + len(run)] == "`":
                close = line.find(run, close + len(run) + 1)
            if close == -1:
                out.append(run)
                i += len(run)
                continue
            end = close + len(run)
            if i > 0 and line[i - 1] == "$" and end < n and line[end] == "$" and out and out[-1] == "$":
                # markdown-katex's own inline syntax $`…`$: keep it, and pre-render it.
                result.formulas.append(Formula(line[i + len(run) : close], False, lineno))
                end += 1  # the closing $
            out.append(line[i:end])
            i = end
        elif char == "$":
            display = line.startswith("$$", i)
            if i + 1 < n and line[i + 1] == "`" and not display:
                out.append("$")  # opening of markdown-katex's $`…`$
                i += 1
                continue
            width = 2 if display else 1
            close = find_closing_dollar(line, i + width, display)
            tex = line[i + width : close] if close != -1 else ""
            if close == -1 or not tex.strip() or (not display and (tex[0].isspace() or tex[-1].isspace())):
                result.errors.append(
                    (lineno, f"unmatched or empty '{'$$' if display else '$'}' (write \\$ for a literal dollar sign)")
                )
                out.append(line[i:])
                break
            if display:
                tex = r"\displaystyle " + tex.strip()
            result.formulas.append(Formula(tex, False, lineno))
            out.append(f"$``{tex}``$" if "`" in tex else f"$`{tex}`$")  # markdown-katex's inline syntax
            i = close + width
        else:
            out.append(char)
            i += 1
    return "".join(out)


def find_closing_dollar(line: str, start: int, display: bool) -> int:
    """Index of the `$` (or `$$`) closing a formula opened before `start`, or -1."""
    i = start
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == "$":
            if display:
                return i if line.startswith("$$", i) else -1
            if i + 1 < len(line) and line[i + 1].isdigit():
                return -1  # pandoc's rule: "$5 and $10" is not math
            return i
        i += 1
    return -1


def convert(markdown: str) -> Conversion:
    """Rewrite a page body's math into markdown-katex syntax and list every formula it holds."""
    result = Conversion(markdown)
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    found = {fence.start: fence for fence in fences(markdown)}
    code, unclosed = code_lines(markdown), unclosed_fence(markdown)
    while i < len(lines):
        line, lineno = lines[i], i + 1
        stripped = line.strip()
        if lineno in found:
            fence = found[lineno]
            if fence.info.startswith("math"):
                result.formulas.append(Formula(block_input(lines[i : fence.end]), True, lineno))
            out.extend(lines[i : fence.end])
            i = fence.end
        elif lineno == unclosed:
            result.errors.append((lineno, f"code fence {FENCE_MARK_RE.match(line)[1]!r} is never closed"))
            out.extend(lines[i:])
            break
        elif lineno in code:
            out.append(line)
            i += 1
        elif stripped.startswith("$$") and not stripped.startswith("$$`"):
            indent = line[: len(line) - len(line.lstrip())]
            body = stripped[2:]
            if body.endswith("$$") and body.strip() != "":
                tex_lines, i = [body[:-2].strip()], i + 1
            else:
                end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip().endswith("$$")), None)
                if end is None:
                    result.errors.append((lineno, "display math '$$' is never closed"))
                    out.extend(lines[i:])
                    break
                last = lines[end].rstrip()[:-2]
                inner = [body] + [l[len(indent) :] if l.startswith(indent) else l.lstrip() for l in lines[i + 1 : end]]
                inner.append(last[len(indent) :] if last.startswith(indent) else last.lstrip())
                tex_lines = [l for l in inner if l.strip()] or [""]
                i = end + 1
            if not "".join(tex_lines).strip():
                result.errors.append((lineno, "empty display math '$$ $$'"))
                continue
            fenced = fence_for(tex_lines, indent)
            result.formulas.append(Formula(block_input(fenced), True, lineno))
            out.extend(fenced)
        else:
            out.append(convert_inline(line, lineno, result) if "$" in line else line)
            i += 1
    result.markdown = "\n".join(out)
    return result


# Rendering: one KaTeX process for every formula not yet in markdown-katex's cache (hooks/_katex.py) --


def render_batch(formulas: list[Formula], script: Path) -> list[dict[str, str]]:
    """Render formulas with the pinned KaTeX in one Node process: [{'html'} | {'error'}]."""
    jobs = [{"tex": f.tex, "args": ["--display-mode"] if f.display else []} for f in formulas]
    proc = subprocess.run(
        ["node", str(script)], input=json.dumps(jobs), capture_output=True, text=True, encoding="utf-8"
    )
    if proc.returncode != 0:
        raise PluginError(f"KaTeX batch renderer failed ({script}): {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout)


def prerender(sources: dict[str, tuple[int, list[Formula]]], script: Path) -> list[str]:
    """Fill the cache for every missing formula; return author errors as 'file:line: message'."""
    pending: dict[Path, tuple[str, int, Formula]] = {}
    for src, (offset, formulas) in sources.items():
        for formula in formulas:
            pending.setdefault(_katex.cache_path(formula.tex, formula.display), (src, offset, formula))
    missing = [(path, *item) for path, item in pending.items() if not path.exists()]
    if not missing:
        return []
    log.debug("KaTeX: rendering %d formula(s) in one batch", len(missing))
    errors = []
    for (path, src, offset, formula), result in zip(missing, render_batch([m[3] for m in missing], script)):
        if "error" in result:
            tex, message = " ".join(formula.tex.split()), " ".join(result["error"].split())
            errors.append(f"{src}:{formula.line + offset}: invalid TeX '{tex}': {message}")
        else:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(result["html"], encoding="utf-8")
            tmp.replace(path)
    return errors


def render_script(config: MkDocsConfig) -> Path:
    return project_root(config) / "scripts" / "katex-render.cjs"


def register_extension(config: MkDocsConfig, cache: Path) -> None:
    """Add markdown-katex to the Markdown extensions, once it points at the pinned KaTeX.

    Listed in mkdocs.yml, it would be instantiated while the config is validated — before this
    hook runs — and probe npx and its bundled KaTeX 0.15 binary at every build (2.5 s here).
    """
    if _katex.NAME in config.markdown_extensions:
        raise PluginError(f"mkdocs.yml: remove {_katex.NAME} from markdown_extensions: hooks/math.py adds it")
    if not any(_katex.is_extension(e) for e in config.markdown_extensions):
        config.markdown_extensions.append(_katex.extension(cache))


# Events: on_config points markdown-katex at the pinned KaTeX, on_files checks and renders the whole
# book, on_page_markdown rewrites each page (priority 100: before other plugins add text) ----------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _katex.check_version()
    modules = node_modules(config)
    cache = cache_dir(config, "katex") / npm_version(modules, "katex")  # a new KaTeX renders everything anew
    _katex.configure(cache, modules / "katex" / "cli.js")
    register_extension(config, cache)
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Check and pre-render the whole book's math in one KaTeX process."""
    sources: dict[str, tuple[int, list[Formula]]] = {}
    errors: list[str] = []
    for file in files.documentation_pages():
        source = Source.of(file, config)
        conversion = convert(body_and_offset(file.content_string)[0])
        sources[source.name] = (source.offset, conversion.formulas)
        errors += [f"{source.at(line)}: {message}" for line, message in conversion.errors]
    errors += prerender(sources, render_script(config))
    fail("Math", errors)
    return files


@event_priority(100)  # before any plugin that adds text to the page
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    conversion = convert(markdown)
    source: Source = page.meta["source"]
    fail("Math", [f"{source.at(line)}: {message}" for line, message in conversion.errors])
    fail("Math", prerender({source.name: (source.offset, conversion.formulas)}, render_script(config)))
    page.meta["math"] = bool(conversion.formulas)
    return conversion.markdown
