/**
 * Loads the step types a workflow repository can use: the built-ins, ESM files in the
 * repository's `plugins/` folder, and npm packages named in weft.config.yaml. Each module is
 * imported here once to read its metadata (names, schemas, dryRun); worker threads import it
 * again to run it. A plugin that fails to load becomes a problem naming its file and reason,
 * and the others load regardless.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { WeftError } from "../errors.js";
import { PACKAGE_ROOT } from "../paths.js";
import { builtinRegistry } from "./builtins.js";
import { STEP_NAME_PATTERN } from "./define.js";
import { PluginError } from "./load-errors.js";
import { StepRegistry, type StepTypeInfo } from "./registry.js";
import { resolvePackage } from "./resolve-package.js";
import { PLUGIN_API_VERSION, type StepType } from "./types.js";

export interface LoadStepTypesOptions {
  /** The workflow repository's root: `plugins/` and node_modules are found from here. */
  cwd: string;
  /** npm package names from weft.config.yaml `plugins:`, resolved from `packageRoot`. */
  packages?: ReadonlyArray<string>;
  /** Where npm packages are installed (default `cwd`); `weft serve` reads plugins/ from a commit's export but packages from its own folder. */
  packageRoot?: string;
  /** Include shell, http, log and sleep (default true). */
  builtins?: boolean;
  /** Further module paths or file: URLs, e.g. from the test kit. */
  modules?: ReadonlyArray<string>;
  /** How long one module's import may take (default 10 s). */
  importTimeoutMs?: number;
}

export interface PluginProblem {
  /** The file (relative to cwd) or package that failed. */
  source: string;
  code: string;
  message: string;
}

export interface LoadedStepTypes {
  types: StepRegistry;
  problems: PluginProblem[];
}

interface Candidate {
  /** What people recognise: `plugins/greet.mjs`, `acme-greet@1.2.0`. */
  source: string;
  url: string;
  /** Set for npm packages, which must export a Plugin so the API version can be checked. */
  packageName?: string;
}

const REPO_PLUGIN_FILE = /\.(m?js)$/;
const DEFAULT_IMPORT_TIMEOUT_MS = 10_000;

export async function loadStepTypes(opts: LoadStepTypesOptions): Promise<LoadedStepTypes> {
  const cwd = resolve(opts.cwd);
  const types = opts.builtins === false ? new StepRegistry() : builtinRegistry();
  const problems: PluginProblem[] = [];
  const candidates: Candidate[] = [...repoPlugins(cwd)];
  for (const name of opts.packages ?? []) {
    try {
      candidates.push(packageCandidate(name, resolve(opts.packageRoot ?? cwd)));
    } catch (err) {
      problems.push({ source: name, ...data(PluginError.notInstalled({ reason: (err as Error).message })) });
    }
  }
  for (const m of opts.modules ?? []) {
    const url = m.startsWith("file:") ? m : pathToFileURL(resolve(cwd, m)).href;
    candidates.push({ source: m, url });
  }
  const timeoutMs = opts.importTimeoutMs ?? DEFAULT_IMPORT_TIMEOUT_MS;
  // Imports run together; registration follows candidate order so duplicates name a stable winner.
  const imported = await Promise.all(candidates.map((c) => importDefault(c, timeoutMs)));
  candidates.forEach((candidate, i) => {
    const result = imported[i]!;
    if (result instanceof WeftError) {
      problems.push({ source: candidate.source, ...data(result) });
      return;
    }
    const steps = stepTypesOf(result, candidate);
    if (steps instanceof WeftError) {
      problems.push({ source: candidate.source, ...data(steps) });
      return;
    }
    for (const step of steps) {
      const bad = checkStep(step, candidate);
      if (bad) {
        problems.push({ source: candidate.source, ...data(bad) });
        continue;
      }
      const existing = types.get(step.name);
      if (existing) {
        const err = PluginError.duplicate({
          step: step.name,
          first: existing.source,
          second: candidate.source,
        });
        problems.push({ source: candidate.source, ...data(err) });
        continue;
      }
      types.add(infoOf(step, candidate));
    }
  });
  return { types, problems };
}

