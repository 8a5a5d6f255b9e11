/**
 * The words both sides of a batch share. NEXT: the index of the next item to start; the
 * worker claims item i by swapping i for i + 1, the main thread takes back everything not
 * started by swapping in REVOKED. Whichever swap lands first decides, so an item is either
 * run by the thread or handed back, never both and never neither. COUNT: how many items the
 * batch has; while the thread lingers after its last item the main thread may append one
 * (COUNT c → c + 1), until the thread closes the batch (COUNT c → CLOSED). THREAD: the
 * thread's id, so the main thread knows where to post appended items.
 */
export const REVOKED = 0x7fffffff;
export const CLOSED = -1;
const NEXT = 0;
const COUNT = 1;
const THREAD = 2;

export function newControl(count: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(12);
  Atomics.store(new Int32Array(buffer), COUNT, count);
  return buffer;
}

/** Worker side: true if item `index` is this thread's to run. */
export function claimItem(control: Int32Array, index: number): boolean {
  return Atomics.compareExchange(control, NEXT, index, index + 1) === index;
}

/** Main side: the index of the first item the thread will never start. */
export function revokeRest(control: Int32Array): number {
  return Atomics.exchange(control, NEXT, REVOKED);
}

export function itemCount(control: Int32Array): number {
  return Atomics.load(control, COUNT);
}

/** Worker side: says which thread runs the batch. */
export function markThread(control: Int32Array, threadId: number): void {
  Atomics.store(control, THREAD, threadId);
}

export function threadOf(control: Int32Array): number {
  return Atomics.load(control, THREAD);
}

/**
 * Worker side, after item `index - 1`: spins up to `ms` for the main thread to append item
 * `index`, then closes the batch. True if there is an item `index` to run.
 */
export function waitForItem(control: Int32Array, index: number, ms: number): boolean {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (Atomics.load(control, COUNT) > index) return true;
  }
  return Atomics.compareExchange(control, COUNT, index, CLOSED) !== index;
}

/** Main side: makes room for item `index`; false once the thread closed the batch. */
export function appendItem(control: Int32Array, index: number): boolean {
  return Atomics.compareExchange(control, COUNT, index, index + 1) === index;
}
