"""The book's one adapter to mkdocs-print-site-plugin's internals, for the PDF build (mkdocs.pdf.yml).

It is listed in mkdocs.yml's hooks and does nothing without the print-site plugin, so mkdocs.pdf.yml
adds the plugin and repeats no hook. It reaches into print-site 2.9 (the `page.html` it combines,
its print page's meta, its urls module) and stops on another version: check these and update
WRITTEN_FOR. The print page is one page made of every chapter's HTML. This hook makes it match the site:

- each chapter is taken *after* every book hook has run (print-site keeps a copy in its own
  on_page_content, before hooks/captions.py numbers the captions "图 N-k");
- the 参考文献 page keeps its list, which references.html renders from hooks/bibliography.py's
  context (print-site only keeps page content, never what a template adds): the page's article,
  as the theme rendered it, is what print-site gets;
- the print page is flagged like a page with math and diagrams, so overrides/main.html loads
  KaTeX's stylesheet and Mermaid on it;
- `click` links of Mermaid diagrams point into the print page, like the links print-site rewrites
  (it only rewrites <a href>, and a diagram's links are drawn from its source by the browser);
- print-site's anchor renaming (quadratic on KaTeX's long lines: 70 s for this book) is replaced
  by one linear substitution with the same result.
"""

from __future__ import annotations

import re
from importlib.metadata import version

import mkdocs_print_site_plugin.urls as print_site_urls
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs_print_site_plugin.urls import get_page_key, get_url_from_root, is_external

PLUGIN = "print-site"
WRITTEN_FOR = "2.9"  # mkdocs-print-site-plugin
REFERENCES_PAGE = "references.md"
# The tags whose id print-site prefixes with the page key (its change_tags), one pass.
ANCHOR_ID_RE = re.compile(r'<(?P<tag>h[1-6]|sup|li)(?P<attrs>\s[^>]*?\bid=")(?P<id>[^"]*)"', re.IGNORECASE)
# The theme's article (Material's base.html): what the page template's content block rendered
ARTICLE_RE = re.compile(r'<article class="md-content__inner md-typeset">(?P<content>.*?)</article>', re.DOTALL)
DIAGRAM_RE = re.compile(r'<div class="mermaid"[^>]*><template shadowrootmode="open">.*?</template></div>', re.DOTALL)
# The link of a `click` line in a drawn diagram (hooks/mermaid.py: a URL relative to the page)
CLICK_RE = re.compile(r'(?P<head><a xlink:href=)"(?P<url>[^"]*)"')


def update_anchor_ids(page_html: str, page_key: str) -> str:
    """print-site's update_anchor_ids in linear time: id="x" becomes id="<page_key>-x" on h1-h6, sup, li."""
    return ANCHOR_ID_RE.sub(lambda m: f'<{m["tag"]}{m["attrs"]}{page_key}-{m["id"]}"', page_html)


def print_anchor(url: str, page_url: str) -> str:
    """A site URL relative to a page, as print-site writes it inside the print page ('#page-key-anchor')."""
    if not url or url.startswith("#") or is_external(url):
        return url
    path, _, anchor = get_url_from_root(url, page_url).partition("#")
    return "#" + get_page_key(path) + (f"-{anchor}" if anchor else "")


def diagram_links(html: str, page_url: str) -> str:
    """Point the `click` links of every Mermaid diagram of a page into the print page."""

    def clicks(diagram: re.Match[str]) -> str:
        return CLICK_RE.sub(lambda m: f'{m["head"]}"{print_anchor(m["url"], page_url)}"', diagram.group())

    return DIAGRAM_RE.sub(clicks, html)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:  # the site's build
        return config
    if version("mkdocs-print-site-plugin") != WRITTEN_FOR:
        raise PluginError(
            f"scripts/pdf_hook.py was written for mkdocs-print-site-plugin {WRITTEN_FOR}, not "
            f"{version('mkdocs-print-site-plugin')}: check what it reaches into and update WRITTEN_FOR"
        )
    print_site_urls.update_anchor_ids = update_anchor_ids
    plugin.print_page.meta.update(math=True)
    return config


@event_priority(-100)  # after every book hook has changed the page
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if config.plugins.get(PLUGIN) is not None:
        page.html = diagram_links(html, page.url)  # what print-site combines into the print page
    return html


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    if config.plugins.get(PLUGIN) is not None and page.file.src_uri == REFERENCES_PAGE:
        article = ARTICLE_RE.search(output)
        if article is None:
            raise PluginError(f"scripts/pdf_hook.py: no <article class=\"md-content__inner md-typeset\"> in {page.file.src_uri}'s page")
        page.html = article["content"]
    return output
