/**
 * Temp workflow repositories laid out as a user's: workflows/, plugins/, node_modules/ with
 * `weft` linked to this checkout (so plugins import "weft/plugin" as users do).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "plugins");

export interface TempRepo {
  dir: string;
  /** Writes a file under the repo, creating folders. */
  write(path: string, text: string): string;
  /** Copies test/fixtures/plugins/<from> to <to> inside the repo. */
  copy(from: string, to: string): void;
  /** Installs a fixture package folder as node_modules/<name>. */
  install(name: string): void;
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempRepo(): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), "weft-plugins-"));
  made.push(dir);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(PACKAGE_ROOT, join(dir, "node_modules", "weft"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "repo", private: true, type: "module" }));
  const repo: TempRepo = {
    dir,
    write(path, text) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
      return full;
    },
    copy(from, to) {
      const target = join(dir, to);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(FIXTURES, from), target, { recursive: true });
    },
    install(name) {
      cpSync(join(FIXTURES, "packages", name), join(dir, "node_modules", name), { recursive: true });
    },
  };
  return repo;
}
