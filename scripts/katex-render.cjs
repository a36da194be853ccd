#!/usr/bin/env node
// Batch renderer for hooks/math.py: renders many formulas in ONE Node process with the
// pinned KaTeX, parsing each argument list with KaTeX's own CLI (katex/cli.js), so the
// HTML is byte for byte what `katex <args> --input f --output g` writes.
// stdin:  [{"tex": "...", "args": ["--display-mode"]}, ...]
// stdout: [{"html": "..."} | {"error": "KaTeX parse error: ..."}, ...]
"use strict";

const katex = require("katex");
const program = require("katex/cli.js"); // exports its commander program when required

const optionsByArgs = new Map();

function cliOptions(args) {
  const key = JSON.stringify(args);
  if (!optionsByArgs.has(key)) {
    // The program keeps values between parses: reset every option to its default first.
    for (const opt of program.options) {
      program.setOptionValueWithSource(opt.attributeName(), opt.defaultValue, "default");
    }
    const options = { ...program.parse(["node", "katex", ...args]).opts() };
    const macros = {};
    for (const m of [].concat(options.macro || [])) {
      const i = m.search(":");
      if (i !== -1) macros[m.substring(0, i).trim()] = m.substring(i + 1).trim();
    }
    options.macros = macros;
    options.output = options.format; // as cli.js's writeOutput does
    optionsByArgs.set(key, options);
  }
  return optionsByArgs.get(key);
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const jobs = JSON.parse(input);
  const results = jobs.map(({ tex, args }) => {
    try {
      return { html: katex.renderToString(tex, { ...cliOptions(args) }) + "\n" };
    } catch (err) {
      return { error: String(err && err.message ? err.message : err) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
