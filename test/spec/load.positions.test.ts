import { describe, expect, test } from "vitest";
import { loadDocument } from "../../src/spec/load.js";

const source = [
  "name: demo", //                          line 1
  "steps:", //                              line 2
  "  fetch:", //                            line 3
  "    uses: http", //                      line 4
  "    with:", //                           line 5
  '      url: "https://example.com"', //    line 6
  "      headers: { A: b }", //             line 7
  "    needs: [one, two]", //               line 8
  "",
].join("\n");

describe("PositionMap", () => {
  const doc = loadDocument(source, "demo.yaml").doc!;
  const p = doc.positions;

  test("values and keys of nested mappings have 1-based line:col and an end", () => {
    expect(p.valueAt(["steps", "fetch", "with", "url"])).toEqual({
      line: 6,
      col: 12,
      endLine: 6,
      endCol: 33,
    });
    expect(p.keyAt(["steps", "fetch", "with", "url"])).toEqual({ line: 6, col: 7, endLine: 6, endCol: 10 });
    expect(p.valueAt(["steps", "fetch", "uses"])).toMatchObject({ line: 4, col: 11 });
    expect(p.keyAt(["steps", "fetch"])).toMatchObject({ line: 3, col: 3 });
  });

  test("flow collections and list items are mapped, indices as numbers or strings", () => {
    expect(p.valueAt(["steps", "fetch", "with", "headers", "A"])).toMatchObject({ line: 7, col: 21 });
    expect(p.valueAt(["steps", "fetch", "needs", 1])).toMatchObject({ line: 8, col: 18 });
    expect(p.valueAt(["steps", "fetch", "needs", "1"])).toMatchObject({ line: 8, col: 18 });
  });

  test("a path that does not exist falls back to its nearest ancestor", () => {
    expect(p.valueAt(["steps", "fetch", "with", "missing", "deeper"])).toEqual(
      p.valueAt(["steps", "fetch", "with"]),
    );
    expect(p.keyAt(["steps", "fetch", "retry"])).toEqual(p.keyAt(["steps", "fetch"]));
  });

  test("the document knows its file and source", () => {
    expect(doc.file).toBe("demo.yaml");
    expect(p.file).toBe("demo.yaml");
    expect(p.source).toBe(source);
  });

  test("positions inside an alias point at the alias", () => {
    const d = loadDocument("a: &x { k: 1 }\nb: *x\n", "w.yaml").doc!;
    expect(d.positions.valueAt(["b", "k"])).toMatchObject({ line: 2, col: 4 });
    expect(d.positions.valueAt(["a", "k"])).toMatchObject({ line: 1, col: 12 });
  });
});
