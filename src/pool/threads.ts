import { type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import type { Piscina } from "piscina";
import { clockOn, markLinked, postedCount, type StartClock, startedAt } from "./clock.js";
import type { ThreadHello, WorkerMessage } from "./types.js";

interface Link {
  threadId: number;
  port: MessagePort;
  clock: StartClock;
  route: (msg: WorkerMessage) => void;
  /** The thread's posted count when this link was last drained. */
  seen: number;
}

/** Hands a message from a worker to the attempt it belongs to; `port` is where replies go. */
export type Route = (msg: WorkerMessage, port: MessagePort) => void;

/**
 * The main thread's ends of the worker threads' links (see worker-link.ts). A thread says
 * hello once as it boots; its link goes away when the thread ends (the port closes).
 */
export class ThreadLinks {
  private readonly links = new Set<Link>();

  constructor(piscina: Piscina, route: Route) {
    // piscina relays every non-piscina message a worker posts on parentPort as "message".
    piscina.on("message", (msg: unknown) => {
      if (!isHello(msg)) return;
      const { port, clock, threadId } = msg.weftThread;
      const link: Link = { threadId, port, clock: clockOn(clock), route: (m) => route(m, port), seen: 0 };
      port.on("message", link.route);
      port.on("close", () => this.links.delete(link));
      // The link must not keep the process alive; running tasks keep piscina's own port busy.
      port.unref();
      this.links.add(link);
      markLinked(link.clock);
    });
  }

  /** When task `id` started, if it has started on a thread we have heard from. */
  startedAt(id: number): number | undefined {
    for (const link of this.links) {
      const at = startedAt(link.clock, id);
      if (at !== undefined) return at;
    }
    return undefined;
  }

  /** The port of the thread running task `id`, if it has started on a thread we have heard from. */
  portOf(id: number): MessagePort | undefined {
    for (const link of this.links) {
      if (startedAt(link.clock, id) !== undefined) return link.port;
    }
    return undefined;
  }

  /** The link port of a thread, by its id. */
  portOfThread(threadId: number): MessagePort | undefined {
    for (const link of this.links) if (link.threadId === threadId) return link.port;
    return undefined;
  }

  /**
   * Hands over every message already waiting on the links, at once. A worker posts each
   * result on its link before piscina learns the batch ended (or the thread died), so after
   * this every result of a finished batch is in.
   */
  drain(): void {
    for (const link of this.links) {
      // Read before the port: a message posted after this read bumps the count again.
      link.seen = postedCount(link.clock);
      for (let m = receiveMessageOnPort(link.port); m !== undefined; m = receiveMessageOnPort(link.port)) {
        link.route(m.message as WorkerMessage);
      }
    }
  }

  /** True if some thread posted since its link was last drained (a lock-free check). */
  posted(): boolean {
    for (const link of this.links) if (postedCount(link.clock) !== link.seen) return true;
    return false;
  }

  close(): void {
    for (const link of this.links) link.port.close();
    this.links.clear();
  }
}

function isHello(msg: unknown): msg is ThreadHello {
  return typeof msg === "object" && msg !== null && "weftThread" in msg;
}
