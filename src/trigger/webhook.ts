/**
 * One webhook delivery, framework-free: the server hands over the raw body bytes and headers
 * and sends back the status and body this returns.
 *
 * Order matters: the signature is checked before the body is parsed, over the exact bytes
 * received. A delivery id (from the trigger's `deliveryHeader`, else `X-GitHub-Delivery`,
 * `X-Weft-Delivery` or `X-Request-Id`) is claimed once per workflow; the same id is also the
 * run's idempotency key, so a duplicate that arrives while the first is still starting its run
 * gets that same run back from the store instead of a second one.
 */
import type { CompiledTrigger } from "../compile/types.js";
import type { SecretProvider } from "../engine/secrets.js";
import { toErrorData, WeftError } from "../errors.js";
import type { ActiveWorkflow, Store } from "../store/types.js";
import {
  webhookBody,
  webhookDeliveryId,
  webhookNotEnabled,
  webhookSecretMissing,
  webhookSignature,
} from "./errors.js";
import { SIGNATURE_HEADER, verifySignature } from "./signature.js";
import type { RunStarter } from "./types.js";

/** Headers tried in order for a delivery id when the workflow names none. */
export const DELIVERY_HEADERS = ["x-github-delivery", "x-weft-delivery", "x-request-id"] as const;
/** Headers copied into `trigger.headers`; never signatures, cookies or credentials. */
export const SAFE_HEADERS = [
  "content-type",
  "user-agent",
  "x-github-event",
  "x-github-hook-id",
  "x-gitlab-event",
  "x-event-key",
  "x-weft-event",
] as const;
export const MAX_DELIVERY_ID = 200;
const MAX_HEADER_VALUE = 200;

export interface WebhookRequest {
  store: Store;
  engine: RunStarter;
  active: ActiveWorkflow;
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
  secrets: SecretProvider;
}

export interface WebhookResponse {
  status: number;
  body: {
    runId?: string;
    duplicate?: boolean;
    error?: { code: string; message: string };
  };
}

/** `deliveryHeader` is in the workflow schema; a compiled trigger may carry it. */
type WebhookTrigger = CompiledTrigger & { deliveryHeader?: string };

export async function handleWebhook(req: WebhookRequest): Promise<WebhookResponse> {
  const { active, store } = req;
  const workflow = active.workflow;
  const trigger = active.version.plan.triggers.find((t): t is WebhookTrigger => t.kind === "webhook");
  if (!trigger) return failure(404, webhookNotEnabled({ workflow }));
  const secretName = trigger.secret ?? "";
  const secret = secretName === "" ? undefined : req.secrets.get(secretName);
  if (secret === undefined || secret === "") {
    return failure(500, webhookSecretMissing({ name: secretName || "NAME", workflow }));
  }

  const headers = lowerCased(req.headers);
  const check = verifySignature(req.rawBody, headers.get(SIGNATURE_HEADER), secret);
  if (!check.ok) return failure(401, webhookSignature({ why: SIGNATURE_PROBLEM[check.reason] }));

  let payload: unknown;
  try {
    payload = JSON.parse(req.rawBody.toString("utf8"));
  } catch (err) {
    return failure(400, webhookBody({ reason: err instanceof Error ? err.message : String(err) }));
  }

  const delivery = deliveryIdOf(trigger, headers);
  if (delivery && delivery.id.length > MAX_DELIVERY_ID) {
    return failure(
      400,
      webhookDeliveryId({ header: delivery.header, length: delivery.id.length, limit: MAX_DELIVERY_ID }),
    );
  }
  const claimed = delivery ? await store.claimTriggerSlot("webhook", workflow, delivery.id) : true;
  if (!claimed && delivery) {
    const runId = await store.triggerRun("webhook", workflow, delivery.id);
    if (typeof runId === "string") return { status: 200, body: { runId, duplicate: true } };
    // Claimed but not linked yet: the first delivery is still starting its run (or crashed
    // before it could). The shared idempotency key below returns that run, or starts it.
  }

  const triggerInfo = {
    kind: "webhook" as const,
    payload,
    deliveryId: delivery?.id ?? null,
    headers: safeHeaders(headers, delivery?.header),
  };
  try {
    const { run, created } = await req.engine.startRun({
      version: active.version,
      inputs: {},
      trigger: triggerInfo,
      ...(delivery ? { idempotencyKey: `webhook:${delivery.id}` } : {}),
    });
    if (delivery) await store.setTriggerRun("webhook", workflow, delivery.id, run.id);
    if (!created) return { status: 200, body: { runId: run.id, duplicate: true } };
    return { status: 202, body: { runId: run.id } };
  } catch (err) {
    // Input and key-template problems are the workflow's, reported as data; the rest is ours.
    if (err instanceof WeftError) return failure(422, err);
    throw err;
  }
}

const SIGNATURE_PROBLEM = {
  missing: "the X-Hub-Signature-256 header is missing",
  malformed: "the X-Hub-Signature-256 header is not `sha256=` followed by 64 hex digits",
  mismatch: "the signature does not match the body",
} as const;

function failure(status: number, err: WeftError): WebhookResponse {
  const data = toErrorData(err);
  return { status, body: { error: { code: data.code, message: data.message } } };
}

function lowerCased(headers: Record<string, string | undefined>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) if (typeof v === "string") out.set(k.toLowerCase(), v);
  return out;
}

function deliveryIdOf(
  trigger: WebhookTrigger,
  headers: Map<string, string>,
): { header: string; id: string } | undefined {
  const names = trigger.deliveryHeader ? [trigger.deliveryHeader.toLowerCase()] : DELIVERY_HEADERS;
  for (const header of names) {
    const id = headers.get(header)?.trim();
    if (id) return { header, id };
  }
  return undefined;
}

function safeHeaders(
  headers: Map<string, string>,
  deliveryHeader: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  const names: string[] = [...SAFE_HEADERS];
  if (deliveryHeader) names.push(deliveryHeader);
  for (const name of names) {
    const v = headers.get(name);
    if (v !== undefined) out[name] = v.slice(0, MAX_HEADER_VALUE);
  }
  return out;
}
