import type { WeftError } from "../../src/errors.js";

/** Runs `fn`, expecting it to throw a WeftError; returns it for assertions on code and message. */
export function thrown(fn: () => unknown): WeftError {
  try {
    fn();
  } catch (err) {
    if (err instanceof Error && "code" in err) return err as WeftError;
    throw new Error(`expected a WeftError, got ${String(err)}`);
  }
  throw new Error("expected an error, but nothing was thrown");
}

export const scope = {
  inputs: {
    name: "Weft",
    env: "prod",
    count: 3,
    tags: ["a", "b"],
    nested: { deep: { value: 42 } },
    empty: "",
  },
  steps: {
    fetch: {
      status: "succeeded",
      output: { body: "hello", items: [{ id: 1 }, { id: 2 }], n: 5, ok: true, none: null },
    },
    "my-step": { status: "succeeded", output: "plain" },
  },
  run: { id: "run_1", attempt: 1, workflow: "deploy", version: "abc123" },
  trigger: { kind: "webhook", payload: { ref: "refs/heads/main" } },
  secrets: { API_TOKEN: "tok-123456" },
};
