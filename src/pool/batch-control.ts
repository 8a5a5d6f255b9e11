/**
 * The one word both sides of a batch share: the index of the next item to start. The worker
 * claims item i by swapping i for i + 1; the main thread takes back everything not started
 * by swapping in REVOKED. Whichever swap lands first decides, so an item is either run by the
 * thread or handed back, never both and never neither.
 */
export const REVOKED = 0x7fffffff;

export function newControl(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

/** Worker side: true if item `index` is this thread's to run. */
export function claimItem(control: Int32Array, index: number): boolean {
  return Atomics.compareExchange(control, 0, index, index + 1) === index;
}

/** Main side: the index of the first item the thread will never start (idempotent). */
export function revokeRest(control: Int32Array): number {
  const next = Atomics.exchange(control, 0, REVOKED);
  return next;
}
