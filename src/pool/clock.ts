/**
 * Each worker thread owns a tiny SharedArrayBuffer: when a task starts, the worker stamps the
 * task id and the time into it. The main thread reads it only when a timeout timer fires, to
 * learn whether (and when) a possibly queued task started — instead of a "started" message
 * per task. Times are epoch milliseconds from performance.timeOrigin + performance.now(),
 * which agree across the threads of one process.
 */

const BYTES = 24;

export interface StartClock {
  /** [0]: id of the task the thread started last (0: none yet). */
  readonly ids: Int32Array;
  /** [0]: when it started. */
  readonly times: Float64Array;
  /** [0]: 1 once the main thread has taken the thread's link (see worker-link.ts). */
  readonly linked: Int32Array;
  /**
   * [0]: how many messages the thread has posted on its link. The main thread can poll this
   * word for news; polling the port itself takes the lock the worker needs to post.
   */
  readonly posted: Int32Array;
}

export function newClockBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(BYTES);
}

export function clockOn(buffer: SharedArrayBuffer): StartClock {
  return {
    ids: new Int32Array(buffer, 0, 1),
    linked: new Int32Array(buffer, 4, 1),
    times: new Float64Array(buffer, 8, 1),
    posted: new Int32Array(buffer, 16, 1),
  };
}

/** Main side: the thread's link is registered; the waiting thread may start taking tasks. */
export function markLinked(clock: StartClock): void {
  Atomics.store(clock.linked, 0, 1);
  Atomics.notify(clock.linked, 0);
}

/** Worker side: waits (blocking, at boot) until the main thread has registered the link. */
export function waitLinked(clock: StartClock, ms: number): void {
  Atomics.wait(clock.linked, 0, 0, ms);
}

export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Worker side. The time is written first; Atomics.store publishes both. */
export function markStarted(clock: StartClock, id: number, at: number): void {
  clock.times[0] = at;
  Atomics.store(clock.ids, 0, id);
}

/**
 * Main side: when task `id` started on this thread, or undefined if the thread's last task
 * is another one. The stamp cannot be overwritten while the caller still cares: a thread gets
 * its next task only after the main thread has taken this one's result, and an attempt stops
 * reading the clock once it has its result.
 */
export function startedAt(clock: StartClock, id: number): number | undefined {
  return Atomics.load(clock.ids, 0) === id ? clock.times[0] : undefined;
}

/** Worker side, after each message it posts on its link. */
export function markPosted(clock: StartClock): void {
  Atomics.add(clock.posted, 0, 1);
}

export function postedCount(clock: StartClock): number {
  return Atomics.load(clock.posted, 0);
}
