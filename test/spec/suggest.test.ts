import { describe, expect, test } from "vitest";
import { didYouMean, editDistance, suggest } from "../../src/spec/suggest.js";

describe("editDistance", () => {
  test.each([
    ["need", "needs", 1],
    ["htpp", "http", 1],
    ["sheel", "shell", 1],
    ["kitten", "sitting", 3],
    ["", "abc", 3],
    ["same", "same", 0],
  ])("%s → %s is %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("suggest", () => {
  const stepKeys = ["uses", "with", "needs", "if", "forEach", "retry", "timeout", "continueOnError"];

  test("finds the nearest key for common typos", () => {
    expect(suggest("need", stepKeys)).toBe("needs");
    expect(suggest("use", stepKeys)).toBe("uses");
    expect(suggest("foreach", stepKeys)).toBe("forEach");
    expect(suggest("retires", stepKeys)).toBe("retry");
    expect(suggest("timout", stepKeys)).toBe("timeout");
  });

  test("suggests nothing when nothing is close", () => {
    expect(suggest("banana", stepKeys)).toBeUndefined();
    expect(suggest("x", ["y"])).toBeUndefined();
    expect(suggest("anything", [])).toBeUndefined();
  });

  test("breaks ties alphabetically so output is stable", () => {
    expect(suggest("bat", ["cat", "bar"])).toBe("bar");
    expect(suggest("bat", ["bar", "cat"])).toBe("bar");
  });

  test("didYouMean formats the suggestion or nothing", () => {
    expect(didYouMean("htpp", ["http", "shell"])).toBe("; did you mean `http`?");
    expect(didYouMean("zzzz", ["http", "shell"])).toBe("");
  });
});
