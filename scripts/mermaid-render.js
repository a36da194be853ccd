// Build-time drawing for hooks/mermaid.py, run in mermaid-render.html by Debian's headless Chromium
// over its DevTools pipe. Every diagram not yet in the cache is parsed and drawn by the pinned mermaid
// package, with the settings and the theme stylesheet Material for MkDocs gives Mermaid in the browser,
// so readers download SVG instead of a 1 MB script that draws on their main thread.
"use strict";

// mermaid's getConfig() is `assignWithDepth({}, config)`: a fresh copy of the whole configuration
// (about 1,100 properties), each property set with Object.defineProperty, for every node, edge and
// label drawn: more than half of the drawing time. This is the same copy, property for property, made
// with plain assignments (defineProperty only for a "__proto__" key, as there it differs), five times
// faster. hooks/mermaid.py hands the page mermaid's module with getConfig calling it instead.
globalThis.bookCopyConfig = (() => {
  const put = (target, key, value) => {
    if (key === "__proto__") {
      Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    } else {
      target[key] = value;
    }
  };
  // assignWithDepth(target, source, {depth}), step for step
  const assign = (target, source, depth) => {
    if (Array.isArray(source) && !Array.isArray(target)) {
      source.forEach((item) => assign(target, item, depth));
      return target;
    }
    if (Array.isArray(source) && Array.isArray(target)) {
      source.forEach((item) => target.includes(item) || target.push(item));
      return target;
    }
    if (target == null || depth <= 0) {
      return target != null && typeof target === "object" && typeof source === "object" ? Object.assign(target, source) : source;
    }
    if (source != null && typeof target === "object" && typeof source === "object") {
      for (const key of Object.keys(source)) {
        const value = source[key];
        if (typeof value === "object") {
          if (value === null) continue;
          if (!Object.hasOwn(target, key)) put(target, key, undefined);
          if (target[key] === undefined) target[key] = Array.isArray(value) ? [] : {};
          if (typeof target[key] === "object") target[key] = assign(target[key], value, depth - 1);
        } else if (typeof target[key] !== "object") {
          put(target, key, value);
        }
      }
    }
    return target;
  };
  return (config) => assign({}, config, 2);
})();

window.bookRenderer = {
  // Material's stylesheets and the book's (so labels fit the boxes drawn around them), then mermaid's
  // ES module build, which loads the chunks of the diagram types it meets as it meets them.
  // configModule: {url, text}, mermaid's module defining getConfig as hooks/mermaid.py rewrote it,
  // put in place of the original by an import map (the text imports its neighbours by absolute URL).
  async setup({ stylesheets, mermaid, configModule }) {
    await Promise.all(stylesheets.map((href) => new Promise((resolve, reject) => {
      const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
      link.onload = resolve;
      link.onerror = () => reject(new Error(`stylesheet not loaded: ${href}`));
      document.head.append(link);
    })));
    if (configModule) {
      const replacement = URL.createObjectURL(new Blob([configModule.text], { type: "text/javascript" }));
      const map = Object.assign(document.createElement("script"), { type: "importmap" });
      map.textContent = JSON.stringify({ imports: { [configModule.url]: replacement } });
      document.head.append(map);
    }
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
