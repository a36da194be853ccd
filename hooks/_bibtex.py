"""The one adapter to mkdocs-bibtex's internals (its pandoc registry has no public way to be fed or answered).

hooks/bibliography.py formats every reference once per .bib (two pandoc runs, cached) and
answers mkdocs-bibtex's own pandoc call from that; mkdocs-bibtex (unmaintained: its README says so)
offers no hook for it. Everything it needs of mkdocs-bibtex's registry — its pandoc call, the BibTeX
it hands pandoc — is reached here and nowhere else, for the one version this was written for.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from _config import require_version
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs_bibtex.citation import Citation, CitationBlock

PACKAGE, VERSION = "mkdocs-bibtex", "4.4.0"
Answer = Callable[[list[CitationBlock]], dict[str, str]]  # citation blocks -> {key: reference text}


def check_version() -> None:
    """Stop the build on a mkdocs-bibtex this adapter was not written for."""
    require_version(PACKAGE, VERSION, "hooks/_bibtex.py (its pandoc registry)")


def plugin(config: MkDocsConfig):
    """The mkdocs-bibtex plugin of this build."""
    found = config.plugins.get("bibtex")
    if found is None:
        raise PluginError("hooks/bibliography.py needs the mkdocs-bibtex plugin (plugins: - bibtex)")
    return found


def citations(text: str) -> list[Citation]:
    """The citations mkdocs-bibtex reads in the text of one [...] block."""
    return Citation.from_markdown(text)


def blocks(keys: list[str]) -> list[CitationBlock]:
    """One citation block per key."""
    return [CitationBlock(citations=[Citation(key=key)]) for key in keys]


def pandoc(registry, bib_text: str) -> Callable[[str, list[str]], dict[str, str]]:
    """mkdocs-bibtex's own pandoc call, as `(csl file, keys) -> {key: reference}`, on the author's BibTeX.

    mkdocs-bibtex re-serialises the entries through pybtex, which mangles URLs (~ -> \\textasciitilde):
    the registry is handed the .bib text itself. Each call runs on a copy of the registry (the style is
    an attribute of it), so two may run at once.
    """
    registry.__dict__["bib_data_bibtex"] = bib_text  # a functools.cached_property of the registry
    process = getattr(registry._process_with_pandoc, "original", registry._process_with_pandoc)

    def run(csl_file: str, keys: list[str]) -> dict[str, str]:
        styled = copy.copy(registry)
        styled.csl_file = csl_file
        return process.__func__(styled, blocks(keys))[1]

    return run


def answer(registry, references: Answer) -> None:
    """Make the registry answer its pandoc call with `references`."""
    process = getattr(registry._process_with_pandoc, "original", registry._process_with_pandoc)

    def formatted(citation_blocks: list[CitationBlock]) -> tuple[dict, dict[str, str]]:
        return {}, references(citation_blocks)

    formatted.original = process
    registry._process_with_pandoc = formatted


def references(registry, keys: list[str]) -> dict[str, str]:
    """The formatted reference of each key, through the registry (answered by `answer`)."""
    return registry._process_with_pandoc(blocks(keys))[1]
