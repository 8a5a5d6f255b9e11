import {
  MessageChannel,
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  threadId,
} from "node:worker_threads";
import {
  clockOn,
  markPosted,
  markStarted,
  newClockBuffer,
  now,
  type StartClock,
  waitLinked,
} from "./clock.js";
import type { MainMessage, TaskMessage, ThreadHello, WireTask, WorkerMessage } from "./types.js";

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
  private readonly receivers = new Map<number, (msg: TaskMessage) => void>();
  /** Items appended to a lingering batch, by `batch:index`, until the batch loop takes them. */
  private readonly appended = new Map<string, WireTask>();
  /** The batch this thread runs now; appended items of any other batch are stale. */
  private batch: number | undefined;

  constructor(parent: MessagePort) {
    const { port1, port2 } = new MessageChannel();
    const buffer = newClockBuffer();
    this.port = port1;
    this.clock = clockOn(buffer);
    port1.on("message", (msg: MainMessage) => this.receive(msg));
    const hello: ThreadHello = { weftThread: { port: port2, clock: buffer, threadId } };
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

  private receive(msg: MainMessage): void {
    if (msg.t === "item") {
      if (msg.batch === this.batch) this.appended.set(`${msg.batch}:${msg.index}`, msg.item);
    }
    // An abort or ack for a task that already finished finds no receiver and is dropped.
    else this.receivers.get(msg.id)?.(msg);
  }

  /**
   * Item `index` appended to `batch`: the main thread posts it before it bumps the batch's
   * count, so once the count says it exists it is on the port, even while this thread has
   * not returned to its event loop.
   */
  takeItem(batch: number, index: number): WireTask | undefined {
    const key = `${batch}:${index}`;
    for (;;) {
      const item = this.appended.get(key);
      if (item) {
        this.appended.delete(key);
        return item;
      }
      const next = receiveMessageOnPort(this.port);
      if (!next) return undefined;
      this.receive(next.message as MainMessage);
    }
  }

  /** Set before the batch publishes its thread (the main thread appends only after that). */
  beginBatch(batch: number): void {
    this.batch = batch;
  }

  /** Forgets the batch's appended items that lost the race with closing it. */
  endBatch(): void {
    this.batch = undefined;
    this.appended.clear();
  }

  listen(id: number, receiver: (msg: TaskMessage) => void): void {
    this.receivers.set(id, receiver);
  }

  unlisten(id: number): void {
    this.receivers.delete(id);
  }

  post(msg: WorkerMessage): void {
    this.port.postMessage(msg);
    markPosted(this.clock);
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
