import type { MessagePort } from "node:worker_threads";
import type { Piscina } from "piscina";
import { clockOn, type StartClock, startedAt } from "./clock.js";
import type { ThreadHello, WorkerMessage } from "./types.js";

interface Link {
  port: MessagePort;
  clock: StartClock;
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
      const { port, clock } = msg.weftThread;
      const link: Link = { port, clock: clockOn(clock) };
      port.on("message", (m: WorkerMessage) => route(m, port));
      port.on("close", () => this.links.delete(link));
      // The link must not keep the process alive; running tasks keep piscina's own port busy.
      port.unref();
      this.links.add(link);
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

  close(): void {
    for (const link of this.links) link.port.close();
    this.links.clear();
  }
}

function isHello(msg: unknown): msg is ThreadHello {
  return typeof msg === "object" && msg !== null && "weftThread" in msg;
}