/** `plugins/*.js|*.mjs` and `plugins/<dir>/index.js|index.mjs`; TypeScript sources are not plugins. */
function repoPlugins(cwd: string): Candidate[] {
  const dir = join(cwd, "plugins");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const found: Candidate[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    let file: string | undefined;
    if (statSync(path).isDirectory()) {
      file = ["index.mjs", "index.js"].map((f) => join(path, f)).find((f) => existsSync(f));
    } else if (REPO_PLUGIN_FILE.test(name)) {
      file = path;
    }
    if (file) found.push({ source: relative(cwd, file), url: pathToFileURL(file).href });
  }
  return found;
}

function packageCandidate(name: string, cwd: string): Candidate {
  const pkg = resolvePackage(name, cwd);
  return { source: `${name}@${pkg.version}`, url: pathToFileURL(pkg.entry).href, packageName: name };
}

async function importDefault(c: Candidate, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<WeftError>((done) => {
    timer = setTimeout(() => done(PluginError.importTimeout({ file: c.source, ms: timeoutMs })), timeoutMs);
  });
  const load = import(c.url).then(
    (mod: { default?: unknown }) => mod.default,
    (err: unknown) => PluginError.importFailed({ file: c.source, reason: describe(err) }),
  );
  try {
    return await Promise.race([load, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function stepTypesOf(exported: unknown, c: Candidate): StepType[] | WeftError {
  if (!exported || typeof exported !== "object") {
    return PluginError.badExport({
      file: c.source,
      found: `found ${exported === undefined ? "no default export" : typeof exported}`,
    });
  }
  const plugin = exported as { steps?: unknown; apiVersion?: unknown; name?: unknown };
  if (Array.isArray(plugin.steps)) {
    const label = c.packageName ?? (typeof plugin.name === "string" ? plugin.name : c.source);
    if (plugin.apiVersion !== PLUGIN_API_VERSION) {
      return PluginError.apiVersion({
        name: label,
        theirs: typeof plugin.apiVersion === "number" ? plugin.apiVersion : "(none given)",
        ours: PLUGIN_API_VERSION,
        weft: `weft ${weftVersion()}`,
      });
    }
    return plugin.steps as StepType[];
  }
  if (typeof (exported as { run?: unknown }).run !== "function") {
    return PluginError.badExport({
      file: c.source,
      found: "its default export has neither run(ctx) nor steps",
    });
  }
  if (c.packageName) return PluginError.needsPlugin({ name: c.packageName, api: PLUGIN_API_VERSION });
  return [exported as StepType];
}

function checkStep(step: StepType, c: Candidate): WeftError | undefined {
  const name = typeof step?.name === "string" ? step.name : String(step?.name);
  const bad = (problem: string) =>
    PluginError.badStep({ step: JSON.stringify(name), file: c.source, problem });
  if (!step || typeof step !== "object") return bad("is not an object (use defineStep)");
  if (!STEP_NAME_PATTERN.test(name)) return bad('has an invalid name; use lower-case like "acme/slack.post"');
  if (!name.includes("/")) {
    return PluginError.notNamespaced({ step: name, file: c.source, suggestion: `${namespaceOf(c)}/${name}` });
  }
  if (typeof step.run !== "function") return bad("has no run(ctx) function");
  if (!step.inputSchema || typeof step.inputSchema !== "object") return bad("has no inputSchema object");
  if (typeof step.description !== "string" || step.description === "") return bad("has no description");
  return undefined;
}

function infoOf(step: StepType, c: Candidate): StepTypeInfo {
  return {
    name: step.name,
    description: step.description,
    inputSchema: step.inputSchema,
    ...(step.outputSchema ? { outputSchema: step.outputSchema } : {}),
    ...(step.literalInputs ? { literalInputs: [...step.literalInputs] } : {}),
    moduleUrl: c.url,
    source: c.source,
    stepType: step,
  };
}

function namespaceOf(c: Candidate): string {
  const base = (c.packageName ?? "acme").replace(/^@/, "").split("/")[0] ?? "acme";
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-")
      .replace(/^[^a-z]+/, "") || "acme"
  );
}

function data(err: WeftError): { code: string; message: string } {
  return { code: err.code, message: err.message };
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

let cachedVersion: string | undefined;
function weftVersion(): string {
  cachedVersion ??=
    (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: string }).version ??
    "0.0.0";
  return cachedVersion;
}
