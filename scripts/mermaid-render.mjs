#!/usr/bin/env node
// Build-time drawing for hooks/mermaid.py: every diagram not yet in the cache is parsed and
// drawn by the pinned mermaid package in one headless Chromium, with the settings and the
// theme stylesheet Material for MkDocs gives Mermaid in the browser, so readers download SVG
// instead of a 1 MB script that draws on their main thread.
// argv[2]: JSON {chromium, mermaid, stylesheets: [...], themeCSS, workers?} (5 KB: well under the argument limit)
// stdin:   [{id, text}, ...], the diagrams; Chromium starts before they come, so the hook can start
//          this script as soon as it knows drawing will be needed and send the diagrams later
// stdout:  [{"svg": "<svg …>"} | {"error": "Parse error on line 3: …"}, ...] and a newline
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const job = JSON.parse(process.argv[2]);
async function readDiagrams() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf-8") || "[]");
}
const diagramsComing = readDiagrams();
const browser = await puppeteer.launch({
  executablePath: job.chromium,
  headless: true,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--font-render-hinting=none",
  ],
});
// Diagrams are shared out between pages in separate browser contexts (so separate renderer
// processes): drawing is layout work on one main thread, and the machine has more than one core.
const WORKERS = Math.max(1, Math.min(availableParallelism() - 1, 4, job.workers ?? 4));

// The page is a file beside nothing but links to the stylesheets and the script, so Chromium reads
// them from disk itself (handing it 2.7 MB of script through the DevTools protocol took a second).
// The diagrams are measured with the fonts and variables of a book page (Material's stylesheets
// and the book's), so labels fit the boxes drawn around them.
const folder = await mkdtemp(join(tmpdir(), "book-mermaid-"));
const pageFile = join(folder, "render.html");
await writeFile(
  pageFile,
  '<!doctype html><html lang="zh"><head><meta charset="utf-8">' +
    job.stylesheets.map((path) => `<link rel="stylesheet" href="${pathToFileURL(path)}">`).join("") +
    `<script src="${pathToFileURL(job.mermaid)}"></script></head>` +
    '<body data-md-color-scheme="default"><article class="md-typeset"></article></body></html>',
  "utf-8",
);

async function worker() {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(pathToFileURL(pageFile).href, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  return page;
}

async function draw(page, diagrams) {
  return page.evaluate(async ({ themeCSS, diagrams }) => {
    // What Material passes to mermaid.initialize(), plus the book's two changes: `click` links
    // work (securityLevel "loose") and flowcharts keep their natural size.
    mermaid.initialize({
      startOnLoad: false,
      themeCSS,
      securityLevel: "loose",
      flowchart: { useMaxWidth: false },
      sequence: { actorFontSize: "16px", messageFontSize: "16px", noteFontSize: "16px" },
    });
    const out = [];
    for (const { id, text } of diagrams) {
      try {
        const { svg } = await mermaid.render(id, text); // parses first: a syntax error throws here
        out.push({ svg });
      } catch (err) {
        out.push({ error: String(err && err.message ? err.message : err).trim() });
      }
    }
    return out;
  }, { themeCSS: job.themeCSS, diagrams });
}

// A build that failed has gone without reading the answer: writing it must not crash this script
// before Chromium is closed.
process.stdout.on("error", () => {});

try {
  // Once the pages have loaded it, the file is no longer needed: removed now, not after the drawing
  const pages = await Promise.all(Array.from({ length: WORKERS }, worker))
    .finally(() => rm(folder, { recursive: true, force: true }));
  const diagrams = await diagramsComing;
  const shares = pages.map((_, w) => diagrams.filter((_, i) => i % WORKERS === w));
  const drawn = await Promise.all(pages.map((page, w) => draw(page, shares[w])));
  const results = diagrams.map((_, i) => drawn[i % WORKERS][Math.floor(i / WORKERS)]);
  process.stdout.write(JSON.stringify(results) + "\n"); // one line: the hook goes on while Chromium closes
} finally {
  await browser.close();
}
