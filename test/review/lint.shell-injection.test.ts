import { describe, expect, it } from "vitest";
import { codes, lintYaml } from "./helpers.js";

const wf = (withBlock: string) => `name: w
inputs:
  day: { type: string, default: today }
defaults:
  timeout: 1m
steps:
  run:
    uses: shell
    with:
${withBlock}
`;

const injections = (withBlock: string) => lintYaml(wf(withBlock)).filter((f) => f.code === "shell-injection");

describe("shell-injection", () => {
  it("flags a template in the code after sh -c, pointing at that argument", () => {
    const found = injections('      command: ["sh", "-c", "echo {{ inputs.day }}"]');
    expect(codes(found)).toEqual(["shell-injection@10:29"]);
    expect(found[0]?.severity).toBe("error");
    expect(found[0]?.path).toBe("steps.run.with.command.2");
    expect(found[0]?.stepId).toBe("run");
    expect(found[0]?.hint).toContain("env");
  });

  it.each([
    ['["bash", "-lc", "make {{ inputs.day }}"]', "bash"],
    ['["/usr/bin/python3", "-c", "print({{ inputs.day }})"]', "/usr/bin/python3"],
    ['["node", "--eval", "run(\'{{ inputs.day }}\')"]', "node"],
    ['["env", "A=1", "sudo", "sh", "-c", "rm {{ inputs.day }}"]', "sh"],
    ['["docker", "exec", "box", "bash", "-c", "ls {{ inputs.day }}"]', "bash"],
  ])("flags code run by an interpreter: %s", (command, program) => {
    const found = injections(`      command: ${command}`);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain(`code run by \`${program}\``);
  });

  it("flags a templated program, words after ssh, and a templated script on a shell's stdin", () => {
    expect(injections('      command: ["{{ inputs.day }}", "--help"]')[0]?.message).toContain(
      "chooses the program to run from a template",
    );
    expect(injections('      command: ["ssh", "host", "ls {{ inputs.day }}"]')[0]?.message).toContain(
      "remote shell",
    );
    const stdin = injections('      command: ["bash", "-s"]\n      input: "echo {{ inputs.day }}"');
    expect(stdin.map((f) => f.path)).toEqual(["steps.run.with.input"]);
  });

  it("accepts values passed as arguments, through env, or to a script file", () => {
    expect(
      injections('      command: ["sh", "-c", "echo \\"$1\\"", "sh"]\n      args: ["{{ inputs.day }}"]'),
    ).toEqual([]);
    expect(injections('      command: ["./report.sh", "{{ inputs.day }}"]')).toEqual([]);
    expect(injections('      command: ["bash", "./report.sh", "{{ inputs.day }}"]')).toEqual([]);
    expect(injections('      script: "echo \\"$DAY\\""\n      env: { DAY: "{{ inputs.day }}" }')).toEqual([]);
    expect(injections('      command: ["cat"]\n      input: "{{ inputs.day }}"')).toEqual([]);
  });
});
