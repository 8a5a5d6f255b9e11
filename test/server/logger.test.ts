/** The server's logger masks secrets wherever they appear in a line, and prints short text on a TTY. */
import { describe, expect, it } from "vitest";
import { createLogger, runLogger } from "../../src/observe/logger.js";

const SECRET = 's3cr3t-Value\\with"quote';

function capture(opts: { pretty?: boolean } = {}) {
  const lines: string[] = [];
  const logger = createLogger({
    secrets: [SECRET, "plain-token-123456"],
    pretty: opts.pretty ?? false,
    destination: { write: (s: string) => lines.push(s) },
  });
  return { logger, lines };
}

describe("createLogger", () => {
  it("masks secrets in messages, fields and child bindings, keeping each line valid JSON", () => {
    const { logger, lines } = capture();
    const child = runLogger(logger, { workflow: "wf", version: 3, runId: "r1", stepId: "s", attempt: 2 });
    child.info({ header: `Bearer plain-token-123456`, nested: { v: SECRET } }, `echo ${SECRET}`);
    logger.child({ token: "plain-token-123456" }).warn("bound");
    logger.info({ encoded: Buffer.from("plain-token-123456").toString("base64") }, "b64");
    const text = lines.join("");
    expect(text).not.toContain("plain-token-123456");
    expect(text).not.toContain("s3cr3t-Value");
    expect(text).not.toContain(Buffer.from("plain-token-123456").toString("base64"));
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({
      workflow: "wf",
      version: 3,
      runId: "r1",
      stepId: "s",
      attempt: 2,
      level: "info",
    });
    expect(first.msg).toBe("echo ***");
    expect(first.nested.v).toBe("***");
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });

  it("writes one short human line per record when pretty", () => {
    const { logger, lines } = capture({ pretty: true });
    logger.info({ runId: "r9", stepId: "a" }, "step succeeded");
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d INFO {2}step succeeded runId=r9 stepId=a\n$/);
  });
});
