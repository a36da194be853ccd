// Build-time drawing for hooks/mermaid.py, run in mermaid-render.html by Debian's headless Chromium,
// driven by Playwright. Every diagram not yet in the cache is parsed and drawn by the pinned mermaid
// package, with the settings and the theme stylesheet Material for MkDocs gives Mermaid in the browser,
// so readers download SVG instead of a 1 MB script that draws on their main thread.
"use strict";

window.bookRenderer = {
  // Material's stylesheets and the book's (so labels fit the boxes drawn around them), then mermaid's
  // ES module build, which loads the chunks of the diagram types it meets as it meets them.
  async setup({ stylesheets, mermaid }) {
    await Promise.all(stylesheets.map((href) => new Promise((resolve, reject) => {
      const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
      link.onload = resolve;
      link.onerror = () => reject(new Error(`stylesheet not loaded: ${href}`));
      document.head.append(link);
    })));
    window.mermaid = (await import(mermaid)).default;
    await document.fonts.ready;
  },

  // [{id, text}, ...] -> [{svg: "<svg …>"} | {error: "Parse error on line 3: …"}, ...], in order
  async draw({ themeCSS, diagrams }) {
    // What Material passes to mermaid.initialize(), plus the book's two changes: `click` links
    // work (securityLevel "loose") and flowcharts keep their natural size.
    window.mermaid.initialize({
      startOnLoad: false,
      themeCSS,
      securityLevel: "loose",
      flowchart: { useMaxWidth: false },
      sequence: { actorFontSize: "16px", messageFontSize: "16px", noteFontSize: "16px" },
    });
    const out = [];
    for (const { id, text } of diagrams) {
      try {
        const { svg } = await window.mermaid.render(id, text); // parses first: a syntax error throws here
        out.push({ svg });
      } catch (err) {
        out.push({ error: String(err && err.message ? err.message : err).trim() });
      }
    }
    return out;
  },
};
