import { MessageChannel, type MessagePort, parentPort } from "node:worker_threads";
import { clockOn, markStarted, newClockBuffer, now, type StartClock, waitLinked } from "./clock.js";
import type { MainMessage, ThreadHello, WorkerMessage } from "./types.js";

/**
 * The worker end of this thread's link to the main thread: one MessagePort for every task the
 * thread runs (messages carry the task id), made once when the thread boots instead of one
 * MessageChannel per task. piscina imports worker.js (and so this module) before the thread
 * takes its first task, and the thread waits at boot until the main thread has registered the
 * link: a batch's results can then always be collected from the links the main thread holds
 * when piscina reports the batch over (see ThreadLinks.drain).
 */
export class WorkerLink {
  private readonly port: MessagePort;
  private readonly clock: StartClock;
  private readonly receivers = new Map<number, (msg: MainMessage) => void>();

  constructor(parent: MessagePort) {
    const { port1, port2 } = new MessageChannel();
    const buffer = newClockBuffer();
    this.port = port1;
    this.clock = clockOn(buffer);
    // An abort or ack for a task that already finished finds no receiver and is dropped.
    port1.on("message", (msg: MainMessage) => this.receivers.get(msg.id)?.(msg));
    const hello: ThreadHello = { weftThread: { port: port2, clock: buffer } };
    parent.postMessage(hello, [port2]);
    // Bounded: a main thread blocked this long gets the old behaviour (messages wait in the
    // port until it reads the hello), not a thread that never starts.
    waitLinked(this.clock, LINK_WAIT_MS);
  }

  /** Stamps the start clock for task `id` and returns the time it wrote. */
  start(id: number): number {
    const at = now();
    markStarted(this.clock, id, at);
    return at;
  }

  listen(id: number, receiver: (msg: MainMessage) => void): void {
    this.receivers.set(id, receiver);
  }

  unlisten(id: number): void {
    this.receivers.delete(id);
  }

  post(msg: WorkerMessage): void {
    this.port.postMessage(msg);
  }
}

const LINK_WAIT_MS = 10_000;

let link: WorkerLink | undefined;

/** This thread's link, made on first use; only a worker thread has one. */
export function workerLink(): WorkerLink {
  if (!link) {
    if (!parentPort) throw new Error("weft: the step pool's worker module runs only in a worker thread");
    link = new WorkerLink(parentPort);
  }
  return link;
}
