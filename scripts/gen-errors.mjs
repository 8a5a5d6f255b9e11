// Writes docs/errors.md: every coded error Weft raises (defineError calls in src/, and the
// codes built-in plugins put on NonRetryableError/RetryableError), with its message
// template. `node scripts/gen-errors.mjs --check` exits 1 when the committed page differs.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

export function collectErrors() {
  const out = new Map();
  const define = /defineError\(\s*"(WEFT_[A-Z0-9_]+)",\s*((?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)(?:\s*\+\s*(?:"(?:[^"\\]|\\.)*"|`[^`]*`))*)/g;
  for (const file of files(join(root, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(define)) {
      const template = m[2]
        .split(/\s*\+\s*/)
        .map((part) => part.slice(1, -1).replace(/\\(.)/g, "$1"))
        .join("");
      out.set(m[1], { code: m[1], template, where: relative(root, file) });
    }
  }
  const plugin = /code:\s*"(WEFT_[A-Z0-9_]+)"/g;
  for (const file of files(join(root, "plugins"))) {
    for (const m of readFileSync(file, "utf8").matchAll(plugin)) {
      if (!out.has(m[1])) out.set(m[1], { code: m[1], template: "(raised by the built-in step type; see its page)", where: relative(root, file) });
    }
  }
  return [...out.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
}

export function render(errors) {
  const lines = [
    "# Error codes",
    "",
    "Every error Weft raises on purpose has a stable code, `WEFT_<AREA>_<WHAT>`; scripts and",
    "CI can match on it. `{name}` marks a value filled in at run time. This page is generated",
    "by `node scripts/gen-errors.mjs`; a test fails when it is out of date.",
    "",
  ];
  let area = "";
  for (const e of errors) {
    const a = e.code.split("_")[1];
    if (a !== area) {
      area = a;
      lines.push(`## ${a}`, "", "| code | message | defined in |", "| --- | --- | --- |");
    }
    lines.push(`| \`${e.code}\` | ${e.template.replace(/\|/g, "\\|").replace(/\n/g, " ")} | \`${e.where}\` |`);
    const next = errors[errors.indexOf(e) + 1];
    if (!next || next.code.split("_")[1] !== area) lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = render(collectErrors());
  const target = join(root, "docs", "errors.md");
  if (process.argv.includes("--check")) {
    const current = readFileSync(target, "utf8");
    if (current !== text) {
      process.stderr.write("docs/errors.md is out of date; run: node scripts/gen-errors.mjs\n");
      process.exit(1);
    }
  } else writeFileSync(target, text);
}
