/**
 * shell-injection: a template value that becomes shell (or interpreter) source text. `script`
 * is already refused when templated; this catches the same risk spelled as an argv: code
 * after `sh -c` / `python -c` / `node -e` (also behind wrappers such as env, sudo, docker
 * exec), a script fed to a shell on stdin, words after `ssh host`, and a templated program.
 */
import { hasTemplate } from "../../template/index.js";
import { findingAt } from "../finding.js";
import { stepEntries } from "../template-sites.js";
import type { Finding, LintContext, LintRule } from "../types.js";

const ID = "shell-injection";

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "busybox"]);
/** Interpreters and the flags after which the next argument is source code. */
const CODE_FLAGS: Record<string, ReadonlyArray<string>> = {
  node: ["-e", "--eval", "-p", "--print"],
  perl: ["-e", "-E"],
  ruby: ["-e"],
  php: ["-r"],
  osascript: ["-e"],
  pwsh: ["-c", "-command", "-encodedcommand"],
  powershell: ["-c", "-command", "-encodedcommand"],
  cmd: ["/c", "/k"],
  "cmd.exe": ["/c", "/k"],
};

function programName(word: string): string {
  const base = word.slice(word.lastIndexOf("/") + 1).toLowerCase();
  return /^python[0-9.]*$/.test(base) ? "python" : base;
}

/** Index of the argument holding code for the interpreter at `i`, or -1. */
function codeArgument(command: ReadonlyArray<unknown>, i: number): number {
  const name = programName(String(command[i]));
  for (let j = i + 1; j < command.length; j++) {
    const word = command[j];
    if (typeof word !== "string") return -1;
    const lower = word.toLowerCase();
    const isShellFlag = SHELLS.has(name) && /^-[a-z]*c[a-z]*$/i.test(word) && !word.startsWith("--");
    const flags = name === "python" ? ["-c"] : (CODE_FLAGS[name] ?? []);
    if (isShellFlag || flags.includes(lower)) return j + 1 < command.length ? j + 1 : -1;
    if (!word.startsWith("-") && !word.startsWith("/")) return -1; // a script file: not inline code
  }
  return -1;
}

/** True when the interpreter at `i` has no script argument, so it reads its program from stdin. */
function readsStdin(command: ReadonlyArray<unknown>, i: number): boolean {
  const name = programName(String(command[i]));
  if (!SHELLS.has(name) && name !== "python" && !(name in CODE_FLAGS)) return false;
  return command.slice(i + 1).every((w) => typeof w === "string" && w.startsWith("-") && w !== "-c");
}

export const shellInjection: LintRule = {
  id: ID,
  severity: "error",
  summary:
    "a template value becomes shell or interpreter source (`sh -c`, `python -c`, stdin of a shell, `ssh`)",
  check(ctx: LintContext): Finding[] {
    const findings: Finding[] = [];
    for (const [group, id, step] of stepEntries(ctx.spec)) {
      if (step.uses !== "shell" || !Array.isArray(step.with?.command)) continue;
      const command = step.with.command as unknown[];
      const at = [group, id, "with", "command"];
      const report = (path: Array<string | number>, message: string, hint: string) =>
        findings.push(findingAt(ctx.doc, path, { code: ID, severity: "error", message, hint, stepId: id }));
      const first = command[0];
      if (typeof first === "string" && hasTemplate(first)) {
        report(
          [...at, 0],
          `step \`${id}\` chooses the program to run from a template: whoever controls that value runs any command`,
          "name the program literally and pass the value as an argument or through `env`",
        );
      }
      command.forEach((word, i) => {
        if (typeof word !== "string" || hasTemplate(word)) return;
        const name = programName(word);
        const code = codeArgument(command, i);
        const codeText = command[code];
        if (code >= 0 && typeof codeText === "string" && hasTemplate(codeText)) {
          report(
            [...at, code],
            `step \`${id}\` puts a template value into code run by \`${word}\`: a value containing quotes or \`;\` runs as code`,
            'pass the value through `env` (e.g. `env: { DAY: "{{ inputs.day }}" }`) and read "$DAY" in the code, or use `args`',
          );
        }
        if (name === "ssh") {
          command.forEach((later, j) => {
            if (j > i && typeof later === "string" && hasTemplate(later)) {
              report(
                [...at, j],
                `step \`${id}\` passes a template value to \`ssh\`, which runs its words through the remote shell`,
                "quote the value for the remote shell yourself or send it on stdin (`with.input`) to a fixed remote command",
              );
            }
          });
        }
        const input = step.with?.input;
        if (typeof input === "string" && hasTemplate(input) && readsStdin(command, i)) {
          report(
            [group, id, "with", "input"],
            `step \`${id}\` feeds a templated \`input\` to \`${word}\`, which runs it as a program`,
            "commit the program as a file or a literal `script` and pass the value through `env`",
          );
        }
      });
    }
    return findings;
  },
};
