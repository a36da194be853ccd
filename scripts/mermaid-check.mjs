#!/usr/bin/env node
// Build-time syntax check for hooks/mermaid.py: parses every diagram with the pinned
// mermaid package (the same version the site serves), inside a jsdom DOM.
// stdin:  ["graph TD\n  A --> B", ...]
// stdout: [{"ok": true} | {"error": "Parse error on line 3: ..."}, ...]
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
for (const name of ["window", "document", "navigator", "Element", "HTMLElement", "SVGElement", "DOMParser", "Node"]) {
  if (!(name in globalThis) || name === "navigator") {
    Object.defineProperty(globalThis, name, { value: dom.window[name], configurable: true, writable: true });
  }
}

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "loose" });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    await mermaid.parse(text);
    results.push({ ok: true });
  } catch (err) {
    results.push({ error: String(err && err.message ? err.message : err).trim() });
  }
}
process.stdout.write(JSON.stringify(results));
