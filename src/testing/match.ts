/**
 * Partial matching for test expectations: objects need only the keys the test lists (so a
 * test does not break when a step adds an output field); arrays and scalars must be equal.
 */

export interface Mismatch {
  /** Where inside the expected value, e.g. ["body", "items", 0]. */
  path: Array<string | number>;
  expected: unknown;
  actual: unknown;
}

export function partialMatch(
  expected: unknown,
  actual: unknown,
  path: Array<string | number> = [],
): Mismatch[] {
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [{ path, expected, actual }];
    return Object.entries(expected).flatMap(([key, value]) =>
      Object.hasOwn(actual, key)
        ? partialMatch(value, actual[key], [...path, key])
        : [{ path: [...path, key], expected: value, actual: undefined }],
    );
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [{ path, expected, actual }];
    return expected.flatMap((value, i) => partialMatch(value, actual[i], [...path, i]));
  }
  return Object.is(expected, actual) ? [] : [{ path, expected, actual }];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
